"""The reminder the day before an accepted task: once, in the volunteer's language, no
contact details of the person helped."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.volunteers.factories import HelpRequestFactory, VolunteerFactory
from volunteers import offers
from volunteers.models import Offer
from volunteers.notifications import send_task_reminders

pytestmark = pytest.mark.django_db

MARKER = "Zq7Reminder"


def accepted(starts_at, language="en"):
    request = HelpRequestFactory(
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        contact={
            "name": MARKER,
            "phone": "0207 946 1234",
            "email": "zq7@example.org",
            "address": f"1 {MARKER} Road",
            "notes": MARKER,
        },
    )
    volunteer = VolunteerFactory(language=language)
    offer = Offer.objects.create(
        request=request, volunteer=volunteer, expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    offers.accept(offer.pk, volunteer)
    return offer


def at(days, hour):
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_reminder_the_day_before_once_with_a_link_and_no_details(terms):
    tomorrow = accepted(at(1, 10))
    later = accepted(at(3, 10))
    mail.outbox.clear()
    out = StringIO()
    call_command("send_task_reminders", stdout=out)
    assert "Task reminders queued" in out.getvalue()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [tomorrow.volunteer.user.email]
    assert tomorrow.request.reference in message.body
    assert reverse("volunteers:dashboard") in message.body
    for secret in [MARKER, MARKER.lower(), "0207 946 1234", "zq7@example.org"]:
        assert secret not in message.body and secret not in message.subject
    tomorrow.refresh_from_db()
    later.refresh_from_db()
    assert tomorrow.reminded_at is not None and later.reminded_at is None
    call_command("send_task_reminders", stdout=StringIO())
    assert len(mail.outbox) == 1  # sent once only


def test_reminder_in_the_volunteers_language(terms):
    accepted(at(1, 15), language="cy")
    mail.outbox.clear()
    send_task_reminders.call()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("Nodyn atgoffa:")
    assert "Mae sut i gysylltu" in mail.outbox[0].body


def test_no_reminder_for_a_handed_back_or_past_task(terms):
    handed = accepted(at(1, 11))
    offers.hand_back(handed.pk, handed.volunteer)
    accepted(at(1, 11))  # the same day, still accepted: the positive control
    mail.outbox.clear()
    now = at(0, 9).isoformat()
    assert send_task_reminders.call(now) == 1
    past = accepted(at(1, 14))
    today = accepted(at(0, 23))
    assert send_task_reminders.call(at(2, 9).isoformat()) == 0  # the day after: too late
    assert send_task_reminders.call(at(0, 9).isoformat()) == 1  # the day before: sent
    past.refresh_from_db()
    today.refresh_from_db()
    assert past.reminded_at is not None and today.reminded_at is None
