"""manage.py run_scheduler: enqueue each scheduled job's task on time (see core.scheduler)."""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core import scheduler
from core.services import redis_problem


class Command(BaseCommand):
    help = (
        "Run the scheduler: enqueue each job in the SCHEDULE setting on its cron schedule "
        "until stopped. Several may run at once; each run is enqueued once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Enqueue what is due now, then stop."
        )
        parser.add_argument(
            "--tick", type=float, default=1.0, help="Seconds between looks at the schedule."
        )

    def handle(self, *args, once=False, tick=1.0, **options):
        jobs = scheduler.jobs()
        if settings.TASKS_BACKEND == "redis" and (problem := redis_problem()):
            raise CommandError(f"{problem}: the scheduler cannot queue tasks.")
        if once:
            enqueued = scheduler.run_due()
            scheduler.beat()
            self.stdout.write(f"Enqueued: {', '.join(enqueued) or 'nothing due'}.")
            return
        for job in jobs:
            self.stdout.write(f"{job.name}: {job.cron} -> {job.task_path}")
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_args: stop.set())
        scheduler.run_forever(stop=stop, tick=tick)
