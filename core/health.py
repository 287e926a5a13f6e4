"""What /healthz checks, for operators and load balancers (django-health-check 4).

Each check raises with a short message that says what is wrong and never carries a URL,
a password or the text of a connection error: only the name of the setting to look at.
"""

import dataclasses
import datetime as dt
import logging

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from core.scheduler import last_beat

logger = logging.getLogger(__name__)


def _age(moment, now=None):
    return int(((now or timezone.now()) - moment).total_seconds())


def closing_connections(run):
    """Checks run in a pool's threads: close what they opened, as a request would."""

    def wrapper(self):
        try:
            return run(self)
        finally:
            connections.close_all()

    return wrapper


@dataclasses.dataclass
class Cache(HealthCheck):
    """The cache stores and returns a value; on Redis, the server answers first."""

    timeout = dt.timedelta(seconds=3)

    def run(self):
        cache = caches["default"]
        client = getattr(cache, "client", None)
        if client is not None and hasattr(client, "get_client"):
            # django-redis hides connection errors from pages (IGNORE_EXCEPTIONS); ask the
            # server directly so that the reason shows here.
            try:
                client.get_client(write=True).ping()
            except Exception as error:
                logger.warning("Cache health check: %s", type(error).__name__)
                raise ServiceUnavailable(
                    f"Redis (REDIS_URL) does not answer: {type(error).__name__}; "
                    "pages are served without the cache"
                ) from None
        key = f"healthz:{timezone.now().timestamp()}"
        cache.set(key, "ok", 10)
        if cache.get(key) != "ok":
            raise ServiceUnavailable("the cache does not return what was stored")
        cache.delete(key)


@dataclasses.dataclass
class TaskQueue(HealthCheck):
    """The oldest task waiting to run has not waited past HEALTH_TASK_MAX_WAIT_SECONDS."""

    timeout = dt.timedelta(seconds=3)

    def oldest_waiting(self):
        """When the oldest task still waiting was enqueued, or None if none is waiting."""
        from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

        backend = type(task_backends[DEFAULT_TASK_BACKEND_ALIAS]).__module__
        if backend.startswith("django_tasks_db"):
            from django_tasks_db.models import DBTaskResult

            return (
                DBTaskResult.objects.ready()
                .order_by("enqueued_at")
                .values_list("enqueued_at", flat=True)
                .first()
            )
        if backend.startswith("django_tasks_rq"):
            import django_rq

            queue = django_rq.get_queue("default")
            try:
                job_ids = queue.get_job_ids(0, 1)
                job = queue.fetch_job(job_ids[0]) if job_ids else None
            except Exception as error:
                raise ServiceUnavailable(
                    f"the task queue on Redis (REDIS_URL) does not answer: {type(error).__name__}"
                ) from None
            if job is None or job.enqueued_at is None:
                return None
            return job.enqueued_at.replace(tzinfo=dt.UTC)
        return None  # the immediate backend keeps nothing waiting

    @closing_connections
    def run(self):
        oldest = self.oldest_waiting()
        limit = settings.HEALTH_TASK_MAX_WAIT_SECONDS
        if oldest is not None and _age(oldest) > limit:
            raise ServiceUnavailable(
                f"the oldest waiting task has waited {_age(oldest)} s (limit {limit} s): "
                "is a task worker running?"
            )


@dataclasses.dataclass
class Scheduler(HealthCheck):
    """A scheduler has looked at the schedule within HEALTH_SCHEDULER_MAX_AGE_SECONDS."""

    timeout = dt.timedelta(seconds=3)

    @closing_connections
    def run(self):
        beat = last_beat()
        limit = settings.HEALTH_SCHEDULER_MAX_AGE_SECONDS
        if beat is None:
            raise ServiceUnavailable("no scheduler has run: start manage.py run_scheduler")
        if _age(beat) > limit:
            raise ServiceUnavailable(
                f"the scheduler was last seen {_age(beat)} s ago (limit {limit} s): "
                "is manage.py run_scheduler running?"
            )


class HealthView(HealthCheckView):
    """django-health-check's view, answering 503 (not 500) when a check fails."""

    checks = (
        "health_check.checks.Database",
        "core.health.Cache",
        "core.health.TaskQueue",
        "core.health.Scheduler",
        "directory.health.SearchEngine",
    )

    async def get(self, request, *args, **kwargs):
        response = await super().get(request, *args, **kwargs)
        if response.status_code == 500:
            response.status_code = 503
        return response
