"""The coordinators' admin home: what needs attention today, each item linked to act on it."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from tests.volunteers.factories import (
    DBSCheckFactory,
    HelpRequestFactory,
    TrainingModuleFactory,
    TrainingRecordFactory,
    UserFactory,
    VolunteerFactory,
)
from volunteers import roles
from volunteers.models import HelpRequest, Offer, Volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def needs_attention(home, terms):
    applicant = VolunteerFactory(
        display_name="Nina Newcomer", status=Volunteer.Status.APPLICANT, approved_at=None
    )
    waiting = HelpRequestFactory()
    HelpRequest.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=30)
    )
    fresh = HelpRequestFactory()
    helper = VolunteerFactory(display_name="Olu Offered")
    Offer.objects.create(
        request=fresh, volunteer=helper, expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    Offer.objects.create(
        request=waiting,
        volunteer=VolunteerFactory(display_name="Later Larry"),
        expires_at=timezone.now() + dt.timedelta(hours=10),
    )
    soon = timezone.localdate() + dt.timedelta(days=10)
    training = TrainingRecordFactory(
        volunteer=helper, module=TrainingModuleFactory(name="Moving and handling"), expires_on=soon
    )
    check = DBSCheckFactory(volunteer=VolunteerFactory(display_name="Dee Bee"), recheck_due=soon)
    return {
        "applicant": applicant,
        "waiting": waiting,
        "fresh": fresh,
        "training": training,
        "check": check,
    }


def test_the_coordinators_home_lists_what_needs_attention_today(client, needs_attention):
    roles.ensure_groups(plan=[])
    coordinator = UserFactory()
    coordinator.groups.add(Group.objects.get(name=roles.COORDINATORS))
    client.force_login(coordinator)
    home = client.get("/admin/").content.decode()
    applicant, waiting = needs_attention["applicant"], needs_attention["waiting"]
    assert "New applicants" in home and "Nina Newcomer" in home
    assert reverse("wagtailsnippets_volunteers_volunteer:edit", args=[applicant.pk]) in home
    assert "Requests still waiting" in home and waiting.reference in home
    assert needs_attention["fresh"].reference in home  # its offer times out within the hour
    assert "Offers about to time out" in home and "Olu Offered" in home
    assert "Later Larry" not in home  # ten hours left is not "about to"
    assert "Training and DBS checks expiring" in home
    assert "Moving and handling" in home and "Dee Bee" in home
    training = needs_attention["training"]
    assert reverse("wagtailsnippets_volunteers_trainingrecord:edit", args=[training.pk]) in home
    # UK dates, and never the help-seeker's details.
    assert needs_attention["training"].expires_on.strftime("%d/%m/%Y") in home
    assert "Ada Help-Seeker" not in home and "Quiet Road" not in home


def test_no_volunteering_panels_for_other_staff_or_when_nothing_needs_attention(
    client, home, terms
):
    roles.ensure_groups(plan=[])
    coordinator = UserFactory()
    coordinator.groups.add(Group.objects.get(name=roles.COORDINATORS))
    client.force_login(coordinator)
    quiet = client.get("/admin/").content.decode()
    for title in ("New applicants", "Requests still waiting", "Offers about to time out"):
        assert title not in quiet
    VolunteerFactory(display_name="Nina Newcomer", status="applicant", approved_at=None)
    lead = UserFactory()
    lead.groups.add(Group.objects.get(name=roles.SAFEGUARDING_LEADS))
    client.force_login(lead)
    assert "Nina Newcomer" not in client.get("/admin/").content.decode()


def test_a_request_whose_time_has_passed_no_longer_waits(client, needs_attention):
    # Nobody was found and its time is over: it expired unmatched, nobody can help now.
    past = timezone.now() - dt.timedelta(days=3)
    expired = HelpRequestFactory(starts_at=past, ends_at=past + dt.timedelta(hours=2))
    HelpRequest.objects.filter(pk=expired.pk).update(created_at=past - dt.timedelta(days=2))
    roles.ensure_groups(plan=[])
    coordinator = UserFactory()
    coordinator.groups.add(Group.objects.get(name=roles.COORDINATORS))
    client.force_login(coordinator)
    home = client.get("/admin/").content.decode()
    assert needs_attention["waiting"].reference in home
    assert expired.reference not in home
