"""Approving a volunteer: the states are plain on their page, a ready applicant approved is
matched at once, and one who is not ready is told the step still missing."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.volunteers.factories import (
    HelpRequestFactory,
    TaskTypeFactory,
    TrainingModuleFactory,
    VolunteerFactory,
)
from volunteers import matching
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


def edit_url(volunteer):
    return reverse("wagtailsnippets_volunteers_volunteer:edit", args=[volunteer.pk])


def form_data(volunteer, **changes):
    return {
        "display_name": volunteer.display_name,
        "status": volunteer.status,
        "home_area": volunteer.home_area,
        "travel_radius_km": volunteer.travel_radius_km,
        "max_active_tasks": volunteer.max_active_tasks,
        "rest_hours": volunteer.rest_hours,
        "language": "en",
        "languages": "en",
        "skills": "",
        **changes,
    }


def test_approving_a_ready_applicant_makes_them_matchable_at_once(client, coordinator):
    applicant = VolunteerFactory(
        display_name="Ready Applicant", status=Volunteer.Status.APPLICANT, approved_at=None
    )
    help_request = HelpRequestFactory()
    assert applicant not in [c.volunteer for c in matching.shortlist(help_request)]
    page = client.get(edit_url(applicant)).content.decode()
    assert "What each state allows" in page and "Offered no requests until" in page
    assert "Approve this volunteer" in page

    confirm = client.get(reverse("volunteers_approve", args=[applicant.pk]))
    assert confirm.status_code == 200 and "has done everything" in confirm.content.decode()
    response = client.post(reverse("volunteers_approve", args=[applicant.pk]))
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.status == "active" and applicant.approved_by == coordinator
    assert applicant in [c.volunteer for c in matching.shortlist(help_request)]
    assert mail.outbox[-1].to == [applicant.user.email]
    assert "approved" in mail.outbox[-1].subject
    page = client.get(edit_url(applicant)).content.decode()
    assert "Matching can offer this volunteer requests." in page


def test_approving_someone_not_ready_names_the_missing_step_and_changes_nothing(
    client, coordinator
):
    applicant = VolunteerFactory(
        display_name="Unverified",
        status=Volunteer.Status.APPLICANT,
        approved_at=None,
        email_verified_at=None,
    )
    confirm = client.get(reverse("volunteers_approve", args=[applicant.pk])).content.decode()
    assert "cannot be approved yet" in confirm and "Email address verified" in confirm
    assert "Current volunteering terms agreed" not in confirm  # done, so not asked
    client.post(reverse("volunteers_approve", args=[applicant.pk]))
    applicant.refresh_from_db()
    assert applicant.status == "applicant" and applicant.approved_at is None
    # The edit form's status field says the same, and saves nothing.
    response = client.post(edit_url(applicant), form_data(applicant, status="active"))
    assert response.status_code == 200
    assert "Still needed: Email address verified" in response.content.decode()
    applicant.refresh_from_db()
    assert applicant.status == "applicant"
    assert not mail.outbox


def test_training_for_no_type_of_help_is_the_missing_step(client, coordinator):
    module = TrainingModuleFactory(name="Safeguarding adults")
    TaskTypeFactory(name="Sitting with someone").required_training.add(module)
    applicant = VolunteerFactory(status=Volunteer.Status.APPLICANT, approved_at=None)
    confirm = client.get(reverse("volunteers_approve", args=[applicant.pk])).content.decode()
    assert "Training and DBS records cover at least one type of help" in confirm
    assert "Add their training records and DBS check." in confirm
