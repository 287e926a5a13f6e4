"""The hourly limit of shared stories counts across web server processes."""

import os
import socket
import subprocess
import sys
import uuid

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory

from stories import submission
from stories.models import StoryPage
from tests.stories.test_submission import share_url, valid_data

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/2")


def from_address(ip):
    return RequestFactory().post("/", REMOTE_ADDR=ip)


def test_the_count_is_kept_in_a_store_every_process_shares(story_index, client, settings):
    """Without Redis, the counts are rows in a database table, which every process reads."""
    settings.STORIES_SUBMISSIONS_PER_HOUR = 2
    for n in range(2):
        assert client.post(share_url(story_index), valid_data(title=f"S{n}")).status_code == 302
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM core_rate_limit_cache")
        assert cursor.fetchone()[0] >= 1
    # A new client of the store, as another process would open, with nothing in memory.
    fresh = caches.create_connection("ratelimit")
    assert fresh is not caches["ratelimit"]
    caches["ratelimit"] = fresh
    caches["default"].clear()
    response = client.post(share_url(story_index), valid_data(title="One too many"))
    assert response.status_code == 429
    assert StoryPage.objects.count() == 2


def _redis_reachable():
    host, port = REDIS_URL.split("//", 1)[1].split("/", 1)[0].split(":")
    try:
        socket.create_connection((host, int(port)), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture
def redis_rate_limits(settings):
    if not _redis_reachable():
        message = f"Redis is not reachable at {REDIS_URL} (TEST_REDIS_URL)."
        if os.environ.get("CI"):
            pytest.fail(message + " CI must run this test against a real Redis.")
        pytest.skip(message)
    prefix = f"ccn-test-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        },
    }
    yield prefix
    caches["ratelimit"].clear()


def test_stories_from_another_process_count_against_the_limit(
    story_index, client, settings, redis_rate_limits
):
    """Another web server process (a real one, with its own Redis client) accepted two
    stories from this address; this process must then refuse the third."""
    settings.STORIES_SUBMISSIONS_PER_HOUR = 2
    ip = "198.51.100.23"
    code = (
        "import django; django.setup()\n"
        "from django.test import RequestFactory\n"
        "from stories import submission\n"
        "for _ in range(2):\n"
        f"    submission.record_submission(RequestFactory().post('/', REMOTE_ADDR='{ip}'))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "TEST_RATE_LIMIT_REDIS": REDIS_URL,
        "TEST_RATE_LIMIT_PREFIX": redis_rate_limits,
        "STORIES_SUBMISSIONS_PER_HOUR": "2",
    }
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=django_settings.BASE_DIR)
    assert submission.over_rate_limit(from_address(ip))
    assert not submission.over_rate_limit(from_address("198.51.100.24"))
    response = client.post(share_url(story_index), valid_data(), REMOTE_ADDR=ip)
    assert response.status_code == 429
    assert not StoryPage.objects.exists()
