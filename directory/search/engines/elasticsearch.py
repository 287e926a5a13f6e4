"""The directory search engine for Elasticsearch 8, its queries built with elasticsearch.dsl.

The server does the work: filters (the UK profile's among them, and 'open now' on the day
keys of `directory.search.occurrence`), text scored with BM25 over the weighted text fields,
distance (a geo_distance filter and sort on the located points with the features asked
for), facet counts (a terms aggregation over the whole result, the category filter applied
after it as a post_filter) and paging (from/size, search_after beyond the server's result
window). Python reads one page of hits.

Near a place, the local services (by distance) and those that reach the place from anywhere
(best text match first) are two searches sent in one msearch. A service that reaches the
place through a radius area, a shape, or a district list a postcode district cannot name
as a term is decided exactly in Python (`core.geo.distance_km`, `directory.areas.covers`, the
database engine's district pattern), among the services whose area's bounding box holds the
place, before that msearch. The documents are `directory.search.documents`; the index is an
alias, so a rebuild fills a new index and swaps the alias to it in one step.
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
from elasticsearch.dsl import MultiSearch, Q, Search
from elasticsearch.helpers import bulk

from core.geo import distance_km
from directory.areas import covers
from directory.models import Schedule, TaxonomyTerm
from directory.models.service import ServiceStatus
from directory.search import occurrence
from directory.search.documents import (
    day_micros,
    district_tokens,
    micros,
    points_field,
    service_document,
    service_mapping,
    text_field,
)
from directory.search.query import Hit, SearchResults
from directory.search.taxonomy import CategoryNames
from directory.search.text import TEXT_COLUMNS

MAX_WINDOW = 10_000  # Elasticsearch's default index.max_result_window
INDEX_SETTINGS = {"number_of_shards": 1, "number_of_replicas": 0}


class SearchServerUnavailable(RuntimeError):
    """The Elasticsearch server could not be reached."""


class ElasticsearchEngine:
    name = "elasticsearch"

    def __init__(self, url=None, index=None):
        self.url = url or getattr(settings, "ELASTICSEARCH_URL", "")
        if not self.url:
            raise ImproperlyConfigured(
                "The Elasticsearch directory engine needs ELASTICSEARCH_URL to be set."
            )
        self.index = index or settings.DIRECTORY_ELASTICSEARCH_INDEX  # an alias
        self.client = Elasticsearch(self.url, request_timeout=10, max_retries=1)
        self._target = None  # the new index while a rebuild fills it

    @contextmanager
    def _server(self):
        try:
            yield
        except (elastic_transport.ConnectionError, elastic_transport.ConnectionTimeout) as error:
            raise SearchServerUnavailable(
                f"Directory search cannot reach the Elasticsearch server at {self.url} "
                f"(index {self.index!r}): {error}"
            ) from error

    # The index behind the alias.
    def _create_index(self):
        name = f"{self.index}-{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S}-{uuid.uuid4().hex[:6]}"
        self.client.indices.create(
            index=name, settings=INDEX_SETTINGS, mappings=service_mapping().to_dict()
        )
        return name

    def _swap_alias(self, new):
        """Point the alias at `new` alone, in one step, and delete the indices it left."""
        found = self.client.options(ignore_status=404).indices.get_alias(name=self.index)
        old = [name for name in found.body if name != new] if found.meta.status == 200 else []
        if not old and self.client.indices.exists(index=self.index):
            # An index (not an alias) of this name, from before the alias: it must go first.
            self.client.indices.delete(index=self.index)
        actions = [{"remove": {"index": name, "alias": self.index}} for name in old]
        actions.append({"add": {"index": new, "alias": self.index}})
        self.client.indices.update_aliases(actions=actions)
        for name in old:
            self.client.options(ignore_status=404).indices.delete(index=name)

    def reset_index(self):
        """An empty index with the current mapping behind the alias; the old one deleted."""
        with self._server():
            self._swap_alias(self._create_index())

    @contextmanager
    def rebuilding(self):
        """Fill a new index within the block; searches read the old one until the block
        ends, when the alias moves to the new one and the old one is deleted."""
        with self._server():
            self._target = self._create_index()
        try:
            yield
            with self._server():
                self.client.indices.refresh(index=self._target)
                self._swap_alias(self._target)
        except BaseException:
            self.client.options(ignore_status=404).indices.delete(index=self._target)
            raise
        finally:
            self._target = None

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
        taxonomy = CategoryNames()
        index = self._target or self.index
        found = {str(service.pk) for service in services}
        actions = [
            {
                "_index": index,
                "_id": str(service.pk),
                "_source": service_document(
                    service,
                    taxonomy.closure(term.pk for term in service.categories.all()),
                    taxonomy,
                ),
            }
            for service in services
        ]
        actions.extend(
            {"_op_type": "delete", "_index": index, "_id": str(pk)}
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
            if query.near:
                return self._near(query)
            return self._anywhere(query)

    def _search(self):
        return Search(using=self.client, index=self.index)

    def count_locations(self, query):
        """How many service-at-locations `directory.search.locations` lists for the query,
        as the database engine counts them: from an aggregation over the matching
        documents' nested locations (near a place, a second for the services that reach it),
        in one msearch; no hit is read."""
        with self._server():
            searches = MultiSearch(using=self.client, index=self.index)
            if not query.near:
                searches = searches.add(_locations_counted(_matching(query), query))
            else:
                local = _within_radius(query)
                searches = searches.add(
                    _locations_counted(_matching(query, local), query, _location_within(query))
                )
                reach = self._reach(query, local)
                if reach is not None:
                    remote = _matching(query, reach, exclude=local)
                    searches = searches.add(_locations_counted(remote, query))
            return sum(r.aggregations.locations.counted.doc_count for r in searches.execute())

    def _anywhere(self, query):
        """Everything in one request: the page, the total and the facet counts."""
        codes = _term_codes()
        s = (
            self._search()
            .query(_matching(query))
            .post_filter(_in_categories(query))
            .sort(*_by_relevance(query))
            .source(False)
            .extra(track_total_hits=True)
        )
        counted = s.extra()
        _count_facets(counted, codes)
        start, stop = query.offset, query.offset + query.page_size
        if stop <= MAX_WINDOW:
            response = counted[start:stop].execute()
            hits = list(response)
        else:
            response = counted[0:0].execute()
            hits = self._after(s, start, stop)
        page = [_hit(hit, query) for hit in hits]
        total = response.hits.total.value
        return SearchResults(hits=page, total=total, facets=_facets(response, codes), query=query)

    def _near(self, query):
        """Local services by distance, then those that reach the place from anywhere; the
        two lists, their totals and the facet counts of both in one msearch."""
        codes = _term_codes()
        local = _within_radius(query)
        reach = self._reach(query, local)
        start, stop = query.offset, query.offset + query.page_size
        either = Q("bool", should=[local, reach], minimum_should_match=1) if reach else local
        nearest = (
            self._search()
            .query(_matching(query, either))
            .post_filter(Q("bool", filter=[local, _in_categories(query)]))
            .sort(_by_distance(query), "name", "id")
            .source(False)
            .extra(track_total_hits=True, track_scores=bool(query.terms))
        )
        counted = nearest.extra()
        _count_facets(counted, codes)
        searches = MultiSearch(using=self.client, index=self.index)
        searches = searches.add(counted[start:stop] if stop <= MAX_WINDOW else counted[0:0])
        remote = None
        if reach is not None:
            remote = (
                self._search()
                .query(_matching(query, reach, exclude=local))
                .post_filter(_in_categories(query))
                .sort(*_by_relevance(query))
                .source(False)
                .extra(track_total_hits=True)
            )
            # On the first page the remote services shown are the first ones, if any.
            searches = searches.add(remote[0 : query.page_size if start == 0 else 0])
        responses = searches.execute()
        local_total = responses[0].hits.total.value
        found = list(responses[0])
        if stop > MAX_WINDOW and start < local_total:
            found = self._after(nearest, start, stop)
        hits = [_hit(hit, query, local=True) for hit in sorted(found, key=_shown_order)]
        remote_total = 0
        if remote is not None:
            remote_total = responses[1].hits.total.value
            if stop > local_total:
                first, last = max(0, start - local_total), stop - local_total
                found = list(responses[1])[first:last] if start == 0 else None
                if found is None:
                    found = self._window(remote, first, last)
                hits += [_hit(hit, query) for hit in found]
        return SearchResults(
            hits=hits,
            total=local_total + remote_total,
            facets=_facets(responses[0], codes),
            query=query,
        )

    def _reach(self, query, local):
        """What makes a service that is not local reach the place, or None when those
        services are not wanted."""
        if query.reaches_anywhere:  # the filters ask for these services alone
            return Q("match_all")
        if not query.include_remote:
            return None
        claims = [Q("term", reaches_anywhere=True), Q("term", national=True)]
        plain = _plain_district(query)
        if plain:
            claims.append(Q("term", districts=plain))
        decided = self._covering(query, local, claims)
        if decided:
            claims.append(Q("ids", values=decided))
        return Q("bool", should=claims, minimum_should_match=1)

    def _covering(self, query, local, claims):
        """The ids of the services, not local and with no claim of `claims`, that cover the
        place with a radius area or a shape (whose bounding box the server finds holding
        the place), or with a district list when the district is not one plain term."""
        lat, lon = query.latitude, query.longitude
        boxed = [_box_holds(lat, lon)]
        if query.district and not _plain_district(query):
            boxed.append(Q("exists", field="districts"))
        candidates = (
            self._search()
            .query(
                _matching(
                    query,
                    Q("bool", should=boxed, minimum_should_match=1),
                    exclude=Q("bool", should=[local, *claims], minimum_should_match=1),
                )
            )
            .source(["radius_areas", "polygon_areas", "district_extents"])
            .sort("id")
        )
        pattern = _district_pattern(query.district) if query.district else None
        return [hit.meta.id for hit in self._every(candidates) if _covers(hit, lat, lon, pattern)]

    def _every(self, s):
        """Every hit of a search sorted by a unique key, a result window at a time."""
        after = None
        while True:
            page = s.extra(size=MAX_WINDOW)
            hits = list((page.extra(search_after=after) if after else page).execute())
            yield from hits
            if len(hits) < MAX_WINDOW:
                return
            after = list(hits[-1].meta.sort)

    def _window(self, s, start, stop):
        if stop <= MAX_WINDOW:
            return list(s[start:stop].execute())
        return self._after(s, start, stop)

    def _after(self, s, start, stop):
        """Hits `start` to `stop` of a sorted search beyond the server's result window:
        search_after from hop to hop of the window, reading only each hop's last sort key."""
        after, position = None, 0
        while position < start:
            step = min(MAX_WINDOW, start - position)
            hop = s.extra(size=step, track_total_hits=False)
            if after is not None:
                hop = hop.extra(search_after=after)
            hop = hop.params(filter_path=["hits.hits.sort"])
            found = hop.execute().to_dict().get("hits", {}).get("hits", [])
            if len(found) < step:  # the result ends before the page starts
                return []
            after, position = found[-1]["sort"], position + len(found)
        page = s.extra(size=stop - start)
        return list((page.extra(search_after=after) if after is not None else page).execute())


def _matching(query, place=None, exclude=None):
    """The query for the services that meet every filter and hold every query term; with
    `place`, that also meet it; with `exclude`, that do not meet it."""
    filters = _filters(query)
    if place is not None:
        filters.append(place)
    return Q(
        "bool",
        filter=filters,
        must=_text(query),
        must_not=[exclude] if exclude is not None else [],
    )


def _filters(query):
    """Everything but place, text and category, as the database engine's `_service_filter`
    and 'open now'."""
    filters = [Q("term", status=ServiceStatus.ACTIVE.value)]
    if query.free:
        filters.append(Q("term", free=True))
    if query.open_24_7:
        filters.append(Q("term", open_24_7=True))
    if query.age is not None:
        for field, bound in (("minimum_age", "lte"), ("maximum_age", "gte")):
            filters.append(_missing_or(field, {bound: query.age}))
    if query.minimum_age is not None:
        filters.append(Q("range", minimum_age={"gte": query.minimum_age}))
    if query.maximum_age is not None:
        filters.append(Q("range", maximum_age={"lte": query.maximum_age}))
    if query.schedule is not None:
        filters.append(_opening_times(query.schedule, query.today))
    if query.languages:
        filters.append(Q("terms", languages=list(query.languages)))
    if query.accessibility:
        features = [Q("term", **{f"locations.{name}": True}) for name in query.accessibility]
        filters.append(Q("nested", path="locations", query=Q("bool", filter=features)))
    if query.reaches_anywhere:
        filters.append(Q("term", reaches_anywhere=True))
    if query.modified_after:
        filters.append(Q("range", last_modified_us={"gte": micros(query.modified_after)}))
    if query.organization_id:
        filters.append(Q("term", organization_id=str(query.organization_id)))
    if query.open_now:
        moment = timezone.localtime(query.now) if query.now else timezone.localtime()
        filters.append(_open_at(moment))
    return filters


def _missing_or(field, bounds):
    """No value in `field`, or one within `bounds`."""
    return Q(
        "bool",
        should=[Q("bool", must_not=[Q("exists", field=field)]), Q("range", **{field: bounds})],
        minimum_should_match=1,
    )


def _text(query):
    """Every query term must match; each is scored by BM25 in the best text field holding
    it, boosted by that field's weight."""
    fields = [f"{text_field(column)}^{weight}" for column, weight in TEXT_COLUMNS]
    return [Q("multi_match", query=term, fields=fields, type="best_fields") for term in query.terms]


def _by_relevance(query):
    return [{"_score": "desc"}, "name", "id"] if query.terms else ["name", "id"]


def _within_radius(query):
    """A located point, at a location with the features asked for, within the radius."""
    return Q(
        "geo_distance",
        distance=f"{query.radius_km}km",
        distance_type="arc",
        **{points_field(query.accessibility): {"lat": query.latitude, "lon": query.longitude}},
    )


def _location_within(query):
    """A location (of the nested `locations`) within the radius, with the features asked for."""
    point = {"lat": query.latitude, "lon": query.longitude}
    within = Q(
        "geo_distance",
        distance=f"{query.radius_km}km",
        distance_type="arc",
        **{"locations.point": point},
    )
    features = [Q("term", **{f"locations.{name}": True}) for name in query.accessibility]
    return Q("bool", filter=[within, *features])


def _locations_counted(matching, query, counted=None):
    """A search that counts the nested locations (those meeting `counted`, if given) of the
    documents `matching` finds in the query's categories, without reading any document."""
    s = Search().query(Q("bool", filter=[matching, _in_categories(query)]))
    s = s.extra(size=0, track_total_hits=False)
    s.aggs.bucket("locations", "nested", path="locations").bucket(
        "counted", "filter", filter=counted or Q("match_all")
    )
    return s


def _by_distance(query):
    """Nearest first: the distance to the nearest point with the features asked for."""
    point = {"lat": query.latitude, "lon": query.longitude}
    return {
        "_geo_distance": {
            points_field(query.accessibility): point,
            "order": "asc",
            "unit": "km",
            "mode": "min",
            "distance_type": "arc",
        }
    }


def _in_categories(query):
    """The services filed under one of the query's terms (the documents list every term's
    ancestors too, so a parent term includes its children); everything without any."""
    if not query.categories:
        return Q("match_all")
    wanted = TaxonomyTerm.objects.filter(code__in=query.categories).values_list("id", flat=True)
    ids = sorted(str(pk) for pk in wanted)
    return Q("terms", categories=ids) if ids else Q("match_none")


def _term_codes():
    return {str(pk): code for pk, code in TaxonomyTerm.objects.values_list("id", "code")}


def _count_facets(s, codes):
    """A terms aggregation of the categories, over the whole result (before post_filter)."""
    s.aggs.bucket("facets", "terms", field="categories", size=max(1, len(codes)))


def _facets(response, codes):
    buckets = response.aggregations.facets.buckets
    return {codes[b.key]: b.doc_count for b in buckets if b.key in codes and b.doc_count}


def _hit(hit, query, local=False):
    score = float(hit.meta.score or 0.0) if query.terms else 0.0
    service = uuid.UUID(hit.meta.id)
    if local:
        return Hit(service, distance_km=round(hit.meta.sort[0], 3), score=score)
    return Hit(service, remote=query.near, score=score)


def _shown_order(hit):
    """A local hit's place on its page: by the distance shown (to the metre), then name and
    id, as the database engine orders them (the server sorts by the unrounded distance)."""
    distance, name, pk = hit.meta.sort
    return round(distance, 3), name, pk


def _plain_district(query):
    """The query's district as one term of a document's `districts`, if it is one."""
    tokens = district_tokens(query.district) if query.district else []
    return tokens[0] if tokens == [query.district.upper()] else ""


def _district_pattern(district):
    # The database engine's own test (an iregex on the extent), so both match alike.
    return re.compile(rf"(^|[^A-Z0-9]){re.escape(district)}([^A-Z0-9]|$)", re.IGNORECASE)


def _covers(hit, lat, lon, pattern):
    """Whether one of a service's radius areas, shapes or (with `pattern`) district lists
    covers the place."""
    source = hit.to_dict()
    if pattern is not None and any(pattern.search(e) for e in source.get("district_extents", [])):
        return True
    if any(
        distance_km(lat, lon, c_lat, c_lon) <= km
        for c_lat, c_lon, km in source.get("radius_areas", [])
    ):
        return True
    return any(covers(extent, lat, lon) for extent in source.get("polygon_areas", []))


def _box_holds(lat, lon):
    """A radius area or shape whose bounding box holds the place."""
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


def _opening_times(wanted, today):
    """Services with one schedule (not marked closed, not ended before `today`) that matches
    every part of the ScheduleFilter given, as the database engine's `_scheduled`."""
    conditions = [_missing_or("opening_times.valid_to", {"gte": today.isoformat()})]
    if wanted.day:
        conditions.append(Q("term", opening_times__days=wanted.day))
    if wanted.opens_from is not None:
        conditions.append(
            Q("range", opening_times__opens_at={"gte": day_micros(wanted.opens_from)})
        )
    if wanted.closes_by is not None:
        conditions.append(
            Q("range", opening_times__closes_at={"lte": day_micros(wanted.closes_by)})
        )
    return Q(
        "nested",
        path="opening_times",
        query=Q("bool", filter=conditions),
    )


def _open_at(moment):
    """Services with an opening rule that falls on the moment's day and covers its time,
    and no closure that day (`directory.search.occurrence`)."""
    day, seconds = occurrence.moment_values(moment)
    intervals = sorted(
        set(
            Schedule.objects.filter(interval__gt=1, dtstart__isnull=False, closed=False)
            .values_list("interval", flat=True)
            .distinct()
        )
    )
    opening = Q(
        "nested",
        path="openings",
        query=Q(
            "bool",
            filter=[
                Q("terms", openings__days=occurrence.day_keys(day, intervals)),
                Q("range", openings__opens={"lte": seconds}),
                Q("range", openings__closes={"gt": seconds}),
                *_in_force("openings", day),
            ],
        ),
    )
    closed = Q("nested", path="closures", query=Q("bool", filter=_in_force("closures", day)))
    return Q("bool", filter=[opening], must_not=[closed])


def _in_force(path, day):
    """A nested rule in force on `day`: from its valid_from (if any) to its valid_to."""
    return [
        _missing_or(f"{path}.valid_from", {"lte": day.isoformat()}),
        _missing_or(f"{path}.valid_to", {"gte": day.isoformat()}),
    ]
