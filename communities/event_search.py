"""Finding events: occurrences in a date range, near a place, by type, language and format.

Events are narrowed in SQL (live, overlapping the date range, inside the bounding box of the
circle around the place), then expanded into occurrences in Python and measured with the
haversine distance; the circle, not the box, decides what is near.
"""

import dataclasses
import datetime as dt

from django.db.models import Q
from django.utils import timezone

from communities.models import EventPage
from communities.recurrence import occurrences
from core.geo import bounding_box, distance_km
from core.pages import public

MAX_RANGE_DAYS = 366


@dataclasses.dataclass(frozen=True)
class EventQuery:
    start: dt.datetime
    end: dt.datetime
    latitude: float | None = None
    longitude: float | None = None
    radius_km: float | None = None
    event_types: tuple = ()
    language: str = ""
    attendance: str = ""  # "" for both, "online" or "in_person"
    group_id: int | None = None

    @property
    def near(self):
        return self.latitude is not None and self.longitude is not None


def _events(query):
    events = public(EventPage.originals().live()).filter(
        Q(last_ends_at__isnull=True) | Q(last_ends_at__gt=query.start),
        first_starts_at__lt=query.end,
    )
    if query.group_id:
        events = events.filter(path__startswith=_group_path(query))
    if query.event_types:
        events = events.filter(event_type__in=query.event_types)
    if query.language:
        events = events.filter(language=query.language)
    if query.attendance == "online":
        events = events.filter(online=True)
    elif query.attendance == "in_person":
        events = events.exclude(postcode="")
    if query.near:
        min_lat, max_lat, min_lon, max_lon = bounding_box(
            query.latitude, query.longitude, query.radius_km
        )
        in_box = Q(latitude__range=(min_lat, max_lat), longitude__range=(min_lon, max_lon))
        # Online events can be joined from anywhere, so they stay in local results.
        if query.attendance != "in_person":
            in_box |= Q(online=True)
        events = events.filter(in_box)
    return events.prefetch_related("exceptions")


def _group_path(query):
    from wagtail.models import Page

    return Page.objects.values_list("path", flat=True).get(pk=query.group_id)


def find(query):
    """Every Occurrence matching the query, soonest first (nearest first on the same start)."""
    found = []
    for event in _events(query):
        distance = None
        if query.near and event.latitude is not None:
            distance = distance_km(query.latitude, query.longitude, event.latitude, event.longitude)
            if distance > query.radius_km and not event.online:
                continue
            if distance > query.radius_km:
                distance = None
        for occurrence in occurrences(event, query.start, query.end):
            found.append(dataclasses.replace(occurrence, distance_km=distance))
    found.sort(key=lambda o: (o.start, o.distance_km if o.distance_km is not None else 1e9))
    return found


def upcoming_for_group(group_page, days=120, now=None):
    now = now or timezone.now()
    query = EventQuery(start=now, end=now + dt.timedelta(days=days), group_id=group_page.pk)
    return find(query)
