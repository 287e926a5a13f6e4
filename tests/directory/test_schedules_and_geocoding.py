"""Opening-time rules, and locations finding their own coordinates from the postcode."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from directory.models import Address, Location, Schedule, Service
from directory.schedules import is_open_24_7, is_open_at, occurs_on, periods_on, validate_schedule
from tests.directory import factories


def rule(**kwargs):
    defaults = {"freq": "WEEKLY", "interval": 1, "byday": "", "bymonthday": "", "closed": False}
    defaults.update(kwargs)
    return Schedule(**defaults)


MONDAY = dt.date(2026, 11, 23)


def test_weekly_rules_with_two_periods_a_day():
    rules = [
        rule(byday="MO,WE", opens_at=dt.time(10), closes_at=dt.time(13)),
        rule(byday="MO", opens_at=dt.time(14), closes_at=dt.time(17)),
    ]
    assert periods_on(rules, MONDAY) == [(dt.time(10), dt.time(13)), (dt.time(14), dt.time(17))]
    assert is_open_at(rules, dt.datetime.combine(MONDAY, dt.time(12, 59)))
    assert not is_open_at(rules, dt.datetime.combine(MONDAY, dt.time(13, 30)))
    assert not is_open_at(rules, dt.datetime.combine(MONDAY, dt.time(17)))
    assert periods_on(rules, MONDAY + dt.timedelta(days=1)) == []


def test_monthly_nth_weekday_and_last_weekday():
    first_saturday = rule(freq="MONTHLY", byday="1SA", opens_at=dt.time(10), closes_at=dt.time(12))
    last_wednesday = rule(freq="MONTHLY", byday="-1WE", opens_at=dt.time(18), closes_at=dt.time(20))
    assert occurs_on(first_saturday, dt.date(2026, 12, 5))
    assert not occurs_on(first_saturday, dt.date(2026, 12, 12))
    assert occurs_on(last_wednesday, dt.date(2026, 12, 30))
    assert not occurs_on(last_wednesday, dt.date(2026, 12, 23))
    assert occurs_on(
        rule(freq="MONTHLY", bymonthday="-1", opens_at=dt.time(9), closes_at=dt.time(10)),
        dt.date(2027, 2, 28),
    )


def test_fortnightly_rules_count_weeks_from_their_start():
    fortnightly = rule(
        byday="TU",
        interval=2,
        dtstart=dt.date(2026, 11, 3),
        opens_at=dt.time(10),
        closes_at=dt.time(11),
    )
    assert occurs_on(fortnightly, dt.date(2026, 11, 17))
    assert not occurs_on(fortnightly, dt.date(2026, 11, 24))


def test_closures_win_and_24_7_is_recognised():
    always = rule(byday="MO,TU,WE,TH,FR,SA,SU", opens_at=dt.time(0), closes_at=dt.time(23, 59))
    assert is_open_24_7([always])
    assert is_open_at([always], dt.datetime.combine(MONDAY, dt.time(23, 59, 30)))
    christmas = rule(closed=True, valid_from=dt.date(2026, 12, 25), valid_to=dt.date(2026, 12, 26))
    assert not is_open_at([always, christmas], dt.datetime(2026, 12, 25, 12))
    assert is_open_at([always, christmas], dt.datetime(2026, 12, 27, 12))
    assert not is_open_24_7([rule(byday="MO,TU", opens_at=dt.time(0), closes_at=dt.time(23, 59))])


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"byday": "MO", "opens_at": dt.time(17), "closes_at": dt.time(9)},
            "closes_at",
            "The closing time must be after the opening time.",
        ),
        (
            {"byday": "XX", "opens_at": dt.time(9), "closes_at": dt.time(17)},
            "byday",
            "is not a day",
        ),
        (
            {"bymonthday": "32", "opens_at": dt.time(9), "closes_at": dt.time(17)},
            "bymonthday",
            "is not a day of the month",
        ),
        ({"closed": True}, "valid_from", "Say which dates"),
        ({"opens_at": dt.time(9), "closes_at": dt.time(17)}, "byday", "Say which days"),
    ],
)
def test_impossible_schedules_get_a_message(fields, field, message):
    with pytest.raises(ValidationError) as error:
        validate_schedule(rule(**fields))
    assert message in " ".join(error.value.message_dict[field])


@pytest.mark.django_db
def test_database_refuses_a_schedule_that_closes_before_it_opens(taxonomy):
    service = factories.ServiceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Schedule.objects.create(
            service=service, byday="MO", opens_at=dt.time(17), closes_at=dt.time(9)
        )


@pytest.mark.django_db
def test_database_refuses_impossible_coordinates_and_ages(taxonomy):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.LocationFactory(latitude=100, longitude=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ServiceFactory(minimum_age=30, maximum_age=20)


@pytest.mark.django_db
def test_a_location_without_coordinates_is_geocoded_from_its_postcode():
    from core.geo.sample import load_sample_districts

    load_sample_districts()
    location = Location(name="Library", latitude=None, longitude=None)
    location.save()
    Address.objects.create(
        location=location, address_1="1 Road", city="London", postal_code="SE13 7AA"
    )
    location.save()
    location.refresh_from_db()
    assert location.latitude == pytest.approx(51.459, abs=0.05)
    assert location.longitude == pytest.approx(-0.01, abs=0.05)


@pytest.mark.django_db
def test_a_location_that_cannot_be_geocoded_keeps_no_coordinates():
    location = Location(name="Nowhere", latitude=None, longitude=None)
    location.save()
    Address.objects.create(
        location=location, address_1="1 Road", city="Atlantis", postal_code="ZZ99 9ZZ"
    )
    location.save()
    location.refresh_from_db()
    assert location.latitude is None and location.longitude is None


def test_round_the_clock_hours_count_only_from_the_day_they_start():
    every_day = {
        "byday": "MO,TU,WE,TH,FR,SA,SU",
        "opens_at": dt.time(0),
        "closes_at": dt.time(23, 59),
    }
    from_next_week = rule(valid_from=MONDAY + dt.timedelta(days=7), **every_day)
    assert not is_open_24_7([from_next_week], today=MONDAY)
    assert is_open_24_7([from_next_week], today=MONDAY + dt.timedelta(days=7))
    first_occurrence_later = rule(dtstart=MONDAY + dt.timedelta(days=3), **every_day)
    assert not is_open_24_7([first_occurrence_later], today=MONDAY)


@pytest.mark.django_db
def test_the_daily_refresh_flags_a_service_open_round_the_clock_from_its_first_day(taxonomy):
    from directory.indexing import refresh_hours_started

    today = dt.date.today()
    every_day = {
        "byday": "MO,TU,WE,TH,FR,SA,SU",
        "opens_at": dt.time(0),
        "closes_at": dt.time(23, 59),
    }
    starting = factories.ServiceFactory(name="Night line")
    factories.ScheduleFactory(service=starting, valid_from=today, **every_day)
    later = factories.ServiceFactory(name="Winter night line")
    factories.ScheduleFactory(service=later, valid_from=today + dt.timedelta(days=2), **every_day)
    # As the flags stood when they were last worked out, the day before.
    Service.objects.update(open_24_7=False)
    assert refresh_hours_started() == 1
    assert set(Service.objects.filter(open_24_7=True)) == {starting}
