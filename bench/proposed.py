"""The database engine with the changes bench/README.md proposes, to measure them first.

Same answers as `DatabaseEngine` (the benchmark checks every query against the naive scan);
the difference is that no list of matching ids ever travels between Python and the database:
distance, the remote services, facet counts, the category filter, the total and the page are
all worked out in SQL, and only the page's twenty rows come back.
"""

import math

from django.db.models import Count, F, FloatField, Min, Q
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Round, Sin, Sqrt

from core.geo import bounding_box, distance_km
from core.geo.distance import EARTH_RADIUS_KM
from directory.models import Location, Service, ServiceArea, ServiceAtLocation, TaxonomyTerm
from directory.search.engines.database import DatabaseEngine
from directory.search.query import Hit, SearchResults
from directory.search.taxonomy import expand_categories


class ProposedEngine(DatabaseEngine):
    name = "database"

    def search(self, query):
        services = self._filtered(query)
        scores = self._text_scores(query, services)
        if scores is not None:
            services = services.filter(pk__in=scores.values("service"))
        if query.open_now:  # not benchmarked; the current code path answers it
            return super().search(query)
        in_category = Q()
        if query.categories:
            wanted = expand_categories(query.categories)
            in_category = Q(
                pk__in=Service.categories.through.objects.filter(taxonomyterm_id__in=wanted).values(
                    "service_id"
                )
            )
        if query.near:
            local = self._local(query, services)
            remote = self._remote(query, services, local)
            matched = services.filter(
                Q(pk__in=local.values("service_id")) | Q(pk__in=remote.values("pk"))
            )
            facets = self._facets(matched)
            hits, total = self._near_page(query, local, remote, scores, in_category)
        else:
            facets = self._facets(services)
            hits, total = self._anywhere_page(query, services.filter(in_category), scores)
        return SearchResults(hits=hits, total=total, facets=facets, query=query)

    def _local(self, query, services):
        """(service_id, nearest) for services with a location within the radius, in SQL.

        The bounding box is a subquery on Location alone, so the planner always starts from
        the latitude/longitude index; joined to Service it may start from `status` instead
        (it does on SQLite without ANALYZE) and then computes every location's distance.
        """
        min_lat, max_lat, min_lon, max_lon = bounding_box(
            query.latitude, query.longitude, query.radius_km
        )
        in_box = Location.objects.filter(
            latitude__range=(min_lat, max_lat), longitude__range=(min_lon, max_lon)
        ).values("pk")
        locations = ServiceAtLocation.objects.filter(location__in=in_box)
        if query.accessibility:
            locations = locations.filter(
                **{f"location__{name}": True for name in query.accessibility}
            )
        return (
            locations.filter(service__in=services.values("pk"))
            .order_by()
            .values("service_id")
            .annotate(nearest=Min(_haversine(query.latitude, query.longitude)))
            .filter(nearest__lte=query.radius_km)
        )

    def _remote(self, query, services, local):
        """Services that serve the place without a location near it, as a queryset."""
        if not query.include_remote and not query.reaches_anywhere:
            return services.none()
        if query.reaches_anywhere:
            covering = Q(reaches_anywhere=True)
        else:
            # Each branch is a small indexed set; one OR over a join would scan every service.
            areas = ServiceArea.objects.filter(extent_type=ServiceArea.NATIONAL)
            if query.district:
                areas = ServiceArea.objects.filter(
                    Q(extent_type=ServiceArea.NATIONAL)
                    | Q(
                        extent_type=ServiceArea.DISTRICTS,
                        extent__iregex=rf"(^|[^A-Z0-9]){query.district}([^A-Z0-9]|$)",
                    )
                )
            radius_ids = [
                service_id
                for service_id, extent in ServiceArea.objects.filter(
                    extent_type=ServiceArea.RADIUS
                ).values_list("service_id", "extent")
                if _inside_radius(extent, query.latitude, query.longitude)
            ]
            covering = (
                Q(reaches_anywhere=True)
                | Q(pk__in=areas.values("service_id"))
                | Q(pk__in=radius_ids)
            )
        return services.filter(covering).exclude(pk__in=local.values("service_id"))

    def _near_page(self, query, local, remote, scores, in_category):
        if query.categories:
            local = local.filter(service_id__in=Service.objects.filter(in_category).values("pk"))
            remote = remote.filter(in_category)
        local_total, remote_total = local.count(), remote.count()
        start, stop = query.offset, query.offset + query.page_size
        rows = []
        if start < local_total:
            rows = list(
                local.annotate(rounded=Round("nearest", 3))
                .order_by("rounded", "service__name", "service_id")
                .values_list("service_id", "rounded")[start:stop]
            )
        score_of = self._scores_for(scores, [sid for sid, _d in rows])
        hits = [Hit(sid, distance_km=d, score=score_of.get(sid, 0.0)) for sid, d in rows]
        if len(hits) < query.page_size and remote_total:
            skip = max(0, start - local_total)
            hits += self._ranked_page(remote, scores, skip, query.page_size - len(hits), True)
        return hits, local_total + remote_total

    def _anywhere_page(self, query, services, scores):
        total = services.count()
        return self._ranked_page(services, scores, query.offset, query.page_size), total

    def _ranked_page(self, services, scores, skip, size, remote=False):
        if scores is None:
            ids = list(services.order_by("name", "pk").values_list("pk", flat=True)[skip:][:size])
            return [Hit(pk, remote=remote) for pk in ids]
        scored = scores.filter(service__in=services.values("pk")).order_by(
            "-score", "service__name", "service"
        )
        rows = list(scored.values_list("service", "score")[skip:][:size])
        return [Hit(pk, remote=remote, score=float(score)) for pk, score in rows]

    def _scores_for(self, scores, ids):
        if scores is None or not ids:
            return {}
        return {pk: float(s) for pk, s in scores.filter(service__in=ids).values_list(*_SCORE)}

    def _facets(self, services):
        """{code: services}, from grouped counts over the matches; parents count each once.

        Two single-pass GROUP BY queries: per term ((service, term) is unique, so COUNT(*)
        counts services), and per parent with COUNT(DISTINCT service). A deeper taxonomy
        would add one query per extra level (taxonomyterm__parent__parent ...).
        """
        through = Service.categories.through.objects.filter(service__in=services.values("pk"))
        codes = dict(TaxonomyTerm.objects.values_list("id", "code"))
        counts = {}
        for term_id, n in through.order_by().values_list("taxonomyterm_id").annotate(n=Count("pk")):
            counts[codes[term_id]] = n
        for parent_id, n in (
            through.filter(taxonomyterm__parent__isnull=False)
            .order_by()
            .values_list("taxonomyterm__parent_id")
            .annotate(n=Count("service_id", distinct=True))
        ):
            counts[codes[parent_id]] = n
        return counts


_SCORE = ("service", "score")


def _subtree(term_id, children):
    found, todo = set(), [term_id]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children.get(current, ()))
    return found


def _haversine(latitude, longitude):
    """The great-circle distance to a location in km, as core.geo.distance_km, in SQL."""
    lat, lon = F("location__latitude"), F("location__longitude")
    h = Power(Sin(Radians(lat - latitude) / 2), 2) + math.cos(math.radians(latitude)) * Cos(
        Radians(lat)
    ) * Power(Sin(Radians(lon - longitude) / 2), 2)
    return (2 * EARTH_RADIUS_KM) * ASin(Sqrt(Least(h, 1.0)), output_field=FloatField())


def _inside_radius(extent, latitude, longitude):
    try:
        lat, lon, km = (float(part) for part in extent.split(","))
    except ValueError:
        return False
    return distance_km(latitude, longitude, lat, lon) <= km
