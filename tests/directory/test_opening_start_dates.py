"""An opening time's start date is named where it matters: when the weeks (or months) are
counted from it, or while it is still to come; a start long past is left out."""

import datetime as dt
import json
import re

import pytest

from directory.models import Schedule
from directory.schedules import other_times, start_matters, weekly_summary
from directory.templatetags.directory_tags import repeats
from tests.directory import factories

TODAY = dt.date(2026, 12, 4)


def rule(**kwargs):
    fields = {"freq": "WEEKLY", "interval": 1, "byday": "TU", "bymonthday": "", "closed": False}
    fields.update(kwargs, opens_at=dt.time(10), closes_at=dt.time(12))
    return Schedule(**fields)


def test_the_start_matters_for_an_interval_or_a_start_to_come():
    assert not start_matters(rule(), TODAY)
    assert not start_matters(rule(dtstart=dt.date(2025, 1, 7)), TODAY)
    assert not start_matters(rule(dtstart=TODAY), TODAY)
    assert start_matters(rule(dtstart=dt.date(2027, 1, 5)), TODAY)
    assert start_matters(rule(interval=2, dtstart=dt.date(2025, 1, 7)), TODAY)
    assert start_matters(rule(freq="MONTHLY", byday="1SA", dtstart=dt.date(2027, 1, 2)), TODAY)
    # An opening time in force only from a later date starts then.
    assert start_matters(rule(valid_from=dt.date(2027, 1, 1)), TODAY)


def test_the_sentence_names_the_start_only_when_it_matters():
    assert (
        repeats(rule(dtstart=dt.date(2025, 1, 7)), TODAY) == "Every week on Tuesday: 10:00 to 12:00"
    )
    assert repeats(rule(dtstart=dt.date(2027, 1, 5)), TODAY) == (
        "Every week on Tuesday, starting on 5 January 2027: 10:00 to 12:00"
    )
    assert repeats(rule(interval=2, dtstart=dt.date(2026, 12, 1)), TODAY) == (
        "Every 2 weeks on Tuesday, starting on 1 December 2026: 10:00 to 12:00"
    )


def test_a_weekly_time_still_to_start_is_not_in_the_table_of_every_week():
    later = rule(dtstart=dt.date(2027, 1, 5))
    started = rule(byday="WE", dtstart=dt.date(2025, 1, 1))
    week = dict(weekly_summary([later, started], TODAY))
    assert week[1] == [] and week[2] == [(dt.time(10), dt.time(12))]
    assert other_times([later, started], TODAY) == [later]


@pytest.mark.django_db
def test_the_service_page_names_a_start_to_come(client, home, taxonomy):
    directory_page = factories.DirectoryPageFactory(parent=home)
    directory_page.save_revision().publish()
    service = factories.ServiceFactory(name="Drop-in")
    today = dt.date.today()
    soon = today + dt.timedelta(days=30)
    factories.ScheduleFactory(service=service, byday="TU", dtstart=soon)
    factories.ScheduleFactory(service=service, byday="WE", dtstart=today - dt.timedelta(days=400))
    html = client.get(f"{directory_page.url}{service.pk}/").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert f"Every week on Tuesday, starting on {soon.day} {soon:%B %Y}: 09:00 to 17:00" in text
    assert "Wednesday 09:00 to 17:00" in text
    assert "Tuesday 09:00 to 17:00" not in text
    assert "Every week on Wednesday" not in text


@pytest.mark.django_db
def test_schema_org_hours_say_from_when_a_weekly_time_starts(client, home, taxonomy):
    """A weekly time still to start is in the page's schema.org hours with its validFrom
    (and one in force until a date, its validThrough), not left out or shown as open now."""
    directory_page = factories.DirectoryPageFactory(parent=home)
    directory_page.save_revision().publish()
    service = factories.ServiceFactory(name="Drop-in")
    today = dt.date.today()
    soon, until = today + dt.timedelta(days=30), today + dt.timedelta(days=200)
    factories.ScheduleFactory(service=service, byday="TU", dtstart=soon, valid_to=until)
    factories.ScheduleFactory(service=service, byday="WE", dtstart=today - dt.timedelta(days=400))
    factories.ScheduleFactory(service=service, byday="TH", interval=2, dtstart=soon)
    html = client.get(f"{directory_page.url}{service.pk}/").content.decode()
    jsonld = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    hours = {spec["dayOfWeek"][0].rsplit("/", 1)[1]: spec for spec in jsonld["hoursAvailable"]}
    assert set(hours) == {"Tuesday", "Wednesday"}  # every other Thursday is not weekly
    assert hours["Tuesday"]["validFrom"] == soon.isoformat()
    assert hours["Tuesday"]["validThrough"] == until.isoformat()
    assert "validFrom" not in hours["Wednesday"] and "validThrough" not in hours["Wednesday"]
