"""The embedded search engine: SQL on the directory's own tables, SQLite or PostgreSQL.

Near a place: an indexed latitude/longitude bounding box finds candidate locations, and the
exact (haversine) distance decides which are within the radius; the matches are few, so they
are ordered and counted in Python. Anywhere: everything stays in SQL (subqueries, not lists
of ids), so a query matching most of a large directory is still one page of rows. Text: query
terms are matched against the ServiceTerm index. Facets: grouped counts over the matches.
"""

import dataclasses
import hashlib
import re

from django.core.cache import cache
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.geo import bounding_box, distance_km
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
from directory.search.taxonomy import expand_categories, facet_codes, facet_codes_sql

FACET_CACHE_SECONDS = 600


class DatabaseEngine:
    name = "database"

    def search(self, query):
        services = self._filtered(query)
        if query.open_now:
            moment = timezone.localtime(query.now) if query.now else timezone.localtime()
            services = services.filter(open_service_ids(services, moment))
        if query.near:
            return self._near(query, services)
        scores = self._text_scores(query, services)
        if scores is not None:
            services = services.filter(pk__in=scores.values("service"))
        return self._anywhere(query, services, scores)

    # Filters that do not depend on place or text.
    def _filtered(self, query):
        services = Service.objects.active()
        if query.free:
            services = services.filter(free=True)
        if query.open_24_7:
            services = services.filter(open_24_7=True)
        if query.age is not None:
            services = services.filter(
                Q(minimum_age__isnull=True) | Q(minimum_age__lte=query.age),
                Q(maximum_age__isnull=True) | Q(maximum_age__gte=query.age),
            )
        if query.languages:
            services = services.filter(
                pk__in=ServiceLanguage.objects.filter(code__in=query.languages).values("service")
            )
        if query.accessibility:
            features = {f"location__{name}": True for name in query.accessibility}
            services = services.filter(
                pk__in=ServiceAtLocation.objects.filter(**features).values("service")
            )
        if query.reaches_anywhere:
            services = services.filter(reaches_anywhere=True)
        if query.modified_after:
            services = services.filter(last_modified__gte=query.modified_after)
        if query.organization_id:
            services = services.filter(organization_id=query.organization_id)
        return services

    def _text_scores(self, query, services):
        """A queryset of (service, score) for services with every query term, or None."""
        terms = query.terms
        if not terms:
            return None
        return (
            ServiceTerm.objects.filter(term__in=terms, service__in=services.values("pk"))
            .values("service")
            .annotate(matched=Count("term"), score=Sum("weight"))
            .filter(matched=len(terms))
        )

    # Near a place: few matches, ordered and counted in Python.
    def _near(self, query, services):
        nearest = self._nearest(query, services)
        if query.reaches_anywhere:
            others = services.filter(reaches_anywhere=True)
        elif query.include_remote:
            others = services.filter(pk__in=id_set(self._covering_ids(query)))
        else:
            others = services.none()
        remote_rows = [row for row in others.values_list("pk", "name") if row[0] not in nearest]
        score_of = {}
        if query.terms:
            # Text is scored only for the services near or covering the place.
            candidates = list(nearest) + [pk for pk, _name in remote_rows]
            score_of = self._scores_for(query.terms, candidates)
            nearest = {sid: d for sid, d in nearest.items() if sid in score_of}
            remote_rows = [row for row in remote_rows if row[0] in score_of]
        names = dict(Service.objects.filter(pk__in=id_set(nearest)).values_list("pk", "name"))
        local = [
            Hit(sid, distance_km=round(d, 3), score=float(score_of.get(sid, 0)))
            for sid, d in nearest.items()
        ]
        local.sort(key=lambda h: (h.distance_km, names.get(h.service_id, ""), str(h.service_id)))
        # Those reachable from anywhere (or covering the place) follow, best text match first.
        remote_rows.sort(key=lambda row: (-score_of.get(row[0], 0), row[1], str(row[0])))
        remote = [
            Hit(pk, remote=True, score=float(score_of.get(pk, 0))) for pk, _name in remote_rows
        ]
        ranked = local + remote

        matched_ids = [hit.service_id for hit in ranked]
        facets = facet_codes(matched_ids)
        if query.categories:
            in_category = set(
                Service.categories.through.objects.filter(
                    service_id__in=id_set(matched_ids),
                    taxonomyterm_id__in=expand_categories(query.categories),
                ).values_list("service_id", flat=True)
            )
            ranked = [hit for hit in ranked if hit.service_id in in_category]
        page = ranked[query.offset : query.offset + query.page_size]
        return SearchResults(hits=page, total=len(ranked), facets=facets, query=query)

    def _nearest(self, query, services):
        """{service id: km to its nearest location within the radius}.

        The bounding box is read first, on its own, so that the database walks the
        coordinates index; the few candidates are then checked against the other filters.
        """
        min_lat, max_lat, min_lon, max_lon = bounding_box(
            query.latitude, query.longitude, query.radius_km
        )
        locations = ServiceAtLocation.objects.filter(
            location__latitude__range=(min_lat, max_lat),
            location__longitude__range=(min_lon, max_lon),
        )
        if query.accessibility:
            locations = locations.filter(
                **{f"location__{name}": True for name in query.accessibility}
            )
        nearest = {}
        for service_id, lat, lon in locations.values_list(
            "service_id", "location__latitude", "location__longitude"
        ):
            distance = distance_km(query.latitude, query.longitude, lat, lon)
            if distance <= query.radius_km and distance < nearest.get(service_id, float("inf")):
                nearest[service_id] = distance
        allowed = set(services.filter(pk__in=id_set(nearest)).values_list("pk", flat=True))
        return {sid: d for sid, d in nearest.items() if sid in allowed}

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
            services = services.filter(
                pk__in=Service.categories.through.objects.filter(
                    taxonomyterm_id__in=expand_categories(query.categories)
                ).values("service_id")
            )
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
            return facet_codes_sql(services)
        key_fields = dataclasses.replace(query, categories=(), page=1, page_size=0, now=None)
        digest = hashlib.sha256(repr(key_fields).encode()).hexdigest()
        key = f"directory:facets:{IndexVersion.current()}:{digest}"
        facets = cache.get(key)
        if facets is None:
            facets = facet_codes_sql(services)
            cache.set(key, facets, FACET_CACHE_SECONDS)
        return facets


def _inside_radius(extent, latitude, longitude):
    try:
        lat, lon, km = (float(part) for part in extent.split(","))
    except ValueError:
        return False
    return distance_km(latitude, longitude, lat, lon) <= km
