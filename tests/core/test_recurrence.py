"""Recurrence rules: the RRULE parts the site uses, expanded by dateutil, never on for ever."""

import datetime as dt
import zoneinfo

import pytest
from dateutil.rrule import rrulestr

from core.recurrence import Rule, parse_byday, parse_monthdays


def dates(rule, start, end):
    return [when.date() for when in rule.between(start, end)]


NOVEMBER = (dt.datetime(2026, 11, 1), dt.datetime(2026, 12, 1))  # 1 November 2026 is a Sunday
YEAR_2026 = (dt.datetime(2026, 1, 1), dt.datetime(2027, 1, 1))


def test_byday_and_monthdays_are_parsed_from_their_text():
    assert parse_byday("mo, 1TU,-1fr") == ((None, 0), (1, 1), (-1, 4))
    assert parse_monthdays("1, 15,-1") == (1, 15, -1)
    assert parse_byday("") == parse_monthdays(None) == ()


@pytest.mark.parametrize(
    ("parse", "text", "bad_part"),
    [
        (parse_byday, "MO,MONDAY", "MONDAY"),
        (parse_byday, "6MO", "6MO"),
        (parse_monthdays, "1,32", "32"),
        (parse_monthdays, "0", "0"),
        (parse_monthdays, "1,first", "first"),
    ],
)
def test_a_bad_part_is_named(parse, text, bad_part):
    with pytest.raises(ValueError) as error:
        parse(text)
    assert error.value.args == (bad_part,)


@pytest.mark.parametrize(
    "fields",
    [
        {"freq": "DAILY", "byday": ((None, 0),)},
        {"interval": 0, "byday": ((None, 0),)},
        {},
        {"byday": ((6, 0),)},
        {"bymonthday": (32,)},
        {"byday": ((None, 0),), "count": 3, "until": dt.datetime(2027, 1, 1)},
    ],
)
def test_a_rule_the_site_cannot_keep_is_refused(fields):
    with pytest.raises(ValueError):
        Rule(**{"freq": "MONTHLY", "dtstart": NOVEMBER[0], **fields})


def test_every_other_week_counts_weeks_from_the_week_of_dtstart():
    wednesday = dt.datetime(2026, 11, 4, 10)
    fortnightly = Rule("WEEKLY", wednesday, interval=2, byday=parse_byday("MO,WE"))
    assert fortnightly.between(*NOVEMBER) == [
        wednesday,
        dt.datetime(2026, 11, 16, 10),
        dt.datetime(2026, 11, 18, 10),
        dt.datetime(2026, 11, 30, 10),
    ]


def test_every_third_month_counts_months_from_dtstart():
    first_mondays = Rule("MONTHLY", YEAR_2026[0], interval=3, byday=parse_byday("1MO"))
    assert dates(first_mondays, *YEAR_2026) == [
        dt.date(2026, 1, 5),
        dt.date(2026, 4, 6),
        dt.date(2026, 7, 6),
        dt.date(2026, 10, 5),
    ]


def test_nth_and_plain_weekdays_in_one_monthly_rule_each_give_dates():
    # dateutil alone would keep only the Sundays that are also first or last Saturdays: none.
    weekends = Rule("MONTHLY", NOVEMBER[0], byday=parse_byday("1SA,-1SA,SU"))
    assert [day.day for day in dates(weekends, *NOVEMBER)] == [1, 7, 8, 15, 22, 28, 29]


def test_month_days_count_from_the_end_and_must_match_the_weekdays_too():
    last_day = Rule("MONTHLY", dt.datetime(2027, 1, 1), bymonthday=(-1,))
    assert dates(last_day, dt.datetime(2028, 1, 1), dt.datetime(2028, 4, 1)) == [
        dt.date(2028, 1, 31),
        dt.date(2028, 2, 29),
        dt.date(2028, 3, 31),
    ]
    friday_13th = Rule("MONTHLY", YEAR_2026[0], byday=parse_byday("FR"), bymonthday=(13,))
    assert dates(friday_13th, *YEAR_2026) == [
        dt.date(2026, 2, 13),
        dt.date(2026, 3, 13),
        dt.date(2026, 11, 13),
    ]
    assert friday_13th.occurs_on(dt.date(2026, 11, 13))
    assert not friday_13th.occurs_on(dt.date(2026, 11, 20))
    assert not friday_13th.occurs_on(dt.date(2025, 6, 13))  # before DTSTART


def test_count_and_until_end_a_rule():
    tuesday = dt.datetime(2026, 3, 3, 19)
    three = Rule("WEEKLY", tuesday, byday=((None, 1),), count=3)
    assert three.between(*YEAR_2026) == [tuesday + dt.timedelta(weeks=w) for w in range(3)]
    assert three.last() == dt.datetime(2026, 3, 17, 19)
    last_tuesdays = Rule("MONTHLY", tuesday, byday=((-1, 1),), until=dt.datetime(2026, 6, 30))
    assert last_tuesdays.last() == dt.datetime(2026, 5, 26, 19)  # 30 June's is after UNTIL
    assert Rule("WEEKLY", tuesday, byday=((None, 1),)).last() is None


def test_the_text_is_rfc_5545_with_until_in_utc_for_a_time_zone():
    monthly = Rule(
        "MONTHLY",
        dt.datetime(2026, 3, 3, 19),
        byday=((1, 1),),
        until=dt.datetime(2026, 8, 31, 23, 59, 59),
    )
    london = zoneinfo.ZoneInfo("Europe/London")
    assert monthly.text(london) == "FREQ=MONTHLY;BYDAY=1TU;UNTIL=20260831T225959Z"
    assert monthly.text() == "FREQ=MONTHLY;BYDAY=1TU;UNTIL=20260831T235959"
    parsed = rrulestr(monthly.text(), dtstart=monthly.dtstart)
    assert list(parsed) == monthly.occurrences(monthly.until)
    assert Rule("WEEKLY", monthly.dtstart, interval=2, byday=((None, 1),), count=6).parts() == {
        "FREQ": "WEEKLY",
        "BYDAY": "TU",
        "INTERVAL": 2,
        "COUNT": 6,
    }


def test_a_rule_that_never_occurs_is_expanded_only_to_just_past_the_day(monkeypatch):
    """dateutil stops at UNTIL only on finding a date past it: one rrule of BYMONTHDAY=31 with
    BYDAY=2MO would search on to the year 9999. Every rrule used stops at the day and has a
    next date within three months, so the walk ends there."""
    never = Rule("MONTHLY", NOVEMBER[0], byday=parse_byday("2MO"), bymonthday=(31,))
    day = dt.date(2026, 11, 23)
    end_of_day = dt.datetime.combine(day, dt.time.max)
    used = []
    rrules = Rule.rrules
    monkeypatch.setattr(
        Rule, "rrules", lambda rule, until: used.append(rrules(rule, until)) or used[-1]
    )

    assert not never.occurs_on(day)

    walked = [each for parts in used for rules in parts for each in rules]
    assert len(walked) == 2
    for each in walked:
        assert f"UNTIL={end_of_day:%Y%m%dT%H%M%S}" in str(each)
        assert each.replace(until=None).after(end_of_day) < end_of_day + dt.timedelta(days=92)
    assert dates(never, dt.datetime(2026, 1, 1), dt.datetime(2030, 1, 1)) == []
