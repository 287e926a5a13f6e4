"""'Open now' for search: most rules decided in SQL, the rest checked exactly in Python.

A plain weekly rule (every week, named weekdays, no dates of the month) is decided in the
database; monthly, fortnightly and date-of-month rules are few, so the services that have one
are checked with directory.schedules.is_open_at, exactly as the service page does. Either way
a rule counts only from its first occurrence (dtstart) and within its valid_from..valid_to.
"""

from django.db.models import Q

from core.recurrence import WEEKDAYS
from directory.models import Schedule
from directory.schedules import ALL_DAY_CLOSE, is_open_at

SIMPLE = (
    Q(closed=False, interval=1, bymonthday="")
    & Q(freq__in=["WEEKLY", ""])
    & ~Q(byday__regex=r"[0-9]")
)


def not_ended(day):
    """Opening rules still in force on `day` or later: no end date, or one not before it."""
    return Q(valid_to__isnull=True) | Q(valid_to__gte=day)


def _in_force(day):
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & not_ended(day)


def _started(day):
    return Q(dtstart__isnull=True) | Q(dtstart__lte=day)


def open_service_ids(services, moment):
    """A queryset of the ids among `services` open at `moment` (plus a small exact list)."""
    day = moment.date()
    time = moment.time().replace(second=0, microsecond=0)
    weekday = WEEKDAYS[day.weekday()]
    candidates = services.values("pk")
    closed_today = Schedule.objects.filter(_in_force(day), closed=True).values("service_id")
    simple_open = (
        Schedule.objects.filter(SIMPLE, _in_force(day), _started(day), service_id__in=candidates)
        .filter(byday__iregex=rf"(^|,)\s*{weekday}\s*(,|$)")
        .filter(opens_at__lte=time)
        .filter(Q(closes_at__gt=time) | Q(closes_at=ALL_DAY_CLOSE))
        .exclude(service_id__in=closed_today)
        .values("service_id")
    )
    with_complex_rules = (
        Schedule.objects.filter(service_id__in=candidates, closed=False)
        .exclude(SIMPLE)
        .exclude(service_id__in=closed_today)
        .values("service_id")
    )
    by_service = {}
    for schedule in Schedule.objects.filter(service_id__in=with_complex_rules):
        by_service.setdefault(schedule.service_id, []).append(schedule)
    exact = [sid for sid, rows in by_service.items() if is_open_at(rows, moment)]
    return Q(pk__in=simple_open) | Q(pk__in=exact)
