"""Help requests, the help-seeker's contact details kept apart, consent, offers and the log.

The contact details live in their own table (HelpSeekerContact) so that nothing which lists
or serialises requests touches them by accident; `volunteers.contact.reveal_contact` is the one
place that reads them for display.
"""

import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.admin import display as admin_display
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.db import AppendOnlyModel, AppendOnlyQuerySet

from .people import Volunteer, coarse
from .training import TaskType


def new_reference():
    return secrets.token_hex(4).upper()


class HelpRequest(models.Model):
    """A request for practical help; only its area and time are shown before acceptance."""

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for a volunteer")
        ACCEPTED = "accepted", _("a volunteer has accepted")
        CLOSED = "closed", _("closed")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Requester(models.TextChoices):
        SELF = "self", _("the person themselves")
        CARER = "carer", _("a carer or relative")
        PROFESSIONAL = "professional", _("a professional on their behalf")

    reference = models.CharField(_("reference"), max_length=8, unique=True, default=new_reference)
    task_type = models.ForeignKey(
        TaskType, verbose_name=_("type of help"), on_delete=models.PROTECT, related_name="requests"
    )
    requested_by = models.CharField(
        _("asked for by"), max_length=12, choices=Requester.choices, default=Requester.SELF
    )
    area = models.CharField(_("area"), max_length=60)
    latitude = models.FloatField(_("latitude (coarse)"))
    longitude = models.FloatField(_("longitude (coarse)"))
    radius_km = models.PositiveSmallIntegerField(_("how far volunteers may come (km)"), default=10)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    language = models.CharField(_("language"), max_length=10, default="en")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    accepted_volunteer = models.ForeignKey(
        Volunteer,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accepted_requests",
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    hours = models.DecimalField(
        _("hours given"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    # [[step code, volunteers left], ...] as volunteers.matching.no_match_counts gives, so
    # each reader sees it in their own language.
    no_match_reason = models.JSONField(_("why no volunteer was found"), default=list, blank=True)
    # Asked on the form: may we email once, after the help, for three questions (insight).
    may_ask_feedback = models.BooleanField(_("agreed to one feedback email"), default=False)
    # Set once, by a conditional update, when that email goes (insight.surveys): the survey's
    # invitation itself keeps no link back to the request.
    feedback_invited_at = models.DateTimeField(
        _("feedback email sent at"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    redacted_at = models.DateTimeField(_("contact details removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        ordering = ["starts_at"]
        # Requests are made and changed only through the project's own functions (see
        # volunteers.permissions); coordinating is a permission of its own.
        default_permissions = ["view"]
        permissions = [
            (
                "coordinate",
                _(
                    "Can coordinate volunteering: take requests by phone, see who may be "
                    "matched, withdraw consent and open a person's contact details (logged)"
                ),
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="vol_request_time_order"
            ),
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90)
                & Q(longitude__gte=-180, longitude__lte=180),
                name="vol_request_coordinates_range",
            ),
            # Accepted means someone accepted; open means nobody has.
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(accepted_volunteer__isnull=False),
                name="vol_request_accepted_has_volunteer",
            ),
            models.CheckConstraint(
                condition=~Q(status="open") | Q(accepted_volunteer__isnull=True),
                name="vol_request_open_has_no_volunteer",
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.task_type} ({self.area})"

    def save(self, *args, **kwargs):
        self.latitude, self.longitude = coarse(self.latitude), coarse(self.longitude)
        super().save(*args, **kwargs)

    @admin_display(description=_("Status"), ordering="status")
    def status_label(self):
        return capfirst(self.get_status_display())

    @admin_display(description=_("Why no match"))
    def why_no_match_label(self):
        """Why nobody was offered it, in the reader's language (worked out again while the
        request waits; as recorded once it has moved on)."""
        from volunteers.matching import no_match_text, why_no_match

        if self.status != self.Status.OPEN or not self.no_match_reason:
            return no_match_text(self.no_match_reason)
        return why_no_match(self)

    @admin_display(description=_("Contact"))
    def contact_link(self):
        """A link for coordinators to the logged contact-details page (not the details)."""
        url = reverse("volunteers_contact", args=[self.pk])
        return format_html('<a href="{}">{}</a>', url, _("Contact details"))

    @admin_display(description=_("Matching"))
    def matching_link(self):
        """A link to who was offered the request, who is left out and why, and consent."""
        url = reverse("volunteers_exclusions", args=[self.pk])
        return format_html('<a href="{}">{}</a>', url, _("Who is left out, and consent"))

    @admin_display(description=_("Access log"))
    def access_log_link(self):
        """Every attempt to see this request's contact details."""
        url = (
            reverse("wagtailsnippets_volunteers_accesslog:list")
            + "?"
            + urlencode({"q": self.reference})
        )
        return format_html('<a href="{}">{}</a>', url, _("Who saw the contact details"))


class HelpSeekerContact(models.Model):
    """Who needs help and how to reach them; read for display only by volunteers.contact."""

    request = models.OneToOneField(HelpRequest, on_delete=models.CASCADE, related_name="contact")
    name = models.CharField(_("name"), max_length=120)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.TextField(_("address"))
    notes = models.TextField(_("notes for the volunteer"), blank=True)

    class Meta:
        verbose_name = _("help-seeker's contact details")
        verbose_name_plural = _("help-seekers' contact details")

    def __str__(self):
        return str(_("Contact details for request %(ref)s") % {"ref": self.request.reference})


class ContactConsent(models.Model):
    """The person's consent to share their contact details with one matched volunteer."""

    class Channel(models.TextChoices):
        WEB = "web", _("on the website")
        PHONE = "phone", _("by phone")
        IN_PERSON = "in_person", _("in person")
        ON_BEHALF = "on_behalf", _("by someone on their behalf")

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="consents")
    wording_version = models.CharField(_("wording version"), max_length=20)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    channel = models.CharField(_("how"), max_length=10, choices=Channel.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by_role = models.CharField(
        _("recorded by (role)"), max_length=12, choices=HelpRequest.Requester.choices
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent to share contact details")
        verbose_name_plural = _("consents to share contact details")
        ordering = ["-given_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=F("given_at")),
                name="vol_consent_withdrawn_after_given",
            ),
            # One standing consent per request at a time.
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(withdrawn_at__isnull=True),
                name="vol_consent_one_standing",
            ),
        ]

    def __str__(self):
        return f"{self.request.reference} ({self.wording_version}, {self.get_channel_display()})"


class Offer(models.Model):
    """A request offered to one volunteer, and what they did with it."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("offered")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        EXPIRED = "expired", _("timed out")
        HANDED_BACK = "handed_back", _("handed back")
        COMPLETED = "completed", _("completed")
        CLOSED = "closed", _("taken by someone else")
        WITHDRAWN = "withdrawn", _("withdrawn")

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="offers")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="offers")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OFFERED
    )
    score = models.FloatField(_("match score"), default=0)
    # What volunteers.matching.reason_parts gives: numbers and a language code, worded in
    # each reader's language by reason_label.
    reason = models.JSONField(_("why this volunteer"), default=dict, blank=True)
    distance_km = models.FloatField(_("distance (km)"), default=0)
    offered_at = models.DateTimeField(_("offered at"), default=timezone.now)
    expires_at = models.DateTimeField(_("answer by"))
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    # When the volunteer was sent the wellbeing check for this task (insight.surveys).
    wellbeing_invited_at = models.DateTimeField(
        _("wellbeing check sent at"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-offered_at"]
        default_permissions = ["view"]
        constraints = [
            models.UniqueConstraint(fields=["request", "volunteer"], name="vol_offer_once"),
            # The database itself refuses a second acceptance of the same request.
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status__in=["accepted", "completed"]),
                name="vol_offer_one_acceptance",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="vol_offer_due")]

    def __str__(self):
        return f"{self.request.reference} -> {self.volunteer}"

    @admin_display(description=_("Status"), ordering="status")
    def status_label(self):
        return capfirst(self.get_status_display())

    @admin_display(description=_("why this volunteer"))
    def reason_label(self):
        """Why this volunteer was offered the request, in the reader's language."""
        from volunteers.matching import reason_from

        return reason_from(self.reason)


class AccessLogQuerySet(AppendOnlyQuerySet):
    """Rows are added, never changed or deleted; erasure may only unlink them (`forget`)."""

    def forget_request(self):
        """Unlink these rows from a request being erased; its reference stays as text."""
        return self.unlink(request=None)

    def forget_viewer(self):
        """Unlink these rows from a person being erased, and replace their name."""
        return self.unlink(viewer=None, viewer_label=AccessLog.ERASED)


class AccessLog(AppendOnlyModel):
    """Every attempt to see a help-seeker's contact details, shown or refused.

    It keeps the request's reference as text so that it survives the request's erasure.
    The log is append-only for everyone: the model refuses changes and deletes, the admin
    only reads it, and on PostgreSQL a trigger refuses any UPDATE or DELETE other than
    erasure's unlinking (made by volunteers' migration 0001).
    """

    ERASED = "erased"
    append_only_message = _(
        "The contact access log is append-only: its rows cannot be changed or deleted."
    )
    # Erasure unlinks a row from the request, and from the viewer, whose name it replaces.
    unlinkable = {"request": None, "viewer": None, "viewer_label": ERASED}

    class Reason(models.TextChoices):
        # volunteers.contact and volunteers.standing give these codes.
        ACCEPTED = "accepted", _("Shown to the accepted volunteer")
        COORDINATOR = "coordinator", _("Shown to a coordinator")
        REDACTED = "redacted", _("Refused: details removed under the retention rules")
        NO_CONSENT = "no_consent", _("Refused: consent withdrawn")
        NOT_OPEN = "not_open", _("Refused: request no longer open")
        NOT_ACCEPTED = "not_accepted", _("Refused: not the volunteer who accepted")
        STANDING = "standing", _("Refused: volunteering not active")
        TERMS = "terms", _("Refused: current terms not agreed")
        NOT_QUALIFIED = "not_qualified", _("Refused: training or checks do not cover the task")

    request = models.ForeignKey(
        HelpRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="access_log"
    )
    request_reference = models.CharField(_("request"), max_length=8)
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("viewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    viewer_label = models.CharField(_("viewer"), max_length=150)
    at = models.DateTimeField(_("at"), default=timezone.now)
    shown = models.BooleanField(_("shown"))
    reason = models.CharField(_("reason"), max_length=60, choices=Reason.choices)

    objects = AccessLogQuerySet.as_manager()

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("contact access log entry")
        verbose_name_plural = _("contact access log")
        ordering = ["-at"]
        default_permissions = ["view"]

    def __str__(self):
        return f"{self.request_reference} {self.viewer_label} {self.at:%Y-%m-%d %H:%M}"

    @admin_display(description=_("Shown"))
    def shown_label(self):
        return _("Yes") if self.shown else _("No")


class SafeguardingConcern(models.Model):
    """A worry about someone's safety: a case record with who handles it and what was done.

    Its facts (who raised it, about which request and volunteer, what happened) are fixed once
    raised; what follows is recorded only through `volunteers.safeguarding`, each step a
    `ConcernAction` in a history that cannot be changed.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    volunteer = models.ForeignKey(
        Volunteer,
        verbose_name=_("volunteer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="concerns",
    )
    request = models.ForeignKey(
        HelpRequest,
        verbose_name=_("help request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="concerns",
    )
    details = models.TextField(_("what happened"))
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    referred_to_local_authority = models.BooleanField(
        _("referred to the local authority"), default=False
    )
    local_authority_reference = models.CharField(
        _("local authority's reference"), max_length=60, blank=True
    )
    outcome = models.TextField(_("outcome"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("safeguarding concern")
        verbose_name_plural = _("safeguarding concerns")
        ordering = ["-raised_at"]
        # Concerns change only through volunteers.safeguarding, which records each step.
        default_permissions = ["view"]
        permissions = [
            (
                "handle_safeguardingconcern",
                _("Can handle safeguarding concerns: record actions, referrals and outcomes"),
            ),
            (
                "export_safeguardingconcern",
                _("Can export safeguarding concerns with their history"),
            ),
        ]
        constraints = [
            # A closed case says how it ended, and when.
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | (Q(status="closed", closed_at__isnull=False) & ~Q(outcome="")),
                name="vol_concern_closed_has_outcome",
            ),
        ]

    def __str__(self):
        when = timezone.localtime(self.raised_at).strftime("%d/%m/%Y %H:%M")
        return str(_("Concern raised %(when)s") % {"when": when})

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @admin_display(description=_("Handled by"))
    def handler_label(self):
        if self.handler is None:
            return _("Nobody yet")
        return self.handler.get_full_name() or self.handler.get_username()

    @admin_display(description=_("Referred to the local authority"))
    def referred_label(self):
        return _("Yes") if self.referred_to_local_authority else _("No")


class ConcernAction(AppendOnlyModel):
    """One step in a concern's history: raised, an action taken, handed to someone, referred,
    closed. Append-only like the access log (on PostgreSQL a trigger refuses changes)."""

    class Kind(models.TextChoices):
        RAISED = "raised", _("Raised")
        ACTION = "action", _("Action taken")
        HANDLER = "handler", _("Handler changed")
        REFERRED = "referred", _("Referred to the local authority")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")

    append_only_message = _("A concern's history cannot be changed or deleted; add a new entry.")
    unlinkable = {"by": None}

    concern = models.ForeignKey(
        SafeguardingConcern, on_delete=models.PROTECT, related_name="actions"
    )
    kind = models.CharField(_("what"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by_label = models.CharField(_("by"), max_length=150)
    text = models.TextField(_("details"), blank=True)

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("concern history entry")
        verbose_name_plural = _("concern history")
        ordering = ["at", "pk"]
        default_permissions = []

    def __str__(self):
        return f"{self.get_kind_display()} {self.by_label}"
