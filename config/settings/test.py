"""Test runs: fast hashing, plain static files, mail kept in memory, tasks run at once."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Rate-limit counts in the database, as on a site without Redis: shared between processes.
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": RATE_LIMIT_CACHE_TABLE,  # noqa: F405
    },
}
# Pages and the site shell are not cached in tests, which count queries and change content
# between requests; tests of the caches turn them on (tests/core/test_page_cache.py).
PAGE_CACHE_SECONDS = 0
SITE_CACHE_SECONDS = 0
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Static files come from the finders here; WhiteNoise serves the collected files in production.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise.")]  # noqa: F405
# The database engine unless a test asks for another; a real cluster named by ELASTICSEARCH_URL
# is used only by the directory search contract suite.
DIRECTORY_SEARCH_ENGINE = "database"
DIRECTORY_ELASTICSEARCH_SYNC = False
# On PostgreSQL a commit does not wait for the server's log to reach the disk: a test database
# need not outlive a crash of the server, and tests commit thousands of times (the demo, every
# transactional test). Any other option given by the environment is kept.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    _options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    _options["options"] = f"{_options.get('options', '')} -c synchronous_commit=off".strip()
# A test that starts a second process points that process's rate-limit counts at Redis.
if os.environ.get("TEST_RATE_LIMIT_REDIS"):
    CACHES["ratelimit"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["TEST_RATE_LIMIT_REDIS"],
        "KEY_PREFIX": os.environ["TEST_RATE_LIMIT_PREFIX"],
    }
