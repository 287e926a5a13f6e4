"""Why a volunteer was offered a request, and why nobody was, are kept as codes and numbers
and worded in the language of whoever reads them, not of whoever was active when matching ran."""

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from tests.volunteers.factories import HelpRequestFactory, VolunteerFactory
from volunteers import offers
from volunteers.models import HelpRequest

pytestmark = pytest.mark.django_db

ENGLISH = {"offer": "km away", "no_match": "active, with valid training and checks"}
WELSH = {"offer": "km i ffwrdd", "no_match": "gweithredol, gyda hyfforddiant a gwiriadau dilys"}


def reads(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


@pytest.mark.parametrize(
    ("matched_in", "read_in", "shown", "hidden"),
    [("en", "cy", WELSH, ENGLISH), ("cy", "en", ENGLISH, WELSH)],
)
def test_an_offers_reason_is_worded_in_the_readers_language(
    client, coordinator, matched_in, read_in, shown, hidden
):
    help_request = HelpRequestFactory()
    VolunteerFactory(display_name="Nearby Helper")
    with translation.override(matched_in):
        made = offers.make_offers(help_request)
    assert made
    reads(coordinator, read_in)
    page = client.get(reverse("volunteers_exclusions", args=[help_request.pk])).content.decode()
    offered = page.split("Nearby Helper", 1)[1]
    assert shown["offer"] in offered
    assert hidden["offer"] not in page
    listing = client.get(reverse("wagtailsnippets_volunteers_offer:list")).content.decode()
    assert shown["offer"] in listing and hidden["offer"] not in listing


@pytest.mark.parametrize(
    ("matched_in", "read_in", "shown", "hidden"),
    [("en", "cy", WELSH, ENGLISH), ("cy", "en", ENGLISH, WELSH)],
)
def test_why_nobody_was_found_is_worded_in_the_readers_language_after_the_request_closes(
    client, coordinator, matched_in, read_in, shown, hidden
):
    help_request = HelpRequestFactory()
    with translation.override(matched_in):
        assert offers.make_offers(help_request) == []
    HelpRequest.objects.filter(pk=help_request.pk).update(status=HelpRequest.Status.CLOSED)
    reads(coordinator, read_in)
    page = client.get(
        reverse("wagtailsnippets_volunteers_helprequest:inspect", args=[help_request.pk])
    ).content.decode()
    assert f"{shown['no_match']}: 0" in page
    assert hidden["no_match"] not in page
