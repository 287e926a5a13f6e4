"""Snapshots of a test worker's database: taken once, restored in milliseconds.

Building the demo takes tens of seconds and migrating a database minutes; a test that needs
either starts from a snapshot instead. On SQLite the test database lives in memory and a
snapshot is a file written by SQLite's backup API (restored the same way, into the same
connection, so a live server sharing it sees the restored content). On PostgreSQL a snapshot
is a database made with CREATE DATABASE ... TEMPLATE, and restoring recreates the test
database from it.
"""

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from filelock import FileLock


@dataclass(frozen=True)
class Snapshot:
    vendor: str
    name: str  # the snapshot's file (SQLite) or database (PostgreSQL)

    def url(self, connection):
        """A DATABASE_URL for another process to use a copy of the snapshot's content."""
        if self.vendor == "sqlite":
            return f"sqlite:///{self.name}"
        settings_dict = connection.settings_dict
        auth = quote(settings_dict["USER"] or "")
        if settings_dict["PASSWORD"]:
            auth += ":" + quote(settings_dict["PASSWORD"])
        return (
            f"postgres://{auth}@{settings_dict['HOST'] or '127.0.0.1'}:"
            f"{settings_dict['PORT'] or 5432}/{self.name}"
        )


def _default():
    from django.db import connections

    return connections["default"]


def _quote(connection, name):
    return connection.ops.quote_name(name)


def _close_all():
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            continue  # closing would lose an in-memory database
        connection.close()


def discard_dead_connections():
    """Close this context's PostgreSQL connections whose session the server has ended.

    Restoring a snapshot drops the test database WITH (FORCE), which ends every session on
    it, including sessions `_close_all` cannot reach: Django keeps connections per context
    (asgiref's Local), and a connection opened while Playwright's event loop ran in the test
    thread belongs to another context than the fixture that restores. Django would go on
    using such a connection, and every later query of the worker would fail with "the
    connection is closed"; a closed connection reconnects on its next query instead.
    """
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if connection.vendor != "postgresql" or connection.connection is None:
            continue
        if not connection.is_usable():
            connection.close()


def _create_from(connection, name, template):
    """Drop database `name` if it exists and create it as a copy of `template`."""
    discard_dead_connections()
    if connection.settings_dict["NAME"] in {name, template}:
        _close_all()  # neither may have a session open
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quote(connection, name)} WITH (FORCE)")
        cursor.execute(
            f"CREATE DATABASE {_quote(connection, name)} TEMPLATE {_quote(connection, template)}"
        )


def take(label, directory, name=None):
    """Save the test database's content as it is now, under `label`: a file in `directory`
    (SQLite) or a database named `name`, by default the test database's name and `label`
    (PostgreSQL)."""
    connection = _default()
    if connection.vendor == "sqlite":
        path = Path(directory) / f"{label}.sqlite3"
        path.unlink(missing_ok=True)
        connection.ensure_connection()
        target = sqlite3.connect(path)
        with target:
            connection.connection.backup(target)
        target.close()
        return Snapshot("sqlite", str(path))
    if connection.vendor == "postgresql":
        name = name or f"{connection.settings_dict['NAME']}_{label}"
        _create_from(connection, name, connection.settings_dict["NAME"])
        return Snapshot("postgresql", name)
    raise NotImplementedError(connection.vendor)


def restore(snapshot):
    """Make the test database's content the snapshot's again."""
    from django.contrib.contenttypes.models import ContentType

    connection = _default()
    if snapshot.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(snapshot.name)
        source.backup(connection.connection)
        source.close()
    else:
        _create_from(connection, connection.settings_dict["NAME"], snapshot.name)
    # A flush re-creates content types under new ids; the snapshot has its own.
    ContentType.objects.clear_cache()


def copy(snapshot, label, directory):
    """A new database, apart from the test database, holding the snapshot's content."""
    if snapshot.vendor == "sqlite":
        path = Path(directory) / f"{label}.sqlite3"
        source = sqlite3.connect(snapshot.name)
        target = sqlite3.connect(path)
        with target:
            source.backup(target)
        source.close()
        target.close()
        return Snapshot("sqlite", str(path))
    connection = _default()
    name = f"{connection.settings_dict['NAME']}_{label}"
    _create_from(connection, name, snapshot.name)
    return Snapshot("postgresql", name)


def drop(snapshot):
    """Remove a snapshot made by `take` or `copy`."""
    if snapshot.vendor == "sqlite":
        Path(snapshot.name).unlink(missing_ok=True)
        return
    connection = _default()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quote(connection, snapshot.name)} WITH (FORCE)")


class Shared:
    """A snapshot that the test workers of a run share: built by the first worker that needs
    it, while any other that needs it then waits, and dropped by the last one done with it.

    `directory` is the run's (every worker's) own; a lock file there takes the workers in
    turn, and a record beside it names the snapshot and counts the workers using it.
    """

    def __init__(self, directory, label):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._lock = FileLock(self.directory / f"{label}.lock")
        self._record = self.directory / f"{label}.json"

    def use(self, build):
        """The snapshot, and whether this worker built it: `build()` makes and returns it
        when no worker has yet (or the last one done with it has dropped it)."""
        with self._lock:
            record = self._read()
            built = record is None
            if built:
                snapshot = build()
                record = {"vendor": snapshot.vendor, "name": snapshot.name, "users": 0}
            record["users"] += 1
            self._record.write_text(json.dumps(record))
        return Snapshot(record["vendor"], record["name"]), built

    def done(self):
        """This worker no longer needs the snapshot; the last one to say so drops it."""
        with self._lock:
            record = self._read()
            if record is None:
                return
            record["users"] -= 1
            if record["users"] > 0:
                self._record.write_text(json.dumps(record))
                return
            drop(Snapshot(record["vendor"], record["name"]))
            self._record.unlink()

    def _read(self):
        return json.loads(self._record.read_text()) if self._record.exists() else None


NOT_HELD = object()  # `Baseline.handle` of a state the database does not hold


@dataclass
class Baseline:
    """The migrated database every test starts from, with the states it asks for
    (`tests.states`), unless it restores a snapshot of its own.

    A transactional test (or a module's demo) that leaves other content marks the database
    `changed`; it is restored just before the next test that needs the database, so a demo
    test that follows another restores the database once (its demo), not twice.

    States are built in an outer transaction that stays open from one test to the next
    (each test's own transaction is a savepoint inside it, rolled back when it ends, as for
    Django's `setUpTestData`), so consecutive tests asking for the same states build them
    once; it is rolled back when a test asks for others, runs outside a transaction, or
    restores a snapshot. `content` names the states it holds, `handles` what their fixtures
    read back.
    """

    snapshot: Snapshot | None = None
    blocker: object = None
    changed: bool = False
    content: tuple[str, ...] = ()
    handles: dict = field(default_factory=dict)
    _atomic: object = None  # the outer transaction holding the states

    def start(self, snapshot, blocker):
        self.snapshot, self.blocker, self.changed = snapshot, blocker, False

    def stop(self):
        self.release()
        self.snapshot = None

    def restore_if_changed(self):
        self.hold((), build=None)

    def hold(self, names, build):
        """Before a test: the migrated database (restored if a test changed it) holding
        the states `names`, built by `build(names)` unless they are held already."""
        from django.db import connection, transaction

        if self.snapshot is None:
            return  # the first test of the worker: its fixtures build in its transaction
        if names and self.content == names and self._holding(connection) and not self.changed:
            return
        self.release()
        if connection.in_atomic_block:
            return  # inside another outer transaction (a module's demo): built in the test's
        if self.changed:
            with self.blocker.unblock():
                restore(self.snapshot)
            self.changed = False
        if not names:
            return
        with self.blocker.unblock():
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            try:
                self.handles = build(names)
            except BaseException:
                self.release()
                raise
        self.content = names

    def _holding(self, connection):
        return (
            self._atomic is not None
            and connection.atomic_blocks[:1] == [self._atomic]
            and len(connection.atomic_blocks) == 1
            and not connection.needs_rollback
        )

    def release(self):
        """Roll back the outer transaction holding the states, if one is open."""
        from django.db import connection, transaction

        atomic, self._atomic = self._atomic, None
        self.content, self.handles = (), {}
        if atomic is None or connection.atomic_blocks[:1] != [atomic]:
            return
        with self.blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)

    def handle(self, name):
        """The handle of state `name` if the database holds it, else NOT_HELD."""
        if self._atomic is None or name not in self.content:
            return NOT_HELD
        return self.handles[name]


baseline = Baseline()
