"""Recurrence: RRULE subset expanded into occurrences, in the event's time zone."""

import datetime as dt
import zoneinfo

import pytest

from communities.models import EventException, EventPage
from communities.recurrence import bounds, occurrence_at, occurrences, rrule_string

# A Wagtail page's constructor may look up the default locale.
pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
UTC = dt.UTC


def event(**kwargs):
    fields = {
        "title": "Walk",
        "start_date": dt.date(2026, 3, 3),  # the first Tuesday of March 2026
        "start_time": dt.time(19, 0),
        "end_time": dt.time(20, 30),
    }
    fields.update(kwargs)
    return EventPage(**fields)


def window(start, end):
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=LONDON),
        dt.datetime.combine(end, dt.time.min, tzinfo=LONDON),
    )


def test_one_off_event_has_one_occurrence_with_its_duration():
    found = occurrences(event(), *window(dt.date(2026, 1, 1), dt.date(2027, 1, 1)))
    assert [(o.start, o.end) for o in found] == [
        (
            dt.datetime(2026, 3, 3, 19, 0, tzinfo=LONDON),
            dt.datetime(2026, 3, 3, 20, 30, tzinfo=LONDON),
        )
    ]


def test_weekly_keeps_wall_clock_time_across_the_change_to_summer_time():
    # British Summer Time starts on Sunday 29 March 2026.
    weekly = event(repeat="weekly", repeat_count=6)
    found = occurrences(weekly, *window(dt.date(2026, 3, 1), dt.date(2026, 5, 1)))
    assert [o.start.date() for o in found] == [
        dt.date(2026, 3, 3),
        dt.date(2026, 3, 10),
        dt.date(2026, 3, 17),
        dt.date(2026, 3, 24),
        dt.date(2026, 3, 31),
        dt.date(2026, 4, 7),
    ]
    assert all(o.start.hour == 19 for o in found)
    # ... which is 19:00 UTC in winter and 18:00 UTC in summer.
    assert found[3].start.astimezone(UTC).hour == 19
    assert found[4].start.astimezone(UTC).hour == 18
    assert rrule_string(weekly) == "FREQ=WEEKLY;BYDAY=TU;COUNT=6"


def test_monthly_on_the_nth_weekday_with_until_and_exceptions():
    monthly = event(repeat="monthly", repeat_until=dt.date(2026, 8, 31))
    assert rrule_string(monthly) == "FREQ=MONTHLY;BYDAY=1TU;UNTIL=20260831T225959Z"
    found = occurrences(monthly, *window(dt.date(2026, 1, 1), dt.date(2027, 1, 1)))
    assert [o.start.date() for o in found] == [
        dt.date(2026, 3, 3),
        dt.date(2026, 4, 7),
        dt.date(2026, 5, 5),
        dt.date(2026, 6, 2),
        dt.date(2026, 7, 7),
        dt.date(2026, 8, 4),
    ]
    monthly.exceptions.add(EventException(date=dt.date(2026, 5, 5)))
    found = occurrences(monthly, *window(dt.date(2026, 1, 1), dt.date(2027, 1, 1)))
    assert dt.date(2026, 5, 5) not in [o.start.date() for o in found]
    assert len(found) == 5


def test_last_weekday_of_the_month_and_every_other_week():
    last = event(start_date=dt.date(2026, 3, 31), repeat="monthly", repeat_count=3)
    assert rrule_string(last) == "FREQ=MONTHLY;BYDAY=-1TU;COUNT=3"
    found = occurrences(last, *window(dt.date(2026, 1, 1), dt.date(2027, 1, 1)))
    assert [o.start.date() for o in found] == [
        dt.date(2026, 3, 31),
        dt.date(2026, 4, 28),
        dt.date(2026, 5, 26),
    ]
    fortnightly = event(repeat="weekly", repeat_interval=2, repeat_count=3)
    found = occurrences(fortnightly, *window(dt.date(2026, 1, 1), dt.date(2027, 1, 1)))
    assert [o.start.day for o in found] == [3, 17, 31]


def test_window_is_half_open_and_open_ended_rules_expand_only_the_window():
    forever = event(repeat="weekly")
    start, end = window(dt.date(2030, 1, 1), dt.date(2030, 1, 15))
    found = occurrences(forever, start, end)
    assert [o.start.date() for o in found] == [dt.date(2030, 1, 1), dt.date(2030, 1, 8)]
    assert occurrences(forever, found[0].start + dt.timedelta(seconds=1), end)[0] == found[1]
    assert bounds(forever)[1] is None


def test_occurrence_at_and_bounds():
    weekly = event(repeat="weekly", repeat_count=3)
    assert occurrence_at(weekly, dt.datetime(2026, 3, 10, 19, tzinfo=LONDON)) is not None
    assert occurrence_at(weekly, dt.datetime(2026, 3, 10, 18, tzinfo=LONDON)) is None
    assert occurrence_at(weekly, dt.datetime(2026, 3, 24, 19, tzinfo=LONDON)) is None
    first, last = bounds(weekly)
    assert first == dt.datetime(2026, 3, 3, 19, tzinfo=UTC)
    assert last == dt.datetime(2026, 3, 17, 20, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start_time", "end_time"), [(dt.time(19), dt.time(18)), (dt.time(19), dt.time(19))]
)
def test_end_before_start_is_refused(start_time, end_time):
    from django.core.exceptions import ValidationError

    bad = event(
        start_time=start_time, end_time=end_time, online=True, online_url="https://x.example"
    )
    with pytest.raises(ValidationError) as raised:
        bad.clean()
    assert "end_time" in raised.value.message_dict
