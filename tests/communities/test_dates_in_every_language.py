"""Dates in running text as a native reader writes them: in Polish the month after a day is
in the genitive ("4 grudnia", not "4 Grudzień") and a weekday is written in lower case."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from communities.booking import book
from communities.recurrence import next_occurrences
from core.localization import synchronise_locales

pytestmark = pytest.mark.django_db

POLISH_WEEKDAYS = ["poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota", "niedziela"]
WELSH_WEEKDAYS = ["Dydd Llun", "Dydd Mawrth", "Dydd Mercher", "Dydd Iau", "Dydd Gwener"]
WELSH_WEEKDAYS += ["Dydd Sadwrn", "Dydd Sul"]


def next_fourth_of_december():
    """The next 4 December after today: within the year events are listed for."""
    today = timezone.localdate()
    day = dt.date(today.year, 12, 4)
    return day if day > today else dt.date(today.year + 1, 12, 4)


DAY = next_fourth_of_december()
POLISH = f"{POLISH_WEEKDAYS[DAY.weekday()]} 4 grudnia {DAY.year}"


@pytest.fixture
def synced(home, locales):
    return synchronise_locales()


@pytest.fixture
def polish_event(synced, events_page, make_event):
    event = make_event(title="Spacer", start_date=DAY, repeat="weekly", repeat_count=2)
    return event, event.get_translation(synced["pl"]).specific


def test_an_event_page_in_polish_names_its_dates_in_the_genitive(client, polish_event):
    _event, polish = polish_event
    html = client.get(polish.url).content.decode()
    assert POLISH in html
    assert "Grudzień" not in html and "grudzień" not in html
    assert POLISH.capitalize() not in html


def test_a_polish_booking_page_and_email_name_the_date_in_the_genitive(
    client, polish_event, django_capture_on_commit_callbacks
):
    _event, polish = polish_event
    occurrence = next_occurrences(polish, timezone.now(), limit=1)[0]
    with django_capture_on_commit_callbacks(execute=True):
        book(polish, occurrence.key, "Ola", "ola@example.com", language="pl")
    body = mail.outbox[0].body
    assert POLISH + ", 19:00" in body
    path = re.search(r"https?://[^/\s]+(/\S*/booking/\S+)", body)[1]
    html = client.get(path).content.decode()
    assert POLISH + ", 19:00" in html
    assert "Grudzień" not in html


def test_the_polish_events_list_names_its_range_in_the_genitive(client, synced, events_page):
    polish = events_page.get_translation(synced["pl"])
    html = client.get(polish.url, {"date_from": "2026-12-04", "date_to": "2026-12-31"})
    html = html.content.decode()
    assert "4 grudnia 2026" in html and "31 grudnia 2026" in html
    assert "Grudzień" not in html


def test_welsh_keeps_its_capitals_and_its_month_names(client, synced, polish_event):
    event, _polish = polish_event
    html = client.get(event.get_translation(synced["cy"]).url).content.decode()
    assert f"{WELSH_WEEKDAYS[DAY.weekday()]} 4 Rhagfyr {DAY.year}" in html
