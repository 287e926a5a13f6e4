"""'Open now' as keys a search server can match: the days an opening rule falls on, written as
day keys, and the keys of one date.

An opening rule falls on a date when one of its keys is among the date's keys, the date is
within the dates the rule is in force (from `directory.schedules.starts_on`, to `valid_to`)
and no closure is in force that day: the same answer as `directory.schedules.occurs_on`,
which tests hold these keys to. A key names a weekday (MO), an nth weekday of the month
(SA#1, FR#-1), a day of the month (D15, D-1) or a weekday that is also a day of the month
(MO&D13); a rule repeating every n weeks or months from its `dtstart` adds which of the n
it falls on (MO/W2:1).
"""

import calendar
import datetime as dt

from core.recurrence import WEEKDAYS, parse_byday, parse_monthdays
from directory.schedules import ALL_DAY_CLOSE, starts_on

WEEK_ZERO = dt.date(1970, 1, 5)  # a Monday: weeks are counted from it
DAY_END = 24 * 60 * 60  # a rule closing at 23:59 is open to the end of the day


def _week(day):
    return (day - WEEK_ZERO).days // 7


def _month(day):
    return day.year * 12 + day.month - 1


def _cycle(kind, interval, day):
    index = _week(day) if kind == "W" else _month(day)
    return f"/{kind}{interval}:{index % interval}"


def rule_keys(schedule):
    """The day keys of an opening rule: it falls on a date that has one of them."""
    monthly = schedule.freq == "MONTHLY"
    days = []
    for ordinal, weekday in parse_byday(schedule.byday):
        # A weekly rule reads its weekdays alone (RFC 5545: no nth weekday in a week).
        code = WEEKDAYS[weekday]
        days.append(f"{code}#{ordinal}" if monthly and ordinal is not None else code)
    monthdays = [f"D{day}" for day in parse_monthdays(schedule.bymonthday)] if monthly else []
    if days and monthdays:  # both given: the dates that are both
        keys = [f"{day}&{monthday}" for day in days for monthday in monthdays]
    else:
        keys = days or monthdays
    interval = schedule.interval or 1
    if interval > 1 and schedule.dtstart:
        cycle = _cycle("M" if monthly else "W", interval, schedule.dtstart)
        keys = [key + cycle for key in keys]
    return sorted(set(keys))


def day_keys(day, intervals=()):
    """The keys of a date: a rule with one of them falls on it. `intervals` are the
    repeats (every n weeks or months, n > 1) the rules searched have."""
    code = WEEKDAYS[day.weekday()]
    length = calendar.monthrange(day.year, day.month)[1]
    weekdays = [code, f"{code}#{(day.day - 1) // 7 + 1}", f"{code}#-{(length - day.day) // 7 + 1}"]
    monthdays = [f"D{day.day}", f"D-{length - day.day + 1}"]
    keys = weekdays + monthdays + [f"{w}&{m}" for w in weekdays for m in monthdays]
    cycled = [key + _cycle(kind, n, day) for n in intervals for kind in "WM" for key in keys]
    return keys + cycled


def _seconds(time):
    return (time.hour * 60 + time.minute) * 60 + time.second


def openings(schedules):
    """The opening rules to index: their day keys, hours (seconds after midnight, a rule
    closing at 23:59 open to the end of the day) and the dates they are in force."""
    rows = []
    for s in schedules:
        if s.closed or not (s.opens_at and s.closes_at):
            continue
        start = starts_on(s)
        rows.append(
            {
                "days": rule_keys(s),
                "opens": _seconds(s.opens_at),
                "closes": DAY_END if s.closes_at == ALL_DAY_CLOSE else _seconds(s.closes_at),
                "valid_from": start.isoformat() if start else None,
                "valid_to": s.valid_to.isoformat() if s.valid_to else None,
            }
        )
    return rows


def closures(schedules):
    """The closures to index: the dates each one is in force."""
    return [
        {
            "valid_from": s.valid_from.isoformat() if s.valid_from else None,
            "valid_to": s.valid_to.isoformat() if s.valid_to else None,
        }
        for s in schedules
        if s.closed
    ]


def moment_values(moment):
    """(date, seconds after midnight) of a moment as 'open now' compares them: to the
    minute, as `directory.schedules.is_open_at` does."""
    return moment.date(), _seconds(moment.time().replace(second=0, microsecond=0))
