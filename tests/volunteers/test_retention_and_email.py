"""Redaction after the retention period, export and erasure, and notification emails."""

import datetime as dt
import json
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.geo.sample import load_sample_districts
from tests.volunteers.factories import (
    DBSCheckFactory,
    HelpRequestFactory,
    TrainingModuleFactory,
    TrainingRecordFactory,
    VolunteerFactory,
)
from tests.volunteers.test_views import signup_data
from volunteers import contact, notifications, offers, retention
from volunteers.models import AccessLog, HelpRequest, HelpSeekerContact, Offer, Volunteer
from volunteers.notifications import send_expiry_warnings

pytestmark = pytest.mark.django_db


def accepted_and_closed(closed_days_ago):
    request = HelpRequestFactory()
    volunteer = VolunteerFactory()
    offer = Offer.objects.create(
        request=request, volunteer=volunteer, expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    offers.accept(offer.pk, volunteer)
    contact.reveal_contact(request, volunteer, volunteer.user)
    offers.complete(offer.pk, volunteer, hours=2, outcome="Helped with forms")
    HelpRequest.objects.filter(pk=request.pk).update(
        closed_at=timezone.now() - dt.timedelta(days=closed_days_ago)
    )
    return request, volunteer


def test_redaction_after_the_period_only(terms, settings):
    settings.VOLUNTEER_CONTACT_RETENTION_DAYS = 90
    old, _v = accepted_and_closed(closed_days_ago=91)
    recent, _w = accepted_and_closed(closed_days_ago=10)
    open_request = HelpRequestFactory()
    out = StringIO()
    call_command("redact_contacts", stdout=out)
    assert "1 closed request" in out.getvalue()
    assert not HelpSeekerContact.objects.filter(request=old).exists()
    assert HelpSeekerContact.objects.filter(request__in=[recent, open_request]).count() == 2
    old.refresh_from_db()
    assert old.redacted_at is not None and old.area == "SE13"
    with pytest.raises(contact.ContactRefused) as refused:
        contact.reveal_contact(old, None, None)
    assert refused.value.reason == "redacted"


def test_export_and_erase_a_help_seeker_keeps_the_access_log(terms):
    request, _volunteer = accepted_and_closed(closed_days_ago=1)
    out = StringIO()
    call_command("personal_data", "export", "--request", request.reference, stdout=out)
    data = json.loads(out.getvalue())
    assert data["contact"]["name"] == "Ada Help-Seeker"
    assert data["consents"][0]["wording_version"] == "2026-1"
    assert data["contact_viewed"][0]["shown"] is True
    call_command("personal_data", "erase", "--request", request.reference, stdout=StringIO())
    assert not HelpRequest.objects.filter(pk=request.pk).exists()
    assert not HelpSeekerContact.objects.exists()
    row = AccessLog.objects.get()
    assert row.request is None and row.request_reference == request.reference


def test_export_and_erase_a_volunteer(terms):
    request, volunteer = accepted_and_closed(closed_days_ago=1)
    email = volunteer.user.email
    out = StringIO()
    call_command("personal_data", "export", "--volunteer", email, stdout=out)
    assert json.loads(out.getvalue())["tasks"][0]["request"] == request.reference
    call_command("personal_data", "erase", "--volunteer", email, stdout=StringIO())
    assert not Volunteer.objects.exists()
    row = AccessLog.objects.get()
    assert row.viewer is None and row.viewer_label == retention.ERASED


def test_offer_email_in_the_volunteers_language_without_details(terms):
    VolunteerFactory(language="cy")
    request = HelpRequestFactory()
    offers.make_offers(request)
    message = mail.outbox[-1]
    assert "SE13" in message.subject
    assert "Ada" not in message.body and "020 7946" not in message.body
    assert message.body.startswith("Helo ")


def test_expiry_warnings_within_the_renewal_window(terms):
    module = TrainingModuleFactory(name="Safeguarding adults", renewal_warning_days=30)
    soon = VolunteerFactory()
    TrainingRecordFactory(
        volunteer=soon, module=module, expires_on=timezone.localdate() + dt.timedelta(days=20)
    )
    later = VolunteerFactory()
    TrainingRecordFactory(
        volunteer=later, module=module, expires_on=timezone.localdate() + dt.timedelta(days=200)
    )
    DBSCheckFactory(volunteer=later, recheck_due=timezone.localdate() + dt.timedelta(days=10))
    mail.outbox.clear()
    send_expiry_warnings.enqueue()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([soon.user.email, later.user.email])
    assert any("Safeguarding adults" in m.subject for m in mail.outbox)


def test_volunteer_emails_link_to_the_public_address(client, settings, home, terms):
    """Verification, offer, acceptance and reminder emails all link to SITE_URL."""
    settings.SITE_URL = "https://help.example.org"
    load_sample_districts()
    assert client.post(reverse("volunteers:sign_up"), signup_data()).status_code == 302
    volunteer = VolunteerFactory()
    offer = Offer.objects.create(
        request=HelpRequestFactory(),
        volunteer=volunteer,
        expires_at=timezone.now() + dt.timedelta(hours=2),
    )
    notifications.offer_made(offer.pk)
    offers.accept(offer.pk, volunteer)
    day_before = offer.request.starts_at - dt.timedelta(hours=20)
    notifications.send_task_reminders.call(now=day_before.isoformat())
    links = [link for m in mail.outbox for link in re.findall(r"https?://\S+", m.body)]
    assert len(links) >= 3, [m.subject for m in mail.outbox]
    assert all(link.startswith("https://help.example.org/") for link in links), links


POLISH_WEEKDAYS = ["poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota", "niedziela"]
POLISH_MONTHS_AFTER_A_DAY = [
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
]


def test_offer_email_in_polish_writes_the_day_as_a_polish_reader_does(terms):
    VolunteerFactory(language="pl")
    request = HelpRequestFactory()
    offers.make_offers(request)
    starts = timezone.localtime(request.starts_at)
    day = (
        f"{POLISH_WEEKDAYS[starts.weekday()]} {starts.day} "
        f"{POLISH_MONTHS_AFTER_A_DAY[starts.month - 1]}, {starts:%H:%M}"
    )
    ends = f"{timezone.localtime(request.ends_at):%H:%M}"
    # "od"/"do" would need the weekday in the genitive ("od czwartku"): a dash needs none.
    assert f"Kiedy: {day}–{ends}" in mail.outbox[-1].body
    weekday = "|".join(POLISH_WEEKDAYS)
    assert re.search(rf"najpóźniej: ({weekday}) \d+ \w+, \d\d:\d\d\.", mail.outbox[-1].body)
