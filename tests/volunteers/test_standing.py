"""A volunteer's standing: only an approved, active volunteer with current terms, training
and checks for the task may accept a request or see its contact details; pausing or
leaving withdraws their open offers and hands accepted tasks back."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.volunteers.factories import (
    DBSCheckFactory,
    HelpRequestFactory,
    TaskTypeFactory,
    TermsVersionFactory,
    TrainingModuleFactory,
    TrainingRecordFactory,
    UserFactory,
    VolunteerFactory,
)
from volunteers import contact, offers, standing
from volunteers.models import AccessLog, HelpRequest, Offer, Volunteer

pytestmark = pytest.mark.django_db


def offer_to(request, volunteer):
    return Offer.objects.create(
        request=request, volunteer=volunteer, expires_at=timezone.now() + dt.timedelta(hours=2)
    )


def pause(volunteer, status=Volunteer.Status.PAUSED):
    volunteer.status = status
    volunteer.save()


def publish_new_terms():
    TermsVersionFactory(version="v2", published_at=timezone.now() - dt.timedelta(minutes=1))


def expire_training(volunteer):
    volunteer.training.update(expires_on=timezone.localdate() - dt.timedelta(days=1))
    from volunteers import eligibility

    eligibility.refresh([volunteer.pk])


def expire_dbs(volunteer):
    volunteer.dbs_checks.update(recheck_due=timezone.localdate() - dt.timedelta(days=1))
    from volunteers import eligibility

    eligibility.refresh([volunteer.pk])


@pytest.fixture
def task_type(terms):
    """A task needing one training module and an enhanced DBS check with the barred list."""
    module = TrainingModuleFactory(name="Sitting service")
    task = TaskTypeFactory(name="Sitting", required_dbs=3, requires_barred_list=True)
    task.required_training.add(module)
    return task


@pytest.fixture
def ready(task_type):
    """A volunteer who holds everything the task needs."""
    volunteer = VolunteerFactory()
    TrainingRecordFactory(volunteer=volunteer, module=task_type.required_training.get())
    DBSCheckFactory(volunteer=volunteer)
    return volunteer


CHANGES = {
    "paused": pause,
    "left": lambda v: pause(v, Volunteer.Status.LEFT),
    "applicant again": lambda v: Volunteer.objects.filter(pk=v.pk).update(status="applicant"),
    "new terms not agreed": lambda v: publish_new_terms(),
    "training expired": expire_training,
    "DBS check due": expire_dbs,
}


def test_a_volunteer_in_good_standing_may_accept_and_see_details(task_type, ready):
    request = HelpRequestFactory(task_type=task_type)
    assert standing.problem(ready, request) is None
    offers.accept(offer_to(request, ready).pk, ready)
    assert contact.reveal_contact(request, ready, ready.user).name == "Ada Help-Seeker"


@pytest.mark.parametrize("change", CHANGES)
def test_a_volunteer_whose_standing_changed_after_the_offer_cannot_accept(task_type, ready, change):
    request = HelpRequestFactory(task_type=task_type)
    offer = offer_to(request, ready)
    CHANGES[change](ready)
    ready.refresh_from_db()
    with pytest.raises(offers.OfferRefused) as refused:
        offers.accept(offer.pk, ready)
    assert refused.value.code in {"standing", "terms", "not_qualified", "not_offered"}
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.OPEN and request.accepted_volunteer is None
    assert not Offer.objects.filter(status=Offer.Status.ACCEPTED).exists()


@pytest.mark.parametrize("change", CHANGES)
def test_a_volunteer_whose_standing_changed_after_accepting_sees_no_details(
    task_type, ready, change
):
    request = HelpRequestFactory(task_type=task_type)
    offers.accept(offer_to(request, ready).pk, ready)
    CHANGES[change](ready)
    ready.refresh_from_db()
    with pytest.raises(contact.ContactRefused):
        contact.reveal_contact(request, ready, ready.user)
    assert AccessLog.objects.filter(shown=True).count() == 0
    assert AccessLog.objects.filter(shown=False).count() == 1


@pytest.mark.parametrize("status", [Volunteer.Status.PAUSED, Volunteer.Status.LEFT])
def test_pausing_or_leaving_withdraws_offers_and_hands_tasks_back(task_type, ready, status):
    open_request = HelpRequestFactory(task_type=task_type)
    accepted_request = HelpRequestFactory(task_type=task_type)
    waiting = offer_to(open_request, ready)
    offers.accept(offer_to(accepted_request, ready).pk, ready)
    other = VolunteerFactory()
    TrainingRecordFactory(volunteer=other, module=task_type.required_training.get())
    DBSCheckFactory(volunteer=other)
    coordinator = UserFactory(is_superuser=True, email="lead@example.org")
    mail.outbox.clear()

    pause(ready, status)

    waiting.refresh_from_db()
    assert waiting.status == Offer.Status.WITHDRAWN
    accepted_request.refresh_from_db()
    assert accepted_request.accepted_volunteer is None
    handed = ready.offers.get(request=accepted_request)
    assert handed.status == Offer.Status.HANDED_BACK
    # The request moves on to the next volunteer who may take it, not back to this one.
    assert accepted_request.status == HelpRequest.Status.OPEN
    assert accepted_request.offers.filter(volunteer=other, status="offered").exists()
    assert open_request.offers.filter(volunteer=other, status="offered").exists()
    told = [m for m in mail.outbox if coordinator.email in m.to]
    assert len(told) == 1 and accepted_request.reference in told[0].body
    assert "Ada" not in told[0].body  # no contact details in the email


def test_a_paused_volunteer_is_not_matched_and_their_dashboard_shows_nothing(
    client, task_type, ready
):
    request = HelpRequestFactory(task_type=task_type)
    offer_to(request, ready)
    pause(ready)
    assert offers.make_offers(HelpRequestFactory(task_type=task_type)) == []
    client.force_login(ready.user)
    page = client.get(reverse("volunteers:dashboard")).content.decode()
    assert request.reference not in page and "Ada" not in page


def test_a_refused_accept_through_the_page_explains_and_changes_nothing(client, task_type, ready):
    request = HelpRequestFactory(task_type=task_type)
    offer = offer_to(request, ready)
    expire_training(ready)
    client.force_login(ready.user)
    response = client.post(reverse("volunteers:accept", args=[offer.pk]), follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "training or checks" in page and "Ada" not in page
    offer.refresh_from_db()
    assert offer.status == Offer.Status.OFFERED


# Withdrawn consent ------------------------------------------------------------------------


def test_a_coordinator_withdrawing_consent_closes_the_request_for_good(
    client, task_type, ready, settings
):
    request = HelpRequestFactory(task_type=task_type)
    offer = offer_to(request, ready)
    coordinator = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(coordinator)
    url = reverse("volunteers_withdraw_consent", args=[request.pk])
    assert client.post(url).status_code == 302

    request.refresh_from_db()
    offer.refresh_from_db()
    assert request.status == HelpRequest.Status.WITHDRAWN
    assert offer.status == Offer.Status.WITHDRAWN
    # Offers time out later, and nobody new is asked or emailed.
    others = [VolunteerFactory() for _ in range(3)]
    for volunteer in others:
        TrainingRecordFactory(volunteer=volunteer, module=task_type.required_training.get())
        DBSCheckFactory(volunteer=volunteer)
    mail.outbox.clear()
    later = timezone.now() + dt.timedelta(hours=settings.VOLUNTEER_OFFER_HOURS + 1)
    offers.expire_offers(now=later)
    assert offers.make_offers(request) == []
    assert request.offers.count() == 1 and mail.outbox == []


def test_a_request_without_standing_consent_is_never_offered(task_type, ready):
    request = HelpRequestFactory(task_type=task_type, consent=False)
    assert offers.make_offers(request) == []
    assert not request.offers.exists()


def test_a_withdrawn_accepted_request_leaves_the_volunteer_page_without_log_rows(
    client, task_type, ready
):
    request = HelpRequestFactory(task_type=task_type)
    offers.accept(offer_to(request, ready).pk, ready)
    contact.withdraw_consent(request)
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.WITHDRAWN
    assert ready.offers.get(request=request).status == Offer.Status.WITHDRAWN
    client.force_login(ready.user)
    before = AccessLog.objects.count()
    for _ in range(3):
        page = client.get(reverse("volunteers:dashboard")).content.decode()
        assert request.reference not in page
    assert AccessLog.objects.count() == before
