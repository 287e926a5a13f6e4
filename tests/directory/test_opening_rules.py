"""How HSDS schedule rows are read as recurrence rules: intervals, month days, odd feeds."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.recurrence import Rule
from directory import schedules
from directory.models import Schedule
from directory.schedules import is_open_at, occurs_on, validate_schedule


def rule(**kwargs):
    fields = {"freq": "WEEKLY", "interval": 1, "byday": "", "bymonthday": "", "closed": False}
    fields.update(kwargs, opens_at=dt.time(10), closes_at=dt.time(12))
    return Schedule(**fields)


def days_in(schedule, first, last):
    days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return [day for day in days if occurs_on(schedule, day)]


def test_an_interval_counts_weeks_from_the_week_of_dtstart():
    # dtstart is a Wednesday: its week counts as the first, but nothing opens before it.
    fortnightly = rule(byday="MO,WE", interval=2, dtstart=dt.date(2026, 11, 4))
    assert days_in(fortnightly, dt.date(2026, 10, 26), dt.date(2026, 11, 30)) == [
        dt.date(2026, 11, 4),
        dt.date(2026, 11, 16),
        dt.date(2026, 11, 18),
        dt.date(2026, 11, 30),
    ]


def test_an_interval_counts_months_from_the_month_of_dtstart():
    every_other = rule(freq="MONTHLY", byday="1SA", interval=2, dtstart=dt.date(2026, 11, 2))
    assert days_in(every_other, dt.date(2026, 10, 1), dt.date(2027, 3, 31)) == [
        dt.date(2026, 11, 7),
        dt.date(2027, 1, 2),
        dt.date(2027, 3, 6),
    ]
    # Its month counts as the first, but nothing opens before dtstart.
    later = rule(freq="MONTHLY", byday="1SA", interval=2, dtstart=dt.date(2026, 11, 20))
    assert days_in(later, dt.date(2026, 10, 1), dt.date(2027, 3, 31)) == [
        dt.date(2027, 1, 2),
        dt.date(2027, 3, 6),
    ]


def test_a_rule_for_every_week_holds_from_its_dtstart_on_as_the_search_sql_reads_it():
    weekly = rule(byday="MO", dtstart=dt.date(2027, 1, 4))
    assert not occurs_on(weekly, dt.date(2026, 11, 23))
    assert occurs_on(weekly, dt.date(2027, 1, 4))
    assert occurs_on(weekly, dt.date(2027, 1, 11))


def test_month_days_and_weekdays_must_both_match_and_a_weekly_rule_reads_only_weekdays():
    friday_13th = rule(freq="MONTHLY", byday="FR", bymonthday="13")
    assert days_in(friday_13th, dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == [
        dt.date(2026, 2, 13),
        dt.date(2026, 3, 13),
        dt.date(2026, 11, 13),
    ]
    assert occurs_on(rule(byday="MO", bymonthday="13"), dt.date(2026, 11, 23))
    assert not occurs_on(rule(bymonthday="23"), dt.date(2026, 11, 23))


def test_plain_and_nth_weekdays_together_each_open():
    mondays_and_first_saturday = rule(freq="MONTHLY", byday="MO,1SA")
    assert days_in(mondays_and_first_saturday, dt.date(2026, 12, 1), dt.date(2026, 12, 31)) == [
        dt.date(2026, 12, 5),
        dt.date(2026, 12, 7),
        dt.date(2026, 12, 14),
        dt.date(2026, 12, 21),
        dt.date(2026, 12, 28),
    ]


def test_a_rule_that_never_occurs_is_closed_and_walked_only_over_its_month(monkeypatch):
    never = rule(freq="MONTHLY", byday="2MO", bymonthday="31")
    schedules._occurs_on.cache_clear()  # each distinct rule is expanded once per day
    used = []
    rrules = Rule.rrules
    monkeypatch.setattr(
        Rule, "rrules", lambda r, until: used.append((r.dtstart, until)) or rrules(r, until)
    )
    assert not is_open_at([never], dt.datetime(2026, 11, 23, 11))
    assert used == [(dt.datetime(2026, 11, 1), dt.datetime(2026, 11, 23, 23, 59, 59, 999999))]
    # Asked again, for another service with the same rule, it is not expanded again.
    assert not is_open_at(
        [rule(freq="MONTHLY", byday="2MO", bymonthday="31")], dt.datetime(2026, 11, 23, 9)
    )
    assert len(used) == 1


def test_a_month_day_that_is_not_a_number_is_named():
    with pytest.raises(ValidationError) as error:
        validate_schedule(rule(freq="MONTHLY", bymonthday="first"))
    assert error.value.message_dict["bymonthday"] == ["“first” is not a day of the month."]
