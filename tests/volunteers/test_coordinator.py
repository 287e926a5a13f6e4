"""Coordinator tools in the admin: a request taken by phone, withdrawing consent, and who is
left out of a request's matching and why."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone, translation

from core.geo.sample import load_sample_districts
from tests.volunteers.factories import (
    CROYDON,
    DEPTFORD,
    DBSCheckFactory,
    HelpRequestFactory,
    TaskTypeFactory,
    TrainingModuleFactory,
    TrainingRecordFactory,
    UserFactory,
    VolunteerFactory,
)
from tests.volunteers.test_views import help_data
from volunteers import contact, matching
from volunteers.models import AccessLog, ContactConsent, HelpRequest, HelpSeekerContact, Offer

pytestmark = pytest.mark.django_db


def admin_user(*codenames):
    user = UserFactory()
    group = Group.objects.create(name=f"group for {user.username}")
    group.permissions.add(*Permission.objects.filter(codename__in=["access_admin", *codenames]))
    user.groups.add(group)
    return user


@pytest.fixture
def coordinator(client, home, terms):
    user = admin_user("coordinate")
    client.force_login(user)
    return user


@pytest.fixture
def sample(db):
    load_sample_districts()


def test_phone_intake_records_consent_by_phone_and_starts_matching(client, coordinator, sample):
    VolunteerFactory(display_name="Near Helper")
    task = TaskTypeFactory(name="Sitting with someone")
    menu = client.get("/admin/").content.decode()
    assert reverse("volunteers_phone_intake") in menu
    page = client.get(reverse("volunteers_phone_intake"))
    assert page.status_code == 200 and "Who is calling?" in page.content.decode()
    response = client.post(
        reverse("volunteers_phone_intake"), help_data(task, requested_by="professional")
    )
    help_request = HelpRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("volunteers_exclusions", args=[help_request.pk])
    consent = ContactConsent.objects.get()
    assert consent.channel == "phone" and consent.recorded_by == coordinator
    assert consent.recorded_by_role == "professional" and consent.wording_version == "2026-1"
    assert help_request.requested_by == "professional" and help_request.area == "SE13"
    assert HelpSeekerContact.objects.get().name == "Bea Person"
    assert help_request.offers.get().volunteer.display_name == "Near Helper"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"date": "2020-01-01"}, "The date is in the past"),
        ({"phone": "", "email": ""}, "Give a phone number or an email address"),
        ({"consent": ""}, "Tick the box to agree to share these details"),
        ({"place": "ZZ99 9ZZ"}, "find"),
    ],
)
def test_phone_intake_bad_input_saves_nothing(client, coordinator, sample, overrides, message):
    task = TaskTypeFactory()
    response = client.post(reverse("volunteers_phone_intake"), help_data(task, **overrides))
    assert response.status_code == 200 and message in response.content.decode()
    assert not HelpRequest.objects.exists() and not ContactConsent.objects.exists()


def test_withdrawing_consent_asks_first_then_stops_every_reveal(client, coordinator):
    help_request = HelpRequestFactory()
    url = reverse("volunteers_withdraw_consent", args=[help_request.pk])
    assert "Yes, withdraw consent" in client.get(url).content.decode()
    assert contact.consent_stands(help_request)  # a GET changes nothing
    assert client.post(url).status_code == 302
    assert not contact.consent_stands(help_request)
    with pytest.raises(contact.ContactRefused) as refused:
        contact.reveal_contact(help_request, None, coordinator)
    assert refused.value.reason == "no_consent"
    log = AccessLog.objects.get()
    assert log.shown is False and log.reason == "no_consent" and log.viewer == coordinator
    assert "no consent standing" in client.get(url).content.decode()


def test_exclusions_list_every_reason_and_no_contact_details(client, coordinator):
    module = TrainingModuleFactory(name="Safe visiting")
    task = TaskTypeFactory(name="Visit", required_dbs=1)
    task.required_training.add(module)
    help_request = HelpRequestFactory(
        task_type=task, contact={"name": "Zq7Secret", "address": "1 Zq7Secret Road"}
    )

    def qualified(**kwargs):
        volunteer = VolunteerFactory(**kwargs)
        TrainingRecordFactory(volunteer=volunteer, module=module)
        DBSCheckFactory(volunteer=volunteer)
        return volunteer

    qualified(display_name="Fine Volunteer")
    expired = VolunteerFactory(display_name="Expired Training")
    TrainingRecordFactory(volunteer=expired, module=module, expires_on=timezone.localdate())
    DBSCheckFactory(volunteer=expired, recheck_due=timezone.localdate() - dt.timedelta(days=1))
    far = qualified(display_name="Far Away", travel_radius_km=1)
    far.set_coordinates(*DEPTFORD)
    far.save()
    qualified(
        display_name="Resting One", resting_until=help_request.starts_at + dt.timedelta(hours=1)
    )
    busy = qualified(display_name="Busy One", max_active_tasks=1)
    other = HelpRequestFactory(task_type=task)
    Offer.objects.create(
        request=other, volunteer=busy, status="accepted", expires_at=timezone.now()
    )
    HelpRequest.objects.filter(pk=other.pk).update(status="accepted", accepted_volunteer=busy)
    qualified(display_name="Never Free", free=False)
    distant = qualified(display_name="Croydon")
    distant.set_coordinates(*CROYDON)
    distant.save()

    page = client.get(reverse("volunteers_exclusions", args=[help_request.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Zq7Secret" not in body and "ada@example.org" not in body and "020 7946" not in body
    excluded = body.split("Volunteers nearby who are left out")[1]
    assert "Fine Volunteer" not in excluded and "Fine Volunteer" in body
    assert "Safe visiting: expired on" in excluded
    assert "DBS check due for recheck since" in excluded
    assert "outside the travel distance" in excluded and "Far Away" in excluded
    assert "resting after their last task" in excluded
    assert "at their limit of 1 task at once" in excluded
    assert "not usually free at that time" in excluded
    assert "Croydon" in excluded  # 11.5 km, inside the 10 + 15 km margin


def test_exclusion_reasons_are_translated(db, terms):
    help_request = HelpRequestFactory()
    VolunteerFactory(display_name="Never Free", free=False)
    english = matching.excluded_nearby(help_request)[0].reasons
    assert english == ["not usually free at that time"]
    with translation.override("cy"):
        welsh = matching.excluded_nearby(help_request)[0].reasons
    assert welsh and welsh != english


def test_someone_without_the_coordinator_permission_gets_403(client, home):
    help_request = HelpRequestFactory()
    client.force_login(admin_user("change_page"))
    urls = [
        reverse("volunteers_phone_intake"),
        reverse("volunteers_exclusions", args=[help_request.pk]),
        reverse("volunteers_withdraw_consent", args=[help_request.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url).status_code == 403, url
    assert contact.consent_stands(help_request)
    assert reverse("volunteers_phone_intake") not in client.get("/admin/").content.decode()
