"""The day keys of opening rules (directory.search.occurrence) say what occurs_on says."""

import datetime as dt

import pytest

from directory.models import Schedule
from directory.schedules import occurs_on
from directory.search.occurrence import day_keys, rule_keys

RULES = [
    {"byday": "MO,WE"},
    {"byday": "1SA"},  # weekly: every Saturday
    {"freq": "MONTHLY", "byday": "1SA"},
    {"freq": "MONTHLY", "byday": "-1FR,2TU"},
    {"freq": "MONTHLY", "byday": "SU"},
    {"freq": "MONTHLY", "bymonthday": "1,15,-1"},
    {"freq": "MONTHLY", "byday": "MO", "bymonthday": "13"},
    {"freq": "MONTHLY", "bymonthday": "31"},
    {"byday": "TU", "interval": 2, "dtstart": dt.date(2026, 3, 4)},
    {"byday": "TU,FR", "interval": 3, "dtstart": dt.date(2025, 12, 30)},
    {"byday": "TU", "interval": 2},  # no start: every week
    {"freq": "MONTHLY", "byday": "1MO", "interval": 2, "dtstart": dt.date(2026, 2, 1)},
    {"freq": "MONTHLY", "bymonthday": "10", "interval": 3, "dtstart": dt.date(2025, 11, 20)},
    {"byday": "MO", "bymonthday": "3"},  # weekly: the day of the month is not read
    {"byday": "SA", "dtstart": dt.date(2026, 6, 6), "valid_to": dt.date(2026, 9, 1)},
    {"byday": "SA", "valid_from": dt.date(2026, 5, 1)},
]


@pytest.mark.parametrize("fields", RULES, ids=[str(i) for i in range(len(RULES))])
def test_a_rules_keys_meet_a_dates_keys_on_the_days_it_occurs(fields):
    schedule = Schedule(freq=fields.pop("freq", "WEEKLY"), **fields)
    keys = set(rule_keys(schedule))
    start = dt.date(2025, 12, 1)
    for offset in range(500):
        day = start + dt.timedelta(days=offset)
        in_force = schedule.applies_on(day) and not (schedule.dtstart and day < schedule.dtstart)
        meets = bool(keys.intersection(day_keys(day, intervals=(2, 3)))) and in_force
        assert meets == occurs_on(schedule, day), day
