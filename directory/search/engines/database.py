"""The embedded search engine: SQL on the directory's own tables, SQLite or PostgreSQL.

Near a place: an indexed latitude/longitude bounding box finds candidate locations, and the
exact (haversine) distance decides which are within the radius. Text: query terms are matched
against the ServiceTerm index. Facet counts come from one grouped query over the matches.
"""

import re

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.geo import bounding_box, distance_km
from directory.models import (
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceLanguage,
    ServiceTerm,
)
from directory.schedules import WEEKDAYS, is_open_at
from directory.search.query import Hit, SearchResults
from directory.search.taxonomy import expand_categories, facet_codes


class DatabaseEngine:
    name = "database"

    def search(self, query):
        services = self._filtered(query)
        scores = self._text_scores(query, services)
        if scores is not None:
            services = services.filter(pk__in=scores.values("service"))
        if query.near:
            ranked = self._near(query, services, scores)
        else:
            ranked = self._anywhere(query, services, scores)
        if query.open_now:
            ranked = self._open_now(query, ranked)

        matched_ids = [hit.service_id for hit in ranked]
        facets = facet_codes(matched_ids)
        if query.categories:
            wanted = expand_categories(query.categories)
            in_category = set(
                Service.categories.through.objects.filter(
                    service_id__in=matched_ids, taxonomyterm_id__in=wanted
                ).values_list("service_id", flat=True)
            )
            ranked = [hit for hit in ranked if hit.service_id in in_category]
        page = ranked[query.offset : query.offset + query.page_size]
        return SearchResults(hits=page, total=len(ranked), facets=facets, query=query)

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
            services = services.filter(last_modified__gt=query.modified_after)
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

    def _near(self, query, services, scores):
        min_lat, max_lat, min_lon, max_lon = bounding_box(
            query.latitude, query.longitude, query.radius_km
        )
        locations = ServiceAtLocation.objects.filter(
            service__in=services.values("pk"),
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

        score_of = dict(scores.values_list("service", "score")) if scores is not None else {}
        names = (
            dict(Service.objects.filter(pk__in=list(nearest)).values_list("pk", "name"))
            if nearest
            else {}
        )
        local = [
            Hit(sid, distance_km=round(d, 3), score=float(score_of.get(sid, 0)))
            for sid, d in nearest.items()
        ]
        local.sort(key=lambda h: (h.distance_km, names.get(h.service_id, ""), str(h.service_id)))
        if query.reaches_anywhere:
            # Only services reachable from anywhere: those with a location near come first.
            remote = self._ranked(services.exclude(pk__in=list(nearest)), score_of, remote=True)
        elif query.include_remote:
            remote = self._covering(query, services.exclude(pk__in=list(nearest)), score_of)
        else:
            remote = []
        return local + remote

    def _covering(self, query, services, score_of):
        """Services not near the place that still serve it: national, online and phone
        services, and those whose service area covers the place."""
        covering = Q(reaches_anywhere=True) | Q(service_areas__extent_type=ServiceArea.NATIONAL)
        if query.district:
            covering |= Q(
                service_areas__extent_type=ServiceArea.DISTRICTS,
                service_areas__extent__iregex=rf"(^|[^A-Z0-9]){re.escape(query.district)}([^A-Z0-9]|$)",
            )
        radius_ids = [
            service_id
            for service_id, extent in ServiceArea.objects.filter(
                extent_type=ServiceArea.RADIUS, service__in=services.values("pk")
            ).values_list("service_id", "extent")
            if _inside_radius(extent, query.latitude, query.longitude)
        ]
        if radius_ids:
            covering |= Q(pk__in=radius_ids)
        return self._ranked(services.filter(covering).distinct(), score_of, remote=True)

    def _ranked(self, services, score_of, remote=False):
        rows = list(services.values_list("pk", "name"))
        rows.sort(key=lambda row: (-score_of.get(row[0], 0), row[1], str(row[0])))
        return [Hit(pk, remote=remote, score=float(score_of.get(pk, 0))) for pk, _name in rows]

    def _anywhere(self, query, services, scores):
        if scores is None:
            rows = services.order_by("name", "pk").values_list("pk", flat=True)
            return [Hit(pk) for pk in rows]
        score = Subquery(
            scores.filter(service=OuterRef("pk")).values("score")[:1],
            output_field=IntegerField(),
        )
        rows = (
            services.annotate(text_score=Coalesce(score, 0))
            .order_by("-text_score", "name", "pk")
            .values_list("pk", "text_score")
        )
        return [Hit(pk, score=float(value)) for pk, value in rows]

    def _open_now(self, query, hits):
        moment = timezone.localtime(query.now) if query.now else timezone.localtime()
        weekday = WEEKDAYS[moment.weekday()]
        ids = [hit.service_id for hit in hits]
        # The database narrows to services with a rule naming today (or a monthly date rule);
        # the exact RRULE check, closures included, runs on those few.
        candidates = Schedule.objects.filter(service_id__in=ids).filter(
            Q(byday__icontains=weekday) | Q(bymonthday__gt="") | Q(closed=True)
        )
        by_service = {}
        for schedule in candidates:
            by_service.setdefault(schedule.service_id, []).append(schedule)
        return [h for h in hits if is_open_at(by_service.get(h.service_id, []), moment)]


def _inside_radius(extent, latitude, longitude):
    try:
        lat, lon, km = (float(part) for part in extent.split(","))
    except ValueError:
        return False
    return distance_km(latitude, longitude, lat, lon) <= km
