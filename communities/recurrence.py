"""When an event happens: its RFC 5545 recurrence rule, expanded into occurrences.

An event stores a subset of RRULE as fields: FREQ=WEEKLY or FREQ=MONTHLY on the nth weekday
(BYDAY=2TU, or -1TU for the last), INTERVAL, COUNT or UNTIL, and exception dates (EXDATE).
The rule is a core.recurrence Rule, the one the directory's opening hours use. Occurrences are
expanded in the event's own time zone, on wall-clock times, so a 7 pm meeting stays at 7 pm
across the change to and from summer time.
"""

import datetime as dt
from dataclasses import dataclass

from core.recurrence import Rule


@dataclass(frozen=True)
class Occurrence:
    """One time an event happens, as aware datetimes in the event's time zone."""

    event: object
    start: dt.datetime
    end: dt.datetime
    distance_km: float | None = None

    @property
    def key(self):
        """The occurrence's start in UTC, as bookings and links name it."""
        return self.start.astimezone(dt.UTC)


def week_of_month(date):
    """1 to 4 for the first to fourth such weekday of the month; 5 means the fifth."""
    return (date.day - 1) // 7 + 1


def monthly_week(event):
    if event.monthly_week:
        return event.monthly_week
    week = week_of_month(event.start_date)
    return -1 if week == 5 else week


def rule_parts(event):
    """The RRULE as an ordered dict of RFC 5545 parts, or None for a one-off event."""
    return _rule(event).parts(event.zone) if event.repeat else None


def rrule_string(event):
    return _rule(event).text(event.zone) if event.repeat else ""


def _first_start_naive(event):
    return dt.datetime.combine(event.start_date, event.start_time)


def _rule(event):
    """The event's rule, over naive local wall-clock times; UNTIL is the end of that day."""
    monthly = event.repeat != "weekly"
    until = None
    if event.repeat_until and not event.repeat_count:
        until = dt.datetime.combine(event.repeat_until, dt.time(23, 59, 59))
    return Rule(
        "MONTHLY" if monthly else "WEEKLY",
        dtstart=_first_start_naive(event),
        interval=event.repeat_interval or 1,
        byday=((monthly_week(event) if monthly else None, event.start_date.weekday()),),
        until=until,
        count=event.repeat_count or None,
    )


def exception_dates(event):
    # Through modelcluster, so an unsaved event's (or a preview's) exceptions count too.
    return {exception.date for exception in event.exceptions.all()}


def _aware(event, naive):
    # zoneinfo resolves a wall time that falls in the spring-forward gap or the autumn
    # overlap with fold=0: the earlier offset, as calendar apps do.
    return naive.replace(tzinfo=event.zone)


def occurrences(event, start, end):
    """Every Occurrence of `event` starting in [start, end) (aware datetimes), in order."""
    duration = event.duration or dt.timedelta(hours=1)
    skip = exception_dates(event)
    local_start = start.astimezone(event.zone).replace(tzinfo=None)
    local_end = end.astimezone(event.zone).replace(tzinfo=None)
    if not event.repeat:
        candidates = [_first_start_naive(event)]
    else:
        # Widen by a day either side: the naive window is compared on wall-clock times.
        candidates = _rule(event).between(
            local_start - dt.timedelta(days=1), local_end + dt.timedelta(days=1)
        )
    found = []
    for naive in candidates:
        if naive.date() in skip:
            continue
        begins = _aware(event, naive)
        if start <= begins < end:
            found.append(Occurrence(event, begins, begins + duration))
    return found


def occurrence_at(event, starts_at):
    """The Occurrence starting exactly at `starts_at`, or None if the event has none then."""
    window = occurrences(event, starts_at - dt.timedelta(minutes=1), starts_at + dt.timedelta(1))
    for occurrence in window:
        if occurrence.start == starts_at:
            return occurrence
    return None


def next_occurrences(event, after, limit=5, horizon_days=400):
    """Up to `limit` occurrences starting at or after `after`, within a horizon."""
    return occurrences(event, after, after + dt.timedelta(days=horizon_days))[:limit]


def bounds(event):
    """(first start, last end) in UTC; last end is None for an event that repeats for ever."""
    duration = event.duration or dt.timedelta(hours=1)
    first = _aware(event, _first_start_naive(event))
    if not event.repeat:
        return first.astimezone(dt.UTC), (first + duration).astimezone(dt.UTC)
    if not (event.repeat_count or event.repeat_until):
        return first.astimezone(dt.UTC), None
    last = _rule(event).last() or _first_start_naive(event)
    return first.astimezone(dt.UTC), (_aware(event, last) + duration).astimezone(dt.UTC)
