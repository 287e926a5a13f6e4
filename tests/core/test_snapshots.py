"""Test databases restored from snapshots: connections survive the sessions a restore ends."""

import time

import pytest
from django.db import OperationalError, connection
from wagtail.models import Locale

from tests import snapshots


def _session_ended(pid):
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0] == 0


@pytest.mark.django_db(transaction=True)
def test_a_connection_whose_session_the_server_ended_is_replaced():
    """A restore ends every session on the test database, some of them held by Django in
    another context; the next test must query on a live connection, not the dead one."""
    if connection.vendor != "postgresql":
        pytest.skip("sessions ended by the server are PostgreSQL's (SQLite has none)")
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 10
    while not _session_ended(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    with pytest.raises(OperationalError):
        Locale.objects.count()  # Django would go on using the ended session

    snapshots.discard_dead_connections()

    assert Locale.objects.count() == Locale.objects.count()
    assert connection.connection.info.backend_pid != pid


@pytest.mark.django_db(transaction=True)
def test_the_test_after_a_transactional_one_starts_from_the_migrated_database():
    """What a transactional test leaves is gone before the next test, and what migrations
    wrote (the product's groups, Wagtail's root page and default locale) is back: Django's
    own ending, a flush, keeps neither."""
    from django.contrib.auth.models import Group, User
    from django.test import TransactionTestCase
    from wagtail.models import Page

    groups = set(Group.objects.values_list("name", flat=True))
    assert groups and Page.objects.filter(depth=1).exists() and Locale.objects.exists()
    User.objects.create(username="left-behind")
    Group.objects.all().delete()

    TransactionTestCase()._fixture_teardown()  # the end of a transactional test
    snapshots.baseline.restore_if_changed()  # the start of the next one

    assert set(Group.objects.values_list("name", flat=True)) == groups
    assert Page.objects.filter(depth=1).exists() and Locale.objects.exists()
    assert not User.objects.filter(username="left-behind").exists()
