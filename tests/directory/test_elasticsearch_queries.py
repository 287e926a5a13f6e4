"""What the Elasticsearch engine asks the server: the server does the work (geo_distance,
aggregations, BM25, the 'open now' keys, search_after) and no request reads more than a
page of hits. The requests are recorded as the client sends them to the test server, which
answers them; the answers are checked against the database engine's."""

import datetime as dt
import json
import zoneinfo

import pytest

from directory.search import ScheduleFilter, SearchQuery, search
from directory.search.engines import elasticsearch as es_module
from directory.search.engines.database import DatabaseEngine
from tests.directory.conftest import LEWISHAM

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def sent(es_engine, corpus):
    """The engine holding the corpus, and the list of requests it sends from then on:
    (path, params, [search bodies]) each, an msearch's bodies in order."""
    es_engine.prepare_for_tests(corpus.values())
    requests = []
    perform = es_engine.client.perform_request

    def recording(method, path, **kwargs):
        body = kwargs.get("body")
        if path.endswith("/_search") or path.endswith("/_msearch"):
            bodies = body[1::2] if isinstance(body, list) else [body or {}]
            requests.append((path, dict(kwargs.get("params") or {}), bodies))
        return perform(method, path, **kwargs)

    es_engine.client.perform_request = recording
    return es_engine, requests


def same_as_database(query, engine):
    got, expected = search(query, engine), search(query, DatabaseEngine())
    assert (got.ids, got.total, got.facets) == (expected.ids, expected.total, expected.facets)
    return got


def found(body, key):
    """Every value under `key` anywhere in a request body."""
    values = []

    def walk(node):
        if isinstance(node, dict):
            for name, value in node.items():
                if name == key:
                    values.append(value)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(body)
    return values


def sizes(requests):
    return [body.get("size", 10) for _path, _params, bodies in requests for body in bodies]


def test_text_is_scored_by_the_server_with_field_boosts(sent):
    engine, requests = sent
    same_as_database(SearchQuery(text="bereavement counselling"), engine)
    [(_path, _params, [body])] = requests
    matches = found(body, "multi_match")
    assert [m["query"] for m in matches] == ["bereav", "counsel"]
    assert "text_name^4" in matches[0]["fields"] and "text_body^1" in matches[0]["fields"]
    assert not found(body, "constant_score")
    assert body["size"] == 20


def test_near_a_place_distance_is_filtered_and_sorted_on_the_server_in_one_msearch(sent):
    engine, requests = sent
    query = SearchQuery(latitude=LEWISHAM[0], longitude=LEWISHAM[1], district="SE13", radius_km=5.0)
    results = same_as_database(query, engine)
    assert [hit.distance_km for hit in results.hits[:2]] == [
        hit.distance_km for hit in search(query, DatabaseEngine()).hits[:2]
    ]
    msearch = [bodies for path, _params, bodies in requests if path.endswith("/_msearch")]
    assert len(msearch) == 1 and len(msearch[0]) == 2  # the local and the remote list
    local, remote = msearch[0]
    assert found(local, "geo_distance")[0]["distance"] == "5.0km"
    assert "_geo_distance" in json.dumps(local["sort"])
    assert found(remote, "must_not")  # the remote list leaves out the local services
    # More than a page: only the few services whose area's box holds the place, for the
    # exact test of their radius areas and shapes.
    for _path, _params, bodies in requests:
        for body in bodies:
            assert body.get("size", 10) <= 20 or "radius_areas" in body["_source"]


def test_facets_are_a_terms_aggregation_and_the_category_a_post_filter(sent):
    engine, requests = sent
    same_as_database(SearchQuery(categories=("bereavement-counselling",)), engine)
    [(_path, _params, [body])] = requests
    assert body["aggs"]["facets"]["terms"]["field"] == "categories"
    assert found(body["post_filter"], "terms")[0]["categories"]
    assert not found(body["query"], "categories")  # facets count the whole result


def test_facets_near_a_place_count_local_and_remote_services(sent, taxonomy):
    engine, requests = sent
    query = SearchQuery(
        latitude=LEWISHAM[0],
        longitude=LEWISHAM[1],
        district="SE13",
        radius_km=5,
        categories=("bereavement-counselling",),
    )
    same_as_database(query, engine)
    local = requests[-1][2][0]
    assert local["aggs"]["facets"]["terms"]["field"] == "categories"
    assert found(local["post_filter"], "geo_distance")  # the local list, after the counts


@pytest.mark.parametrize("hour", [9, 11, 20])
def test_open_now_is_a_filter_on_the_servers_day_keys(sent, hour):
    engine, requests = sent
    now = dt.datetime(2026, 12, 5, hour, tzinfo=LONDON)  # the first Saturday of the month
    same_as_database(SearchQuery(open_now=True, now=now), engine)
    [(_path, _params, [body])] = requests
    [keys] = found(body, "openings.days")
    assert "SA" in keys and "SA#1" in keys
    assert body["size"] == 20


def test_a_deep_page_is_read_with_search_after_a_page_at_a_time(sent, monkeypatch):
    engine, requests = sent
    monkeypatch.setattr(es_module, "MAX_WINDOW", 4)  # as if 10,000 services came before
    results = same_as_database(SearchQuery(page=3, page_size=2), engine)
    assert len(results.hits) == 2
    last = requests[-1][2][0]
    assert last["size"] == 2 and last["search_after"]
    assert max(sizes(requests)) <= 4  # the server's window, and of the hops only sort keys
    hops = [params for _path, params, _b in requests if "filter_path" in params]
    assert hops and all("sort" in str(params["filter_path"]) for params in hops)


def test_local_services_at_the_same_distance_to_the_metre_are_in_name_order(es_engine, taxonomy):
    from tests.directory import factories

    # 1.0004 km and 1.0001 km away: both shown as 1.000 km, so listed by name.
    per_km = 1 / 111.19508  # degrees of latitude in a kilometre, on the sphere core.geo uses
    alder = factories.ServiceFactory(
        name="Alder", at=[(LEWISHAM[0] + 1.0004 * per_km, LEWISHAM[1])]
    )
    zebra = factories.ServiceFactory(
        name="Zebra", at=[(LEWISHAM[0] + 1.0001 * per_km, LEWISHAM[1])]
    )
    es_engine.prepare_for_tests([alder, zebra])
    query = SearchQuery(latitude=LEWISHAM[0], longitude=LEWISHAM[1], include_remote=False)
    results = same_as_database(query, es_engine)
    assert results.ids == [alder.pk, zebra.pk]
    assert [hit.distance_km for hit in results.hits] == [1.0, 1.0]


def test_the_uk_profiles_filters_are_part_of_the_one_query(sent, corpus):
    engine, requests = sent
    query = SearchQuery(
        minimum_age=5,
        maximum_age=16,
        age=10,
        schedule=ScheduleFilter(day="SA", opens_from=dt.time(9), closes_by=dt.time(13)),
        organization_id=corpus["children"].organization_id,
        modified_after=corpus["children"].last_modified,
        free=True,
    )
    results = same_as_database(query, engine)
    assert results.ids == [corpus["children"].pk]
    [(_path, _params, [body])] = requests
    assert body["size"] == 20
    filters = json.dumps(body["query"])
    for field in ("minimum_age", "maximum_age", "opening_times.days", "organization_id"):
        assert field in filters
