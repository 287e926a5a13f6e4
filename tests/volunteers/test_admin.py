"""Coordinator views in the Wagtail admin: lists, filters, CSV export, approval."""

import pytest

from tests.volunteers.factories import HelpRequestFactory, UserFactory, VolunteerFactory
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

MODELS = [
    "volunteer",
    "helprequest",
    "offer",
    "safeguardingconcern",
    "trainingrecord",
    "dbscheck",
    "tasktype",
    "trainingmodule",
    "termsversion",
    "accesslog",
]


@pytest.fixture
def coordinator(client, home, terms):
    user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def test_every_list_opens_and_exports_csv(client, coordinator):
    HelpRequestFactory()
    VolunteerFactory(display_name="Listed Volunteer")
    for model in MODELS:
        response = client.get(f"/admin/snippets/volunteers/{model}/")
        assert response.status_code == 200, model
    export = client.get("/admin/snippets/volunteers/volunteer/?export=csv")
    assert export.status_code == 200
    body = (
        b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    )
    assert "Listed Volunteer" in body


def test_status_filter_and_approval_records_the_coordinator(client, coordinator):
    applicant = VolunteerFactory(
        display_name="New Applicant", status=Volunteer.Status.APPLICANT, approved_at=None
    )
    VolunteerFactory(display_name="Old Hand")
    listing = client.get("/admin/snippets/volunteers/volunteer/?status=applicant").content.decode()
    assert "New Applicant" in listing and "Old Hand" not in listing
    edit = f"/admin/snippets/volunteers/volunteer/edit/{applicant.pk}/"
    response = client.post(
        edit,
        {
            "display_name": "New Applicant",
            "status": "active",
            "home_area": "SE13",
            "travel_radius_km": "5",
            "max_active_tasks": "2",
            "rest_hours": "24",
            "language": "en",
            "languages": "en",
            "skills": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    applicant.refresh_from_db()
    assert applicant.status == "active"
    assert applicant.approved_by == coordinator and applicant.approved_at is not None


def test_someone_without_volunteering_access_cannot_open_the_lists_or_contact(client, home):
    client.force_login(UserFactory(is_staff=True))
    request = HelpRequestFactory()
    for url in [
        "/admin/snippets/volunteers/helprequest/",
        f"/admin/volunteers/requests/{request.pk}/contact/",
    ]:
        assert client.get(url).status_code in (302, 403)
