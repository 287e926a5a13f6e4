"""Timed work: each job in the SCHEDULE setting is a task, enqueued on its cron schedule.

`manage.py run_scheduler` runs `run_forever()`; `make run` starts one beside the web server
and the task worker. The scheduler only enqueues: the worker (`db_worker`, or `rqworker` on
Redis) does the work, so a slow job never holds up the others.

Several schedulers may run at once (one per server, say). Each run of a job is claimed by
inserting a ScheduledRun row whose (job, due_at) pair is unique, in the same transaction as
the enqueue on the database queue: whichever scheduler inserts it enqueues the task, the
others' inserts fail and they move on. So every run is enqueued once.

A run missed while no scheduler was running (the server was down at 02:30) is made up once,
when a scheduler next starts: the latest due run of each job is claimed if nobody has. The
first time a job is seen at all (a new deployment, a job added), its latest due run is
recorded without running, so a fresh site does not send a week's emails on first start.
"""

import datetime as dt
import logging
import os
import socket
import threading
from dataclasses import dataclass

from croniter import croniter
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from core.models import ScheduledRun, SchedulerBeat
from core.services import outage

logger = logging.getLogger(__name__)

OFF = "off"


@dataclass(frozen=True)
class Job:
    """A named task and the cron expression it runs on (five fields, or six with seconds)."""

    name: str
    task_path: str
    cron: str

    @property
    def task(self):
        return import_string(self.task_path)

    def due_at(self, now):
        """The latest time at or before `now` that this job was due, in local time."""
        local = timezone.localtime(now).replace(microsecond=0)
        iterator = croniter(self.cron, local + dt.timedelta(seconds=1))
        return iterator.get_prev(dt.datetime)


def jobs():
    """The scheduled jobs, from the SCHEDULE setting; a job whose cron is "off" is left out."""
    found = []
    for name, spec in settings.SCHEDULE.items():
        cron = spec["cron"].strip()
        if cron.lower() == OFF:
            continue
        if not croniter.is_valid(cron):
            raise ImproperlyConfigured(
                f"SCHEDULE_{name.upper()}: {cron!r} is not a cron expression "
                "(five fields, e.g. '30 2 * * *', or 'off')."
            )
        found.append(Job(name=name, task_path=spec["task"], cron=cron))
    return found


def claim(job, due_at):
    """Claim one run of a job and enqueue its task; False if another scheduler has it."""
    seen_before = ScheduledRun.objects.filter(job=job.name).exists()
    try:
        with transaction.atomic():
            run = ScheduledRun.objects.create(job=job.name, due_at=due_at)
            if not seen_before:
                logger.info("Scheduled job %s: first seen; runs from its next time", job.name)
                return False
            result = job.task.enqueue()
            run.task_result_id = str(result.id)
            run.save(update_fields=["task_result_id"])
    except IntegrityError:
        return False
    logger.info("Scheduled job %s due at %s enqueued", job.name, due_at.isoformat())
    return True


def run_due(now=None, last_seen=None):
    """Claim every job run that is due and not yet claimed; the names of those enqueued.

    `last_seen` (job name -> due time already handled by this process) spares the database
    a query per job per tick.
    """
    now = now or timezone.now()
    last_seen = {} if last_seen is None else last_seen
    enqueued = []
    for job in jobs():
        due_at = job.due_at(now)
        if last_seen.get(job.name) == due_at:
            continue
        if not ScheduledRun.objects.filter(job=job.name, due_at=due_at).exists() and claim(
            job, due_at
        ):
            enqueued.append(job.name)
        last_seen[job.name] = due_at
    return enqueued


def beat(now=None, name="scheduler"):
    """Record that a scheduler is alive (read by the health check)."""
    SchedulerBeat.objects.update_or_create(name=name, defaults={"beat_at": now or timezone.now()})


def last_beat():
    """When any scheduler last looked at the schedule, or None if none ever has."""
    return SchedulerBeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()


def process_name():
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


def run_forever(stop=None, tick=1.0):
    """Look at the schedule every `tick` seconds until `stop` (a threading.Event) is set."""
    from django.db import close_old_connections

    stop = stop or threading.Event()
    last_seen = {}
    last_beat_at = None
    beat_every = dt.timedelta(seconds=settings.SCHEDULER_BEAT_SECONDS)
    logger.info("Scheduler started with %d job(s)", len(jobs()))
    while not stop.is_set():
        close_old_connections()
        now = timezone.now()
        try:
            run_due(now, last_seen)
            if last_beat_at is None or now - last_beat_at >= beat_every:
                beat(now)
                last_beat_at = now
        except Exception as error:
            # A database or queue outage: say so in a line and try again on the next tick.
            logger.error("Scheduler: %s; trying again", outage(error))
            last_seen.clear()
        stop.wait(tick)
    logger.info("Scheduler stopped")
