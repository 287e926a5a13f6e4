"""The Matching page acts: a coordinator offers the request to a chosen volunteer through the
offer rules; names link to the volunteer; the admin's standard header and breadcrumbs."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.volunteers.factories import HelpRequestFactory, UserFactory, VolunteerFactory
from volunteers import contact
from volunteers.models import Offer, Volunteer

pytestmark = pytest.mark.django_db


def test_offer_to_a_chosen_volunteer_from_the_matching_page(client, coordinator):
    help_request = HelpRequestFactory()
    chosen = VolunteerFactory(display_name="Chosen Helper")
    paused = VolunteerFactory(display_name="Paused Helper", status=Volunteer.Status.PAUSED)
    page_url = reverse("volunteers_exclusions", args=[help_request.pk])
    page = client.get(page_url).content.decode()
    # The admin's own header with breadcrumbs back to the request and the list.
    assert 'class="w-breadcrumbs' in page
    assert reverse("wagtailsnippets_volunteers_helprequest:list") in page
    assert reverse("wagtailsnippets_volunteers_helprequest:inspect", args=[help_request.pk]) in page
    for volunteer in (chosen, paused):
        assert reverse("wagtailsnippets_volunteers_volunteer:edit", args=[volunteer.pk]) in page
    assert "Offer to Chosen Helper" in page and "Offer to Paused Helper" not in page

    offer_url = reverse("volunteers_offer_volunteer", args=[help_request.pk])
    response = client.post(offer_url, {"volunteer": chosen.pk})
    assert response.status_code == 302 and response.url == page_url
    offer = Offer.objects.get(request=help_request)
    assert offer.volunteer == chosen and offer.status == "offered" and offer.reason
    assert mail.outbox[-1].to == [chosen.user.email]
    assert "Ada Help-Seeker" not in mail.outbox[-1].body

    # The offer rules still apply: not to someone paused, nor twice, nor for junk.
    for value, message in (
        (paused.pk, "Paused Helper cannot be offered this request"),
        (chosen.pk, "Chosen Helper cannot be offered this request"),
        ("abc", "Choose a volunteer"),
        ("", "Choose a volunteer"),
        ("9" * 40, "Choose a volunteer"),
    ):
        response = client.post(offer_url, {"volunteer": value}, follow=True)
        assert response.status_code == 200 and message in response.content.decode()
    assert Offer.objects.filter(request=help_request).count() == 1


def test_no_offer_once_consent_is_withdrawn(client, coordinator):
    help_request = HelpRequestFactory()
    volunteer = VolunteerFactory()
    contact.withdraw_consent(help_request)
    response = client.post(
        reverse("volunteers_offer_volunteer", args=[help_request.pk]),
        {"volunteer": volunteer.pk},
        follow=True,
    )
    assert not Offer.objects.exists()
    assert (
        "no longer waiting" in response.content.decode() or "consent" in response.content.decode()
    )


def test_only_coordinators_may_offer(client, home, terms):
    help_request = HelpRequestFactory()
    volunteer = VolunteerFactory()
    client.force_login(UserFactory(is_staff=True))
    response = client.post(
        reverse("volunteers_offer_volunteer", args=[help_request.pk]), {"volunteer": volunteer.pk}
    )
    assert response.status_code in (302, 403)
    assert not Offer.objects.exists()
