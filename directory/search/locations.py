"""The places of the services a search finds, one by one: what the HSDS API's
/service_at_locations lists.

Every ServiceAtLocation of each matching service, in the services' order, each service's
in sort_order (then id). Near a place: the located ones within the radius (with the features
asked for) of the local services, nearest first (then in the services' order, then by id),
then every location of the services that reach the place from anywhere, in their order.

A page is cut from the first hits alone, read from the engine in growing batches until no
later service can reach the page: in the services' order, once the locations read fill it;
near a place, once the last location the page needs lies nearer than the last local service
read, since a service's distance is that of its nearest location. The total is counted by the
engine (`count_locations`), in the database or on the search server, without listing hits.
"""

import dataclasses
import heapq

from core.geo import distance_km
from directory.models import ServiceAtLocation
from directory.search import get_engine, search
from directory.search.idset import id_set

FIRST_BATCH = 64  # the fewest hits asked for at once
# The most hits asked for at once. Batch sizes are powers of two, so that each batch is a
# page of the engine's (its offset a multiple of its size).
MAX_BATCH = 4096
# A local hit's distance is rounded to the metre, and a search server measures arcs a hair
# differently: a later service's locations may lie this much nearer than its hit says.
SLACK_KM = 0.002
SLACK_RATIO = 1e-6


class LocatedIds:
    """The ids of the ServiceAtLocations a search lists, in order: sliced a window at a time
    (reading only the hits that window needs) and counted by `len`."""

    def __init__(self, query, engine=None):
        self.query, self.engine = query, engine or get_engine()
        self.answered = None  # the query the engine answered, once a batch is read

    def __getitem__(self, window):
        start, stop = window.start or 0, window.stop
        if stop is None or stop <= start:
            return []
        listed = _nearest_first if self.query.near else _in_service_order
        return listed(self, stop)[start:stop]

    def __len__(self):
        # Counted for the query the engine answers: a misspelt term is read as the nearest
        # indexed one when the terms as typed find nothing (`directory.search.search`).
        if self.answered is None:
            one = dataclasses.replace(self.query, page=1, page_size=1)
            self.answered = search(one, self.engine).query
        return self.engine.count_locations(self.answered)

    def batches(self, wanted):
        """The hits in order, in batches: the first of at least `wanted` hits, each later one
        as large as all read before it (up to MAX_BATCH), until the result ends."""
        query, read = self.query, 0
        size = max(FIRST_BATCH, 1 << (wanted - 1).bit_length())
        while True:
            page = dataclasses.replace(query, page=read // size + 1, page_size=size)
            results = search(page, self.engine)
            # A respelled query is asked again as the engine answered it.
            query = self.answered = results.query or page
            yield results.hits
            read += len(results.hits)
            if read >= results.total or len(results.hits) < size:
                return
            size = min(read, MAX_BATCH)


def _rank(rank, hits):
    """Number these hits' services on from those already in `rank`."""
    start = len(rank)
    rank.update((hit.service_id, start + n) for n, hit in enumerate(hits))


def _rows(hits, features=()):
    """(id, service id, sort order, latitude, longitude, *features) of every
    ServiceAtLocation of these hits' services."""
    located = ["location__latitude", "location__longitude"]
    return ServiceAtLocation.objects.filter(
        service_id__in=id_set(hit.service_id for hit in hits)
    ).values_list("pk", "service_id", "sort_order", *located, *(f"location__{f}" for f in features))


def _in_service_order(listing, stop):
    """The first `stop` ids (or every one) in the services' order."""
    rank, rows = {}, []
    for batch in listing.batches(stop):
        _rank(rank, batch)
        rows.extend(_rows(batch))
        if len(rows) >= stop:  # later services' locations all come after these
            break
    rows.sort(key=lambda row: (rank[row[1]], row[2] or 0, str(row[0])))
    return [row[0] for row in rows[:stop]]


def _nearest_first(listing, stop):
    """The first `stop` ids (or every one) near the query's place: local, then remote."""
    query = listing.query
    features = query.accessibility
    rank, local, remote, every_local_read = {}, [], [], False
    for batch in listing.batches(stop + 1):
        _rank(rank, batch)
        reaching = {hit.service_id for hit in batch if hit.remote}
        every_local_read = every_local_read or bool(reaching)
        for pk, service_id, sort_order, lat, lon, *has in _rows(batch, features):
            if service_id in reaching:
                remote.append((rank[service_id], sort_order or 0, str(pk), pk))
            elif lat is not None and lon is not None and all(has):
                distance = distance_km(query.latitude, query.longitude, lat, lon)
                if distance <= query.radius_km:
                    local.append((distance, rank[service_id], str(pk), pk))
        if every_local_read:  # the remote services' locations follow, in their order
            if len(local) + len(remote) >= stop:
                break
        elif len(local) >= stop:
            nearest = batch[-1].distance_km * (1 - SLACK_RATIO) - SLACK_KM
            if heapq.nsmallest(stop, local)[-1][0] < nearest:
                break
    return [row[-1] for row in heapq.nsmallest(stop, local)] + [
        row[-1] for row in sorted(remote)[: max(0, stop - len(local))]
    ]
