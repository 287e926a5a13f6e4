"""Retention and people's rights: redaction after a period, export, and erasure.

The contact access log survives erasure: its rows keep the request's reference, the time and
whether details were shown, and lose the link to the person (and the viewer's name, when the
viewer is the one erased).
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import AccessLog, HelpRequest, HelpSeekerContact, Volunteer

ERASED = AccessLog.ERASED


def redact_closed(now=None):
    """Remove contact details of requests closed or withdrawn longer ago than the retention
    period; returns how many requests were redacted."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.VOLUNTEER_CONTACT_RETENTION_DAYS)
    due = HelpRequest.objects.filter(
        status__in=[HelpRequest.Status.CLOSED, HelpRequest.Status.WITHDRAWN],
        closed_at__lte=cutoff,
        redacted_at__isnull=True,
    )
    with transaction.atomic():
        ids = list(due.select_for_update().values_list("pk", flat=True))
        HelpSeekerContact.objects.filter(request_id__in=ids).delete()
        HelpRequest.objects.filter(pk__in=ids).update(redacted_at=now)
    return len(ids)


@task()
def redact_closed_task():
    return redact_closed()


def export_request(help_request):
    """Everything held about a help request and the person, as plain data."""
    contact = HelpSeekerContact.objects.filter(request=help_request).first()
    return {
        "reference": help_request.reference,
        "type_of_help": help_request.task_type.name,
        "area": help_request.area,
        "from": help_request.starts_at.isoformat(),
        "until": help_request.ends_at.isoformat(),
        "language": help_request.language,
        "status": help_request.status,
        "received_at": help_request.created_at.isoformat(),
        "contact": None
        if contact is None
        else {
            "name": contact.name,
            "phone": contact.phone,
            "email": contact.email,
            "address": contact.address,
            "notes": contact.notes,
        },
        "consents": [
            {
                "wording_version": c.wording_version,
                "given_at": c.given_at.isoformat(),
                "channel": c.channel,
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            }
            for c in help_request.consents.all()
        ],
        "contact_viewed": [
            {"at": row.at.isoformat(), "shown": row.shown, "reason": row.reason}
            for row in help_request.access_log.all()
        ],
    }


def erase_request(help_request):
    """Erase a request and everything about the person; the access log keeps its rows."""
    with transaction.atomic():
        AccessLog.objects.filter(request=help_request).forget_request()
        help_request.delete()


def export_volunteer(volunteer):
    """Everything held about a volunteer, as plain data."""
    return {
        "name": volunteer.display_name,
        "email": volunteer.user.email,
        "status": volunteer.status,
        "home_area": volunteer.home_area,
        "travel_radius_km": volunteer.travel_radius_km,
        "languages": volunteer.language_codes,
        "skills": sorted(volunteer.skills.names()),
        "availability": [str(slot) for slot in volunteer.availability.all()],
        "terms_agreed": [
            {"version": c.terms.version, "at": c.agreed_at.isoformat()}
            for c in volunteer.terms_consents.select_related("terms")
        ],
        "training": [
            {
                "module": r.module.name,
                "completed_on": r.completed_on.isoformat(),
                "expires_on": r.expires_on.isoformat(),
            }
            for r in volunteer.training.select_related("module")
        ],
        "dbs_checks": [
            {
                "level": c.get_level_display(),
                "issued_on": c.issued_on.isoformat(),
                "recheck_due": c.recheck_due.isoformat(),
            }
            for c in volunteer.dbs_checks.all()
        ],
        "tasks": [
            {
                "request": o.request.reference,
                "status": o.status,
                "offered_at": o.offered_at.isoformat(),
            }
            for o in volunteer.offers.select_related("request")
        ],
    }


def erase_volunteer(volunteer):
    """Erase a volunteer and their account; the access log keeps its rows without the name."""
    with transaction.atomic():
        AccessLog.objects.filter(viewer=volunteer.user).forget_viewer()
        HelpRequest.objects.filter(
            accepted_volunteer=volunteer, status=HelpRequest.Status.ACCEPTED
        ).update(status=HelpRequest.Status.OPEN, accepted_volunteer=None, accepted_at=None)
        user = volunteer.user
        volunteer.delete()
        user.delete()


def find_volunteer(email):
    return Volunteer.objects.select_related("user").get(user__email__iexact=email)
