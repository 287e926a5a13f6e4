"""The Elasticsearch engine's documents: the index mapping and one service's document.

Everything a search asks is a field the server can filter, sort or count on: keywords and
flags, located points (one geo_point field per set of accessibility features, so that the
distance sorted on is to a location that has them), text fields scored with BM25, opening
rules as day keys (`directory.search.occurrence`), and every category a service is filed
under, ancestors included, as the database engine's category index holds them. Radius areas
and shapes keep their bounding box for the server and their extent for the exact check.
"""

import datetime as dt
import itertools
import re

from django.utils import timezone
from elasticsearch.dsl import Mapping

from core.recurrence import WEEKDAYS
from directory.areas import BOX_FIELDS
from directory.indexing import area_box
from directory.models import ServiceArea
from directory.models.service import is_national
from directory.search import occurrence
from directory.search.query import ACCESSIBILITY_FEATURES
from directory.search.text import TEXT_COLUMNS, field_terms

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
TIME_FIELDS = ("opens_at", "closes_at")
# Every set of accessibility features a search can ask for at one location, in a fixed order.
FEATURE_SETS = [
    combination
    for size in range(len(ACCESSIBILITY_FEATURES) + 1)
    for combination in itertools.combinations(ACCESSIBILITY_FEATURES, size)
]


def points_field(features=()):
    """The geo_point field holding the points of the locations with all these features."""
    wanted = [name for name in ACCESSIBILITY_FEATURES if name in features]
    return "_".join(["points", *wanted])


def text_field(column):
    return f"text_{column}"


def service_mapping():
    """The index mapping (strict: a field not named here is refused)."""
    m = Mapping()
    m.meta("dynamic", "strict")
    for name in ("id", "name", "status", "organization_id", "languages", "categories"):
        m.field(name, "keyword")
    for name in ("free", "open_24_7", "reaches_anywhere", "national"):
        m.field(name, "boolean")
    m.field("minimum_age", "integer")
    m.field("maximum_age", "integer")
    m.field("last_modified", "date")
    # Microseconds since the epoch: `date` keeps milliseconds, the database keeps micro.
    m.field("last_modified_us", "long")
    location = {"point": {"type": "geo_point"}}
    location.update({name: {"type": "boolean"} for name in ACCESSIBILITY_FEATURES})
    m.field("locations", "nested", properties=location)
    for features in FEATURE_SETS:
        m.field(points_field(features), "geo_point")
    m.field("districts", "keyword")  # alphanumeric tokens of district areas, upper case
    m.field("district_extents", "object", enabled=False)  # as written, for the exact check
    # Radius areas and shapes: each one's bounding box, which the server checks, and the
    # extents, read for the few services whose box holds the place searched.
    box = {name: {"type": "double"} for name in BOX_FIELDS}
    m.field("area_boxes", "nested", properties=box)
    m.field("radius_areas", "object", enabled=False)  # [lat, lon, km]
    m.field("polygon_areas", "object", enabled=False)
    # The UK profile's opening-times filter: the weekdays each schedule (not marked closed)
    # names, its hours as microseconds after midnight, and the date it ends.
    opening = {"days": {"type": "keyword"}, "valid_to": {"type": "date"}}
    opening.update({name: {"type": "long"} for name in TIME_FIELDS})
    m.field("opening_times", "nested", properties=opening)
    # 'Open now': each opening rule's day keys, hours and dates; each closure's dates.
    dates = {"valid_from": {"type": "date"}, "valid_to": {"type": "date"}}
    rule = {"days": {"type": "keyword"}, "opens": {"type": "long"}, "closes": {"type": "long"}}
    m.field("openings", "nested", properties={**rule, **dates})
    m.field("closures", "nested", properties=dates)
    # The search terms (`directory.search.text`), already folded and stemmed: split on spaces.
    for column, _weight in TEXT_COLUMNS:
        m.field(text_field(column), "text", analyzer="whitespace")
    return m


def micros(moment):
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return (moment - EPOCH) // dt.timedelta(microseconds=1)


def day_micros(time):
    """Microseconds after midnight: a time of day as a number the server can compare."""
    if time is None:
        return None
    return ((time.hour * 60 + time.minute) * 60 + time.second) * 1_000_000 + time.microsecond


def _opening_time(schedule):
    """A schedule as the opening-times filter reads it. Its days are the weekday codes its
    `byday` names, as the database engine's `contains` test finds them (1SA names SA)."""
    entry = {"days": [day for day in WEEKDAYS if day in schedule.byday]}
    entry.update({name: day_micros(getattr(schedule, name)) for name in TIME_FIELDS})
    entry["valid_to"] = schedule.valid_to.isoformat() if schedule.valid_to else None
    return entry


def district_tokens(extent):
    return [token for token in re.split(r"[^A-Z0-9]+", extent.upper()) if token]


def _box(area):
    """A radius area's or shape's bounding box, as the database engine's area index keeps
    it; None for an area that has none (an extent that is not a circle)."""
    box = area_box(area.extent_type, area.extent, tuple(getattr(area, n) for n in BOX_FIELDS))
    return None if None in box else dict(zip(BOX_FIELDS, box, strict=True))


def service_document(service, categories, taxonomy=None):
    """The document for one service, from a service loaded with its related rows;
    `categories` are the ids of the terms it is filed under, ancestors included; `taxonomy`
    (a CategoryNames) names them for its text, read afresh when not given."""
    areas = list(service.service_areas.all())
    schedules = list(service.schedules.all())
    locations = []
    points = {points_field(features): [] for features in FEATURE_SETS}
    for sal in service.service_at_locations.all():
        location = sal.location
        entry = {name: getattr(location, name) for name in ACCESSIBILITY_FEATURES}
        if location.latitude is not None and location.longitude is not None:
            entry["point"] = {"lat": location.latitude, "lon": location.longitude}
            for features in FEATURE_SETS:
                if all(entry[name] for name in features):
                    points[points_field(features)].append(entry["point"])
        locations.append(entry)
    radius_areas = [a for a in areas if a.extent_type == ServiceArea.RADIUS and _box(a)]
    shapes = [
        a
        for a in areas
        if a.extent_type == ServiceArea.POLYGON and a.min_latitude is not None and a.extent
    ]
    districts = [a.extent for a in areas if a.extent_type == ServiceArea.DISTRICTS]
    doc = {
        "id": str(service.pk),
        "name": service.name,
        "status": service.status,
        "free": service.free,
        "open_24_7": service.open_24_7,
        "reaches_anywhere": service.reaches_anywhere,
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "languages": sorted({language.code for language in service.languages.all()}),
        "last_modified": service.last_modified.isoformat(),
        "last_modified_us": micros(service.last_modified),
        "organization_id": str(service.organization_id),
        "categories": sorted(str(pk) for pk in categories),
        "locations": locations,
        **points,
        "national": is_national(a.extent_type for a in areas),
        "districts": sorted({token for extent in districts for token in district_tokens(extent)}),
        "district_extents": districts,
        "area_boxes": [_box(a) for a in radius_areas + shapes],
        "radius_areas": [list(a.radius()) for a in radius_areas],
        "polygon_areas": [a.extent for a in shapes],
        "opening_times": [_opening_time(s) for s in schedules if not s.closed],
        "openings": occurrence.openings(schedules),
        "closures": occurrence.closures(schedules),
    }
    terms = field_terms(service, taxonomy)
    doc.update({text_field(column): " ".join(terms[column]) for column, _w in TEXT_COLUMNS})
    return doc
