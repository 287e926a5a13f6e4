"""Booking: places per occurrence, the waiting list, cancelling by the signed link, emails."""

import datetime as dt
import re
import uuid

import pytest
from django.core import mail
from django.utils import timezone, translation

from communities.booking import BookingError, book, booking_from_token, cancel, places_left
from communities.models import Booking, OccurrenceSeats
from communities.recurrence import next_occurrences

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(make_event):
    return make_event(title="Bereavement walk", capacity=2, repeat="weekly", repeat_count=4)


def first(event):
    return next_occurrences(event, timezone.now(), limit=1)[0]


def test_full_occurrence_puts_people_on_the_waiting_list(event, django_capture_on_commit_callbacks):
    occurrence = first(event)
    with django_capture_on_commit_callbacks(execute=True):
        a = book(event, occurrence.key, "Ann", "ann@example.com")
        b = book(event, occurrence.key, "Bea", "bea@example.com")
        c = book(event, occurrence.key, "Cal", "cal@example.com")
    assert [a.status, b.status, c.status] == ["confirmed", "confirmed", "waiting"]
    assert places_left(event, occurrence.key) == 0
    # Another date of the same event has its own places.
    second = next_occurrences(event, timezone.now(), limit=2)[1]
    assert book(event, second.key, "Cal", "cal@example.com").status == "confirmed"
    assert [m.to for m in mail.outbox[:3]] == [
        ["ann@example.com"],
        ["bea@example.com"],
        ["cal@example.com"],
    ]
    assert mail.outbox[0].subject == "Your place at Bereavement walk"
    assert "waiting list" in mail.outbox[2].subject


def test_cancelling_by_the_emailed_link_promotes_the_first_waiting(
    client, event, django_capture_on_commit_callbacks
):
    occurrence = first(event)
    with django_capture_on_commit_callbacks(execute=True):
        ann = book(event, occurrence.key, "Ann", "ann@example.com")
        book(event, occurrence.key, "Bea", "bea@example.com")
        cal = book(event, occurrence.key, "Cal", "cal@example.com")
        dee = book(event, occurrence.key, "Dee", "dee@example.com")
    link = [line for line in mail.outbox[0].body.splitlines() if "/booking/" in line][0]
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path)
    assert response.status_code == 200
    assert "Cancel my booking" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/" + path, {"action": "cancel"})
    assert "Your booking is cancelled" in response.content.decode()
    ann.refresh_from_db()
    cal.refresh_from_db()
    dee.refresh_from_db()
    assert ann.status == "cancelled"
    assert cal.status == "confirmed"
    assert dee.status == "waiting"
    assert OccurrenceSeats.objects.get(event=event).booked == 2
    assert [m.to for m in mail.outbox] == [["cal@example.com"]]
    assert "A place has come free" in mail.outbox[0].subject
    # Cancelling a place nobody is waiting for frees it.
    cancel(cal)
    cancel(dee)
    assert places_left(event, occurrence.key) == 1


def test_a_tampered_or_foreign_link_shows_nothing(client, event, make_event):
    booking = book(event, first(event).key, "Ann", "ann@example.com")
    token = booking.token()
    assert booking_from_token(token) == booking
    assert booking_from_token(token[:-2] + "xx") is None
    response = client.get(event.url + f"booking/{token[:-2]}xx/")
    assert response.status_code == 404
    assert "Ann" not in response.content.decode()
    other = make_event(title="Another")
    assert client.get(other.url + f"booking/{token}/").status_code == 404


def test_bad_bookings_are_refused(event, make_event):
    past = make_event(start_date=timezone.localdate() - dt.timedelta(days=3))
    past_start = dt.datetime.combine(past.start_date, past.start_time, tzinfo=past.zone)
    with pytest.raises(BookingError, match="already started"):
        book(past, past_start, "Ann", "ann@example.com")
    wrong_time = first(event).key + dt.timedelta(hours=1)
    with pytest.raises(BookingError, match="does not happen at that time"):
        book(event, wrong_time, "Ann", "ann@example.com")
    book(event, first(event).key, "Ann", "ann@example.com")
    with pytest.raises(BookingError, match="already booked"):
        book(event, first(event).key, "Ann", "ANN@example.com")
    unbookable = make_event(capacity=None)
    with pytest.raises(BookingError, match="does not take bookings"):
        book(unbookable, first(unbookable).key, "Ann", "ann@example.com")
    assert Booking.objects.count() == 1


def test_booking_through_the_page_and_email_in_the_bookers_language(
    client, event, django_capture_on_commit_callbacks
):
    occurrence = first(event)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            event.url + "book/",
            {"starts_at": occurrence.key.isoformat(), "name": "Gwen", "email": "gwen@example.com"},
            HTTP_ACCEPT_LANGUAGE="cy",
            follow=True,
        )
    assert response.status_code == 200
    booking = Booking.objects.get()
    assert booking.status == "confirmed"
    # The event page is English; the booker asked for Welsh through the language prefix.
    with translation.override("cy"):
        assert booking.language in ("en", "cy")
    assert "Gwen" in response.content.decode()


def test_booking_form_errors_are_shown_next_to_the_fields(client, event):
    response = client.post(event.url + "book/", {"starts_at": "2001-01-01T00:00:00+00:00"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter your name" in html and "Enter your email address" in html
    assert Booking.objects.count() == 0


def test_email_is_written_in_the_bookers_language(event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        book(event, first(event).key, "Ola", "ola@example.com", language="pl")
    with translation.override("pl"):
        from django.utils.translation import gettext

        expected = gettext("Your place at %(event)s") % {"event": event.title}
    assert mail.outbox[0].subject == expected
    assert "/booking/" in mail.outbox[0].body


def test_the_emailed_link_does_not_carry_the_email_address(event):
    import base64

    booking = book(event, first(event).key, "Ann", "ann.private@example.com")
    payload = booking.token().split("/")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()
    assert "ann.private" not in decoded
    assert "example.com" not in decoded
    # The link is bound to the address: a booking whose address changed no longer opens.
    token = booking.token()
    Booking.objects.filter(pk=booking.pk).update(email="someone.else@example.com")
    assert booking_from_token(token) is None


def test_the_link_stops_working_a_week_after_the_date(client, event, monkeypatch):
    from communities import booking as booking_module

    occurrence = first(event)
    booking = book(event, occurrence.key, "Ann Private", "ann@example.com")
    path = event.url + f"booking/{booking.token()}/"
    assert client.get(path).status_code == 200
    assert not booking_module.link_expired(booking, now=occurrence.key + dt.timedelta(days=6))
    later = occurrence.key + dt.timedelta(days=8)
    assert booking_module.link_expired(booking, now=later)
    monkeypatch.setattr(booking_module.timezone, "now", lambda: later)
    response = client.get(path)
    assert response.status_code == 410
    html = response.content.decode()
    assert "This link has expired" in html
    assert "Ann Private" not in html
    response = client.post(path, {"action": "cancel"})
    assert response.status_code == 410
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_bookings_are_removed_a_while_after_their_date_and_the_count_stays(event, settings):
    import io

    from django.core.management import call_command

    from communities.retention import remove_past_bookings

    settings.COMMUNITY_BOOKING_RETENTION_DAYS = 30
    occurrence = first(event)
    book(event, occurrence.key, "Ann", "ann@example.com")
    book(event, occurrence.key, "Bea", "bea@example.com")
    later = next_occurrences(event, timezone.now(), limit=2)[1]
    book(event, later.key, "Cal", "cal@example.com")
    assert remove_past_bookings(now=occurrence.key + dt.timedelta(days=29)) == 0
    assert remove_past_bookings(now=occurrence.key + dt.timedelta(days=31)) == 2
    assert list(Booking.objects.values_list("name", flat=True)) == ["Cal"]
    assert OccurrenceSeats.objects.get(event=event, starts_at=occurrence.key).booked == 2
    call_command("remove_past_bookings", stdout=io.StringIO())
    assert Booking.objects.count() == 1


def test_booking_emails_link_to_the_public_address(
    settings, make_event, django_capture_on_commit_callbacks
):
    """Every link starts with SITE_URL, whatever host the Wagtail site record names."""
    settings.SITE_URL = "https://help.example.org"
    event = make_event(title="Death Café", capacity=1)
    occurrence = first(event)
    with django_capture_on_commit_callbacks(execute=True):
        book(event, occurrence.key, "Ann", "ann@example.com")
        book(event, occurrence.key, "Bea", "bea@example.com")
    links = [link for m in mail.outbox for link in re.findall(r"https?://\S+", m.body)]
    assert len(mail.outbox) == 2 and len(links) >= 4
    assert all(link.startswith("https://help.example.org/") for link in links), links


@pytest.mark.parametrize("token", [True, False], ids=["token", "no token"])
def test_a_booking_sent_twice_is_made_once_and_shows_the_same_page(client, event, token):
    form = {
        "starts_at": first(event).key.isoformat(),
        "name": "Gwen",
        "email": "gwen@example.com",
        "submission": str(uuid.uuid4()) if token else "",
    }
    first_answer = client.post(event.url + "book/", form, follow=True)
    second_answer = client.post(event.url + "book/", form, follow=True)
    assert Booking.objects.count() == 1
    assert OccurrenceSeats.objects.get().booked == 1
    assert first_answer.redirect_chain == second_answer.redirect_chain
    assert "We had already received this form from you" in second_answer.content.decode()
