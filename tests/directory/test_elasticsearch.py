"""The Elasticsearch engine's own behaviour, over real HTTP to the test search server.

The server is an Elasticsearch-API emulator unless ELASTICSEARCH_URL names a real cluster
(see tests/directory/conftest.py). The shared contract is in test_search_contract.py; here:
the mapping, keeping the index in step, errors, and a randomised comparison with the
database engine that checks every field of every answer.
"""

import dataclasses
import datetime as dt
import itertools
import random
import uuid
import zoneinfo

import pytest
from django.core.exceptions import ImproperlyConfigured

from directory.models import Service, ServiceAtLocation
from directory.search import SearchQuery, search
from directory.search.engines import elasticsearch as es_module
from directory.search.engines.database import DatabaseEngine
from directory.search.engines.elasticsearch import ElasticsearchEngine, SearchServerUnavailable
from tests.directory import factories, test_service_area_shapes
from tests.directory.conftest import LEWISHAM, _free_port

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


def indexed_ids(engine):
    engine.refresh()
    response = engine.client.search(index=engine.index, size=100, source=["id"])
    return {hit["_id"] for hit in response["hits"]["hits"]}


def test_mapping_places_locations_as_geo_points_searched_one_location_at_a_time(es_engine):
    [mapping] = es_engine.client.indices.get_mapping(index=es_engine.index).body.values()
    properties = mapping["mappings"]["properties"]
    assert properties["locations"]["type"] == "nested"
    assert properties["locations"]["properties"]["point"]["type"] == "geo_point"
    # The points sorted by distance: all of them, and those of locations with features.
    assert properties["points"]["type"] == "geo_point"
    assert properties["points_step_free_parking"]["type"] == "geo_point"
    assert properties["text_name"]["type"] == "text"
    assert properties["name"]["type"] == "keyword"


def test_index_and_delete_keep_the_index_in_step(es_engine, taxonomy):
    kept = factories.ServiceFactory(name="Kept", at=[LEWISHAM])
    gone = factories.ServiceFactory(name="Gone")
    es_engine.index_services([kept.pk, gone.pk])
    assert indexed_ids(es_engine) == {str(kept.pk), str(gone.pk)}

    es_engine.delete_services([gone.pk])
    assert indexed_ids(es_engine) == {str(kept.pk)}

    # A service deleted from the database leaves the index when its id is indexed again.
    kept_id = kept.pk
    Service.objects.filter(pk=kept_id).delete()
    es_engine.index_services([kept_id])
    assert indexed_ids(es_engine) == set()


def test_the_document_holds_what_search_needs(es_engine, corpus):
    es_engine.index_services([corpus["counselling"].pk, corpus["district"].pk])
    doc = es_engine.client.get(index=es_engine.index, id=str(corpus["counselling"].pk))["_source"]
    assert doc["text_name"] == "lewisham bereav counsel"
    assert "griev" in doc["text_body"].split()
    assert doc["languages"] == ["en", "ur"]
    assert doc["locations"][0]["point"] == {"lat": LEWISHAM[0], "lon": LEWISHAM[1]}
    assert doc["points"] == [{"lat": LEWISHAM[0], "lon": LEWISHAM[1]}]
    assert doc["openings"][0]["days"] == ["FR", "MO", "TH", "TU", "WE"]
    # Filed under its term and the term's parent, as the database's category index.
    assert len(doc["categories"]) == 2
    district = es_engine.client.get(index=es_engine.index, id=str(corpus["district"].pk))
    assert district["_source"]["districts"] == ["SE13", "SE6"]


def test_a_saved_service_reaches_the_index_when_the_transaction_commits(
    es_engine, search_settings, taxonomy, django_capture_on_commit_callbacks
):
    search_settings.DIRECTORY_ELASTICSEARCH_SYNC = True
    with django_capture_on_commit_callbacks(execute=True):
        service = factories.ServiceFactory(name="Grief Walks", description="Walking together.")
    es_engine.refresh()
    found = search(SearchQuery(text="grief walks"), es_engine)
    assert found.ids == [service.pk]

    with django_capture_on_commit_callbacks(execute=True):
        service.name = "Sunday Walks"
        service.save()
    es_engine.refresh()
    assert search(SearchQuery(text="grief"), es_engine).total == 0
    assert search(SearchQuery(text="sunday"), es_engine).ids == [service.pk]

    with django_capture_on_commit_callbacks(execute=True):
        service.delete()
    assert indexed_ids(es_engine) == set()


def test_nothing_reaches_the_index_before_commit(es_engine, search_settings, taxonomy):
    search_settings.DIRECTORY_ELASTICSEARCH_SYNC = True
    factories.ServiceFactory(name="Uncommitted")  # the test's transaction never commits
    assert indexed_ids(es_engine) == set()


def test_an_unreachable_server_gives_a_clear_error(settings):
    url = f"http://127.0.0.1:{_free_port()}"
    engine = ElasticsearchEngine(url=url, index="nowhere")
    with pytest.raises(SearchServerUnavailable, match="cannot reach the Elasticsearch server"):
        search(SearchQuery(text="grief"), engine)
    with pytest.raises(SearchServerUnavailable, match=url):
        engine.delete_services([uuid.uuid4()])

    settings.ELASTICSEARCH_URL = ""
    with pytest.raises(ImproperlyConfigured, match="ELASTICSEARCH_URL"):
        ElasticsearchEngine()


# A randomised comparison: both engines must give identical answers, field for field.
WORDS = ["grief", "bereavement", "carers", "café", "hospice", "walking", "children", "night"]
NAMES = ["Alder", "alder", "Beech", "Ćwiczenia", "Oak", "oak tree", "Zebra", "Ash"]
TEMPLATES = [
    {"byday": "MO,TU,WE,TH,FR"},
    {"byday": "SA,SU", "opens_at": dt.time(10), "closes_at": dt.time(14)},
    {"freq": "MONTHLY", "byday": "1SA", "opens_at": dt.time(10), "closes_at": dt.time(12)},
    {"byday": "MO,TU,WE,TH,FR,SA,SU", "opens_at": dt.time(0), "closes_at": dt.time(23, 59)},
    {
        "closed": True,
        "byday": "",
        "valid_from": dt.date(2026, 12, 25),
        "opens_at": None,
        "closes_at": None,
        "valid_to": dt.date(2026, 12, 26),
    },
]
AREAS = [
    {"extent_type": "national"},
    {"extent_type": "districts", "extent": "SE13, SE6"},
    {"extent_type": "districts", "extent": "br1 SE13"},
    {"extent_type": "districts", "extent": "SE130"},
    {"extent_type": "radius", "extent": "51.45, -0.02, 8"},
    {"extent_type": "radius", "extent": "53.8, -1.55, 30"},
    # An L whose bounding box holds Lewisham and (51.40, 0.02), the shape only Lewisham.
    {"extent_type": "geojson", "extent": test_service_area_shapes.ELL},
    {"extent_type": "geojson", "extent": test_service_area_shapes.MANCHESTER},
]
PLACES = [LEWISHAM, (51.5074, -0.1278), (53.7965, -1.5478), (51.40, 0.02), (53.4809, -2.2374)]


def shown(hit):
    return str(hit.service_id), hit.distance_km, hit.remote


def random_corpus(rng, taxonomy, count):
    terms = list(taxonomy.values())
    organizations = [factories.OrganizationFactory(name=n) for n in ("Hospice Trust", "Cruse")]
    services = []
    for index in range(count):
        service = factories.ServiceFactory(
            organization=rng.choice(organizations),
            name=f"{rng.choice(NAMES)} {rng.choice(WORDS)}" if index % 3 else rng.choice(NAMES),
            alternate_name=rng.choice(["", rng.choice(WORDS)]),
            description=" ".join(rng.sample(WORDS, 3)),
            status="active" if rng.random() < 0.85 else "inactive",
            free=rng.random() < 0.7,
            minimum_age=rng.choice([None, None, 5, 18]),
            maximum_age=rng.choice([None, None, 25, 90]),
            categories=rng.sample(terms, rng.choice([0, 1, 1, 2])),
        )
        for _ in range(rng.choice([0, 1, 1, 2])):
            lat, lon = rng.choice(PLACES)
            placed = rng.random() > 0.1  # some locations have no coordinates
            location = factories.LocationFactory(
                organization=service.organization,
                latitude=lat + rng.uniform(-0.15, 0.15) if placed else None,
                longitude=lon + rng.uniform(-0.2, 0.2) if placed else None,
                step_free=rng.random() < 0.5,
                hearing_loop=rng.random() < 0.5,
            )
            ServiceAtLocation.objects.create(service=service, location=location)
        for template in rng.sample(TEMPLATES, rng.choice([0, 1, 2])):
            factories.ScheduleFactory(service=service, **template)
        for area in rng.sample(AREAS, rng.choice([0, 0, 1])):
            factories.ServiceAreaFactory(service=service, **area)
        if rng.random() < 0.15:
            factories.PhoneFactory(service=service)
        for code in rng.sample(["en", "cy", "ur", "pl"], rng.choice([0, 1, 2])):
            factories.ServiceLanguageFactory(service=service, code=code)
        service.save()
        services.append(service)
    return services


def random_query(rng, codes, services):
    options = {}
    if rng.random() < 0.5:
        options["text"] = " ".join(rng.sample(WORDS + NAMES + ["the"], rng.choice([1, 1, 2])))
    if rng.random() < 0.6:
        lat, lon = rng.choice(PLACES)
        options.update(latitude=lat, longitude=lon, radius_km=rng.choice([2.0, 10.0, 25.0]))
        options["district"] = rng.choice(["", "SE13", "se6", "BR1"])
        options["include_remote"] = rng.random() < 0.8
    chosen = {
        "categories": tuple(rng.sample(codes, 1)),
        "languages": tuple(rng.sample(["en", "cy", "ur", "pl"], 2)),
        "open_now": True,
        "now": dt.datetime(
            2026, 12, rng.choice([5, 7, 25]), rng.choice([11, 13, 20]), tzinfo=LONDON
        ),
        "open_24_7": True,
        "free": True,
        "age": rng.choice([4, 10, 30]),
        "accessibility": tuple(rng.sample(["step_free", "hearing_loop"], rng.choice([1, 2]))),
        "reaches_anywhere": True,
        "organization_id": rng.choice(services).organization_id,
        "modified_after": sorted(s.last_modified for s in services)[len(services) // 2],
    }
    for name in rng.sample(list(chosen), rng.choice([0, 1, 1, 2])):
        options[name] = chosen[name]
    if options.get("now") and not options.get("open_now"):
        options.pop("now")
    options.update(page_size=rng.choice([3, 20]), page=rng.choice([1, 1, 2]))
    return SearchQuery(**options)


def test_both_engines_answer_random_queries_alike(es_engine, taxonomy, monkeypatch):
    # A small result window, so that the second pages are read with search_after.
    monkeypatch.setattr(es_module, "MAX_WINDOW", 4)
    rng = random.Random(20261123)
    with factories.indexed_at_the_end():
        services = random_corpus(rng, taxonomy, 40)
    for service in services:
        service.refresh_from_db()
    es_engine.prepare_for_tests(services)
    database = DatabaseEngine()
    codes = sorted(taxonomy)
    compared = 0
    for query in itertools.chain(
        [SearchQuery(page_size=50), SearchQuery(text="grief", page_size=50)],
        (random_query(rng, codes, services) for _ in range(150)),
    ):
        expected = search(query, database)
        got = search(query, es_engine)
        assert (got.total, got.facets) == (expected.total, expected.facets), query
        if query.terms:
            # Text is ranked by each engine's own scoring: the same services, the local ones
            # in the same order (by distance), each shown the same; and each page is that
            # part of the whole list.
            everything = dataclasses.replace(query, page=1, page_size=100)
            whole = search(everything, es_engine)
            assert got.hits == whole.hits[query.offset : query.offset + query.page_size]
            expected, got = search(everything, database), whole
            assert [shown(hit) for hit in got.hits if hit.distance_km is not None] == [
                shown(hit) for hit in expected.hits if hit.distance_km is not None
            ], query
            assert sorted(map(shown, got.hits)) == sorted(map(shown, expected.hits)), query
        else:
            assert got.hits == expected.hits, query
        compared += bool(expected.total)
    assert compared > 60  # most queries found something, so the comparison means something
