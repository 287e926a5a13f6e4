"""The demo site, for tests that walk every page, URL and admin view of a realistic site."""

import pytest
from django.db import transaction
from django.test import override_settings

from tests import snapshots
from tests.processes import processes, shared_database  # noqa: F401
from tests.volunteers.conftest import terms  # noqa: F401


@pytest.fixture(scope="module")
def demo(demo_snapshot, migrated_snapshot, django_db_blocker):
    """The demo content, restored once for a test module from the worker's snapshot.

    Each test of the module runs inside one outer transaction (its own changes rolled back as
    usual), so every test starts from the demo; after the module the database is marked
    changed, to be restored before the next test that needs it. The demo's files (media, the
    admin password) are the snapshot's.
    """
    files = demo_snapshot.var_dir
    with django_db_blocker.unblock(), override_settings(VAR_DIR=files, MEDIA_ROOT=files / "media"):
        snapshots.restore(demo_snapshot.snapshot)
        snapshots.baseline.changed = False
        with transaction.atomic():
            yield
            transaction.set_rollback(True)
    snapshots.baseline.changed = True
