"""Coordinators find things: help requests by reference, the access log by request (linked from
the request), training and DBS records by volunteer; the volunteer's page shows what an approval
needs; coordinators hear of sign-ups."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from tests.volunteers.factories import (
    DBSCheckFactory,
    HelpRequestFactory,
    TrainingModuleFactory,
    TrainingRecordFactory,
    UserFactory,
    VolunteerFactory,
)
from tests.volunteers.test_views import sample, signup_data  # noqa: F401 - fixture
from volunteers import contact, roles
from volunteers.models import Volunteer, WeeklyAvailability

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client, home, terms):
    roles.ensure_groups(plan=[])
    user = UserFactory(email="coordinator@example.org")
    user.groups.add(Group.objects.get(name=roles.COORDINATORS))
    client.force_login(user)
    return user


def test_help_requests_are_found_by_reference_and_never_by_contact_details(client, coordinator):
    wanted, other = HelpRequestFactory(), HelpRequestFactory()
    listing = client.get(
        reverse("wagtailsnippets_volunteers_helprequest:list"), {"q": wanted.reference.lower()}
    ).content.decode()
    assert wanted.reference in listing and other.reference not in listing
    by_name = client.get(
        reverse("wagtailsnippets_volunteers_helprequest:list"), {"q": "Ada Help-Seeker"}
    ).content.decode()
    assert wanted.reference not in by_name


def test_the_access_log_is_searched_by_request_and_linked_from_it(client, coordinator):
    seen, unseen = HelpRequestFactory(), HelpRequestFactory()
    for help_request in (seen, unseen):
        contact.reveal_contact(help_request, None, coordinator)
    page = client.get(
        reverse("wagtailsnippets_volunteers_helprequest:inspect", args=[seen.pk])
    ).content.decode()
    log_url = reverse("wagtailsnippets_volunteers_accesslog:list") + f"?q={seen.reference}"
    assert log_url in page
    log = client.get(log_url).content.decode()
    assert seen.reference in log and unseen.reference not in log


def test_training_and_dbs_records_are_found_by_volunteer(client, coordinator):
    priya, other = VolunteerFactory(display_name="Priya Patel"), VolunteerFactory()
    module = TrainingModuleFactory(name="Safeguarding adults")
    TrainingRecordFactory(volunteer=priya, module=module)
    TrainingRecordFactory(volunteer=other, module=module)
    DBSCheckFactory(volunteer=priya)
    DBSCheckFactory(volunteer=other)
    for name in ("trainingrecord", "dbscheck"):
        listing = client.get(
            reverse(f"wagtailsnippets_volunteers_{name}:list"), {"q": "priya"}
        ).content.decode()
        assert "Priya Patel" in listing and other.display_name not in listing, name


def test_the_volunteers_page_shows_what_an_approval_needs(client, coordinator):
    applicant = VolunteerFactory(
        status=Volunteer.Status.APPLICANT, approved_at=None, email_verified_at=None, free=False
    )
    WeeklyAvailability.objects.create(volunteer=applicant, weekday=2, starts="09:00", ends="12:00")
    TrainingRecordFactory(volunteer=applicant, module=TrainingModuleFactory(name="Listening"))
    page = client.get(
        reverse("wagtailsnippets_volunteers_volunteer:edit", args=[applicant.pk])
    ).content.decode()
    for needed in (
        "Email address verified",
        "Current volunteering terms agreed",
        "Times they are free given",
        "Training and DBS records",
    ):
        assert needed in page
    assert "Not yet:" in page and "Wednesday 09:00–12:00" in page and "Listening" in page


def test_coordinators_hear_of_each_sign_up(client, coordinator, sample):  # noqa: F811
    client.logout()
    client.post(reverse("volunteers:sign_up"), signup_data(display_name="Sam Helper"))
    volunteer = Volunteer.objects.get(display_name="Sam Helper")
    to_coordinators = [m for m in mail.outbox if m.to == ["coordinator@example.org"]]
    assert len(to_coordinators) == 1
    body = to_coordinators[0].body
    assert "Sam Helper" in body
    assert reverse("wagtailsnippets_volunteers_volunteer:edit", args=[volunteer.pk]) in body
    assert "long-enough-passphrase" not in body and "sam@example.org" not in body.lower()


def test_the_help_request_list_is_narrow_enough_for_a_phone(client, coordinator):
    """Five short columns (the 390 px browser check is in tests/browser); the rest is one tap
    away on the request's page."""
    help_request = HelpRequestFactory()
    listing = client.get(reverse("wagtailsnippets_volunteers_helprequest:list")).content.decode()
    start = listing.find('<table class="listing')
    table = listing[start : listing.find("</table>", start)]
    head = table[: table.find("</thead>")]
    assert head.count("<th") <= 7  # five data columns, the bulk-select box and row actions
    for wide in ("Why no match", "Contact", "Access log", "Area"):
        assert wide not in head, wide
    inspect = reverse("wagtailsnippets_volunteers_helprequest:inspect", args=[help_request.pk])
    assert inspect in table
    page = client.get(inspect).content.decode()
    for name in ("volunteers_exclusions", "volunteers_contact"):
        assert reverse(name, args=[help_request.pk]) in page
