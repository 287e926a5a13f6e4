"""Events in every language: one page per language, one set of places per event."""

import pytest
from django.core import mail
from django.utils import timezone

from communities.booking import book, places_left
from communities.models import Booking, CommunityGroupPage, EventPage, OccurrenceSeats
from communities.recurrence import next_occurrences
from core.demo.site import translate
from core.localization import synchronise_locales

pytestmark = pytest.mark.django_db


@pytest.fixture
def synced(home, locales):
    return synchronise_locales()


@pytest.fixture
def event(synced, events_page, make_event):
    return make_event(title="Bereavement walk", capacity=2, repeat="weekly", repeat_count=4)


def first(event):
    return next_occurrences(event, timezone.now(), limit=1)[0]


@pytest.mark.parametrize("code", ["cy", "pl", "bn", "ur", "ar"])
def test_an_event_and_its_booking_form_answer_in_every_language(event, synced, client, code):
    localized = event.get_translation(synced[code])
    assert localized.url == event.url.replace("/en/", f"/{code}/")
    response = client.get(localized.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{code}"' in html
    assert 'action="' + localized.url + 'book/"' in html


def test_bookings_in_any_language_share_the_events_places(
    event, synced, client, django_capture_on_commit_callbacks
):
    occurrence = first(event)
    welsh = event.get_translation(synced["cy"])
    arabic = event.get_translation(synced["ar"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            welsh.url + "book/",
            {"starts_at": occurrence.key.isoformat(), "name": "Gwen", "email": "gwen@example.com"},
        )
    assert response.status_code == 302
    assert response["Location"].startswith(welsh.url + "booking/")
    assert client.get(response["Location"]).status_code == 200
    book(arabic.specific, occurrence.key, "Amal", "amal@example.com", language="ar")
    third = book(event, occurrence.key, "Ann", "ann@example.com")

    assert third.status == Booking.Status.WAITING
    assert places_left(event, occurrence.key) == 0
    assert places_left(arabic.specific, occurrence.key) == 0
    assert OccurrenceSeats.objects.get().event_id == event.pk
    assert set(Booking.objects.values_list("event_id", flat=True)) == {event.pk}
    assert Booking.objects.get(email="gwen@example.com").language == "cy"
    # The emailed link leads to the event in the booker's language.
    assert f"{welsh.url}booking/" in mail.outbox[0].body
    html = client.get(arabic.url).content.decode()
    assert "gwen@example.com" not in html


def test_events_lists_link_to_events_in_the_visitors_language(event, synced, client):
    translate(event, synced["pl"], {"Bereavement walk": "Spacer dla osób w żałobie"})
    polish = client.get("/pl/events/").content.decode()
    assert polish.count('class="event-card"') == 4  # four dates, each listed once
    assert f'href="{event.get_translation(synced["pl"]).url}"' in polish
    assert "Spacer dla osób w żałobie" in polish
    assert 'href="/en/' not in polish[polish.index("<main") :]
    urdu = client.get("/ur/events/").content.decode()
    assert urdu.count('<h3 class="event-card__title" lang="en" dir="ltr">') == 4
    assert f'href="{event.get_translation(synced["ur"]).url}"' in urdu


def test_a_group_page_republished_keeps_its_editors_group_to_itself(event, synced):
    group = event.get_parent().specific
    assert group.editors_group_id is not None
    group.summary = "A new summary"
    group.save_revision().publish()
    aliases = type(group).objects.filter(alias_of=group)
    assert aliases.count() == 5
    assert not aliases.filter(editors_group__isnull=False).exists()
    assert EventPage.objects.filter(translation_key=event.translation_key).count() == 6


def test_a_language_synchronised_after_a_group_exists_gets_its_aliases(group, locales):
    """A language synchronised with the default one later (wagtail-localize's "sync from"
    setting, or `synchronise_locales`) gets an alias of every page there already is; Wagtail
    makes an alias with every field of its original, but a group's editors group is its
    own (one-to-one)."""
    assert group.editors_group_id is not None

    synchronise_locales()

    aliases = CommunityGroupPage.objects.filter(alias_of=group)
    assert aliases.count() == len(locales) - 1
    assert not aliases.filter(editors_group__isnull=False).exists()
    group.refresh_from_db()
    assert group.editors_group_id is not None
