"""The directory search engine for Elasticsearch 8, built with elasticsearch-dsl.

It answers every SearchQuery exactly as the database engine does. The server filters and
scores (the same weighted terms as the database engine's full-text index, matched with `dis_max`
over `constant_score` term queries, so a service's score is the sum of each query term's best
field weight); the last, exact steps run in Python on the documents it returns, with the same
functions the database engine uses: haversine distance (`core.geo.distance_km`), rounding,
ordering by name then id, postcode-district matching, radius areas, shapes (the server keeps
those whose bounding box holds the place, `directory.areas.covers` decides) and opening
times. A query
without a place or 'open now' is answered in one request (paging, total and facet counts all
on the server); one near a place or 'open now' reads every match with `search_after`.
"""

import datetime as dt
import re
import uuid
from contextlib import contextmanager

import elastic_transport
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import prefetch_related_objects
from django.utils import timezone
from elasticsearch import Elasticsearch
from elasticsearch.helpers import bulk
from elasticsearch_dsl import Mapping, Q, Search

from core.geo import distance_km
from core.recurrence import WEEKDAYS
from directory.areas import BOX_FIELDS, covers
from directory.models import Schedule, ServiceArea, TaxonomyTerm, filed_under
from directory.models.service import ServiceStatus, is_national
from directory.schedules import is_open_at
from directory.search.query import ACCESSIBILITY_FEATURES, Hit, SearchResults
from directory.search.taxonomy import expand_categories
from directory.search.text import ALTERNATE_NAME, BODY, CATEGORY, NAME, ORGANIZATION, weighted_terms

WEIGHTS = sorted({NAME, ALTERNATE_NAME, CATEGORY, ORGANIZATION, BODY}, reverse=True)
SCAN_SIZE = 1000
MAX_WINDOW = 10_000  # Elasticsearch's default index.max_result_window
# The server only narrows places down; the exact haversine check in Python decides, so a
# server that measures distance a little differently never drops a service that is inside.
GEO_MARGIN = 1.01
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
SCHEDULE_FIELDS = (
    "freq",
    "interval",
    "byday",
    "bymonthday",
    "opens_at",
    "closes_at",
    "valid_from",
    "valid_to",
    "dtstart",
    "closed",
)
TIME_FIELDS = ("opens_at", "closes_at")
DATE_FIELDS = ("valid_from", "valid_to", "dtstart")


class SearchServerUnavailable(RuntimeError):
    """The Elasticsearch server could not be reached."""


def term_field(weight):
    return f"terms_w{weight}"


def service_mapping():
    """The index mapping: keywords and flags to filter on, geo points for places."""
    m = Mapping()
    m.meta("dynamic", "strict")
    for name in ("id", "name", "status", "organization_id", "languages", "categories"):
        m.field(name, "keyword")
    for name in ("free", "open_24_7", "reaches_anywhere", "national", "has_radius_area"):
        m.field(name, "boolean")
    m.field("minimum_age", "integer")
    m.field("maximum_age", "integer")
    m.field("last_modified", "date")
    # Microseconds since the epoch: `date` keeps milliseconds, the database keeps micro.
    m.field("last_modified_us", "long")
    location = {"point": {"type": "geo_point"}}
    location.update({name: {"type": "boolean"} for name in ACCESSIBILITY_FEATURES})
    m.field("locations", "nested", properties=location)
    m.field("districts", "keyword")  # alphanumeric tokens of district areas, upper case
    m.field("district_extents", "object", enabled=False)  # as written, for the exact check
    m.field("radius_areas", "object", enabled=False)  # [lat, lon, km]; checked in Python
    # Shapes: each one's bounding box, which the server checks, and the GeoJSON, which Python
    # checks exactly (`directory.areas.covers`) for the services whose box holds the place.
    box = {name: {"type": "double"} for name in BOX_FIELDS}
    m.field("area_boxes", "nested", properties=box)
    m.field("polygon_areas", "object", enabled=False)
    m.field("schedules", "object", enabled=False)  # for 'open now', checked in Python
    # The schedules not marked closed, for the opening-times filter: the weekdays named in
    # each one's days, its hours as microseconds after midnight, and the date it ends.
    opening = {"days": {"type": "keyword"}, "valid_to": {"type": "date"}}
    opening.update({name: {"type": "long"} for name in TIME_FIELDS})
    m.field("opening_times", "nested", properties=opening)
    for weight in WEIGHTS:
        m.field(term_field(weight), "keyword")
    return m


def _micros(moment):
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return (moment - EPOCH) // dt.timedelta(microseconds=1)


def _day_micros(time):
    """Microseconds after midnight: a time of day as a number the server can compare."""
    if time is None:
        return None
    return ((time.hour * 60 + time.minute) * 60 + time.second) * 1_000_000 + time.microsecond


def _opening_time(schedule):
    """A schedule as the opening-times filter reads it. Its days are the weekday codes its
    `byday` names, as the database engine's `contains` test finds them (1SA names SA)."""
    entry = {"days": [day for day in WEEKDAYS if day in schedule.byday]}
    entry.update({name: _day_micros(getattr(schedule, name)) for name in TIME_FIELDS})
    entry["valid_to"] = schedule.valid_to.isoformat() if schedule.valid_to else None
    return entry


def _json_value(value):
    return value.isoformat() if isinstance(value, dt.date | dt.time) else value


def service_document(service):
    """The document for one service, from a service loaded with its related rows."""
    areas = list(service.service_areas.all())
    locations = []
    for sal in service.service_at_locations.all():
        location = sal.location
        entry = {name: getattr(location, name) for name in ACCESSIBILITY_FEATURES}
        if location.latitude is not None and location.longitude is not None:
            entry["point"] = {"lat": location.latitude, "lon": location.longitude}
        locations.append(entry)
    district_extents = [a.extent for a in areas if a.extent_type == ServiceArea.DISTRICTS]
    radius_areas = [
        list(radius)
        for radius in (a.radius() for a in areas if a.extent_type == ServiceArea.RADIUS)
        if radius is not None
    ]
    shapes = [
        a
        for a in areas
        if a.extent_type == ServiceArea.POLYGON and a.min_latitude is not None and a.extent
    ]
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
        "last_modified_us": _micros(service.last_modified),
        "organization_id": str(service.organization_id),
        "categories": sorted(
            str(pk)
            for pk in filed_under((term.pk, term.maps_to_id) for term in service.categories.all())
        ),
        "locations": locations,
        "national": is_national(a.extent_type for a in areas),
        "districts": sorted(
            {token for extent in district_extents for token in _district_tokens(extent)}
        ),
        "district_extents": district_extents,
        "has_radius_area": bool(radius_areas),
        "radius_areas": radius_areas,
        "area_boxes": [{name: getattr(a, name) for name in BOX_FIELDS} for a in shapes],
        "polygon_areas": [a.extent for a in shapes],
        "schedules": [
            {name: _json_value(getattr(s, name)) for name in SCHEDULE_FIELDS}
            for s in service.schedules.all()
        ],
        "opening_times": [_opening_time(s) for s in service.schedules.all() if not s.closed],
    }
    by_weight = {weight: [] for weight in WEIGHTS}
    for term, weight in weighted_terms(service).items():
        by_weight[weight].append(term)
    doc.update({term_field(weight): terms for weight, terms in by_weight.items()})
    return doc


def _district_tokens(extent):
    return [token for token in re.split(r"[^A-Z0-9]+", extent.upper()) if token]


def _district_pattern(district):
    # The database engine's own test (an iregex on the extent), so both match alike.
    return re.compile(rf"(^|[^A-Z0-9]){re.escape(district)}([^A-Z0-9]|$)", re.IGNORECASE)


def _schedule(data):
    values = dict(data)
    for name in TIME_FIELDS:
        values[name] = dt.time.fromisoformat(values[name]) if values.get(name) else None
    for name in DATE_FIELDS:
        values[name] = dt.date.fromisoformat(values[name]) if values.get(name) else None
    return Schedule(**values)


class ElasticsearchEngine:
    name = "elasticsearch"

    def __init__(self, url=None, index=None):
        self.url = url or getattr(settings, "ELASTICSEARCH_URL", "")
        if not self.url:
            raise ImproperlyConfigured(
                "The Elasticsearch directory engine needs ELASTICSEARCH_URL to be set."
            )
        self.index = index or settings.DIRECTORY_ELASTICSEARCH_INDEX
        self.client = Elasticsearch(self.url, request_timeout=10, max_retries=1)

    @contextmanager
    def _server(self):
        try:
            yield
        except (elastic_transport.ConnectionError, elastic_transport.ConnectionTimeout) as error:
            raise SearchServerUnavailable(
                f"Directory search cannot reach the Elasticsearch server at {self.url} "
                f"(index {self.index!r}): {error}"
            ) from error

    # Keeping the index in step.
    def reset_index(self):
        """Delete the index if it exists and create it empty with the current mapping."""
        with self._server():
            self.client.options(ignore_status=404).indices.delete(index=self.index)
            self.client.indices.create(
                index=self.index,
                settings={"number_of_shards": 1, "number_of_replicas": 0},
                mappings=service_mapping().to_dict(),
            )

    def index_services(self, ids, services=None, refresh=False):
        """Write the documents of these services; ids no longer in the database are removed."""
        from directory.indexing import BATCH_SIZE, _services_for_indexing

        ids = list(ids)
        if services is None:
            services = []
            for start in range(0, len(ids), BATCH_SIZE):
                services.extend(_services_for_indexing(ids[start : start + BATCH_SIZE]))
        services = list(services)
        # Languages are not among the indexing prefetches; one query instead of one each.
        prefetch_related_objects(services, "languages")
        found = {str(service.pk) for service in services}
        actions = [
            {"_index": self.index, "_id": str(service.pk), "_source": service_document(service)}
            for service in services
        ]
        actions.extend(
            {"_op_type": "delete", "_index": self.index, "_id": str(pk)}
            for pk in ids
            if str(pk) not in found
        )
        self._bulk(actions, refresh)
        return len(services)

    def delete_services(self, ids, refresh=False):
        self._bulk(
            [{"_op_type": "delete", "_index": self.index, "_id": str(pk)} for pk in ids], refresh
        )

    def _bulk(self, actions, refresh):
        if not actions:
            return
        with self._server():
            _count, errors = bulk(
                self.client, actions, refresh=refresh, raise_on_error=False, chunk_size=500
            )
        # Deleting a document that is not there is what was wanted; anything else is not.
        failures = [
            error
            for error in errors
            if not ("delete" in error and error["delete"].get("status") == 404)
        ]
        if failures:
            raise RuntimeError(f"Elasticsearch refused {len(failures)} documents: {failures[:3]}")

    def refresh(self):
        with self._server():
            self.client.indices.refresh(index=self.index)

    def prepare_for_tests(self, services):
        """Hold exactly these services: a fresh index, every one written, searchable now."""
        self.reset_index()
        self.index_services([service.pk for service in services], refresh=True)

    # Searching.
    def search(self, query):
        with self._server():
            if query.near or query.open_now or query.offset + query.page_size > MAX_WINDOW:
                return self._search_all(query)
            return self._search_page(query)

    def _search(self):
        return Search(using=self.client, index=self.index)

    def _filters(self, query):
        """Everything but place and text, as the database engine's `_filtered`."""
        filters = [Q("term", status=ServiceStatus.ACTIVE.value)]
        if query.free:
            filters.append(Q("term", free=True))
        if query.open_24_7:
            filters.append(Q("term", open_24_7=True))
        if query.age is not None:
            for field, bound in (("minimum_age", "lte"), ("maximum_age", "gte")):
                filters.append(
                    Q(
                        "bool",
                        should=[
                            Q("bool", must_not=[Q("exists", field=field)]),
                            Q("range", **{field: {bound: query.age}}),
                        ],
                        minimum_should_match=1,
                    )
                )
        if query.minimum_age is not None:
            filters.append(Q("range", minimum_age={"gte": query.minimum_age}))
        if query.maximum_age is not None:
            filters.append(Q("range", maximum_age={"lte": query.maximum_age}))
        if query.schedule is not None:
            filters.append(_opening_filter(query.schedule, query.today))
        if query.languages:
            filters.append(Q("terms", languages=list(query.languages)))
        if query.accessibility:
            filters.append(_at_a_location(_features(query)))
        if query.reaches_anywhere:
            filters.append(Q("term", reaches_anywhere=True))
        if query.modified_after:
            filters.append(Q("range", last_modified_us={"gte": _micros(query.modified_after)}))
        if query.organization_id:
            filters.append(Q("term", organization_id=str(query.organization_id)))
        return filters

    def _text(self, query):
        """Every query term must match; each scores the weight of the best field it is in."""
        return [
            Q(
                "dis_max",
                queries=[
                    Q("constant_score", filter=Q("term", **{term_field(w): term}), boost=w)
                    for w in WEIGHTS
                ],
            )
            for term in query.terms
        ]

    def _query(self, query):
        filters = self._filters(query)
        if query.near:
            filters.append(self._near_filter(query))
        return Q("bool", filter=filters, must=self._text(query))

    def _near_filter(self, query):
        """Services that may be near the place, or may cover it (Python decides exactly)."""
        point = {"lat": query.latitude, "lon": query.longitude}
        near = _at_a_location(
            [
                Q(
                    "geo_distance",
                    distance=f"{query.radius_km * GEO_MARGIN + 0.01}km",
                    **{"locations.point": point},
                ),
                *_features(query),
            ]
        )
        if query.reaches_anywhere:  # the filters already asked for these alone
            return Q("match_all")
        if not query.include_remote:
            return near
        covering = [
            near,
            Q("term", reaches_anywhere=True),
            Q("term", national=True),
            Q("term", has_radius_area=True),
            _box_holds(query),
        ]
        if query.district:
            tokens = _district_tokens(query.district)
            if tokens == [query.district.upper()]:
                covering.append(Q("term", districts=tokens[0]))
            else:  # not a plain district: let the exact check see every district area
                covering.append(Q("exists", field="districts"))
        return Q("bool", should=covering, minimum_should_match=1)

    def _search_page(self, query):
        """A query without a place or 'open now': one request answers it."""
        s = self._search().query(self._query(query)).extra(track_total_hits=True)
        if query.categories:
            wanted = sorted(str(pk) for pk in expand_categories(query.categories))
            s = s.post_filter(Q("terms", categories=wanted) if wanted else Q("match_none"))
        terms = _taxonomy()
        descendants = _descendants(terms)
        if descendants:
            s.aggs.bucket(
                "facets",
                "filters",
                filters={
                    str(pk): Q("terms", categories=sorted(ids)) for pk, ids in descendants.items()
                },
            )
        order = ["_score"] if query.terms else []
        s = s.sort(*order, "name", "id").source(False)
        s = s[query.offset : query.offset + query.page_size]
        response = s.execute()
        codes = {pk: code for pk, _parent, code in terms}
        facets = {}
        if descendants:
            for pk, bucket in response.aggregations.facets.buckets.to_dict().items():
                if bucket["doc_count"]:
                    facets[codes[pk]] = bucket["doc_count"]
        hits = [
            Hit(uuid.UUID(hit.meta.id), score=float(hit.meta.score) if query.terms else 0.0)
            for hit in response
        ]
        return SearchResults(hits=hits, total=response.hits.total.value, facets=facets, query=query)

    def _search_all(self, query):
        """Read every match, then place, order, 'open now' and facets as the database does."""
        docs = self._scan(query)
        by_id = {doc["id"]: doc for doc in docs}
        if query.near:
            ranked = self._near(query, docs)
        else:
            # Python orders by code point, as the database engine's `_near` does.
            docs.sort(
                key=lambda doc: (-doc["_score"] if query.terms else 0, doc["name"], doc["id"])
            )
            ranked = [_hit(doc, query) for doc in docs]
        if query.open_now:
            moment = timezone.localtime(query.now) if query.now else timezone.localtime()
            ranked = [
                hit
                for hit in ranked
                if is_open_at(
                    [_schedule(s) for s in by_id[str(hit.service_id)]["schedules"]], moment
                )
            ]
        facets = _rolled_up(by_id[str(hit.service_id)]["categories"] for hit in ranked)
        if query.categories:
            wanted = {str(pk) for pk in expand_categories(query.categories)}
            ranked = [
                hit
                for hit in ranked
                if wanted.intersection(by_id[str(hit.service_id)]["categories"])
            ]
        page = ranked[query.offset : query.offset + query.page_size]
        return SearchResults(hits=page, total=len(ranked), facets=facets, query=query)

    def _scan(self, query):
        """Every matching document (without its terms), with its score, read page by page."""
        fields = [term_field(w) for w in WEIGHTS]
        body = {
            "query": self._query(query).to_dict(),
            "sort": [{"name": "asc"}, {"id": "asc"}],
            "size": SCAN_SIZE,
            "track_scores": True,
            "_source": {"excludes": fields},
        }
        docs = []
        while True:
            response = self.client.search(index=self.index, **body)
            page = response["hits"]["hits"]
            for hit in page:
                doc = hit["_source"]
                doc["_score"] = hit.get("_score") or 0.0
                docs.append(doc)
            if len(page) < SCAN_SIZE:
                return docs
            body["search_after"] = page[-1]["sort"]

    def _near(self, query, docs):
        features = query.accessibility
        local, remote = [], []
        pattern = _district_pattern(query.district) if query.district else None
        for doc in docs:
            nearest = None
            for location in doc["locations"]:
                point = location.get("point")
                if point is None or not all(location.get(name) for name in features):
                    continue
                d = distance_km(query.latitude, query.longitude, point["lat"], point["lon"])
                if d <= query.radius_km and (nearest is None or d < nearest):
                    nearest = d
            if nearest is not None:
                local.append((doc, _hit(doc, query, distance_km=round(nearest, 3))))
            elif query.reaches_anywhere or (query.include_remote and _covers(doc, query, pattern)):
                remote.append((doc, _hit(doc, query, remote=True)))
        local.sort(key=lambda pair: (pair[1].distance_km, pair[0]["name"], pair[0]["id"]))
        remote.sort(key=lambda pair: (-pair[1].score, pair[0]["name"], pair[0]["id"]))
        return [hit for _doc, hit in local + remote]


def _hit(doc, query, **kwargs):
    score = float(doc["_score"]) if query.terms else 0.0
    return Hit(uuid.UUID(doc["id"]), score=score, **kwargs)


def _covers(doc, query, pattern):
    """Whether a service that is not near the place still serves it (national, online,
    telephone, or an area that covers the place), as the database engine's `_covering`."""
    if doc["reaches_anywhere"] or doc["national"]:
        return True
    if pattern is not None and any(pattern.search(extent) for extent in doc["district_extents"]):
        return True
    if any(
        distance_km(query.latitude, query.longitude, lat, lon) <= km
        for lat, lon, km in doc["radius_areas"]
    ):
        return True
    return any(covers(extent, query.latitude, query.longitude) for extent in doc["polygon_areas"])


def _box_holds(query):
    """Services with a shape whose bounding box holds the place (Python decides exactly)."""
    lat, lon = query.latitude, query.longitude
    return Q(
        "nested",
        path="area_boxes",
        query=Q(
            "bool",
            filter=[
                Q("range", area_boxes__min_latitude={"lte": lat}),
                Q("range", area_boxes__max_latitude={"gte": lat}),
                Q("range", area_boxes__min_longitude={"lte": lon}),
                Q("range", area_boxes__max_longitude={"gte": lon}),
            ],
        ),
    )


def _opening_filter(wanted, today):
    """Services with one schedule (not marked closed, not ended before `today`) that matches
    every part of the ScheduleFilter given, as the database engine's `_scheduled`."""
    in_force = Q(
        "bool",
        should=[
            Q("bool", must_not=[Q("exists", field="opening_times.valid_to")]),
            Q("range", opening_times__valid_to={"gte": today.isoformat()}),
        ],
        minimum_should_match=1,
    )
    conditions = [in_force]
    if wanted.day:
        conditions.append(Q("term", opening_times__days=wanted.day))
    if wanted.opens_from is not None:
        conditions.append(
            Q("range", opening_times__opens_at={"gte": _day_micros(wanted.opens_from)})
        )
    if wanted.closes_by is not None:
        conditions.append(
            Q("range", opening_times__closes_at={"lte": _day_micros(wanted.closes_by)})
        )
    return Q(
        "nested",
        path="opening_times",
        query=Q("bool", filter=conditions),
    )


def _features(query):
    return [Q("term", **{f"locations.{name}": True}) for name in query.accessibility]


def _at_a_location(conditions):
    """A service with one location that meets all these conditions together."""
    return Q("nested", path="locations", query=Q("bool", filter=conditions))


def _taxonomy():
    return [
        (str(pk), str(parent) if parent else None, code)
        for pk, parent, code in TaxonomyTerm.objects.values_list("id", "parent_id", "code")
    ]


def _descendants(terms):
    """{term id: ids of the term and every term below it}, for facet counts on the server."""
    children = {}
    for pk, parent, _code in terms:
        children.setdefault(parent, []).append(pk)
    result = {}
    for pk, _parent, _code in terms:
        found, wanted = set(), [pk]
        while wanted:
            term = wanted.pop()
            if term not in found:
                found.add(term)
                wanted.extend(children.get(term, []))
        result[pk] = found
    return result


def _rolled_up(category_lists):
    """{term code: services in it}, each service counted once in each of its terms' parents,
    as `directory.search.taxonomy.facet_codes` counts them."""
    terms = _taxonomy()
    parents = {pk: parent for pk, parent, _code in terms}
    codes = {pk: code for pk, _parent, code in terms}
    counts = {}
    for categories in category_lists:
        seen = set()
        for term in categories:
            while term is not None and term not in seen:
                seen.add(term)
                term = parents.get(term)
        for term in seen:
            if term in codes:
                counts[term] = counts.get(term, 0) + 1
    return {codes[term]: count for term, count in counts.items()}
