"""The places of the services a search finds, one by one (`directory.search.locations`, the
HSDS API's /service_at_locations): every window and the total are those of the whole listing,
and a page reads about a page of hits, not the whole result."""

import dataclasses
import random

import pytest

from core.geo import distance_km
from core.indexing import deferred_indexing
from directory.indexing import index_services
from directory.models import Location, Service, ServiceAtLocation
from directory.search import SearchQuery, locations, search
from directory.search.engines.database import DatabaseEngine
from directory.search.locations import LocatedIds
from tests.directory import factories
from tests.directory.conftest import ENGINES, LEEDS, LEWISHAM, engine_holding

pytestmark = pytest.mark.django_db
API = "/api/hsds"
NEAR = {"latitude": LEWISHAM[0], "longitude": LEWISHAM[1], "district": "SE13"}
QUERIES = {
    "anywhere": SearchQuery(),
    "anywhere, text": SearchQuery(text="circle"),
    "anywhere, misspelt": SearchQuery(text="cirlce"),
    "anywhere, free": SearchQuery(free=True),
    "anywhere, category": SearchQuery(categories=("bereavement-counselling",)),
    "near": SearchQuery(radius_km=10, **NEAR),
    "near, small radius": SearchQuery(radius_km=3, **NEAR),
    "near, text": SearchQuery(text="circle", radius_km=10, **NEAR),
    "near, free": SearchQuery(free=True, radius_km=10, **NEAR),
    "near, category": SearchQuery(categories=("bereavement-counselling",), radius_km=10, **NEAR),
}


def _north_of(origin, km):
    return origin[0] + km / 111.2, origin[1]


def _build_crowd(rng, taxonomy, local=40):
    """Services around Lewisham with none to four places each, some beyond the radius, some
    without coordinates, in shuffled sort orders; and services that reach anywhere."""
    services = []
    terms = [taxonomy["bereavement-counselling"], taxonomy["carers-groups"]]
    for n in range(local):
        # Nearest places at least 20 m apart, and none within 50 m of a radius searched.
        nearest = 0.1 + 0.2 * n
        places = [_north_of(LEWISHAM, nearest)]
        places += [
            _north_of(LEWISHAM, rng.choice([nearest + 0.5, nearest + 3.3, 12.7, 25.1]))
            for _ in range(rng.randrange(4))
        ]
        service = factories.ServiceFactory(
            name=f"{rng.choice(['Grief', 'Walking', 'Listening'])} circle {n}",
            free=n % 3 == 0,
            categories=[terms[n % 2]],
            at=places,
        )
        if n % 5 == 0:
            no_place = factories.LocationFactory(latitude=None, longitude=None)
            ServiceAtLocation.objects.create(service=service, location=no_place, sort_order=-1)
        sals = list(service.service_at_locations.all())
        for order, sal in zip(rng.sample(range(len(sals)), len(sals)), sals, strict=True):
            sal.sort_order = order % 2  # ties broken by id
            sal.save()
        services.append(service)
    for n in range(4):
        anywhere = factories.ServiceFactory(
            name=f"Phone circle {n}",
            free=n % 2 == 0,
            categories=[terms[n // 2]],
            at=[LEEDS, LEWISHAM][: n % 3],
        )
        factories.ServiceAreaFactory(service=anywhere)
        services.append(anywhere)
    factories.ServiceFactory(name="Closed circle", status="defunct", at=[LEWISHAM])
    return services


@pytest.fixture
def crowd(taxonomy):
    with deferred_indexing():
        services = _build_crowd(random.Random(20260104), taxonomy)
    return services


@pytest.fixture(params=ENGINES)
def crowd_engine(request, crowd):
    return engine_holding(request, crowd)


def whole_listing(query, engine=None):
    """Every id, in order, from every hit at once: the listing as defined, read the long way."""
    results = search(dataclasses.replace(query, page=1, page_size=10_000), engine)
    hits = results.hits
    assert len(hits) == results.total
    rank = {hit.service_id: n for n, hit in enumerate(hits)}
    rows = ServiceAtLocation.objects.filter(service_id__in=list(rank)).values_list(
        "pk", "service_id", "sort_order", "location__latitude", "location__longitude"
    )
    if not query.near:
        return [pk for pk, *_ in sorted(rows, key=lambda r: (rank[r[1]], r[2] or 0, str(r[0])))]
    remote = {hit.service_id for hit in hits if hit.remote}
    local, covering = [], []
    for pk, service_id, sort_order, lat, lon in rows:
        if service_id in remote:
            covering.append((rank[service_id], sort_order or 0, str(pk), pk))
        elif lat is not None:
            distance = distance_km(query.latitude, query.longitude, lat, lon)
            if distance <= query.radius_km:
                local.append((distance, rank[service_id], str(pk), pk))
    return [row[-1] for row in sorted(local)] + [row[-1] for row in sorted(covering)]


def test_every_window_and_the_total_are_those_of_the_whole_listing(crowd_engine, monkeypatch):
    # Small batches, so that windows end in the middle of the hits read, and many are read.
    monkeypatch.setattr(locations, "FIRST_BATCH", 1)
    monkeypatch.setattr(locations, "MAX_BATCH", 4)
    read = []

    def counted(query, engine=None):
        results = search(query, engine)
        read.append(len(results.hits))
        return results

    monkeypatch.setattr(locations, "search", counted)
    for name, query in QUERIES.items():
        expected = whole_listing(query, crowd_engine)
        assert len(expected) > 20, name  # places interleave across services and pages
        assert len(LocatedIds(query, crowd_engine)) == len(expected), name
        read.clear()
        assert LocatedIds(query, crowd_engine)[0:3] == expected[0:3], name
        assert sum(read) < search(query, crowd_engine).total / 2, name
        for size in (1, 7, 50):
            for start in range(0, len(expected) + size, size):
                window = slice(start, start + size)
                found = LocatedIds(query, crowd_engine)[window]
                assert found == expected[window], (name, size, start)


def test_locations_of_one_service_interleave_with_others_near_a_place(crowd):
    query = QUERIES["near"]
    by_service = dict(ServiceAtLocation.objects.values_list("pk", "service_id"))
    services = [by_service[pk] for pk in whole_listing(query)]
    first_seen = list(dict.fromkeys(services))
    assert services != sorted(services, key=first_seen.index)


def get(client, path, **params):
    response = client.get(API + path, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_api_pages_and_totals_are_those_of_the_whole_listing(client, crowd):
    params = {"lat": LEWISHAM[0], "lon": LEWISHAM[1], "radius": 10}
    for query, given in ((QUERIES["anywhere"], {}), (QUERIES["near"], params)):
        expected = [str(pk) for pk in whole_listing(dataclasses.replace(query, district=""))]
        pages = []
        for number in range(1, len(expected) // 7 + 2):
            page = get(client, "/service_at_locations", page=number, per_page=7, **given)
            assert page["total_items"] == len(expected)
            assert page["total_pages"] == -(-len(expected) // 7)
            pages += [item["id"] for item in page["contents"]]
        assert pages == expected


@pytest.fixture
def hits_read(monkeypatch):
    """The number of hits the database engine has answered with, so far."""
    read = []
    answer = DatabaseEngine.search

    def counted(engine, query):
        results = answer(engine, query)
        read.append(len(results.hits))
        return results

    monkeypatch.setattr(DatabaseEngine, "search", counted)
    return read


@pytest.mark.parametrize("near", [False, True])
def test_a_page_reads_about_a_page_of_hits_not_the_whole_result(client, db, hits_read, near):
    organization = factories.OrganizationFactory()
    services = Service.objects.bulk_create(
        Service(organization=organization, name=f"Service {n}") for n in range(300)
    )
    places = Location.objects.bulk_create(
        Location(organization=organization, name=f"Place {n}", latitude=lat, longitude=lon)
        for n, (lat, lon) in enumerate(_north_of(LEWISHAM, 0.01 * n) for n in range(300))
    )
    ServiceAtLocation.objects.bulk_create(
        ServiceAtLocation(service=service, location=place)
        for service, place in zip(services, places, strict=True)
    )
    index_services([service.pk for service in services])
    params = {"lat": LEWISHAM[0], "lon": LEWISHAM[1]} if near else {}
    first = get(client, "/service_at_locations", per_page=5, **params)
    assert first["total_items"] == 300
    assert sum(hits_read) <= 128
    hits_read.clear()
    deep = get(client, "/service_at_locations", page=5, per_page=20, **params)
    assert deep["total_items"] == 300 and deep["size"] == 20
    assert sum(hits_read) <= 256
