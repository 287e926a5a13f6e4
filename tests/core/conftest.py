"""The demo site, for tests that walk every page, URL and admin view of a realistic site."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase

from tests.processes import processes, shared_database  # noqa: F401
from tests.volunteers.conftest import terms  # noqa: F401


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo content, loaded once for a test module and rolled back after it.

    Loading takes tens of seconds, so each test of the module runs inside this one outer
    transaction (its own changes rolled back as usual) instead of loading the demo again.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("load_demo", "--no-admin")
        yield
        transaction.set_rollback(True)
