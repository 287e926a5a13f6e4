"""Real processes for tests: the scheduler and the task workers, run as `manage.py` commands
against a database the test shares with them, on base settings and the environment."""

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import redis

ROOT = Path(__file__).resolve().parents[1]
# Redis database 3, so tests leave other databases on the same server alone.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/3")
SECRET = "process-test-secret-" + "x" * 40


def wait_for(condition, timeout=60.0, every=0.2, what="condition"):
    """Poll `condition` until it is true; fail after `timeout` seconds (generous: a process
    starting Django on a busy two-core machine can take tens of seconds)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"Timed out after {timeout:g} s waiting for {what}")


def require_redis(url=TEST_REDIS_URL):
    """A Redis client for `url`; in CI an unreachable Redis fails the test, elsewhere skips."""
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        message = f"Redis is not reachable at {url} ({type(error).__name__})"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message}: CI needs a Redis server for these tests.")
        pytest.skip(f"{message}; these tests need a Redis server.")
    return client


@dataclass
class SharedDatabase:
    """A database the test and the processes it starts both use.

    On PostgreSQL it is the test database itself. On SQLite the test database lives in
    memory, where no other process can reach it, so `publish()` copies it to a file and
    `alias` names a connection to that file for reading what the processes did.
    """

    url: str
    alias: str
    _source: object = None
    _path: Path | None = None

    def publish(self):
        if self._path is None:
            return
        import sqlite3

        self._source.ensure_connection()
        target = sqlite3.connect(self._path)
        with target:
            self._source.connection.backup(target)
        target.close()


@pytest.fixture
def shared_database(transactional_db, tmp_path):
    from django.db import connections

    connection = connections["default"]
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = quote(settings_dict["USER"] or "")
        if settings_dict["PASSWORD"]:
            auth += ":" + quote(settings_dict["PASSWORD"])
        url = (
            f"postgres://{auth}@{settings_dict['HOST'] or '127.0.0.1'}:"
            f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
        )
        yield SharedDatabase(url=url, alias="default")
        return
    path = tmp_path / "shared.sqlite3"
    # A connection made here rather than declared in settings, so the test may use it.
    reader = connections["default"].__class__({**settings_dict, "NAME": str(path)}, alias="shared")
    connections["shared"] = reader
    yield SharedDatabase(url=f"sqlite:///{path}", alias="shared", _source=connection, _path=path)
    reader.close()
    delattr(connections._connections, "shared")


class Processes:
    """Starts `manage.py` commands on base settings; stops them all at the end."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir()
        self.running = []

    def environment(self, **env):
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "SCHEDULE_", "REDIS_", "TASKS_", "EMAIL_"))
            and key not in {"DATABASE_URL", "SECRET_KEY", "ELASTICSEARCH_URL"}
        }
        environment.update(
            DJANGO_SETTINGS_MODULE="config.settings.base",
            SECRET_KEY=SECRET,
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(self.mail_dir),
            PYTHONUNBUFFERED="1",
        )
        environment.update(env)
        return environment

    def start(self, *args, **env):
        name = f"{args[0]}-{len(self.running)}"
        log = open(self.tmp_path / f"{name}.log", "w")  # noqa: SIM115 - closed in stop()
        process = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.environment(**env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        process.log = log
        process.log_path = self.tmp_path / f"{name}.log"
        self.running.append(process)
        return process

    def run(self, *args, timeout=60, **env):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.environment(**env),
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def stop(self, process):
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        process.log.close()
        if process in self.running:
            self.running.remove(process)

    def output(self, process):
        process.log.flush()
        return process.log_path.read_text(errors="replace")

    def mails(self):
        """Every email the processes sent, as text, one per message."""
        messages = []
        for path in sorted(self.mail_dir.iterdir()):
            messages += [m for m in path.read_text().split("-" * 79 + "\n") if m.strip()]
        return messages

    def stop_all(self):
        for process in list(self.running):
            self.stop(process)


@pytest.fixture
def processes(tmp_path):
    started = Processes(tmp_path)
    yield started
    started.stop_all()
