"""Snapshots of a test worker's database: taken once, restored in milliseconds.

Building the demo takes tens of seconds and migrating a database minutes; a test that needs
either starts from a snapshot instead. On SQLite the test database lives in memory and a
snapshot is a file written by SQLite's backup API (restored the same way, into the same
connection, so a live server sharing it sees the restored content). On PostgreSQL a snapshot
is a database made with CREATE DATABASE ... TEMPLATE, and restoring recreates the test
database from it.
"""

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote


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


def take(label, directory):
    """Save the test database's content as it is now, under `label`."""
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
        name = f"{connection.settings_dict['NAME']}_{label}"
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


@dataclass
class Baseline:
    """The migrated database every test starts from, unless it restores a snapshot of its own.

    A transactional test (or a module's demo) that leaves other content marks the database
    `changed`; it is restored from `snapshot` just before the next test that needs it, so a
    demo test that follows another restores the database once (its demo), not twice.
    """

    snapshot: Snapshot | None = None
    blocker: object = None
    changed: bool = False

    def restore_if_changed(self):
        if self.changed:
            with self.blocker.unblock():
                restore(self.snapshot)
            self.changed = False


baseline = Baseline()
