"""A volunteer's standing: who may accept a help request and see the person's details.

The rule, in one place: an approved volunteer who is active (not an applicant, paused or
gone), has verified their email, has agreed to the current volunteering terms, and holds
every training module and the DBS check that the type of task needs, each valid from the
day the task starts to the day it ends. Matching offers requests only to such volunteers
(`volunteers.matching`), `offers.accept` lets only such a volunteer accept, and
`contact.reveal_contact` shows details only to such a volunteer. So a volunteer whose
standing changes after an offer (paused, left, new terms not yet agreed, training expired)
can neither accept it nor see anything, whatever they saw before.

A volunteer's states, what each allows, and what approving someone needs are here too
(`STATES`, `approval_steps`, `approve`): approving a ready applicant makes them active, and
so matchable, at once; approving one who is not ready names the step still missing.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import notifications
from .models import DBSCheck, TaskType, TermsConsent, TermsVersion, TrainingRecord, Volunteer


def task_dates(help_request):
    """The local dates a request starts and ends on."""
    return (
        timezone.localtime(help_request.starts_at).date(),
        timezone.localtime(help_request.ends_at).date(),
    )


def active():
    """Approved and active, with a verified email address."""
    return [Q(status=Volunteer.Status.ACTIVE, email_verified_at__isnull=False)]


def agreed_terms(at):
    """Agreed to the terms version in force at `at` (a datetime or an expression)."""
    current = TermsVersion.objects.filter(published_at__lte=at).order_by("-published_at")
    return Exists(
        TermsConsent.objects.filter(
            volunteer=OuterRef("pk"), terms=Subquery(current.values("pk")[:1])
        )
    )


def trained_and_checked(task_type, starts_on, ends_on):
    """Agreed to the current terms; training and DBS check valid for the whole task."""
    conditions = [agreed_terms(timezone.now())]
    for module_id in task_type.required_training.values_list("pk", flat=True):
        conditions.append(
            Exists(
                TrainingRecord.objects.filter(
                    volunteer=OuterRef("pk"),
                    module_id=module_id,
                    completed_on__lte=starts_on,
                    expires_on__gte=ends_on,
                )
            )
        )
    if task_type.required_dbs or task_type.requires_barred_list:
        checks = DBSCheck.objects.filter(
            volunteer=OuterRef("pk"),
            level__gte=task_type.required_dbs,
            issued_on__lte=starts_on,
            recheck_due__gte=ends_on,
        )
        if task_type.requires_barred_list:
            checks = checks.filter(barred_list=True)
        conditions.append(Exists(checks))
    return conditions


def qualified(task_type, starts_on, ends_on):
    """Volunteers in good standing for a type of task between two dates."""
    return Volunteer.objects.filter(*active(), *trained_and_checked(task_type, starts_on, ends_on))


def problem(volunteer, help_request):
    """None if this volunteer may take this request, else (code, message) saying why not.

    The decision is the one query of `qualified`; the code and message only explain it.
    """
    starts_on, ends_on = task_dates(help_request)
    if qualified(help_request.task_type, starts_on, ends_on).filter(pk=volunteer.pk).exists():
        return None
    volunteer = Volunteer.objects.get(pk=volunteer.pk)
    if volunteer.status != Volunteer.Status.ACTIVE or volunteer.email_verified_at is None:
        return "standing", _(
            "Your volunteering is not active at the moment, so you cannot take on requests. "
            "Please talk to a coordinator."
        )
    if not volunteer.has_current_consent():
        return "terms", _("Please agree to the current volunteering terms first.")
    return "not_qualified", _(
        "Your training or checks do not cover this task on its dates. Please talk to a coordinator."
    )


# What each state allows, said plainly on the volunteer's page in the admin.
STATES = [
    (
        Volunteer.Status.APPLICANT,
        _("Signed up. Offered no requests until a coordinator approves them."),
    ),
    (
        Volunteer.Status.ACTIVE,
        _(
            "Approved. Offered requests near them, when they are free, for the types of help "
            "their training and checks cover."
        ),
    ),
    (
        Volunteer.Status.PAUSED,
        _("Taking a break. Offered nothing and sees nobody's details until made active again."),
    ),
    (
        Volunteer.Status.LEFT,
        _("No longer volunteering. Offered nothing and sees nobody's details."),
    ),
]


@dataclass(frozen=True)
class Step:
    """One thing an approval needs, whether it is done, and what it says."""

    key: str
    label: str
    done: bool
    detail: str = ""


def qualified_task_types(volunteer, on=None):
    """The types of task this volunteer's training and DBS records cover on a day."""
    on = on or timezone.localdate()
    return [
        task_type
        for task_type in TaskType.objects.prefetch_related("required_training")
        if Volunteer.objects.filter(*trained_and_checked(task_type, on, on))
        .filter(pk=volunteer.pk)
        .exists()
    ]


def approval_steps(volunteer):
    """Everything an approval needs, in the order a coordinator would check it."""
    covered = qualified_task_types(volunteer)
    any_types = TaskType.objects.exists()
    return [
        Step(
            "email",
            _("Email address verified"),
            volunteer.email_verified_at is not None,
            "" if volunteer.email_verified_at else _("Ask them to open the link in their email."),
        ),
        Step(
            "terms",
            _("Current volunteering terms agreed"),
            volunteer.has_current_consent(),
            ""
            if volunteer.has_current_consent()
            else _("They agree to the terms when they next sign in."),
        ),
        Step(
            "availability",
            _("Times they are free given"),
            volunteer.availability.exists(),
            ""
            if volunteer.availability.exists()
            else _("Ask them when in the week they are usually free."),
        ),
        Step(
            "records",
            _("Training and DBS records cover at least one type of help"),
            bool(covered) or not any_types,
            ", ".join(str(task_type) for task_type in covered)
            if covered
            else _("Add their training records and DBS check."),
        ),
    ]


def missing_steps(volunteer):
    return [step for step in approval_steps(volunteer) if not step.done]


def matchable(volunteer):
    """Whether matching can offer this volunteer anything at all today."""
    return volunteer.status == Volunteer.Status.ACTIVE and not missing_steps(volunteer)


def approve(volunteer, by):
    """Approve a ready volunteer: active, and so matchable, from now. Returns the steps still
    missing (nothing changes then), or an empty list once approved."""
    missing = missing_steps(volunteer)
    if missing:
        return missing
    was = volunteer.status
    volunteer.status = Volunteer.Status.ACTIVE
    if volunteer.approved_at is None:
        volunteer.approved_at, volunteer.approved_by = timezone.now(), by
    volunteer.save(update_fields=["status", "approved_at", "approved_by"])
    if was == Volunteer.Status.APPLICANT:
        notifications.send_approved_email.enqueue(volunteer.pk)
    return []
