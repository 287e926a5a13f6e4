"""The public booking form: rate limited, with the honeypot, names checked, never cached."""

import pytest
from django.utils import timezone

from communities.models import Booking
from communities.recurrence import next_occurrences

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(make_event):
    return make_event(title="Grief café", capacity=20, repeat="weekly", repeat_count=4)


def booking_data(event, **changes):
    occurrence = next_occurrences(event, timezone.now(), limit=1)[0]
    data = {"starts_at": occurrence.key.isoformat(), "name": "Gwen", "email": "gwen@example.com"}
    data.update(changes)
    return data


def test_booking_too_often_is_refused_and_books_nothing(client, event, settings):
    settings.FORM_RATE_LIMITS = {**settings.FORM_RATE_LIMITS, "book_event": "3/h"}
    for n in range(3):
        client.post(event.url + "book/", booking_data(event, email=f"p{n}@example.com"))
    assert Booking.objects.count() == 3
    response = client.post(event.url + "book/", booking_data(event, email="more@example.com"))
    assert response.status_code == 429
    assert "Too many tries" in response.content.decode()
    assert Booking.objects.count() == 3
    # The event page itself still shows.
    assert client.get(event.url).status_code == 200


def test_the_booking_honeypot_is_the_shared_one(client, event):
    html = client.get(event.url).content.decode()
    assert '<div class="honeypot" aria-hidden="true">' in html
    assert 'name="website"' in html and 'tabindex="-1"' in html
    response = client.post(event.url + "book/", booking_data(event, website="spam.example"))
    assert "Something went wrong" in response.content.decode()
    assert Booking.objects.count() == 0


@pytest.mark.parametrize("name", ["\u200b\u200b", "\u202e\u2066", "\u3164", " \u00a0\u2800"])
def test_a_name_that_cannot_be_seen_is_refused(client, event, name):
    response = client.post(event.url + "book/", booking_data(event, name=name))
    assert response.status_code == 200
    assert Booking.objects.count() == 0


def test_bidi_controls_are_taken_out_of_the_stored_name(client, event):
    client.post(event.url + "book/", booking_data(event, name="\u202eGwen\u202c Jones\u2069"))
    assert Booking.objects.get().name == "Gwen Jones"


def test_the_booking_page_is_never_stored_by_caches(client, event):
    client.post(event.url + "book/", booking_data(event))
    booking = Booking.objects.get()
    url = event.url + event.reverse_subpage("booking", args=[booking.token()])
    for response in [client.get(url), client.post(url, {"action": "cancel"})]:
        assert response.status_code == 200
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"no-store", "private"} <= cache_control
