"""Background work: by default tasks wait in the database until `manage.py db_worker` runs
them, so a page that sends an email answers without waiting for the mail server."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from tests.volunteers.factories import VolunteerFactory
from volunteers import notifications

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": settings.TASKS_BACKENDS["database"]}}


def test_the_database_queue_is_the_default():
    from config.settings import base

    assert base.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert settings.TASKS_BACKENDS["immediate"].endswith("ImmediateBackend")


# The worker closes connections that are inside a transaction between tasks, as a
# long-running process should, so these tests run outside the per-test transaction.
@pytest.mark.django_db(transaction=True)
def test_an_email_waits_in_the_queue_until_the_worker_sends_it(database_queue):
    volunteer = VolunteerFactory()
    result = notifications.send_verification_email.enqueue(volunteer.pk, "https://x.test/v/1")
    assert mail.outbox == []
    queued = DBTaskResult.objects.get(pk=result.id)
    assert queued.status == "READY"

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert [message.to for message in mail.outbox] == [[volunteer.user.email]]
    assert "https://x.test/v/1" in mail.outbox[0].body
