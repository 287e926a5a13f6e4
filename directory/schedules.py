"""Opening times: is a service open at a moment, is it open around the clock, and validation.

Schedules follow HSDS 3.0, which borrows iCalendar's RRULE vocabulary: `freq` (WEEKLY or
MONTHLY), `interval`, `byday` (MO..SU, with an ordinal for monthly rules: 1MO is the first
Monday, -1FR the last Friday), `bymonthday`, `opens_at`/`closes_at` and `valid_from`/`valid_to`.
A row marked `closed` is a closure on its dates and wins over opening rows.

Whether a rule falls on a date is worked out by arithmetic, in constant time, rather than by
expanding it with dateutil's rrule as events do: rrule searches on to the year 9999 for a rule
that never occurs (BYMONTHDAY=31 with BYDAY=2MO takes over a second), and imported feeds can
hold such rules.
"""

import calendar
import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
BYDAY_RE = re.compile(r"^(?P<ordinal>[+-]?[1-5])?(?P<day>MO|TU|WE|TH|FR|SA|SU)$")
ALL_DAY_OPEN = dt.time(0, 0)
ALL_DAY_CLOSE = dt.time(23, 59)


def parse_byday(value):
    """'MO,1TU,-1FR' -> [(None, 0), (1, 1), (-1, 4)]; raises ValueError on a bad part."""
    parts = []
    for raw in (value or "").upper().replace(" ", "").split(","):
        if not raw:
            continue
        match = BYDAY_RE.match(raw)
        if not match:
            raise ValueError(raw)
        ordinal = int(match["ordinal"]) if match["ordinal"] else None
        parts.append((ordinal, WEEKDAYS.index(match["day"])))
    return parts


def parse_monthdays(value):
    days = []
    for raw in (value or "").replace(" ", "").split(","):
        if not raw:
            continue
        day = int(raw)
        if not (1 <= abs(day) <= 31):
            raise ValueError(raw)
        days.append(day)
    return days


def validate_schedule(schedule):
    """Errors a person editing or importing a schedule can make, with a message per field."""
    errors = {}
    try:
        parse_byday(schedule.byday)
    except ValueError as error:
        errors["byday"] = _("“%(value)s” is not a day. Use MO, TU, WE, TH, FR, SA, SU.") % {
            "value": error.args[0]
        }
    try:
        parse_monthdays(schedule.bymonthday)
    except ValueError as error:
        errors["bymonthday"] = _("“%(value)s” is not a day of the month.") % {
            "value": error.args[0]
        }
    if schedule.opens_at and schedule.closes_at and schedule.closes_at <= schedule.opens_at:
        errors["closes_at"] = _("The closing time must be after the opening time.")
    if bool(schedule.opens_at) != bool(schedule.closes_at) and not schedule.closed:
        errors["closes_at"] = _("Give both an opening and a closing time.")
    if schedule.valid_from and schedule.valid_to and schedule.valid_to < schedule.valid_from:
        errors["valid_to"] = _("The end date must not be before the start date.")
    if schedule.closed and not (schedule.valid_from or schedule.valid_to):
        errors["valid_from"] = _("Say which dates the service is closed.")
    if not schedule.closed and not (schedule.byday or schedule.bymonthday):
        errors["byday"] = _("Say which days the service is open.")
    if errors:
        raise ValidationError(errors)


def _nth_weekday_matches(day, ordinal, weekday):
    if day.weekday() != weekday:
        return False
    if ordinal is None:
        return True
    if ordinal > 0:
        return (day.day - 1) // 7 + 1 == ordinal
    next_month = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    days_left = (next_month - day).days - 1
    return days_left // 7 + 1 == -ordinal


def _weeks_between(start, day):
    return (day - start).days // 7


def occurs_on(schedule, day):
    """Whether an opening rule applies on a date (closures are handled by the caller)."""
    if not schedule.applies_on(day):
        return False
    interval = schedule.interval or 1
    if schedule.freq == "MONTHLY":
        if schedule.dtstart and interval > 1:
            months = (day.year - schedule.dtstart.year) * 12 + day.month - schedule.dtstart.month
            if months < 0 or months % interval:
                return False
        monthdays = parse_monthdays(schedule.bymonthday)
        if monthdays:
            days_in_month = calendar.monthrange(day.year, day.month)[1]
            if not any(
                d == day.day or (d < 0 and days_in_month + d + 1 == day.day) for d in monthdays
            ):
                return False
            return not schedule.byday or any(
                _nth_weekday_matches(day, o, w) for o, w in parse_byday(schedule.byday)
            )
        return any(_nth_weekday_matches(day, o, w) for o, w in parse_byday(schedule.byday))
    # WEEKLY (the default when freq is blank)
    if schedule.dtstart and interval > 1:
        weeks = _weeks_between(
            schedule.dtstart - dt.timedelta(days=schedule.dtstart.weekday()), day
        )
        if weeks < 0 or weeks % interval:
            return False
    return any(w == day.weekday() for _o, w in parse_byday(schedule.byday))


def periods_on(schedules, day):
    """The (opens, closes) periods on a date, earliest first; [] if closed that day."""
    schedules = list(schedules)
    if any(s.closed and s.applies_on(day) for s in schedules):
        return []
    periods = [
        (s.opens_at, s.closes_at)
        for s in schedules
        if not s.closed and s.opens_at and s.closes_at and occurs_on(s, day)
    ]
    return sorted(periods)


def is_open_at(schedules, moment):
    """Whether any period covers `moment` (a timezone-aware or local datetime)."""
    day, time = moment.date(), moment.time().replace(second=0, microsecond=0)
    for opens, closes in periods_on(schedules, day):
        if opens <= time and (time < closes or closes == ALL_DAY_CLOSE):
            return True
    return False


def is_open_24_7(schedules):
    """True when every weekday has a period from midnight to 23:59 and nothing closes it."""
    schedules = list(schedules)
    covered = set()
    for s in schedules:
        if s.closed or s.valid_to or (s.freq or "WEEKLY") != "WEEKLY" or (s.interval or 1) != 1:
            continue
        if s.opens_at == ALL_DAY_OPEN and s.closes_at == ALL_DAY_CLOSE:
            covered.update(w for o, w in parse_byday(s.byday) if o is None)
    return covered == set(range(7))


def weekly_summary(schedules):
    """Rows for the service page: (weekday index, [(opens, closes), ...]) for Monday..Sunday,
    from the regular weekly rules in force today."""
    rows = []
    for index in range(7):
        periods = sorted(
            (s.opens_at, s.closes_at)
            for s in schedules
            if not s.closed
            and (s.freq or "WEEKLY") == "WEEKLY"
            and s.opens_at
            and s.closes_at
            and any(o is None and w == index for o, w in parse_byday(s.byday))
        )
        rows.append((index, periods))
    return rows
