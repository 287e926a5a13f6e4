"""Opening times: is a service open at a moment, is it open around the clock, and validation.

Schedules follow HSDS 3.0, which borrows iCalendar's RRULE vocabulary: `freq` (WEEKLY or
MONTHLY), `interval`, `byday` (MO..SU, with an ordinal for monthly rules: 1MO is the first
Monday, -1FR the last Friday), `bymonthday`, `opens_at`/`closes_at` and `valid_from`/`valid_to`.
A row marked `closed` is a closure on its dates and wins over opening rows.

Whether a rule falls on a date is decided by core.recurrence, the rule events use too.
"""

import datetime as dt
from functools import lru_cache

from dateutil.relativedelta import MO, relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.recurrence import Rule, parse_byday, parse_monthdays

ALL_DAY_OPEN = dt.time(0, 0)
ALL_DAY_CLOSE = dt.time(23, 59)


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


def occurs_on(schedule, day):
    """Whether an opening rule applies on a date (closures are handled by the caller): never
    before its first occurrence (`dtstart`) nor outside the dates it is in force."""
    if not schedule.applies_on(day):
        return False
    if schedule.dtstart and day < schedule.dtstart:
        return False
    interval = schedule.interval or 1
    return _occurs_on(
        schedule.freq,
        schedule.byday,
        schedule.bymonthday,
        interval,
        schedule.dtstart if interval > 1 else None,
        day,
    )


@lru_cache(maxsize=4096)
def _occurs_on(freq, byday, bymonthday, interval, dtstart, day):
    """Whether the rule with these parts falls on `day`, remembered: the same rule (every
    first Saturday) recurs across many services, and a search for 'open now' asks about one
    day, so each distinct rule is expanded once rather than once per service."""
    rule = _rule(freq, byday, bymonthday, interval, dtstart, day)
    return rule is not None and rule.occurs_on(day)


def _rule(freq, byday, bymonthday, interval, dtstart, day):
    """A schedule's rule as a Rule for deciding `day`, or None if it names no days.

    A weekly row reads only its weekdays (RFC 5545 has no month days in a weekly rule). HSDS's
    `dtstart` counts the interval from the start of its week or month. occurs_on refuses the
    days before dtstart, so a row for every week or month starts its rule at the start of
    `day`'s own week or month: a walk of days, not years.
    """
    monthly = freq == "MONTHLY"
    days = parse_byday(byday)
    monthdays = parse_monthdays(bymonthday) if monthly else ()
    if not (days or monthdays):
        return None
    anchor = dtstart if dtstart and interval > 1 else day
    start = anchor + (relativedelta(day=1) if monthly else relativedelta(weekday=MO(-1)))
    return Rule(
        "MONTHLY" if monthly else "WEEKLY",
        dtstart=dt.datetime.combine(start, dt.time.min),
        interval=interval,
        byday=days,
        bymonthday=monthdays,
    )


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


def is_open_24_7(schedules, today=None):
    """True when every weekday has a period from midnight to 23:59, started by `today` (the
    local date when None) and with no end date, and nothing closes it. A stored flag: it
    is worked out again on the day such hours start (`indexing.refresh_hours_started`)."""
    schedules = list(schedules)
    today = today or timezone.localdate()
    covered = set()
    for s in schedules:
        if s.closed or s.valid_to or (s.freq or "WEEKLY") != "WEEKLY" or (s.interval or 1) != 1:
            continue
        if (start := starts_on(s)) is not None and start > today:
            continue
        if s.opens_at == ALL_DAY_OPEN and s.closes_at == ALL_DAY_CLOSE:
            covered.update(w for o, w in parse_byday(s.byday) if o is None)
    return covered == set(range(7))


def starts_on(schedule):
    """The first date an opening rule can open: the later of its first occurrence and the
    date it is in force from; None if it names neither."""
    dates = [d for d in (schedule.dtstart, schedule.valid_from) if d]
    return max(dates) if dates else None


def start_matters(schedule, today):
    """Whether a reader needs an opening rule's start date: when the weeks (or months) are
    counted from it (every 2 weeks or more), or when it is still to come. A start long past
    of a rule for every week says nothing."""
    start = starts_on(schedule)
    if start is None:
        return False
    return ((schedule.interval or 1) > 1 and schedule.dtstart is not None) or start > today


def repeats_weekly(schedule):
    """Whether an opening rule repeats every week (whenever it starts)."""
    return (schedule.freq or "WEEKLY") == "WEEKLY" and (schedule.interval or 1) == 1


def is_every_week(schedule, today):
    """Whether an opening rule repeats every week from before `today`, as the service page's
    table of a week shows."""
    return repeats_weekly(schedule) and not start_matters(schedule, today)


def other_times(schedules, today):
    """The opening rules a table of one week cannot show (monthly ones, every other week,
    ones still to start), in the order staff put them."""
    return [s for s in schedules if not s.closed and not is_every_week(s, today)]


def weekly_summary(schedules, today):
    """Rows for the service page: (weekday index, [(opens, closes), ...]) for Monday..Sunday,
    from the rules that repeat every week and have started by `today`."""
    rows = []
    for index in range(7):
        periods = sorted(
            (s.opens_at, s.closes_at)
            for s in schedules
            if not s.closed
            and is_every_week(s, today)
            and s.opens_at
            and s.closes_at
            and any(o is None and w == index for o, w in parse_byday(s.byday))
        )
        rows.append((index, periods))
    return rows
