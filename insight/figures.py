"""Each month's figures by area, computed from the apps' own records into `Figure` rows.

`refresh(month)` recomputes one month in one transaction (delete the month, insert anew), so
a page never sees half a month. The scheduler runs `refresh_recent_task` every hour for this
month and last month; `manage.py refresh_insight --months 12` rebuilds older months. Pages
and downloads read only `Figure` rows, never the records themselves.

Which month a record counts in: a help request in the month it was received; a task in the
month it was completed; volunteers, training and services as they stand at the end of the
month (for past months, as they stood when the month was last refreshed); an event in the
month it took place.
"""

import datetime as dt
import statistics
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Q, Sum
from django.utils import timezone
from django_tasks import task

from communities.models import EventPage, OccurrenceSeats
from communities.recurrence import occurrences
from directory.models import Service
from directory.stale import stale_cutoff
from volunteers.models import DBSCheck, HelpRequest, TrainingRecord, Volunteer

from .areas import ALL, EVERYWHERE, Locator
from .measures import SHARES
from .models import Figure, SearchCount, SurveyTally

# The months and areas that have figures, cached until the next refresh (or five minutes).
CACHE_KEY = "insight:figures-index"


def month_start(day):
    return day.replace(day=1)


def next_month(month):
    return month + relativedelta(months=1, day=1)


def previous_month(month):
    return month + relativedelta(months=-1, day=1)


def month_bounds(month):
    """The month as aware datetimes [start, end) in the site's time zone."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(month, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(next_month(month), dt.time.min, tzinfo=zone)
    return start, end


class Tally:
    """Counts and samples per (area kind, area, measure, breakdown)."""

    def __init__(self):
        self.counts = defaultdict(float)
        self.samples = defaultdict(list)

    def add(self, areas, measure, breakdown="", amount=1):
        for kind, area in areas:
            self.counts[kind, area, measure, breakdown] += amount

    def sample(self, areas, measure, value):
        for kind, area in areas:
            self.samples[kind, area, measure].append(value)

    def rows(self, month):
        rows = [
            Figure(month=month, area_kind=k, area=a, measure=m, breakdown=b, value=v)
            for (k, a, m, b), v in self.counts.items()
        ]
        for (kind, area, measure), values in self.samples.items():
            for suffix, value in (
                ("median", percentile(values, 50)),
                ("p90", percentile(values, 90)),
            ):
                rows.append(
                    Figure(
                        month=month,
                        area_kind=kind,
                        area=area,
                        measure=f"{measure}_{suffix}",
                        value=value,
                    )
                )
        return rows


def percentile(values, q):
    """The q-th percentile by the nearest-rank method (a value someone actually waited)."""
    ordered = sorted(values)
    if q == 50:
        return float(statistics.median_low(ordered))
    rank = max(1, -(-q * len(ordered) // 100))
    return float(ordered[int(rank) - 1])


def hours_between(start, end):
    return (end - start).total_seconds() / 3600


# The steps of volunteers.matching.no_match_counts, in its order; the first with nobody left
# is why a request found no volunteer.
NO_MATCH_STEPS = [
    "no_one_trained",
    "no_one_in_reach",
    "no_one_free",
    "no_one_with_room",
    "all_asked",
]


def no_match_step(reason):
    """The first step of a request's stored no_match_counts that left nobody."""
    counts = [count for _code, count in reason or []]
    for step, count in zip(NO_MATCH_STEPS, counts, strict=False):
        if count == 0:
            return step
    return "declined_or_timed_out" if counts else ""


def _requests(tally, locator, month, now):
    start, end = month_bounds(month)
    rows = (
        HelpRequest.objects.filter(created_at__gte=start, created_at__lt=end)
        .annotate(first_offer=Min("offers__offered_at"))
        .values_list(
            "area",
            "latitude",
            "longitude",
            "task_type__name",
            "requested_by",
            "status",
            "created_at",
            "accepted_at",
            "first_offer",
            "ends_at",
            "no_match_reason",
        )
        .iterator(chunk_size=5000)
    )
    matched_statuses = {HelpRequest.Status.ACCEPTED, HelpRequest.Status.CLOSED}
    for label, lat, lon, kind, by, status, created, accepted, first_offer, ends, why in rows:
        areas = locator.areas(label, lat, lon)
        tally.add(areas, "requests")
        tally.add(areas, "requests", f"kind:{kind}")
        tally.add(areas, "requests", f"by:{by}")
        if first_offer is not None:
            tally.add(areas, "requests_offered")
            tally.sample(areas, "first_offer", hours_between(created, first_offer))
        if status in matched_statuses or accepted is not None:
            tally.add(areas, "requests_matched")
            if accepted is not None:
                tally.sample(areas, "acceptance", hours_between(created, accepted))
            continue
        ended = None
        if status == HelpRequest.Status.WITHDRAWN:
            ended = "withdrawn"
        elif status == HelpRequest.Status.OPEN and ends < now:
            ended = "expired"
        if ended:
            tally.add(areas, "requests_unmatched")
            tally.add(areas, "requests_unmatched", f"ended:{ended}")
            if step := no_match_step(why):
                tally.add(areas, "requests_unmatched", f"why:{step}")


def _tasks(tally, locator, month):
    start, end = month_bounds(month)
    rows = HelpRequest.objects.filter(
        status=HelpRequest.Status.CLOSED, closed_at__gte=start, closed_at__lt=end
    ).values_list("area", "latitude", "longitude", "hours")
    for label, lat, lon, hours in rows.iterator(chunk_size=5000):
        areas = locator.areas(label, lat, lon)
        tally.add(areas, "tasks_closed")
        tally.add(areas, "volunteer_hours", amount=float(hours or 0))


def _volunteers(tally, locator, month):
    last_day = month + relativedelta(day=31)
    active = Volunteer.objects.filter(
        status=Volunteer.Status.ACTIVE, email_verified_at__isnull=False
    ).filter(Q(approved_at__isnull=True) | Q(approved_at__date__lte=last_day))
    lapsed_training = TrainingRecord.objects.filter(volunteer=OuterRef("pk")).exclude(
        module__in=TrainingRecord.objects.filter(
            volunteer=OuterRef(OuterRef("pk")), expires_on__gte=last_day
        ).values("module")
    )
    current_check = DBSCheck.objects.filter(
        volunteer=OuterRef("pk"), issued_on__lte=last_day, recheck_due__gte=last_day
    )
    rows = active.annotate(
        lapsed=Exists(lapsed_training), checked=Exists(current_check)
    ).values_list("home_area", "latitude", "longitude", "lapsed", "checked")
    for label, lat, lon, lapsed, checked in rows.iterator(chunk_size=5000):
        areas = locator.areas(label, lat, lon)
        tally.add(areas, "volunteers_active")
        if checked and not lapsed:
            tally.add(areas, "volunteers_current")


def _searches(tally, locator, month):
    rows = (
        SearchCount.objects.filter(day__gte=month, day__lt=next_month(month))
        .values("district", "category")
        .annotate(searches=Sum("searches"), nothing_near=Sum("nothing_near"))
    )
    for row in rows:
        areas = locator.areas_of(row["district"])
        if row["category"]:
            tally.add(areas, "searches", f"category:{row['category']}", row["searches"])
        else:
            tally.add(areas, "searches", amount=row["searches"])
            tally.add(areas, "searches_nothing_near", amount=row["nothing_near"])


def services_by_district(month, locator):
    """{district: (services listed, services stale)} of the directory as it stands, stale
    measured at the end of `month`: the active services with a location, each counted once,
    in the district of its first location."""
    last_day = month + relativedelta(day=31)
    cutoff = stale_cutoff(today=last_day)
    rows = (
        Service.objects.active()
        .filter(
            service_at_locations__location__latitude__isnull=False,
            service_at_locations__location__longitude__isnull=False,
        )
        .values_list(
            "pk",
            "assured_date",
            "service_at_locations__location__latitude",
            "service_at_locations__location__longitude",
        )
    )
    seen = set()
    counts = defaultdict(lambda: [0, 0])
    for pk, assured, lat, lon in rows.iterator(chunk_size=5000):
        if pk in seen:  # a service counts once, at its first location
            continue
        seen.add(pk)
        district = locator.district("", lat, lon)
        counts[district][0] += 1
        if assured is None or assured < cutoff:
            counts[district][1] += 1
    return {district: tuple(pair) for district, pair in counts.items()}


def _services(tally, locator, month):
    for district, (listed, stale) in services_by_district(month, locator).items():
        areas = locator.areas_of(district)
        tally.add(areas, "services_listed", amount=listed)
        if stale:
            tally.add(areas, "services_stale", amount=stale)


def _events(tally, locator, month, now):
    start, end = month_bounds(month)
    end = min(end, now)
    if end <= start:
        return
    # Each event once, not once for each language its page is in (translations and the
    # aliases that keep a language in step hold the same dates; the places are the original's).
    events = EventPage.originals().live()
    events = events.filter(
        Q(first_starts_at__lt=end) & (Q(last_ends_at__isnull=True) | Q(last_ends_at__gte=start))
    )
    # (places booked, places used or None where no register was taken) of each date.
    seats = {
        (event_id, starts_at): (booked, attended)
        for event_id, starts_at, booked, attended in OccurrenceSeats.objects.filter(
            starts_at__gte=start, starts_at__lt=end
        ).values_list("event_id", "starts_at", "booked", "attended")
    }
    for event in events:
        areas = locator.areas(event.postcode, event.latitude, event.longitude)
        for occurrence in occurrences(event, start, end):
            booked, attended = seats.get((event.pk, occurrence.start), (0, None))
            tally.add(areas, "events_held")
            tally.add(areas, "places_booked", amount=booked)
            if event.capacity:
                tally.add(areas, "places_offered", amount=event.capacity)
            if attended is not None:
                tally.add(areas, "registers_taken")
                tally.add(areas, "places_booked_registered", amount=booked)
                tally.add(areas, "places_used", amount=attended)


def _surveys(tally, locator, month):
    rows = SurveyTally.objects.filter(month=month).values_list(
        "district", "survey", "question", "answer", "count"
    )
    for district, survey, question, answer, count in rows:
        areas = locator.areas_of(district)
        tally.add(areas, f"survey_{survey}", f"{question}:{answer}", count)


def shares(rows):
    """Each share measure (`part` as a percentage of `basis`) from a month's counts, before
    any rounding, where its basis is not zero."""
    counts = {(r.area_kind, r.area, r.measure): r.value for r in rows if not r.breakdown}
    areas = {(kind, area) for kind, area, _measure in counts}
    made = []
    for measure in SHARES:
        for kind, area in sorted(areas):
            total = counts.get((kind, area, measure.basis), 0)
            if total:
                made.append(
                    Figure(
                        month=rows[0].month,
                        area_kind=kind,
                        area=area,
                        measure=measure.code,
                        value=100 * counts.get((kind, area, measure.part), 0) / total,
                    )
                )
    return made


def compute(month, now=None):
    """The Figure rows for a month (unsaved)."""
    now = now or timezone.now()
    tally, locator = Tally(), Locator()
    _requests(tally, locator, month, now)
    _tasks(tally, locator, month)
    _volunteers(tally, locator, month)
    _searches(tally, locator, month)
    if month_start(timezone.localdate(now)) == month:
        _services(tally, locator, month)
    _events(tally, locator, month, now)
    _surveys(tally, locator, month)
    rows = tally.rows(month)
    return rows + (shares(rows) if rows else [])


def refresh(month, now=None):
    """Recompute and store one month; returns how many figures it holds."""
    month = month_start(month)
    rows = compute(month, now=now)
    keep_services = ["services_listed", "services_stale"]
    with transaction.atomic():
        old = Figure.objects.filter(month=month)
        if not any(row.measure in keep_services for row in rows):
            old = old.exclude(measure__in=keep_services)
        old.delete()
        Figure.objects.bulk_create(rows, batch_size=2000)
        cache.delete(CACHE_KEY)
        transaction.on_commit(lambda: cache.delete(CACHE_KEY))
    return len(rows)


@task()
def refresh_recent_task():
    """This month's and last month's figures (the scheduler runs it hourly)."""
    this_month = month_start(timezone.localdate())
    return refresh(previous_month(this_month)) + refresh(this_month)


# Areas offered in the filters: those with requests, volunteers or searches in the last few
# years of figures.
MONTHS_FOR_AREAS = 36
AREA_MEASURES = ["requests", "volunteers_active", "searches", "services_listed", "events_held"]


def _index():
    """The months and areas that have figures, kept in the cache until the next refresh."""
    index = cache.get(CACHE_KEY)
    if index is None:
        months = sorted(
            Figure.objects.filter(area_kind=ALL, area=EVERYWHERE, breakdown="")
            .values_list("month", flat=True)
            .distinct(),
            reverse=True,
        )
        areas = defaultdict(set)
        for kind, area in (
            Figure.objects.filter(
                month__in=months[:MONTHS_FOR_AREAS], measure__in=AREA_MEASURES, breakdown=""
            )
            .exclude(area_kind=ALL)
            .values_list("area_kind", "area")
        ):
            areas[kind].add(area)
        index = {"months": months, "areas": {k: sorted(v) for k, v in areas.items()}}
        # Short enough that a web process's own memory cache, which a refresh in the task
        # worker cannot clear, catches up within minutes (a shared Redis cache is cleared).
        cache.set(CACHE_KEY, index, 300)
    return index


def months_with_figures():
    """The months that have figures, newest first."""
    return _index()["months"]


def area_choices(kind):
    """The areas of a kind that have figures, in order."""
    return _index()["areas"].get(kind, [])
