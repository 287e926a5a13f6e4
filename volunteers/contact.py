"""The privacy rules for a help-seeker's contact details, in one place.

`reveal_contact` is the only code that reads those details for display. It shows them only
to the volunteer whose offer was accepted while that volunteer is still in good standing
(`volunteers.standing`), or to a coordinator; only while the person's consent stands and the
request is still open; and it writes an access-log row on every call, shown or refused.
`record_consent` and `withdraw_consent` keep the consent records. Withdrawing is one call,
as easy as giving, whoever makes it (the person through their link, or a coordinator): it
stops every further reveal at once and ends the request, so nobody new is ever asked.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import standing
from .models import AccessLog, ContactConsent, HelpRequest, HelpSeekerContact, Offer
from .permissions import is_coordinator

# The wording the person agrees to, by version. A new wording gets a new version; the old
# ones stay so that every consent record can be read against what was actually said.
CONSENT_WORDINGS = {
    "2026-1": _(
        "I agree that my name, phone number, email, address and notes may be shared with one "
        "trained volunteer who accepts this request, and with the coordinators who arrange "
        "it. I can withdraw this at any time."
    ),
}
CURRENT_CONSENT_VERSION = "2026-1"


class ContactRefused(Exception):
    """Contact details were not shown; `reason` says why (also written to the access log)."""

    def __init__(self, reason, message):
        super().__init__(str(message))
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class ContactDetails:
    """A help-seeker's contact details, as revealed; its repr names no field's value, so a
    debug log of a template's context or a traceback's locals does not carry them."""

    name: str
    phone: str
    email: str
    address: str
    notes: str

    def __repr__(self):
        return "ContactDetails(<withheld>)"


def record_consent(help_request, channel, recorded_by=None, role="self", version=None):
    """Record consent to share the contact details of one request; returns the record."""
    version = version or CURRENT_CONSENT_VERSION
    if version not in CONSENT_WORDINGS:
        raise ValueError(f"Unknown consent wording version {version!r}")
    return ContactConsent.objects.create(
        request=help_request,
        wording_version=version,
        channel=channel,
        recorded_by=recorded_by if recorded_by and recorded_by.is_authenticated else None,
        recorded_by_role=role,
    )


def withdraw_consent(help_request, now=None):
    """Withdraw consent and with it the request; True if there was consent to withdraw.

    The request is withdrawn if it was open or accepted, and every offer still waiting or
    accepted is withdrawn with it: nothing is offered again, no volunteer is emailed about
    it, and it leaves the volunteers' pages.
    """
    now = now or timezone.now()
    with transaction.atomic():
        withdrawn = ContactConsent.objects.filter(
            request=help_request, withdrawn_at__isnull=True
        ).update(withdrawn_at=now)
        HelpRequest.objects.filter(
            pk=help_request.pk,
            status__in=[HelpRequest.Status.OPEN, HelpRequest.Status.ACCEPTED],
        ).update(status=HelpRequest.Status.WITHDRAWN, closed_at=now)
        Offer.objects.filter(
            request=help_request, status__in=[Offer.Status.OFFERED, Offer.Status.ACCEPTED]
        ).update(status=Offer.Status.WITHDRAWN, responded_at=now)
    return bool(withdrawn)


def consent_stands(help_request):
    return ContactConsent.objects.filter(request=help_request, withdrawn_at__isnull=True).exists()


def _check(help_request, volunteer, viewer):
    """None if the details may be shown, else (reason code, message)."""
    if help_request.redacted_at is not None:
        return "redacted", _("These contact details have been removed under our retention rules.")
    if not consent_stands(help_request):
        return "no_consent", _("The person has withdrawn their consent to share their details.")
    if is_coordinator(viewer) and volunteer is None:
        return None
    if help_request.status != HelpRequest.Status.ACCEPTED:
        return "not_open", _("This request is no longer open.")
    if (
        volunteer is None
        or viewer is None
        or volunteer.user_id != viewer.pk
        or help_request.accepted_volunteer_id != volunteer.pk
        or not volunteer.offers.filter(request=help_request, status="accepted").exists()
    ):
        return "not_accepted", _(
            "Only the volunteer who accepted this request can see these details."
        )
    return standing.problem(volunteer, help_request)


def feedback_address(help_request):
    """The email address to send the one feedback invitation to, or "" (logged when used).

    Only when the person agreed to it when asking, gave an email address, and the details
    have not been removed; the access log records that the address was read and why.
    """
    help_request = HelpRequest.objects.get(pk=help_request.pk)
    if not help_request.may_ask_feedback or help_request.redacted_at is not None:
        return ""
    email = (
        HelpSeekerContact.objects.filter(request=help_request)
        .values_list("email", flat=True)
        .first()
    )
    if email:
        AccessLog.objects.create(
            request=help_request,
            request_reference=help_request.reference,
            viewer_label="feedback invitation",
            shown=True,
            reason="feedback",
        )
    return email or ""


def reveal_contact(help_request, volunteer, viewer):
    """The help-seeker's contact details for `viewer`, or ContactRefused; always logged.

    `volunteer` is the volunteer asking (None for a coordinator). The request is re-read from
    the database so that a withdrawal or hand-back a moment ago is seen.
    """
    help_request = HelpRequest.objects.get(pk=help_request.pk)
    refused = _check(help_request, volunteer, viewer)
    label = (viewer.get_username() if viewer and viewer.is_authenticated else "anonymous")[:150]
    with transaction.atomic():
        AccessLog.objects.create(
            request=help_request,
            request_reference=help_request.reference,
            viewer=viewer if viewer and viewer.is_authenticated else None,
            viewer_label=label,
            shown=refused is None,
            reason=refused[0] if refused else ("coordinator" if volunteer is None else "accepted"),
        )
    if refused:
        raise ContactRefused(*refused)
    contact = HelpSeekerContact.objects.get(request=help_request)
    return ContactDetails(
        name=contact.name,
        phone=contact.phone,
        email=contact.email,
        address=contact.address,
        notes=contact.notes,
    )
