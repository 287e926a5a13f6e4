"""The embedded search engine: SQL on the directory's own tables, SQLite or PostgreSQL.

Near a place: `directory.models.SearchPoint` (kept by `directory.indexing`) holds every
active service's located points with the service's categories. A search reads the points
in the box around the circle from the database's spatial index (SQLite's R*Tree and each
point's row by its id; PostgreSQL's GiST on earthdistance's `ll_to_earth`, which carries the
columns read, so the index alone answers) and keeps those whose squared chord to the place
on the unit sphere, worked out once per point in SQL from its stored (x, y, z), is within
the radius's (the exact haversine of `core.geo.distance_km` decides at the edge and for the
page shown). Without text, the total and the facets are counted in SQL per distinct set of
categories (by its number, `SearchPoint.category_set`), and only the services
that can reach the requested page are read one by one; with text, the rows of services in
the text index's match (`directory.search.fulltext`: FTS5 or tsvector) are fewer and read
once. The page is measured exactly and sorted (distance shown, name, id), so only its
services are scored for the text. Services that reach the place from anywhere (national,
phone, online, or an area covering it: a radius, a postcode district, or a shape whose
bounding box SQL checks and shapely then decides) are few and follow the local ones, best
text match first (scored when the page reaches them).

Anywhere: all in SQL. A category listing reads its page in name order from the
ServiceCategory (term, name, service) index; facets over the whole directory are cached per
data version.
"""

import dataclasses
import functools
import hashlib
import heapq
import math
import re
import uuid
from collections import Counter

from django.core.cache import cache
from django.db import connection
from django.db.models import IntegerField, Q, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone

from core.geo import bounding_box, distance_km
from core.page_cache import site_cached
from directory.areas import covers
from directory.models import (
    IndexVersion,
    Schedule,
    SearchArea,
    SearchCategorySet,
    SearchCell,
    SearchPoint,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCategory,
    ServiceLanguage,
    TaxonomyTerm,
)
from directory.search import fulltext
from directory.search.idset import id_set
from directory.search.opening import not_ended, open_service_ids
from directory.search.points import (
    BOX_TABLE,
    CHORD2_SLACK,
    EARTH_BOX_SCALE,
    MARGIN,
    cells_near,
    chord2,
    km_of_chord2,
    unit_vector,
)
from directory.search.query import ACCESSIBILITY_FEATURES, Hit, SearchResults
from directory.search.taxonomy import facet_codes_sql, in_categories

FACET_CACHE_SECONDS = 600


class DatabaseEngine:
    name = "database"

    def search(self, query):
        services = self._services(query)
        filtered = _narrows(query)
        if query.near:
            return self._near(query, services, filtered)
        if query.terms:
            matched = RawSQL(*fulltext.match_sql(query.terms))  # noqa: S611 - values are parameters
            services = services.filter(search_key__in=matched)
        elif not filtered and len(query.categories) == 1:
            return self._listing(query, services)
        return self._anywhere(query, services, filtered)

    def count_locations(self, query):
        """How many service-at-locations `directory.search.locations` lists for the query,
        counted in SQL without listing the services: every location of each matching
        service; near a place, the located ones within the radius (with the features asked
        for) of the local services, and every location of those that reach the place."""
        services = self._services(query)
        filtered = _narrows(query)
        if not query.near:
            if query.terms:
                matched = RawSQL(*fulltext.match_sql(query.terms))  # noqa: S611 - values are parameters
                services = services.filter(search_key__in=matched)
            if query.categories:
                services = services.filter(pk__in=in_categories(query.categories))
            return ServiceAtLocation.objects.filter(service__in=services.values("pk")).count()
        points = _PointFilter(query, query.radius_km, services if filtered else None)
        wanted_in = _category_test(query) or (lambda categories: True)
        local = sum(n for cats, n in self._count_points(query, points).items() if wanted_in(cats))
        categories_of = {}
        remote = self._remote(query, services, filtered, points, categories_of)
        remote = [_uuid(key) for key in remote if wanted_in(categories_of[key])]
        if not remote:
            return local
        return local + ServiceAtLocation.objects.filter(service_id__in=id_set(remote)).count()

    def _services(self, query):
        """The active services that meet every filter but place, text and category."""
        services = Service.objects.filter(self._service_filter(query))
        if query.open_now:
            moment = timezone.localtime(query.now) if query.now else timezone.localtime()
            services = services.filter(open_service_ids(services, moment))
        return services

    def _count_points(self, query, points):
        """Counter {categories: located points within the circle}, of services holding
        every query term: counted in SQL, the few at the very edge by the exact distance."""
        where, params = list(points.where), list(points.params)
        distance = points.distance
        rows = f"FROM {points.source} WHERE {' AND '.join(where)} AND {distance}"  # noqa: S608
        params += [*points.distance_params, points.inner]
        counts = Counter()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT categories, COUNT(*) {rows} <= %s GROUP BY 1", params)
            counts.update(dict(cursor.fetchall()))
            cursor.execute(f"SELECT categories, latitude, longitude {rows} > %s", params)
            for categories, lat, lon in cursor.fetchall():
                if distance_km(query.latitude, query.longitude, lat, lon) <= points.radius_km:
                    counts[categories] += 1
        return counts

    def _service_filter(self, query, prefix=""):
        """Filters that do not depend on place or text, as a Q on Service (or on a relation
        to it, with `prefix` such as "service__"), so the database can join, not nest."""
        p = prefix
        q = Q(**{f"{p}status": "active"})
        if query.free:
            q &= Q(**{f"{p}free": True})
        if query.open_24_7:
            q &= Q(**{f"{p}open_24_7": True})
        if query.age is not None:
            q &= Q(**{f"{p}minimum_age__isnull": True}) | Q(**{f"{p}minimum_age__lte": query.age})
            q &= Q(**{f"{p}maximum_age__isnull": True}) | Q(**{f"{p}maximum_age__gte": query.age})
        if query.minimum_age is not None:
            q &= Q(**{f"{p}minimum_age__gte": query.minimum_age})
        if query.maximum_age is not None:
            q &= Q(**{f"{p}maximum_age__lte": query.maximum_age})
        if query.schedule is not None:
            q &= Q(**{f"{p}pk__in": _scheduled(query.schedule, query.today)})
        if query.languages:
            speaking = ServiceLanguage.objects.filter(code__in=query.languages).values("service")
            q &= Q(**{f"{p}pk__in": speaking})
        if query.accessibility:
            features = {f"location__{name}": True for name in query.accessibility}
            q &= Q(**{f"{p}pk__in": ServiceAtLocation.objects.filter(**features).values("service")})
        if query.reaches_anywhere:
            q &= Q(**{f"{p}reaches_anywhere": True})
        if query.modified_after:
            q &= Q(**{f"{p}last_modified__gte": query.modified_after})
        if query.organization_id:
            q &= Q(**{f"{p}organization_id": query.organization_id})
        return q

    def _listing(self, query, services):
        """One category, nothing else: the page in name order and the count, both read
        from the ServiceCategory (term, name, service) index, which holds active services."""
        facets = self._cached_facets(query, services, filtered=False)
        terms = list(TaxonomyTerm.objects.filter(code=query.categories[0]).values_list("id"))
        if len(terms) != 1:
            services = services.filter(pk__in=in_categories(query.categories))
            return self._anywhere(query, services, False, facets=facets)
        filed = ServiceCategory.objects.filter(term_id=terms[0][0])
        total = filed.count()
        window = filed.order_by("name", "service_id").values_list("service_id", flat=True)[
            query.offset : query.offset + query.page_size
        ]
        return SearchResults(
            hits=[Hit(pk) for pk in window], total=total, facets=facets, query=query
        )

    # Near a place.
    def _near(self, query, services, filtered):
        """Local services (a location within the radius) by distance, then those that reach
        the place from anywhere or cover it, best text match first.

        The local services are counted, and their facets, in SQL (`_count_local`): one row
        per distinct set of categories leaves the database, not one per service, and only
        the page's neighbourhood is read row by row (`_nearest_page`). With text, on
        PostgreSQL each point is tested by its own copy of the service's document
        (`fulltext.row_match_sql`), so a common word in a city leaves thousands of services
        counted, not read; on SQLite, whose text test is a set of keys that FTS5 lists each
        time it is asked, the local services holding the text are read in one statement
        (`_local`). The local services shown are scored as their points are read for the
        page (`_local_page`), and the remote ones (few, ordered by score) as their rows are
        read (`_remote`)."""
        narrowed = services if filtered else None
        points = _PointFilter(query, query.radius_km, narrowed)
        wanted_in = _category_test(query)
        local = None
        if query.terms and not fulltext.rows_hold_text():
            # The text is a set of search keys matched once (FTS5): every local service
            # holding it is read in one statement, rather than matched again for the count
            # and again for the page.
            local, categories_of = self._local(query, points)
            counts = Counter(categories_of.values())
            if wanted_in:
                local = {key: d for key, d in local.items() if wanted_in(categories_of[key])}
        else:
            counts, edge = self._count_local(query, points)
            for key in self._points_within(query, points, edge):
                counts[edge[key]] += 1
        categories_of, score_of = {}, {}
        remote = self._remote(query, services, filtered, points, categories_of, score_of)
        filed = Counter(counts)
        filed.update(categories_of[key] for key in remote)
        facets = self._facets_of(filed)
        if wanted_in:
            local_total = sum(n for cats, n in counts.items() if wanted_in(cats))
            remote = {key: name for key, name in remote.items() if wanted_in(categories_of[key])}
        else:
            local_total = sum(counts.values())
        start, stop = query.offset, query.offset + query.page_size
        hits = []
        if start < local_total and local is None:  # read around the place
            hits = self._nearest_page(query, narrowed, wanted_in, local_total, start, stop)
        elif start < local_total:  # every local service is at hand
            hits = self._local_page(query, local, start, stop)
        if stop > local_total:  # the page reaches the remote services: best match, then name
            # Keys order as the ids' text does (hex, or text with dashes in fixed places).
            remote_order = sorted(
                remote.items(), key=lambda item: (-score_of.get(item[0], 0), item[1], item[0])
            )
            window = remote_order[max(0, start - local_total) : stop - local_total]
            hits += [
                Hit(_uuid(key), remote=True, score=float(score_of.get(key, 0)))
                for key, _name in window
            ]
        return SearchResults(hits=hits, total=local_total + len(remote), facets=facets, query=query)

    def _count_local(self, query, points):
        """(Counter {categories: services with a point well inside the circle},
        {service key: categories} of the services whose nearest point lies at the very edge,
        for the exact distance to decide): from the grid's counts where the circle holds
        whole cells and no filter asks what they do not count (`_count_cells`), otherwise
        from the points themselves (`_count_points_near`)."""
        if points.plain:
            full, edge = cells_near(query.latitude, query.longitude, points.radius_km, distance_km)
            if full:
                return self._count_cells(points, full, edge)
        return self._count_points_near(points)

    def _count_cells(self, points, full, edge):
        """`_count_local` from the grid: the cells wholly inside the circle are added up
        from SearchCell (per set of categories, and per service for services with several
        points, which are taken once however many cells they are in), and only the points
        of the cells across its edge are read, through the spatial index, one range of
        cells per row of the grid (`points.cells_near`)."""
        sets = SearchCategorySet._meta.db_table
        # Each range of cells joined to the counts: a range of their index each.
        typed = "CAST(%s AS integer)"
        ranges = ", ".join([f"({typed}, {typed})"] * len(full))
        inside = (
            f"WITH r (low, high) AS (VALUES {ranges}) "  # noqa: S608
            "SELECT g.owner, s.categories, g.n FROM (SELECT c.owner, c.category_set, "
            f"SUM(c.services) AS n FROM r JOIN {SearchCell._meta.db_table} AS c "
            "ON c.cell BETWEEN r.low AND r.high GROUP BY c.owner, c.category_set) AS g "
            f"JOIN {sets} AS s ON s.id = g.category_set"
        )
        edge = [stretch for stretch in edge if stretch[4] <= stretch[5]]
        rows, params = points.stretches(edge)
        grouped = (
            "SELECT CASE WHEN shared THEN k END AS service, category_set, "  # noqa: S608
            "COUNT(*) AS n, MAX(CASE WHEN shared THEN -d ELSE d END) AS extreme "
            f"FROM ({rows}) AS r WHERE d <= %s GROUP BY 1, 2"
        )
        across = (
            f"SELECT g.service, s.categories, g.n, g.extreme FROM ({grouped}) AS g "  # noqa: S608
            f"JOIN {sets} AS s ON s.id = g.category_set"
        )
        counts, edge_keys, spilled, taken = Counter(), {}, False, set()
        with connection.cursor() as cursor:
            cursor.execute(inside, [bound for pair in full for bound in pair])
            for owner, categories, count in cursor.fetchall():
                if not owner:
                    counts[categories] += count
                elif owner not in taken:
                    taken.add(owner)
                    counts[categories] += 1
            crossing = []
            if edge:  # there always are some: no whole cell reaches the box's sides
                cursor.execute(across, [*params, points.outer])
                crossing = cursor.fetchall()
            for service, categories, count, extreme in crossing:
                if service is None:
                    counts[categories] += count
                    spilled = spilled or extreme > points.inner
                elif service in taken:
                    continue
                elif -extreme <= points.inner:
                    counts[categories] += 1
                else:
                    edge_keys[service] = categories
        if spilled:  # a single point at the very edge: rare; read the circle row by row
            return self._count_points_near(points)
        return counts, edge_keys

    def _count_points_near(self, points):
        """(Counter {categories: services with a point well inside the circle},
        {service key: categories} of the services whose nearest point lies at the very edge,
        for the exact distance to decide), from one read of the index.

        A service with one point is one row: those rows are counted per set of categories.
        The rows of services with several points (`shared`) are grouped per service, with
        the nearest one's distance. Rows at the very edge are rare: a set whose
        farthest single row lies there has those rows read again, one by one.

        Rows are grouped by the number of their set of categories (`category_set`), and
        each group's set read by that number afterwards: sorting or hashing thousands of
        rows by a short integer costs a fraction of what it does by the long text."""
        distance, key = points.distance, points.key
        rows, params = points.measured(f"shared, {key} AS k, category_set")
        grouped = (
            "SELECT CASE WHEN shared THEN k END AS service, category_set, "  # noqa: S608
            "COUNT(*) AS n, MAX(CASE WHEN shared THEN -d ELSE d END) AS extreme "
            f"FROM ({rows}) AS r WHERE d <= %s GROUP BY 1, 2"
        )
        sql = (
            f"SELECT g.service, s.categories, g.n, g.extreme FROM ({grouped}) AS g "  # noqa: S608
            f"JOIN {SearchCategorySet._meta.db_table} AS s ON s.id = g.category_set"
        )
        params = [*params, points.outer]
        counts, edge, spilled = Counter(), {}, False
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for service, categories, count, extreme in cursor.fetchall():
                if service is None:
                    counts[categories] += count
                    spilled = spilled or extreme > points.inner
                elif -extreme <= points.inner:
                    counts[categories] += 1
                else:
                    edge[service] = categories
            if spilled:
                cursor.execute(
                    f"SELECT {key}, categories FROM {points.source} "  # noqa: S608
                    f"WHERE {points.sql()} AND NOT shared AND {distance} > %s",
                    [*points.params, *points.distance_params, points.inner],
                )
                for service, categories in cursor.fetchall():
                    counts[categories] -= 1
                    edge[service] = categories
                counts = +counts  # without the sets left with none
        return counts, edge

    def _points_within(self, query, points, keys):
        """Those of these service keys with a point within the circle (and the query's
        accessibility needs), by the exact distance at the edge."""
        if not keys:
            return set()
        table = SearchPoint._meta.db_table
        among, among_params = _keys_sql(keys)
        checks, check_params = points.row_sql()
        sql = (
            f"SELECT {points.key}, {points.distance}, latitude, longitude "  # noqa: S608
            f"FROM {table} WHERE service_id IN ({among}) AND {checks}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*points.distance_params, *among_params, *check_params])
            return points.within(query, cursor.fetchall())

    def _nearest_page(self, query, narrowed, wanted_in, local_total, start, stop):
        """The page's local hits, read from a circle around the place just large enough to
        hold them: sized from the count (as if services were spread evenly), and doubled
        until the stop-th nearest service, to the metre shown, lies well inside it."""
        radius = query.radius_km
        small = radius * math.sqrt(3 * stop / local_total) if local_total > 3 * stop else radius
        while True:
            small = min(radius, small)
            local, categories_of = self._local(query, _PointFilter(query, small, narrowed))
            if wanted_in:
                local = {key: d for key, d in local.items() if wanted_in(categories_of[key])}
            if small >= radius:
                break
            if len(local) >= stop:
                kth = km_of_chord2(heapq.nsmallest(stop, local.values())[-1])
                if _page_reach(kth) <= small * (1 - MARGIN):
                    break
            small *= 2
        return self._local_page(query, local, start, stop)

    def _local(self, query, points):
        """({service key: squared chord to its nearest location within the circle},
        {service key: its categories}) from the SearchPoint rows that `points` (a
        _PointFilter) keeps, found by the spatial index."""
        inner, radius = points.inner, points.radius_km
        rows, params = points.measured(f"{points.key} AS k, categories, latitude, longitude")
        sql = (
            f"SELECT k, categories, d, latitude, longitude FROM ({rows}) AS r "  # noqa: S608
            "WHERE d <= %s ORDER BY d DESC"
        )
        lat0, lon0 = query.latitude, query.longitude
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, points.outer])
            rows = cursor.fetchall()
        # Farthest first: the few rows at the edge lead, and below each service's nearest
        # point overwrites the others (the dicts are built in C, not row by row in Python).
        edge = 0
        while edge < len(rows) and rows[edge][2] > inner:
            edge += 1
        if edge:
            inside = [r for r in rows[:edge] if distance_km(lat0, lon0, r[3], r[4]) <= radius]
            rows = inside + rows[edge:]
        best = {row[0]: row[2] for row in rows}
        categories_of = {row[0]: row[1] for row in rows}
        return best, categories_of

    def _local_page(self, query, local, start, stop):
        """Hits for positions start..stop of the local list, ordered by the distance shown
        (to the metre), then name, then id, as every engine orders them; with text, each
        with its score, read with its points.

        Only the services that can reach the page are measured exactly: every one whose
        rounded distance is at most that of the stop-th nearest (SQL's squared chords, the
        values of `local`, order them as the exact distances do, to rounding)."""
        count = min(stop, len(local))
        kth = km_of_chord2(heapq.nsmallest(count, local.values())[-1])
        reach = chord2(_page_reach(kth)) * (1 + MARGIN) + CHORD2_SLACK
        chosen = [key for key, d in local.items() if d <= reach]
        points = SearchPoint.objects.filter(service_id__in=id_set(_uuid(k) for k in chosen))
        if query.accessibility:
            points = points.filter(**dict.fromkeys(query.accessibility, True))
        if query.terms:  # the score of each service read, from the same rows
            key = f'"{SearchPoint._meta.db_table}"."service_key"'
            score = RawSQL(*fulltext.score_sql(query.terms, key), output_field=IntegerField())  # noqa: S611
        else:
            score = Value(0)
        nearest, names, scores = {}, {}, {}
        for pk, lat, lon, name, text_score in points.annotate(text_score=score).values_list(
            "service_id", "latitude", "longitude", "service__name", "text_score"
        ):
            d = distance_km(query.latitude, query.longitude, lat, lon)
            if d <= query.radius_km and d < nearest.get(pk, math.inf):
                nearest[pk] = d
                names[pk] = name
                scores[pk] = text_score
        page = sorted(nearest, key=lambda pk: (round(nearest[pk], 3), names[pk], str(pk)))
        return [
            Hit(pk, distance_km=round(nearest[pk], 3), score=float(scores.get(pk, 0)))
            for pk in page[start:stop]
        ]

    def _facets_of(self, filed):
        """{term code: services} from {categories: services filed under that set}."""
        by_term = Counter()
        for cats, count in filed.items():
            for term_id in _term_ids(cats):
                by_term[term_id] += count
        if not by_term:
            return {}
        codes = site_cached("directory-term-codes", compute=_term_codes)
        facets = {}
        for term_id, count in by_term.items():
            code = codes.get(term_id)
            if code is not None:
                facets[code] = facets.get(code, 0) + count
        return facets

    def _remote(self, query, services, filtered, points, categories_of, score_of=None):
        """{service key: name} of the services listed after the local ones: those that can
        be reached from anywhere (national, phone, online) or whose area covers the place;
        every one matching `reaches_anywhere=True` when that is asked (and with text, holding
        every term). Read from the small SearchArea table (which also gives their
        categories, added to `categories_of`, and with text and `score_of` given, their
        scores, added to it).

        A service with a point in the local circle (`points`, a _PointFilter) is local, not
        remote: each remote row of a service with located places reads its nearest point in
        the circle in the same statement."""
        if not (query.reaches_anywhere or query.include_remote):
            return {}
        # The kinds of area that may reach the place: anywhere, the district named, and
        # shapes and radius areas whose bounding box holds the place (a range of the
        # search_area_box index each; the exact tests follow, below). SQLite reads each
        # kind from its own index (a multi-index OR), and the text and the other filters
        # are checked once for them all.
        kinds, params = ["kind = %s"], [SearchArea.ANYWHERE]
        if not query.reaches_anywhere:
            if query.district:
                escaped = re.sub(r"([\\%_])", r"\\\1", query.district.upper())
                kinds.append("(kind = %s AND UPPER(extent) LIKE %s ESCAPE '\\')")
                params += [ServiceArea.DISTRICTS, f"%{escaped}%"]
            lat, lon = query.latitude, query.longitude
            box = "kind = %s AND min_latitude <= %s AND max_latitude >= %s"
            box += " AND min_longitude <= %s AND max_longitude >= %s"
            for kind in (ServiceArea.POLYGON, ServiceArea.RADIUS):
                kinds.append(f"({box})")
                params += [kind, lat, lat, lon, lon]
        text, text_params = _text_match(query)
        where = [f"({' OR '.join(kinds)})", *text]
        params += text_params
        if filtered:
            sub, sub_params = services.values("pk").query.sql_with_params()
            where.append(f"service_id IN ({sub})")
            params.extend(sub_params)
        key, table = _key_column(), SearchArea._meta.db_table
        score, score_params = "0", []
        if query.terms and score_of is not None:
            score, score_params = fulltext.score_sql(query.terms, f"{table}.service_key")
        # A service that also has located places is local if one lies within the circle
        # (with the accessibility asked for): its nearest such point's squared chord, read
        # with the row by the points' (service, location) index.
        checks, check_params = points.row_sql()
        nearest = (
            f"CASE WHEN located THEN (SELECT MIN({points.distance}) "  # noqa: S608
            f"FROM {SearchPoint._meta.db_table} AS p "
            f"WHERE p.service_id = {table}.service_id AND {checks}) END"
        )
        # Column and table names and SQL made here; every value is a parameter.
        sql = (
            f"SELECT {key}, kind, extent, name, categories, located, {score}, {nearest} "  # noqa: S608
            f"FROM {table} WHERE {' AND '.join(where)}"
        )
        params = [*score_params, *points.distance_params, *check_params, *params]
        pattern = (
            re.compile(rf"(^|[^A-Z0-9]){re.escape(query.district)}([^A-Z0-9]|$)", re.IGNORECASE)
            if query.district
            else None
        )
        remote = {}
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        located, nearest_of = set(), {}
        boxed = {}  # services with a shape whose box holds the place: decided below
        for key_value, kind, extent, name, cats, has_points, text_score, chord in rows:
            if score_of is not None and query.terms:
                score_of[key_value] = text_score
            nearest_of[key_value] = chord
            if key_value in remote:
                continue
            if kind == ServiceArea.POLYGON:
                boxed[key_value] = (name, cats, has_points)
            elif (
                kind == SearchArea.ANYWHERE
                or (
                    kind == ServiceArea.RADIUS
                    and _inside_radius(extent, query.latitude, query.longitude)
                )
                or (kind == ServiceArea.DISTRICTS and pattern and pattern.search(extent))
            ):
                remote[key_value] = name
                categories_of[key_value] = cats
                if has_points:
                    located.add(key_value)
        boxed = {key: row for key, row in boxed.items() if key not in remote}
        for key_value in _covering_shapes(query, boxed):
            name, cats, has_points = boxed[key_value]
            remote[key_value] = name
            categories_of[key_value] = cats
            if has_points:
                located.add(key_value)
        at_edge = set()  # a point at the very edge: the exact distance decides
        for key_value in located:
            chord = nearest_of[key_value]
            if chord is not None and chord <= points.inner:
                del remote[key_value]
            elif chord is not None:
                at_edge.add(key_value)
        for key_value in self._points_within(query, points, at_edge):
            del remote[key_value]
        return remote

    # Anywhere: all in SQL, one page of rows read.
    def _anywhere(self, query, services, filtered, facets=None):
        if facets is None:
            facets = self._cached_facets(query, services, filtered or bool(query.terms))
        if query.categories:
            services = services.filter(pk__in=in_categories(query.categories))
        total = services.count()
        if not query.terms:
            rows = services.order_by("name", "pk").values_list("pk", flat=True)
            window = rows[query.offset : query.offset + query.page_size]
            return SearchResults(
                hits=[Hit(pk) for pk in window], total=total, facets=facets, query=query
            )
        rows = (
            services.annotate(text_score=_score(query))
            .order_by("-text_score", "name", "pk")
            .values_list("pk", "text_score")
        )
        window = rows[query.offset : query.offset + query.page_size]
        hits = [Hit(pk, score=float(value)) for pk, value in window]
        return SearchResults(hits=hits, total=total, facets=facets, query=query)

    def _cached_facets(self, query, services, filtered):
        """Facet counts over a whole (possibly very large) result, cached per query until the
        directory changes. Categories and paging are not part of the key: facets ignore the
        category filter, so browsing category after category reuses one count."""
        if query.open_now:
            return facet_codes_sql(Q(service_id__in=services.values("pk")))
        key_fields = dataclasses.replace(query, categories=(), page=1, page_size=0, now=None)
        digest = hashlib.sha256(repr(key_fields).encode()).hexdigest()
        key = f"directory:facets:{IndexVersion.current()}:{digest}"
        facets = cache.get(key)
        if facets is None:
            # The category index holds active services only: unfiltered, count it all.
            rows = Q(service_id__in=services.values("pk")) if filtered else Q()
            facets = facet_codes_sql(rows)
            cache.set(key, facets, FACET_CACHE_SECONDS)
        return facets


def _term_codes():
    """{term id (hex): code} for every taxonomy term; kept with the site's facts, which any
    change to a term or an import empties (core.page_cache)."""
    return {pk.hex: code for pk, code in TaxonomyTerm.objects.order_by().values_list("id", "code")}


class _PointFilter:
    """The WHERE clause that keeps the SearchPoint rows within `radius_km` of the query's
    place (or within a hair more: rows beyond `inner` are decided by the exact distance),
    with the query's accessibility needs, if given the narrowed services, and with text the
    services holding every query term."""

    def __init__(self, query, radius_km, narrowed=None):
        self.radius_km = radius_km
        # Squared chords (what `distance` works out), each with a margin for rounding.
        limit = chord2(radius_km)
        self.outer = limit * (1 + MARGIN) + CHORD2_SLACK
        self.inner = limit * (1 - MARGIN) - CHORD2_SLACK
        self.distance, self.distance_params = _distance_sql(query)
        self.key = _key_column()
        # The box (read from the spatial index), then what is checked on each row.
        table = SearchPoint._meta.db_table
        if connection.vendor == "postgresql":
            # The index carries the columns read (migration 0001): an index-only scan.
            self.source = table
            self.box = ["earth_box(ll_to_earth(%s, %s), %s) @> ll_to_earth(latitude, longitude)"]
            scaled = radius_km * 1000 * EARTH_BOX_SCALE
            self.box_params = [query.latitude, query.longitude, scaled]
        else:
            # The R*Tree's ids in the box lead, and each point's row is found by its id: a
            # join, not `id IN (...)`, which would first copy the ids into a list of its own.
            self.source = f"{BOX_TABLE} CROSS JOIN {table} ON {table}.id = {BOX_TABLE}.id"
            self.box = [
                f"{BOX_TABLE}.max_latitude >= %s AND {BOX_TABLE}.min_latitude <= %s "
                f"AND {BOX_TABLE}.max_longitude >= %s AND {BOX_TABLE}.min_longitude <= %s"
            ]
            min_lat, max_lat, min_lon, max_lon = bounding_box(
                query.latitude, query.longitude, radius_km
            )
            self.box_params = [min_lat, max_lat, min_lon, max_lon]
        self.checks = [f"{self.distance} <= %s"]
        self.check_params = [*self.distance_params, self.outer]
        for name in query.accessibility:
            if name in ACCESSIBILITY_FEATURES:
                self.checks.append(f"{name} = %s")
                self.check_params.append(True)
        if narrowed is not None:
            sub, sub_params = narrowed.values("pk").query.sql_with_params()
            self.checks.append(f"service_id IN ({sub})")
            self.check_params.extend(sub_params)
        text, text_params = _text_match(query)
        # Nothing asked but the place: the grid's counts answer for whole cells.
        self.plain = len(self.checks) == 1 and not text
        self.where = [*self.box, *self.checks, *text]
        self.params = [*self.box_params, *self.check_params, *text_params]
        # The same without the distance check, for `measured`.
        distance_check = len(self.distance_params) + 1
        self.unmeasured = [*self.box, *self.checks[1:], *text]
        self.unmeasured_params = [
            *self.box_params,
            *self.check_params[distance_check:],
            *text_params,
        ]

    def sql(self):
        return " AND ".join(self.where)

    def stretches(self, stretches):
        """(SQL, parameters) of a subquery of the points (shared, key `k`, category_set,
        distance `d`) in these stretches of latitude and longitude, each with the range
        of cell numbers whose points it keeps ([(south, north, west, east, first, last)]),
        found through the spatial index: on SQLite one range of the R*Tree per stretch
        (UNION ALL); on PostgreSQL, per stretch, a cube holding it on earthdistance's
        sphere, each joined to the points as a range of the GiST index (a join with a
        list of cubes rather than a UNION ALL, which PostgreSQL would hand to parallel
        workers whose start costs more than the reads)."""
        columns = f"shared, {self.key} AS k, category_set, {self.distance} AS d"
        if connection.vendor != "postgresql":
            branch = (
                f"SELECT {columns} FROM {self.source} WHERE {self.box[0]} "  # noqa: S608
                "AND cell BETWEEN %s AND %s"
            )
            params = []
            for south, north, west, east, first, last in stretches:
                params += [*self.distance_params, south, north, west, east, first, last]
            return " UNION ALL ".join([branch] * len(stretches)), params
        cube = "cube(ARRAY[%s, %s, %s]::float8[], ARRAY[%s, %s, %s]::float8[])"
        values = ", ".join([f"({cube}, CAST(%s AS integer), CAST(%s AS integer))"] * len(stretches))
        params = [*self.distance_params]
        for south, north, west, east, first, last in stretches:
            lower, upper = _earth_cube(south, north, west, east)
            params += [*lower, *upper, first, last]
        sql = (
            f"SELECT {columns} FROM (VALUES {values}) AS stretch (box, low, high) "  # noqa: S608
            f"JOIN {self.source} ON stretch.box @> ll_to_earth(latitude, longitude) "
            "AND cell BETWEEN stretch.low AND stretch.high"
        )
        return sql, params

    def measured(self, columns):
        """(SQL, parameters) of a subquery of these columns and `d`, each row's distance,
        over the rows in the box that pass every check but the distance, which the caller
        tests on `d` (`d <= outer`): so each row's distance is worked out once, not once
        for the test and again for each use. The subquery is kept from being merged into
        the query around it, which would write the distance out again wherever `d` is
        used: by OFFSET 0 on PostgreSQL, by LIMIT -1 on SQLite (which does not merge a
        subquery with a LIMIT into a query with a WHERE clause)."""
        fence = "OFFSET 0" if connection.vendor == "postgresql" else "LIMIT -1"
        sql = (
            f"SELECT {columns}, {self.distance} AS d FROM {self.source} "  # noqa: S608
            f"WHERE {' AND '.join(self.unmeasured)} {fence}"
        )
        return sql, [*self.distance_params, *self.unmeasured_params]

    def row_sql(self):
        """The checks on a row without the bounding box (for rows found by another index,
        by service, which the box's range must not replace) nor the text (the services
        looked up so already hold it), and their parameters."""
        return " AND ".join(self.checks), self.check_params

    def within(self, query, rows):
        """The keys of these (key, distance, latitude, longitude) rows that lie within the
        radius: by SQL's distance, or at the edge by the exact one."""
        return {
            key
            for key, d, lat, lon in rows
            if d <= self.inner
            or distance_km(query.latitude, query.longitude, lat, lon) <= self.radius_km
        }


def _narrows(query):
    """Whether the query narrows the services beyond "active" (and place, text, category),
    so that the search index rows must be checked against the service filter."""
    return bool(
        query.free
        or query.open_24_7
        or query.age is not None
        or query.minimum_age is not None
        or query.maximum_age is not None
        or query.schedule is not None
        or query.languages
        or query.accessibility
        or query.reaches_anywhere
        or query.modified_after
        or query.organization_id
        or query.open_now
    )


def _scheduled(wanted, today):
    """The ids of services with one schedule (not marked closed, not ended before `today`)
    that matches every part of a ScheduleFilter given: the day named in its days, opening at
    or after, closing at or before."""
    rows = Schedule.objects.filter(not_ended(today), closed=False)
    if wanted.day:
        rows = rows.filter(byday__contains=wanted.day)
    if wanted.opens_from is not None:
        rows = rows.filter(opens_at__gte=wanted.opens_from)
    if wanted.closes_by is not None:
        rows = rows.filter(closes_at__lte=wanted.closes_by)
    return rows.values("service_id")


def _text_match(query):
    """With text, the test that an index table's row is of a service holding every query
    term: ([SQL], [parameters]); without, ([], [])."""
    if not query.terms:
        return [], []
    match, match_params = fulltext.row_match_sql(query.terms)
    return [match], match_params


def _score(query):
    """The text score of each service (which holds every query term), for annotate()."""
    key = f'"{Service._meta.db_table}"."search_key"'
    return RawSQL(*fulltext.score_sql(query.terms, key), output_field=IntegerField())  # noqa: S611


def _distance_sql(query):
    """SQL for the squared chord (`points.chord2`) between a row's point on the unit sphere
    (x, y, z) and the query's place, and its parameters: in the order of the haversine
    distances of core.geo.distance_km, with products and sums only."""
    x, y, z = unit_vector(query.latitude, query.longitude)
    sql = "((x - %s) * (x - %s) + (y - %s) * (y - %s) + (z - %s) * (z - %s))"
    return sql, [x, x, y, y, z, z]


EARTH_METRES = 6378168  # earthdistance's earth(), the sphere of ll_to_earth


def _earth_cube(south, north, west, east):
    """The corners ((x, y, z), (x, y, z)) of the smallest box in ll_to_earth's coordinates
    holding every point of this stretch of latitudes and longitudes, with a metre to
    spare. Each coordinate is a product of a function of the latitude and one of the
    longitude, so its extremes are among the corners and the points on the equator or on
    the meridians 0, 90, 180 and -90 that the stretch crosses."""
    lats = [south, north, *(lat for lat in (0.0,) if south < lat < north)]
    lons = [west, east, *(lon for lon in (-180.0, -90.0, 0.0, 90.0, 180.0) if west < lon < east)]
    points = []
    for lat in lats:
        phi = math.radians(lat)
        for lon in lons:
            lam = math.radians(lon)
            points.append(
                (
                    EARTH_METRES * math.cos(phi) * math.cos(lam),
                    EARTH_METRES * math.cos(phi) * math.sin(lam),
                    EARTH_METRES * math.sin(phi),
                )
            )
    lower = [min(point[axis] for point in points) - 1.0 for axis in range(3)]
    upper = [max(point[axis] for point in points) + 1.0 for axis in range(3)]
    return lower, upper


def _key_column(column="service_id"):
    """The service id `column` as the raw rows give it back, matching `_key`."""
    return f"{column}::text" if connection.vendor == "postgresql" else column


def _keys_sql(keys):
    """A subquery listing these service keys, and its parameters (`id_set`'s one
    parameter, so any number of keys costs the same)."""
    ids = id_set(_uuid(key) for key in keys)
    return ids.sql, list(ids.params)


def _key(pk):
    """A service id as the search tables' raw rows give it: hex (SQLite), text (PostgreSQL)."""
    return str(pk) if connection.vendor == "postgresql" else pk.hex


def _uuid(key):
    return uuid.UUID(key)


@functools.lru_cache(maxsize=4096)
def _term_ids(categories):
    """Term ids (hex) of a SearchPoint.categories value (",<hex>,<hex>,"). The distinct
    values are few (a few hundred sets of categories), and every search splits them."""
    return tuple(part for part in categories.split(",") if part)


def _inside_radius(extent, latitude, longitude):
    try:
        lat, lon, km = (float(part) for part in extent.split(","))
    except ValueError:
        return False
    return distance_km(latitude, longitude, lat, lon) <= km


def _covering_shapes(query, boxed):
    """The keys among `boxed` (services with a shape whose bounding box holds the query's
    place) of the services with a shape that holds the place itself. The shapes are read
    from ServiceArea for these services alone: SearchArea rows do not carry them, so that
    reading that table never reads a shape (SQLite would read a row's whole shape to reach
    the columns after it)."""
    if not boxed:
        return set()
    lat, lon = query.latitude, query.longitude
    shapes = ServiceArea.objects.filter(
        service_id__in=id_set(_uuid(key) for key in boxed),
        extent_type=ServiceArea.POLYGON,
        min_latitude__lte=lat,
        max_latitude__gte=lat,
        min_longitude__lte=lon,
        max_longitude__gte=lon,
    ).values_list("service_id", "extent")
    return {_key(service_id) for service_id, extent in shapes if covers(extent, lat, lon)}


def _page_reach(kth):
    """The distance within which every service that can share a page with the service at
    distance `kth` lies: distances are shown, and ordered, to the metre."""
    return (round(kth, 3) + 0.0015) * (1 + MARGIN)


def _category_test(query):
    """None, or a test of a `categories` value against the query's categories (a parent
    includes its children, whose rows list it), memoised per distinct value."""
    if not query.categories:
        return None
    wanted = {
        pk.hex
        for pk in TaxonomyTerm.objects.filter(code__in=query.categories).values_list(
            "id", flat=True
        )
    }
    seen = {}

    def wanted_in(categories):
        keep = seen.get(categories)
        if keep is None:
            keep = seen[categories] = not wanted.isdisjoint(_term_ids(categories))
        return keep

    return wanted_in
