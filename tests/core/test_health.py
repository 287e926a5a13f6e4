"""/healthz: database, cache, task queue, scheduler and search; a failure answers 503, names
the check, and gives no secret away."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from core import scheduler
from core.models import SchedulerBeat
from tests.core.test_queues import settings_in_subprocess

# The checks run in threads, with their own database connections: the data must be committed.
committed = pytest.mark.django_db(transaction=True)

CLOSED = "127.0.0.1:6390"  # nothing listens here
SECRET_WORD = "s3cretPassw0rd"


@pytest.fixture
def queued_on_database(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def health(client):
    response = client.get("/healthz?format=json")
    return response.status_code, json.loads(response.content)


def failing(body):
    return {name: message for name, message in body.items() if message != "OK"}


@committed
def test_healthy_site_answers_200_with_every_check(client, queued_on_database):
    scheduler.beat()
    status, body = health(client)
    assert status == 200, body
    names = {name.split("(")[0] for name in body}
    assert names == {"Database", "Cache", "TaskQueue", "Scheduler", "SearchEngine"}


@committed
def test_a_scheduler_that_stopped_fails_the_scheduler_check(client, queued_on_database, settings):
    settings.HEALTH_SCHEDULER_MAX_AGE_SECONDS = 60
    SchedulerBeat.objects.create(name="scheduler", beat_at=timezone.now() - dt.timedelta(hours=1))
    status, body = health(client)
    assert status == 503
    assert list(failing(body)) == ["Scheduler()"]
    assert "last seen 3600 s ago" in body["Scheduler()"] or "last seen 360" in body["Scheduler()"]


@committed
def test_no_scheduler_ever_fails_the_scheduler_check(client, queued_on_database):
    status, body = health(client)
    assert status == 503
    assert "no scheduler has run" in failing(body)["Scheduler()"]


@committed
def test_a_task_waiting_too_long_fails_the_queue_check(client, queued_on_database, settings):
    from django_tasks_db.models import DBTaskResult

    from volunteers.notifications import send_expiry_warnings

    scheduler.beat()
    settings.HEALTH_TASK_MAX_WAIT_SECONDS = 300
    result = send_expiry_warnings.enqueue()
    status, _body = health(client)
    assert status == 200  # just queued
    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - dt.timedelta(minutes=20)
    )
    status, body = health(client)
    assert status == 503
    assert list(failing(body)) == ["TaskQueue()"]
    assert "waited 1200 s" in body["TaskQueue()"]


@committed
def test_with_redis_down_pages_serve_and_health_says_why_without_secrets(
    client, home, settings, queued_on_database
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://:{SECRET_WORD}@{CLOSED}/3",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1},
        }
    }
    scheduler.beat()
    assert client.get("/en/").status_code == 200
    for fmt in ["json", "text", "html"]:
        response = client.get(f"/healthz?format={fmt}" if fmt != "html" else "/healthz")
        assert response.status_code == 503
        text = response.content.decode()
        assert "Cache" in text and "REDIS_URL" in text
        assert SECRET_WORD not in text and "redis://" not in text and "6390" not in text
    _status, body = health(client)
    assert list(failing(body)) == ["Cache()"]


@committed
def test_elasticsearch_down_fails_the_search_check_without_secrets(
    client, settings, queued_on_database
):
    settings.DIRECTORY_SEARCH_ENGINE = "elasticsearch"
    settings.ELASTICSEARCH_URL = f"http://elastic:{SECRET_WORD}@127.0.0.1:9299"
    scheduler.beat()
    status, body = health(client)
    assert status == 503
    assert list(failing(body)) == ["SearchEngine()"]
    assert "ELASTICSEARCH_URL" in body["SearchEngine()"]
    assert SECRET_WORD not in json.dumps(body) and "9299" not in json.dumps(body)


def test_redis_and_elasticsearch_down_at_start_are_one_line_each_naming_the_setting():
    result = settings_in_subprocess(
        None,
        command="check",
        REDIS_URL=f"redis://:{SECRET_WORD}@{CLOSED}/3",
        ELASTICSEARCH_URL=f"http://elastic:{SECRET_WORD}@127.0.0.1:9299",
    )
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert SECRET_WORD not in output
    lines = [line for line in output.splitlines() if "does not answer" in line]
    assert len(lines) == 2, output
    assert lines[0].startswith("?: (core.W010) REDIS_URL: Redis at 127.0.0.1:6390")
    assert lines[1].startswith("?: (core.W011) ELASTICSEARCH_URL: Elasticsearch at")


@committed
def test_the_check_answers_with_a_trailing_slash_too(client, queued_on_database):
    """Load balancers and uptime monitors are often given `/healthz/`: it is the same check,
    not a redirect to /en/healthz/ and the public site's 'page not found'."""
    scheduler.beat()
    response = client.get("/healthz/?format=json")
    assert response.status_code == 200, response.headers.get("Location")
    without_slash = client.get("/healthz?format=json")
    assert set(json.loads(response.content)) == set(json.loads(without_slash.content))
