"""Accept and reveal: the first acceptance wins; contact details only through volunteers.contact."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from tests.volunteers.factories import HelpRequestFactory, UserFactory, VolunteerFactory
from volunteers import contact, offers
from volunteers.models import AccessLog, HelpRequest, Offer


def offer_to(request, volunteer):
    return Offer.objects.create(
        request=request, volunteer=volunteer, expires_at=timezone.now() + dt.timedelta(hours=2)
    )


@pytest.mark.django_db
def test_accept_then_reveal_logs_every_view(terms):
    request = HelpRequestFactory()
    winner, other = VolunteerFactory(), VolunteerFactory()
    win_offer, other_offer = offer_to(request, winner), offer_to(request, other)

    with pytest.raises(contact.ContactRefused) as before:
        contact.reveal_contact(request, winner, winner.user)
    assert before.value.reason == "not_open"

    offers.accept(win_offer.pk, winner)
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.ACCEPTED
    assert request.accepted_volunteer == winner
    other_offer.refresh_from_db()
    assert other_offer.status == Offer.Status.CLOSED

    details = contact.reveal_contact(request, winner, winner.user)
    assert details.name == "Ada Help-Seeker" and details.phone == "020 7946 0000"
    contact.reveal_contact(request, winner, winner.user)
    with pytest.raises(contact.ContactRefused):
        contact.reveal_contact(request, other, other.user)
    # A volunteer object passed with somebody else's account is refused too.
    with pytest.raises(contact.ContactRefused):
        contact.reveal_contact(request, winner, other.user)

    log = list(AccessLog.objects.order_by("at", "pk").values_list("shown", "reason"))
    assert log == [
        (False, "not_open"),
        (True, "accepted"),
        (True, "accepted"),
        (False, "not_accepted"),
        (False, "not_accepted"),
    ]


@pytest.mark.django_db
def test_withdrawn_consent_stops_reveal_and_acceptance(terms):
    request = HelpRequestFactory()
    volunteer = VolunteerFactory()
    offer = offer_to(request, volunteer)
    offers.accept(offer.pk, volunteer)
    assert contact.withdraw_consent(request) is True
    with pytest.raises(contact.ContactRefused) as refused:
        contact.reveal_contact(request, volunteer, volunteer.user)
    assert refused.value.reason == "no_consent"

    # Withdrawing consent ends the request: it cannot be accepted, and stays withdrawn.
    second = HelpRequestFactory()
    contact.withdraw_consent(second)
    with pytest.raises(offers.OfferRefused) as no:
        offers.accept(offer_to(second, volunteer).pk, volunteer)
    assert no.value.code == "closed"
    second.refresh_from_db()
    assert second.status == HelpRequest.Status.WITHDRAWN


@pytest.mark.django_db
def test_refusals_change_nothing(terms):
    request = HelpRequestFactory()
    a, b = VolunteerFactory(), VolunteerFactory()
    offer_a, offer_b = offer_to(request, a), offer_to(request, b)
    offers.accept(offer_a.pk, a)

    with pytest.raises(offers.OfferRefused) as twice:
        offers.accept(offer_a.pk, a)
    assert twice.value.code == "already_yours"
    with pytest.raises(offers.OfferRefused) as taken:
        offers.accept(offer_b.pk, b)
    assert taken.value.code == "taken"
    # Somebody else's offer, by its number.
    with pytest.raises(offers.OfferRefused) as not_yours:
        offers.accept(offer_a.pk, b)
    assert not_yours.value.code == "not_yours"
    with pytest.raises(offers.OfferRefused):
        offers.hand_back(offer_a.pk, b)

    closed = HelpRequestFactory()
    offer_closed = offer_to(closed, b)
    contact.withdraw_consent(closed)
    with pytest.raises(offers.OfferRefused) as withdrawn:
        offers.accept(offer_closed.pk, b)
    assert withdrawn.value.code == "closed"

    request.refresh_from_db()
    assert request.accepted_volunteer == a
    assert Offer.objects.filter(status="accepted").count() == 1


@pytest.mark.django_db
def test_coordinator_sees_details_while_consent_stands(terms):
    from django.contrib.auth.models import Permission

    request = HelpRequestFactory()
    coordinator = UserFactory()
    coordinator.user_permissions.add(Permission.objects.get(codename="coordinate"))
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)
    assert contact.reveal_contact(request, None, coordinator).email == "ada@example.org"
    with pytest.raises(contact.ContactRefused):
        contact.reveal_contact(request, None, UserFactory())
    assert AccessLog.objects.filter(reason="coordinator", shown=True).count() == 1


@pytest.mark.django_db
def test_hand_back_reopens_and_passes_on(terms):
    request = HelpRequestFactory()
    first = VolunteerFactory()
    second = VolunteerFactory()
    offer = offer_to(request, first)
    offers.accept(offer.pk, first)
    offers.hand_back(offer.pk, first)
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.OPEN and request.accepted_volunteer is None
    assert request.offers.get(volunteer=second).status == Offer.Status.OFFERED
    with pytest.raises(contact.ContactRefused):
        contact.reveal_contact(request, first, first.user)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the race needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_many_volunteers_accept_at_once_exactly_one_wins(terms):
    request = HelpRequestFactory()
    volunteers = [VolunteerFactory() for _ in range(12)]
    offer_ids = [offer_to(request, v).pk for v in volunteers]
    barrier = threading.Barrier(len(volunteers))
    results = [None] * len(volunteers)

    def attempt(index):
        try:
            barrier.wait(timeout=20)
            offers.accept(offer_ids[index], volunteers[index])
            results[index] = "won"
        except offers.OfferRefused as refused:
            results[index] = refused.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(len(volunteers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results.count("won") == 1
    assert set(results) - {"won"} <= {"taken", "not_offered"}
    request.refresh_from_db()
    winner = volunteers[results.index("won")]
    assert request.accepted_volunteer == winner
    assert Offer.objects.filter(request=request, status="accepted").get().volunteer == winner
