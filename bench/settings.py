"""Benchmark runs: the test settings on a database of their own (BENCH_DATABASE_URL)."""

import os

import dj_database_url

from config.settings.test import *  # noqa: F403
from config.settings.test import BASE_DIR, POSTGRES_OPTIONS, SQLITE_OPTIONS

# The corpus is built once and reused, so it lives in its own file, never in var/db.sqlite3.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get(
            "BENCH_DATABASE_URL", f"sqlite:///{BASE_DIR / 'bench' / 'data' / 'bench.sqlite3'}"
        ),
        conn_max_age=None,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # As the site runs on its embedded default (WAL, synchronous=NORMAL).
    DATABASES["default"]["OPTIONS"] = dict(SQLITE_OPTIONS)
else:  # as the site runs on PostgreSQL (work_mem)
    DATABASES["default"]["OPTIONS"] = dict(POSTGRES_OPTIONS)
DIRECTORY_SEARCH_ENGINE = "database"
DIRECTORY_ELASTICSEARCH_SYNC = False
