"""When each volunteer holds everything a type of task needs: `refresh` keeps it up to date.

A task type may need training modules and a DBS check of some level (with the adults'
barred list or not). A volunteer qualifies for a task from `starts_on` to `ends_on` when,
for each of those needs, one record (a training record, a DBS check) is valid for the whole
of it: completed or issued on or before `starts_on`, and expiring or due for recheck on or
after `ends_on`. Choosing one record per need gives a period (the latest start, the earliest
end); the rows of TaskEligibility are those periods, the ones inside another left out. So
"one of the volunteer's rows covers the task" is exactly the rule above, and matching
(`volunteers.matching.shortlist`) reads one indexed row per volunteer instead of probing
their training and checks. Task types that need nothing have no rows and are not filtered.

The rows follow the records: `refresh` runs whenever a training record or DBS check is
saved or deleted, a task type's needs change, or a training module is deleted (`connect`
wires those up); code that writes records in bulk (`bulk_create`, `update`) calls `refresh`
itself for the volunteers it touched.
"""

import datetime as dt
import itertools

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from .models import DBSCheck, TaskEligibility, TaskType, TrainingModule, TrainingRecord, Volunteer

# Volunteers recomputed per batch of queries when many are refreshed at once.
CHUNK = 2000


def _maximal(periods):
    """The periods not inside another one, each once."""
    periods = sorted(set(periods), key=lambda p: (p[0], -p[1].toordinal()))
    kept, latest = [], None
    for start, end in periods:
        # Sorted by start, then longest first: a period is inside an earlier kept one iff
        # it ends no later than the latest end kept so far.
        if latest is None or end > latest:
            kept.append((start, end))
            latest = end
    return kept


def periods(needs, records, checks):
    """The periods in which one record per need is valid.

    `needs` is (module ids, DBS level, barred list needed); `records` maps a module id to its
    (completed_on, expires_on) pairs; `checks` is a list of (level, barred_list, issued_on,
    recheck_due). Returns a list of (valid_from, valid_until).
    """
    module_ids, level, barred = needs
    choices = [records.get(module_id, []) for module_id in sorted(module_ids)]
    if level or barred:
        choices.append(
            [
                (issued, due)
                for check_level, check_barred, issued, due in checks
                if check_level >= level and (check_barred or not barred)
            ]
        )
    found = [(dt.date.min, dt.date.max)]
    for options in choices:
        options = _maximal(options)
        found = _maximal(
            (max(start, o_start), min(end, o_end))
            for (start, end), (o_start, o_end) in itertools.product(found, options)
            if max(start, o_start) <= min(end, o_end)
        )
        if not found:
            break
    return found


def refresh(volunteer_ids=None, task_type_ids=None):
    """Recompute the eligibility rows of these volunteers for these task types (None: all).

    The one place the rows are written: signals and bulk loaders both come here.
    """
    tasks = TaskType.objects.prefetch_related("required_training")
    if task_type_ids is not None:
        tasks = tasks.filter(pk__in=list(task_type_ids))
    needs = {
        task.pk: (
            frozenset(module.pk for module in task.required_training.all()),
            task.required_dbs,
            task.requires_barred_list,
        )
        for task in tasks
    }
    needs = {pk: need for pk, need in needs.items() if need[0] or need[1] or need[2]}
    with transaction.atomic():
        if volunteer_ids is None:
            stale = TaskEligibility.objects.all()
            chunks = _chunks(Volunteer.objects.order_by("pk").values_list("pk", flat=True))
        else:
            volunteer_ids = sorted(set(volunteer_ids))
            # Concurrent refreshes of the same volunteer take turns.
            locked = Volunteer.objects.select_for_update().filter(pk__in=volunteer_ids)
            volunteer_ids = list(locked.order_by("pk").values_list("pk", flat=True))
            stale = TaskEligibility.objects.filter(volunteer_id__in=volunteer_ids)
            chunks = _chunks(volunteer_ids)
        if task_type_ids is not None:
            stale = stale.filter(task_type_id__in=list(task_type_ids))
        stale.delete()
        if not needs:
            return
        modules = set().union(*(need[0] for need in needs.values()))
        for chunk in chunks:
            _write(chunk, needs, modules)


def _chunks(ids):
    ids = iter(ids)
    while chunk := list(itertools.islice(ids, CHUNK)):
        yield chunk


def _write(volunteer_ids, needs, modules):
    records, checks = {}, {}
    for volunteer_id, module_id, completed, expires in TrainingRecord.objects.filter(
        volunteer_id__in=volunteer_ids, module_id__in=modules
    ).values_list("volunteer_id", "module_id", "completed_on", "expires_on"):
        records.setdefault(volunteer_id, {}).setdefault(module_id, []).append((completed, expires))
    if any(need[1] or need[2] for need in needs.values()):
        for volunteer_id, *check in DBSCheck.objects.filter(
            volunteer_id__in=volunteer_ids
        ).values_list("volunteer_id", "level", "barred_list", "issued_on", "recheck_due"):
            checks.setdefault(volunteer_id, []).append(tuple(check))
    TaskEligibility.objects.bulk_create(
        (
            TaskEligibility(
                volunteer_id=volunteer_id, task_type_id=task_id, valid_from=start, valid_until=end
            )
            for volunteer_id in volunteer_ids
            if volunteer_id in records or volunteer_id in checks
            for task_id, need in needs.items()
            for start, end in periods(
                need, records.get(volunteer_id, {}), checks.get(volunteer_id, [])
            )
        ),
        batch_size=CHUNK,
    )


def _record_saving(sender, instance, raw=False, **kwargs):
    # A record moved to another volunteer (an admin correction) changes both volunteers.
    instance._volunteer_before = (
        None
        if raw or instance.pk is None
        else sender.objects.filter(pk=instance.pk).values_list("volunteer_id", flat=True).first()
    )


def _record_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        before = getattr(instance, "_volunteer_before", None)
        refresh({instance.volunteer_id, before} - {None})


def _record_deleted(sender, instance, origin=None, **kwargs):
    # When a volunteer (or their account) is deleted, their records go with them and so do
    # their rows: nothing to recompute, and a refresh would write rows for a departing
    # volunteer.
    from django.contrib.auth import get_user_model

    origin_model = getattr(origin, "model", type(origin))
    if origin_model not in (Volunteer, get_user_model()):
        refresh([instance.volunteer_id])


def _needs_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:
        # A module's task types changed; after a clear pk_set is None.
        refresh(task_type_ids=pk_set) if pk_set is not None else refresh()
    else:
        refresh(task_type_ids=[instance.pk])


def _task_type_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh(task_type_ids=[instance.pk])


def _module_deleted(sender, instance, **kwargs):
    # The task types that needed it lost that need without an m2m signal.
    refresh()


def connect():
    """Keep the rows in step with every save and delete made through the ORM."""
    for model in (TrainingRecord, DBSCheck):
        pre_save.connect(_record_saving, sender=model, dispatch_uid=f"eligibility-{model}")
        post_save.connect(_record_saved, sender=model, dispatch_uid=f"eligibility-{model}")
        post_delete.connect(_record_deleted, sender=model, dispatch_uid=f"eligibility-{model}")
    post_save.connect(_task_type_saved, sender=TaskType, dispatch_uid="eligibility-task")
    m2m_changed.connect(
        _needs_changed, sender=TaskType.required_training.through, dispatch_uid="eligibility-needs"
    )
    post_delete.connect(_module_deleted, sender=TrainingModule, dispatch_uid="eligibility-module")
