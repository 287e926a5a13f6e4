"""Safeguarding concerns as case records: raising one, each step taken, closing, the export.

A concern's facts are fixed when it is raised. Everything after (who handles it, actions
taken, a referral to the local authority, the outcome, reopening) goes through `record_step`,
which writes one `ConcernAction` per change in the same transaction as the change itself, so
the history is the whole story and cannot be rewritten (ConcernAction is append-only).

Who may do what: anyone with the view permission reads concerns (coordinators and the
safeguarding lead); the handle permission records steps; the export permission downloads them.
"""

import csv
import io

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import notifications
from .models import ConcernAction, SafeguardingConcern

VIEW = "volunteers.view_safeguardingconcern"
HANDLE = "volunteers.handle_safeguardingconcern"
EXPORT = "volunteers.export_safeguardingconcern"


class StepRefused(Exception):
    """A step that cannot be recorded as asked (a message for the person who asked)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def may(user, permission):
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(permission))


def label(user):
    if user is None or not user.is_authenticated:
        return _("a volunteer")
    return (user.get_full_name() or user.get_username())[:150]


def handlers():
    """People who may handle concerns (for choosing who handles one)."""
    User = get_user_model()
    perm = Q(codename="handle_safeguardingconcern", content_type__app_label="volunteers")
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__in=_permissions(perm))
            | Q(user_permissions__in=_permissions(perm))
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def _permissions(condition):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(condition)


def raise_concern(details, *, raised_by=None, volunteer=None, help_request=None):
    """Record a new concern and tell the coordinators at once (the email has no details)."""
    with transaction.atomic():
        concern = SafeguardingConcern.objects.create(
            raised_by=raised_by, volunteer=volunteer, request=help_request, details=details
        )
        ConcernAction.objects.create(
            concern=concern,
            kind=ConcernAction.Kind.RAISED,
            by=raised_by,
            by_label=volunteer.display_name if volunteer else label(raised_by),
        )
    notifications.send_concern_email.enqueue(concern.pk)
    return concern


def record_step(
    concern,
    by,
    *,
    text="",
    handler=None,
    refer=False,
    reference="",
    close=False,
    outcome="",
    reopen=False,
):
    """Apply one step to a concern and write each change to its history; all or nothing.

    Returns the actions written. Raises StepRefused for a step that does not fit the concern
    as it now is (closing a closed concern, closing without an outcome, nothing to record).
    """
    if not may(by, HANDLE):
        raise PermissionDenied
    text, reference, outcome = text.strip(), reference.strip(), outcome.strip()
    who = label(by)
    with transaction.atomic():
        concern = SafeguardingConcern.objects.select_for_update().get(pk=concern.pk)
        written = []

        def write(kind, entry_text):
            written.append(
                ConcernAction.objects.create(
                    concern=concern, kind=kind, by=by, by_label=who, text=entry_text
                )
            )

        if not concern.is_open:
            if not reopen:
                if close:
                    raise StepRefused(_("This concern is already closed."))
                if text:
                    write(ConcernAction.Kind.ACTION, text)
                    return written
                raise StepRefused(_("Write what was done, or reopen the concern."))
            if not text:
                raise StepRefused(_("Say why the concern is being reopened."))
            concern.status, concern.closed_at = SafeguardingConcern.Status.OPEN, None
            concern.save(update_fields=["status", "closed_at"])
            write(ConcernAction.Kind.REOPENED, text)
            return written
        if close and not outcome:
            raise StepRefused(_("Write the outcome before closing the concern."))
        if refer and concern.referred_to_local_authority:
            refer = False
        if not (text or refer or close or (handler is not None and handler != concern.handler)):
            raise StepRefused(_("Nothing to record: write what was done, or choose a change."))
        if text:
            write(ConcernAction.Kind.ACTION, text)
        if handler is not None and handler.pk != concern.handler_id:
            if not may(handler, HANDLE):
                raise StepRefused(_("That person cannot handle safeguarding concerns."))
            concern.handler = handler
            write(ConcernAction.Kind.HANDLER, label(handler))
        if refer:
            concern.referred_to_local_authority = True
            concern.local_authority_reference = reference
            write(ConcernAction.Kind.REFERRED, reference)
        if close:
            concern.status = SafeguardingConcern.Status.CLOSED
            concern.outcome = outcome
            concern.closed_at = timezone.now()
            write(ConcernAction.Kind.CLOSED, outcome)
        concern.save(
            update_fields=[
                "handler",
                "referred_to_local_authority",
                "local_authority_reference",
                "status",
                "outcome",
                "closed_at",
            ]
        )
    return written


def open_concerns():
    return SafeguardingConcern.objects.filter(status=SafeguardingConcern.Status.OPEN).order_by(
        "raised_at"
    )


def _cell(value):
    """A spreadsheet cell that cannot start a formula."""
    value = "" if value is None else str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _when(value):
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def export_csv(concerns=None):
    """Every concern with its facts, current state and whole history, as CSV text."""
    concerns = (concerns if concerns is not None else SafeguardingConcern.objects.all()).order_by(
        "raised_at"
    )
    concerns = concerns.select_related("request", "volunteer", "handler", "raised_by")
    concerns = concerns.prefetch_related("actions")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Concern"),
            _("Raised at"),
            _("Raised by"),
            _("Help request"),
            _("Volunteer"),
            _("What happened"),
            _("Status"),
            _("Handled by"),
            _("Referred to the local authority"),
            _("Local authority's reference"),
            _("Outcome"),
            _("Closed at"),
            _("History"),
        ]
    )
    for concern in concerns:
        history = "\n".join(
            " — ".join(
                part
                for part in (
                    _when(action.at),
                    str(action.get_kind_display()),
                    action.by_label,
                    action.text,
                )
                if part
            )
            for action in concern.actions.all()
        )
        writer.writerow(
            [
                _cell(value)
                for value in (
                    concern.pk,
                    _when(concern.raised_at),
                    label(concern.raised_by) if concern.raised_by else "",
                    concern.request.reference if concern.request else "",
                    concern.volunteer.display_name if concern.volunteer else "",
                    concern.details,
                    concern.get_status_display(),
                    label(concern.handler) if concern.handler else "",
                    _("Yes") if concern.referred_to_local_authority else _("No"),
                    concern.local_authority_reference,
                    concern.outcome,
                    _when(concern.closed_at),
                    history,
                )
            ]
        )
    return out.getvalue()
