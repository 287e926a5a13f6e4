"""Scale out: tasks on the database or on Redis, run by real worker processes; settings for
several processes (Redis cache and sessions, object storage for uploads)."""

import os
import subprocess
import sys
import time

import pytest

from tests.processes import ROOT, SECRET, TEST_REDIS_URL, require_redis, wait_for
from tests.volunteers.factories import VolunteerFactory

ENQUEUE = (
    "from volunteers.notifications import send_verification_email as task\n"
    "for pk in {pks!r}: task.enqueue(pk, f'https://x.test/verify/{{pk}}')\n"
)
WORKERS = {
    "database": ["db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay"],
    "redis": ["rqworker", "--job-class", "django_tasks_rq.Job", "default"],
}


def waiting(backend, alias):
    if backend == "database":
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.using(alias).filter(status="READY").count()
    return require_redis().llen("rq:queue:default")


@pytest.mark.xdist_group("processes")
@pytest.mark.parametrize("backend", ["database", "redis"])
def test_queued_emails_wait_for_a_stopped_worker_and_are_sent_once(
    shared_database, processes, backend
):
    env = {"DATABASE_URL": shared_database.url, "TASKS_BACKEND": backend}
    if backend == "redis":
        require_redis().flushdb()  # database 3 is these tests' own
        env["REDIS_URL"] = TEST_REDIS_URL
    first, *others = [VolunteerFactory() for _ in range(4)]
    shared_database.publish()

    worker = processes.start(*WORKERS[backend], **env)
    enqueued = processes.run("shell", "-c", ENQUEUE.format(pks=[first.pk]), **env)
    assert enqueued.returncode == 0, enqueued.stderr
    wait_for(lambda: len(processes.mails()) == 1, what="the worker to send the first email")
    processes.stop(worker)

    # With no worker running, what is queued waits.
    pks = [volunteer.pk for volunteer in others]
    enqueued = processes.run("shell", "-c", ENQUEUE.format(pks=pks), **env)
    assert enqueued.returncode == 0, enqueued.stderr
    assert waiting(backend, shared_database.alias) == 3
    assert len(processes.mails()) == 1

    # Two workers start again; each email goes once.
    workers = [processes.start(*WORKERS[backend], **env) for _ in range(2)]
    wait_for(lambda: waiting(backend, shared_database.alias) == 0, what="the queue to empty")
    for each in workers:
        processes.stop(each)
    mails = processes.mails()
    assert len(mails) == 4, mails
    for volunteer in others:
        assert sum(f"/verify/{volunteer.pk}\n" in mail for mail in mails) == 1


def test_an_idle_redis_worker_stops_within_seconds():
    """A stopping rqworker ends the thread listening on its Redis channel: whenever the stop
    comes (here after the thread has seen its channel unsubscribed, as a SIGTERM can
    arrange), the worker is gone in seconds, not after the thread's minute-long wait."""
    from django_rq.workers import get_worker_class

    worker = get_worker_class()(["default"], connection=require_redis())
    worker.subscribe()
    try:
        worker.pubsub.unsubscribe()
        wait_for(lambda: not worker.pubsub.subscribed, timeout=10, every=0.05, what="unsubscribe")
        started = time.monotonic()
        worker.unsubscribe()
        assert time.monotonic() - started < 5
        assert not worker.pubsub_thread.is_alive()
    finally:
        worker.pubsub_thread.stop(timeout=0)


def settings_in_subprocess(code, command="shell", **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "REDIS_", "TASKS_", "MEDIA_", "AWS_"))
        and key not in {"SECRET_KEY", "DATABASE_URL"}
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings.base", SECRET_KEY=SECRET)
    return subprocess.run(
        [sys.executable, "manage.py", command, *(["-c", code] if code else [])],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_redis_url_shares_cache_sessions_and_tasks_between_processes():
    result = settings_in_subprocess(
        "from django.conf import settings as s; c = s.CACHES['default']; "
        "print(c['BACKEND'], c['OPTIONS']['IGNORE_EXCEPTIONS'], s.SESSION_ENGINE, "
        "s.TASKS['default']['BACKEND'], s.RQ_QUEUES['default']['URL'])",
        REDIS_URL="redis://127.0.0.1:6379/5",
        TASKS_BACKEND="redis",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-5:] == [
        "django_redis.cache.RedisCache",
        "True",
        "django.contrib.sessions.backends.cached_db",
        "django_tasks_rq.RQBackend",
        "redis://127.0.0.1:6379/5",
    ]


def test_without_redis_everything_stays_in_one_process():
    result = settings_in_subprocess(
        "from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.SESSION_ENGINE, s.STORAGES['default']['BACKEND'])"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.contrib.sessions.backends.db",
        "django.core.files.storage.FileSystemStorage",
    ]


def test_media_storage_s3_puts_uploads_on_object_storage():
    result = settings_in_subprocess(
        "from django.core.files.storage import storages; d = storages['default']; "
        "print(type(d).__name__, d.bucket_name, d.endpoint_url, d.location, d.file_overwrite)",
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="ccn-media",
        AWS_S3_ENDPOINT_URL="https://objects.example.org",
        AWS_LOCATION="media",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-5:] == [
        "S3Storage",
        "ccn-media",
        "https://objects.example.org",
        "media",
        "False",
    ]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TASKS_BACKEND": "redis"}, "TASKS_BACKEND=redis needs REDIS_URL"),
        ({"TASKS_BACKEND": "celery"}, "TASKS_BACKEND must be one of"),
        ({"MEDIA_STORAGE": "s3"}, "MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME"),
    ],
)
def test_a_wrong_setting_is_one_line_naming_it(env, message):
    result = settings_in_subprocess(None, command="check", **env)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        line for line in result.stderr.strip().splitlines() if line.startswith("Configuration")
    ]
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert message in result.stderr
