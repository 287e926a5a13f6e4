"""Housekeeping tasks of the site shell, run on the schedule (see core.scheduler)."""

import datetime as dt

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task, task_backends
from django_tasks_db import DatabaseBackend

from core.models import ScheduledRun


@task()
def prune_task_results():
    """Delete finished task results and scheduler records past their keeping time.

    Results on the database queue are kept TASKS_RESULT_RETENTION_DAYS; RQ expires its own.
    """
    days = settings.TASKS_RESULT_RETENTION_DAYS
    if isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        call_command("prune_db_task_results", queue_name="*", min_age_days=days, verbosity=0)
    cutoff = timezone.now() - dt.timedelta(days=max(days, 31))
    deleted, _by_model = ScheduledRun.objects.filter(due_at__lt=cutoff).delete()
    return deleted
