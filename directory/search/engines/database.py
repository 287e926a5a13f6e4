"""The embedded search engine: SQL on the directory's own tables, SQLite or PostgreSQL.

Near a place: the indexed latitude/longitude bounding box finds candidate locations and the
haversine distance, computed in SQL, keeps those within the radius; the nearest location of
each service orders the list, and only one page of rows comes back to Python. Services that
reach the place from anywhere (national, phone, online, or an area covering it) are few and
follow the local ones. Anywhere: all in SQL. Text: query terms are matched against the
ServiceTerm index. Facets: grouped counts over every match, ignoring the category filter.
"""

import dataclasses
import hashlib
import math
import re

from django.core.cache import cache
from django.db.models import (
    Count,
    F,
    FloatField,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import (
    ASin,
    Coalesce,
    Cos,
    Least,
    Power,
    Radians,
    Round,
    Sin,
    Sqrt,
)
from django.utils import timezone

from core.geo import bounding_box, distance_km
from core.geo.distance import EARTH_RADIUS_KM
from directory.models import (
    IndexVersion,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceLanguage,
    ServiceTerm,
)
from directory.search.idset import id_set
from directory.search.opening import open_service_ids
from directory.search.query import Hit, SearchResults
from directory.search.taxonomy import facet_codes, facet_codes_sql, in_categories

FACET_CACHE_SECONDS = 600


class DatabaseEngine:
    name = "database"

    def search(self, query):
        services = Service.objects.filter(self._service_filter(query))
        if query.open_now:
            moment = timezone.localtime(query.now) if query.now else timezone.localtime()
            services = services.filter(open_service_ids(services, moment))
        scores = self._text_scores(query)
        if query.near:
            # Text is scored only for the few services near or covering the place.
            return self._near(query, services, scores)
        if scores is not None:
            services = services.filter(pk__in=scores.values("service"))
        return self._anywhere(query, services, scores)

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

    def _text_scores(self, query):
        """A queryset of (service, score) for services with every query term, or None."""
        terms = query.terms
        if not terms:
            return None
        return (
            ServiceTerm.objects.filter(term__in=terms)
            .values("service")
            .annotate(matched=Count("term"), score=Sum("weight"))
            .filter(matched=len(terms))
        )

    # Near a place.
    def _near(self, query, services, scores):
        narrowed = services.values("pk") if query.open_now else None
        local = self._local(query, narrowed)
        if query.reaches_anywhere:
            others = services
        elif query.include_remote:
            others = services.filter(pk__in=id_set(self._covering_ids(query)))
        else:
            others = services.none()
        remote_rows = list(
            others.exclude(pk__in=local.values("service_id")).values_list("pk", "name")
        )
        score_of = {}
        if scores is not None:
            # Every match is needed to score, so the local matches come back to Python.
            local_rows = list(local.values_list("service_id", "nearest", "service__name"))
            candidates = [row[0] for row in local_rows] + [pk for pk, _n in remote_rows]
            score_of = self._scores_for(query.terms, candidates)
            local_rows = [row for row in local_rows if row[0] in score_of]
            remote_rows = [row for row in remote_rows if row[0] in score_of]
        # Those reachable from anywhere (or covering the place) follow, best text match first.
        remote_rows.sort(key=lambda row: (-score_of.get(row[0], 0), row[1], str(row[0])))
        remote_ids = [pk for pk, _name in remote_rows]
        in_category = None
        if query.categories:
            in_category = in_categories(query.categories)
        if scores is not None:
            local_ids = [row[0] for row in local_rows]
            facets = facet_codes(local_ids + remote_ids)
            if in_category is not None:
                keep = set(
                    in_category.filter(service_id__in=id_set(local_ids + remote_ids)).values_list(
                        "service_id", flat=True
                    )
                )
                local_rows = [row for row in local_rows if row[0] in keep]
                remote_ids = [pk for pk in remote_ids if pk in keep]
            # Distances are compared as shown (to the metre), then by name: as every engine does.
            local_rows.sort(key=lambda row: (round(row[1], 3), row[2], str(row[0])))
            local_total = len(local_rows)
            page_local = [row[0] for row in local_rows]
        else:
            facets = self._facets_near(local.values("service_id"), remote_ids)
            if in_category is not None:
                local = local.filter(service_id__in=in_category)
                keep = set(
                    in_category.filter(service_id__in=id_set(remote_ids)).values_list(
                        "service_id", flat=True
                    )
                )
                remote_ids = [pk for pk in remote_ids if pk in keep]
            local_total = local.count()
            page_local = None

        start, stop = query.offset, query.offset + query.page_size
        hits = []
        if start < local_total:
            if page_local is not None:
                ids = page_local[start:stop]
            else:
                ids = list(
                    local.annotate(shown=Round("nearest", 3))
                    .order_by("shown", "service__name", "service_id")
                    .values_list("service_id", flat=True)[start:stop]
                )
            hits = self._local_hits(query, ids, score_of)
        remote_window = remote_ids[max(0, start - local_total) : max(0, stop - local_total)]
        hits += [Hit(pk, remote=True, score=float(score_of.get(pk, 0))) for pk in remote_window]
        return SearchResults(
            hits=hits, total=local_total + len(remote_ids), facets=facets, query=query
        )

    def _scores_for(self, terms, candidates):
        """{service id: score} for the candidates that have every term."""
        rows = (
            ServiceTerm.objects.filter(term__in=terms, service_id__in=id_set(candidates))
            .values("service")
            .annotate(matched=Count("term"), score=Sum("weight"))
            .filter(matched=len(terms))
            .values_list("service", "score")
        )
        return dict(rows)

    def _local(self, query, narrowed=None):
        """Services with a location within the radius, one row each, with the distance to the
        nearest of them (computed in SQL, haversine, like core.geo.distance_km)."""
        min_lat, max_lat, min_lon, max_lon = bounding_box(
            query.latitude, query.longitude, query.radius_km
        )
        locations = ServiceAtLocation.objects.filter(
            self._service_filter(query, "service__"),
            location__latitude__range=(min_lat, max_lat),
            location__longitude__range=(min_lon, max_lon),
        )
        if narrowed is not None:
            locations = locations.filter(service_id__in=narrowed)
        if query.accessibility:
            locations = locations.filter(
                **{f"location__{name}": True for name in query.accessibility}
            )
        return (
            locations.annotate(km=_haversine_km(query.latitude, query.longitude))
            .filter(km__lte=query.radius_km)
            .values("service_id")
            .annotate(nearest=Min("km"))
        )

    def _local_hits(self, query, ids, score_of):
        """Hits for one page of local services, with the distance computed exactly as
        everywhere else (core.geo.distance_km to the nearest location)."""
        points = {}
        for service_id, lat, lon in ServiceAtLocation.objects.filter(
            service_id__in=id_set(ids)
        ).values_list("service_id", "location__latitude", "location__longitude"):
            if lat is None:
                continue
            d = distance_km(query.latitude, query.longitude, lat, lon)
            if d <= query.radius_km and d < points.get(service_id, float("inf")):
                points[service_id] = d
        return [
            Hit(
                sid,
                distance_km=round(points.get(sid, 0.0), 3),
                score=float(score_of.get(sid, 0)),
            )
            for sid in ids
        ]

    def _facets_near(self, local_ids, remote_ids):
        rows_filter = Q(service_id__in=local_ids)
        if remote_ids:
            rows_filter |= Q(service_id__in=id_set(remote_ids))
        return facet_codes_sql(rows_filter=rows_filter)

    def _covering_ids(self, query):
        """Services that serve the place without being near it: national, online and phone
        services, and those whose service area covers the place (read from small indexes)."""
        ids = set(Service.objects.filter(reaches_anywhere=True).values_list("pk", flat=True))
        areas = ServiceArea.objects.filter(
            extent_type__in=[ServiceArea.NATIONAL, ServiceArea.RADIUS, ServiceArea.DISTRICTS]
        )
        pattern = (
            re.compile(rf"(^|[^A-Z0-9]){re.escape(query.district)}([^A-Z0-9]|$)", re.IGNORECASE)
            if query.district
            else None
        )
        for service_id, kind, extent in areas.values_list("service_id", "extent_type", "extent"):
            if (
                kind == ServiceArea.NATIONAL
                or (
                    kind == ServiceArea.RADIUS
                    and _inside_radius(extent, query.latitude, query.longitude)
                )
                or (kind == ServiceArea.DISTRICTS and pattern and pattern.search(extent))
            ):
                ids.add(service_id)
        return list(ids)

    # Anywhere: all in SQL, one page of rows read.
    def _anywhere(self, query, services, scores):
        facets = self._cached_facets(query, services)
        if query.categories:
            services = services.filter(pk__in=in_categories(query.categories))
        total = services.count()
        if scores is None:
            rows = services.order_by("name", "pk").values_list("pk", flat=True)
            window = rows[query.offset : query.offset + query.page_size]
            return SearchResults(
                hits=[Hit(pk) for pk in window], total=total, facets=facets, query=query
            )
        score = Subquery(
            scores.filter(service=OuterRef("pk")).values("score")[:1],
            output_field=IntegerField(),
        )
        rows = (
            services.annotate(text_score=Coalesce(score, 0))
            .order_by("-text_score", "name", "pk")
            .values_list("pk", "text_score")
        )
        window = rows[query.offset : query.offset + query.page_size]
        hits = [Hit(pk, score=float(value)) for pk, value in window]
        return SearchResults(hits=hits, total=total, facets=facets, query=query)

    def _cached_facets(self, query, services):
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
            facets = facet_codes_sql(Q(service_id__in=services.values("pk")))
            cache.set(key, facets, FACET_CACHE_SECONDS)
        return facets


def _haversine_km(latitude, longitude):
    """The haversine distance from a point to each row's location, as a SQL expression."""
    phi1 = math.radians(latitude)
    lat2 = Radians(F("location__latitude"))
    dphi = lat2 - Value(phi1)
    dlambda = Radians(F("location__longitude")) - Value(math.radians(longitude))
    h = Power(Sin(dphi / 2), 2) + Value(math.cos(phi1)) * Cos(lat2) * Power(Sin(dlambda / 2), 2)
    return Value(2 * EARTH_RADIUS_KM) * ASin(Least(Sqrt(h), Value(1.0)), output_field=FloatField())


def _inside_radius(extent, latitude, longitude):
    try:
        lat, lon, km = (float(part) for part in extent.split(","))
    except ValueError:
        return False
    return distance_km(latitude, longitude, lat, lon) <= km
