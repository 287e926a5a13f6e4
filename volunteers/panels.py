"""Panels on the admin home for the people who coordinate volunteering: what needs attention.

Each panel shows only to those whose job it is, and only when it has something to show.
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel
from wagtail.admin.ui.components import Component

from . import permissions, safeguarding, standing
from .models import DBSCheck, HelpRequest, Offer, TrainingRecord, Volunteer

MAX_ROWS = 10


class OpenConcernsPanel(Component):
    """Safeguarding concerns not yet closed, oldest first."""

    name = "open_concerns"
    order = 90
    template_name = "volunteers/panels/open_concerns.html"

    def __init__(self, request):
        self.request = request

    def render_html(self, parent_context=None):
        if not safeguarding.may(self.request.user, safeguarding.VIEW):
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context=None):
        concerns = safeguarding.open_concerns().select_related("request", "handler")
        return {
            "concerns": concerns[:MAX_ROWS],
            "total": concerns.count(),
            "title": _("Open safeguarding concerns"),
        }


class StandingPanel(Panel):
    """On a volunteer's page: their state and what it allows, whether matching can offer them
    anything, and each thing an approval needs with whether it is done."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "volunteers/admin/standing_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            volunteer = self.instance
            steps = standing.approval_steps(volunteer) if volunteer.pk else []
            context.update(
                {
                    "volunteer": volunteer,
                    "states": [
                        (value, Volunteer.Status(value).label, allows, value == volunteer.status)
                        for value, allows in standing.STATES
                    ],
                    "steps": steps,
                    "missing": [step for step in steps if not step.done],
                    "matchable": bool(volunteer.pk) and standing.matchable(volunteer),
                    "availability": volunteer.availability.all() if volunteer.pk else [],
                    "training": (
                        volunteer.training.select_related("module") if volunteer.pk else []
                    ),
                    "checks": volunteer.dbs_checks.all() if volunteer.pk else [],
                    "can_approve": volunteer.pk
                    and volunteer.status in (Volunteer.Status.APPLICANT, Volunteer.Status.LEFT),
                }
            )
            return context


# How long a request may wait for a volunteer, and how close an offer's deadline or a record's
# expiry must be, before the coordinators' home shows it.
WAITING_HOURS = 24
TIMING_OUT_HOURS = 3
EXPIRING_DAYS = 30


class CoordinatorPanel(Component):
    """A list on the coordinators' home of one kind of thing that needs attention today."""

    template_name = "volunteers/panels/attention.html"

    def __init__(self, request):
        self.request = request

    def render_html(self, parent_context=None):
        if not permissions.is_coordinator(self.request.user):
            return ""
        return super().render_html(parent_context)

    def rows(self):
        """(queryset, function from an item to (label, url, detail))."""
        raise NotImplementedError

    def get_context_data(self, parent_context=None):
        queryset, row = self.rows()
        return {
            "name": self.name,
            "title": self.title,
            "summary": self.summary,
            "headings": self.headings,
            "rows": [row(item) for item in queryset[:MAX_ROWS]],
            "total": queryset.count(),
            "more_url": self.more_url(),
        }

    def more_url(self):
        return None


def _when(value):
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


class NewApplicantsPanel(CoordinatorPanel):
    name = "new_applicants"
    order = 91
    title = _("New applicants")
    summary = _("People who signed up to volunteer and are waiting for approval.")
    headings = [_("Name"), _("Area"), _("Signed up")]

    def rows(self):
        applicants = Volunteer.objects.filter(status=Volunteer.Status.APPLICANT).order_by(
            "created_at"
        )
        return applicants, lambda v: (
            v.display_name,
            reverse("wagtailsnippets_volunteers_volunteer:edit", args=[v.pk]),
            [v.home_area, _when(v.created_at)],
        )

    def more_url(self):
        return reverse("wagtailsnippets_volunteers_volunteer:list") + "?status=applicant"


class WaitingRequestsPanel(CoordinatorPanel):
    name = "waiting_requests"
    order = 92
    title = _("Requests still waiting")
    headings = [_("Reference"), _("Type of help"), _("Received")]

    @property
    def summary(self):
        return _("Requests with no volunteer %(hours)s hours or more after they came in.") % {
            "hours": WAITING_HOURS
        }

    def rows(self):
        # A request whose time has passed with nobody found waits no more: it expired
        # unmatched (counted as such in the insight figures) and a volunteer can no longer help.
        now = timezone.now()
        cutoff = now - dt.timedelta(hours=WAITING_HOURS)
        waiting = (
            HelpRequest.objects.filter(
                status=HelpRequest.Status.OPEN, created_at__lte=cutoff, ends_at__gt=now
            )
            .select_related("task_type")
            .order_by("created_at")
        )
        return waiting, lambda r: (
            r.reference,
            reverse("volunteers_exclusions", args=[r.pk]),
            [r.task_type.name, _when(r.created_at)],
        )


class TimingOutOffersPanel(CoordinatorPanel):
    name = "timing_out_offers"
    order = 93
    title = _("Offers about to time out")
    headings = [_("Request"), _("Volunteer"), _("Answer by")]

    @property
    def summary(self):
        return _("Offers not yet answered that time out within %(hours)s hours.") % {
            "hours": TIMING_OUT_HOURS
        }

    def rows(self):
        now = timezone.now()
        offers = (
            Offer.objects.filter(
                status=Offer.Status.OFFERED,
                expires_at__gt=now,
                expires_at__lte=now + dt.timedelta(hours=TIMING_OUT_HOURS),
            )
            .select_related("request", "volunteer")
            .order_by("expires_at")
        )
        return offers, lambda o: (
            o.request.reference,
            reverse("volunteers_exclusions", args=[o.request_id]),
            [o.volunteer.display_name, _when(o.expires_at)],
        )


class ExpiringRecordsPanel(CoordinatorPanel):
    name = "expiring_records"
    order = 94
    title = _("Training and DBS checks expiring")
    headings = [_("Volunteer"), _("Record"), _("Expires")]

    @property
    def summary(self):
        return _(
            "Training and DBS checks of active volunteers that run out within %(days)s days."
        ) % {"days": EXPIRING_DAYS}

    def rows(self):
        today = timezone.localdate()
        until = today + dt.timedelta(days=EXPIRING_DAYS)
        working = [Volunteer.Status.ACTIVE, Volunteer.Status.PAUSED]
        training = TrainingRecord.objects.filter(
            volunteer__status__in=working, expires_on__gte=today, expires_on__lte=until
        ).select_related("volunteer", "module")
        checks = DBSCheck.objects.filter(
            volunteer__status__in=working, recheck_due__gte=today, recheck_due__lte=until
        ).select_related("volunteer")
        items = sorted(
            [(r.expires_on, r.volunteer, r.module.name, r) for r in training]
            + [(c.recheck_due, c.volunteer, _("DBS check"), c) for c in checks],
            key=lambda item: item[0],
        )
        return _Listed(items), lambda item: (
            item[1].display_name,
            reverse(
                f"wagtailsnippets_volunteers_{type(item[3])._meta.model_name}:edit",
                args=[item[3].pk],
            ),
            [item[2], item[0].strftime("%d/%m/%Y")],
        )


class _Listed(list):
    """A list that answers count() like a queryset."""

    def count(self):
        return len(self)


COORDINATOR_PANELS = [
    NewApplicantsPanel,
    WaitingRequestsPanel,
    TimingOutOffersPanel,
    ExpiringRecordsPanel,
]
