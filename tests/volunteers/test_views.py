"""The public pages: sign-up with email verification, asking for help, the dashboard."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.geo.sample import load_sample_districts
from tests.volunteers.factories import (
    HelpRequestFactory,
    TaskTypeFactory,
    UserFactory,
    VolunteerFactory,
)
from volunteers.models import (
    AccessLog,
    ContactConsent,
    HelpRequest,
    HelpSeekerContact,
    Offer,
    SafeguardingConcern,
    TermsVersion,
    Volunteer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(db):
    load_sample_districts()


def signup_data(**overrides):
    data = {
        "display_name": "Sam Helper",
        "email": "Sam@Example.org",
        "password": "long-enough-passphrase-42",
        "home_area": "SE13",
        "travel_radius_km": "8",
        "languages": ["en", "pl"],
        "skills": "driving, shopping",
        "availability": ["0-morning", "0-afternoon", "3-evening"],
        "agree_terms": "on",
    }
    data.update(overrides)
    return data


def test_sign_up_verifies_email_and_records_terms_consent(client, home, terms, sample):
    response = client.post(reverse("volunteers:sign_up"), signup_data())
    assert response.status_code == 302
    volunteer = Volunteer.objects.get()
    assert volunteer.status == Volunteer.Status.APPLICANT
    assert volunteer.email_verified_at is None
    assert volunteer.home_area == "SE13"
    assert volunteer.latitude == round(volunteer.latitude, 2)
    assert sorted(volunteer.skills.names()) == ["driving", "shopping"]
    slots = [(a.weekday, a.starts.hour, a.ends.hour) for a in volunteer.availability.all()]
    assert slots == [(0, 9, 17), (3, 17, 21)]
    assert volunteer.terms_consents.get().terms == terms
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/volunteer/verify/\S+/", mail.outbox[0].body).group(0)
    response = client.get(link)
    assert b"Email address confirmed" in response.content
    volunteer.refresh_from_db()
    assert volunteer.email_verified_at is not None
    assert b"does not work" in client.get(link[:-5] + "xxxx/").content


def test_sign_up_bad_input_saves_nothing(client, home, terms, sample):
    response = client.post(
        reverse("volunteers:sign_up"),
        signup_data(home_area="Nowhere-upon-Nothing", travel_radius_km="900", agree_terms=""),
    )
    assert response.status_code == 200
    assert b"We could not find" in response.content
    assert b"Enter a distance from 1 to 100 kilometres" in response.content
    assert Volunteer.objects.count() == 0


def test_changed_terms_ask_for_new_consent(client, home, terms):
    volunteer = VolunteerFactory()
    client.force_login(volunteer.user)
    assert client.get(reverse("volunteers:dashboard")).status_code == 200
    TermsVersion.objects.create(version="v2", text="New wording about safety.")
    response = client.get(reverse("volunteers:dashboard"))
    assert response.url == reverse("volunteers:terms")
    assert b"New wording about safety." in client.get(response.url).content
    client.post(reverse("volunteers:terms"), {"agree_terms": "on"})
    assert volunteer.terms_consents.count() == 2
    assert client.get(reverse("volunteers:dashboard")).status_code == 200


def help_data(task, **overrides):
    day = timezone.localdate() + dt.timedelta(days=3)
    data = {
        "requested_by": "carer",
        "task_type": task.pk,
        "date": day.isoformat(),
        "start_time": "10:00",
        "end_time": "12:00",
        "place": "SE13",
        "language": "en",
        "name": "Bea Person",
        "phone": "020 7946 0001",
        "email": "",
        "address": "2 Long Lane",
        "notes": "",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_ask_for_help_records_consent_offers_and_can_be_withdrawn(client, home, terms, sample):
    VolunteerFactory()
    task = TaskTypeFactory(name="A lift to the hospice")
    response = client.post(reverse("volunteers:ask_for_help"), help_data(task))
    assert response.status_code == 302
    request = HelpRequest.objects.get()
    assert request.area == "SE13"
    consent = ContactConsent.objects.get()
    assert consent.channel == "on_behalf" and consent.recorded_by_role == "carer"
    assert consent.wording_version == "2026-1"
    assert request.offers.filter(status="offered").count() == 1
    assert len(mail.outbox) == 1 and "A lift to the hospice" in mail.outbox[0].subject

    page = client.get(response.url)
    withdraw_url = re.search(rb'href="([^"]+/withdraw/[^"]+)"', page.content).group(1).decode()
    client.post(withdraw_url)
    request.refresh_from_db()
    consent.refresh_from_db()
    assert request.status == HelpRequest.Status.WITHDRAWN and consent.withdrawn_at
    assert not request.offers.filter(status="offered").exists()
    assert client.get(withdraw_url.replace("withdraw/", "withdraw/x")).status_code == 404


def test_a_phone_number_typed_in_urdu_digits_is_kept_in_digits_a_volunteer_can_dial(
    client, home, terms, sample
):
    VolunteerFactory()
    task = TaskTypeFactory()
    typed = "\u200e۰۷۷۰۰ ۹۰۰۱۲۳"  # an Urdu keyboard's digits, pasted with a direction mark
    response = client.post(reverse("volunteers:ask_for_help"), help_data(task, phone=typed))
    assert response.status_code == 302
    assert HelpSeekerContact.objects.get().phone == "07700 900123"


def test_an_email_address_pasted_from_a_right_to_left_message_is_kept_without_its_marks(
    client, home, terms, sample
):
    VolunteerFactory()
    task = TaskTypeFactory()
    pasted = "\u200fbea@example.org\u200e"
    data = help_data(task, phone="", email=pasted)
    response = client.post(reverse("volunteers:ask_for_help"), data)
    assert response.status_code == 302
    assert HelpSeekerContact.objects.get().email == "bea@example.org"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"date": "2020-01-01"}, b"The date is in the past"),
        ({"date": "2026-02-30"}, b"Enter a real date"),
        ({"end_time": "09:00"}, b"The end time must be after the start time"),
        ({"phone": ""}, b"Give a phone number or an email address"),
        ({"phone": "<script>alert(1)</script>"}, b"Enter a phone number using digits"),
        ({"phone": "12"}, b"Enter a phone number using digits"),
        ({"phone": "²⁰⁷"}, b"Enter a phone number using digits"),  # not digits to dial
        ({"place": "ZZ99 9ZZ"}, b"find"),
        ({"consent": ""}, b"Tick the box to agree to share these details"),
        ({"task_type": "999999"}, b"Select a valid choice"),
    ],
)
def test_ask_for_help_bad_input_saves_nothing(client, home, terms, sample, overrides, message):
    task = TaskTypeFactory()
    response = client.post(reverse("volunteers:ask_for_help"), help_data(task, **overrides))
    assert response.status_code == 200
    assert message in response.content
    assert HelpRequest.objects.count() == 0 and HelpSeekerContact.objects.count() == 0


def test_dashboard_accept_reveal_check_in_and_close(client, home, terms):
    request = HelpRequestFactory()
    volunteer = VolunteerFactory()
    offer = Offer.objects.create(
        request=request, volunteer=volunteer, expires_at=timezone.now() + dt.timedelta(hours=2)
    )
    client.force_login(volunteer.user)
    page = client.get(reverse("volunteers:dashboard")).content.decode()
    assert request.task_type.name in page and "SE13" in page
    assert "Ada Help-Seeker" not in page

    client.post(reverse("volunteers:accept", args=[offer.pk]))
    page = client.get(reverse("volunteers:dashboard")).content.decode()
    assert "Ada Help-Seeker" in page and "020 7946 0000" in page
    assert 'href="tel:02079460000"' in page  # a link that dials: no spaces
    client.get(reverse("volunteers:dashboard"))
    assert AccessLog.objects.filter(shown=True).count() == 2  # one row per view

    client.post(reverse("volunteers:check_in", args=[offer.pk]))
    response = client.post(
        reverse("volunteers:log_hours", args=[offer.pk]), {"hours": "30", "outcome": "x"}
    )
    assert b"less than or equal to 24" in response.content
    client.post(
        reverse("volunteers:log_hours", args=[offer.pk]), {"hours": "2.5", "outcome": "Went well"}
    )
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.CLOSED and str(request.hours) == "2.50"
    volunteer.refresh_from_db()
    assert volunteer.resting_until > timezone.now()


def test_another_volunteers_task_by_url_is_refused_and_changes_nothing(client, home, terms):
    request = HelpRequestFactory()
    owner, intruder = VolunteerFactory(), VolunteerFactory()
    offer = Offer.objects.create(
        request=request, volunteer=owner, expires_at=timezone.now() + dt.timedelta(hours=2)
    )
    client.force_login(intruder.user)
    for name in ["accept", "decline", "hand_back", "check_in"]:
        response = client.post(reverse(f"volunteers:{name}", args=[offer.pk]), follow=True)
        assert b"There is no such offer for you." in response.content
    assert client.get(reverse("volunteers:log_hours", args=[offer.pk])).status_code == 404
    assert client.get(reverse("volunteers:accept", args=[offer.pk])).status_code == 405
    offer.refresh_from_db()
    request.refresh_from_db()
    assert offer.status == "offered" and request.status == "open"


def test_concern_reaches_coordinators_at_once_and_says_call_999(client, home, terms):
    coordinator = UserFactory(is_superuser=True, email="coordinator@example.org")
    request = HelpRequestFactory()
    volunteer = VolunteerFactory()
    other_offer = Offer.objects.create(
        request=request,
        volunteer=VolunteerFactory(),
        expires_at=timezone.now() + dt.timedelta(hours=2),
    )
    client.force_login(volunteer.user)
    assert b"call 999" in client.get(reverse("volunteers:concern")).content
    # A forged task number (someone else's offer) is ignored, not attached.
    client.post(
        reverse("volunteers:concern"), {"details": "He had a bad fall.", "task": other_offer.pk}
    )
    concern = SafeguardingConcern.objects.get()
    assert concern.request is None and concern.volunteer == volunteer
    assert mail.outbox[-1].to == [coordinator.email]
    assert "bad fall" not in mail.outbox[-1].body


def test_pages_without_a_volunteer_profile(client, home):
    assert client.get(reverse("volunteers:dashboard")).status_code == 302
    client.force_login(UserFactory())
    assert client.get(reverse("volunteers:dashboard")).status_code == 404


@pytest.mark.parametrize("end_time", ["", "25:00", "\x00", "9999-12-31"])
def test_ask_for_help_with_a_missing_or_bad_end_time_is_explained(
    client, home, terms, sample, end_time
):
    task = TaskTypeFactory()
    response = client.post(reverse("volunteers:ask_for_help"), help_data(task, end_time=end_time))
    assert response.status_code == 200
    assert 'class="field-error"' in response.content.decode()
    assert HelpRequest.objects.count() == 0
