"""Searches near a place read the located points through the database's own spatial index:
SQLite's R*Tree (kept in step with the points by triggers), PostgreSQL's GiST index on
earthdistance's `ll_to_earth`. The query plans say so; if a change to the queries or the
schema stopped them using it, these tests fail."""

import pytest
from django.db import connection

from directory import indexing
from directory.models import Location, SearchArea, SearchPoint
from directory.search import SearchQuery, fulltext, search
from directory.search.points import BOX_TABLE
from tests.directory.conftest import LEEDS, LEWISHAM

pytestmark = pytest.mark.django_db


def _boxes():
    """{point id: (latitude, longitude)} as SQLite's R*Tree holds them."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, min_latitude, max_latitude, min_longitude, max_longitude FROM {BOX_TABLE}"  # noqa: S608
        )
        rows = cursor.fetchall()
    # The R*Tree keeps 32-bit floats, rounded outwards: a point is a box around it.
    for _id, south, north, west, east in rows:
        assert south <= north and west <= east
    return {pk: (south, west) for pk, south, _n, west, _e in rows}


def _in_step():
    boxes = _boxes()
    points = {
        pk: (lat, lon)
        for pk, lat, lon in SearchPoint.objects.values_list("id", "latitude", "longitude")
    }
    assert set(boxes) == set(points)
    for pk, (lat, lon) in points.items():
        south, west = boxes[pk]
        assert abs(south - lat) < 1e-4 and abs(west - lon) < 1e-4
    return len(points)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's R*Tree")
def test_the_r_tree_holds_exactly_the_points(corpus):
    assert _in_step() == SearchPoint.objects.count() > 0
    counselling = corpus["counselling"]
    location = counselling.service_at_locations.get().location
    location.latitude, location.longitude = LEEDS
    location.save()  # re-indexed: its point rewritten
    _in_step()
    SearchPoint.objects.filter(pk=SearchPoint.objects.get(service=counselling).pk).update(
        latitude=LEWISHAM[0]
    )
    _in_step()
    Location.objects.filter(pk=location.pk).delete()  # Django's cascade
    _in_step()
    corpus["carers"].organization.delete()
    indexing.rebuild()
    assert _in_step() == SearchPoint.objects.count() > 0


def _statements_near(query):
    """(sql, params) of every statement a search near a place runs that reads the points
    by place."""
    seen = []

    def record(execute, sql, params, many, context):
        seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        search(query)
    marker = BOX_TABLE if connection.vendor == "sqlite" else "ll_to_earth(latitude, longitude)"
    return [(sql, params) for sql, params in seen if marker in sql]


def _plan(sql, params):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A handful of rows: the planner would rather read the table. What is checked
            # is that the index can serve the query as written.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.parametrize(
    "query",
    [
        SearchQuery(latitude=LEWISHAM[0], longitude=LEWISHAM[1], radius_km=5),
        SearchQuery(text="bereavement", latitude=LEWISHAM[0], longitude=LEWISHAM[1]),
        SearchQuery(latitude=LEWISHAM[0], longitude=LEWISHAM[1], free=True, categories=("carers",)),
    ],
    ids=["near", "text-near", "filtered"],
)
def test_searches_near_a_place_read_the_spatial_index(corpus, query):
    statements = _statements_near(query)
    assert statements
    for sql, params in statements:
        plan = _plan(sql, params)
        if connection.vendor == "postgresql":
            assert "search_point_earth" in plan, plan
        else:
            assert "VIRTUAL TABLE INDEX" in plan and BOX_TABLE in plan, plan
            # The points themselves by their ids, not a scan of the table.
            assert "SCAN directory_searchpoint" not in plan.replace(BOX_TABLE, ""), plan


def _documents_in_step():
    """On PostgreSQL, every point and area row holds its service's text document (its copy
    for searches of text near a place); on SQLite, whose text is in FTS5 alone, none does.
    Returns how many rows were compared."""
    rows = [
        *SearchPoint.objects.values_list("service_key", "document"),
        *SearchArea.objects.values_list("service_key", "document"),
    ]
    if connection.vendor == "sqlite":
        assert {document for _key, document in rows} == {None}
        return len(rows)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT service_key, document::text FROM {fulltext.TEXT_TABLE}")  # noqa: S608
        texts = dict(cursor.fetchall())
    for key, document in rows:
        assert document == texts[key], key
    return len(rows)


def test_the_place_index_rows_carry_their_services_text(corpus):
    assert _documents_in_step() > 0
    counselling = corpus["counselling"]
    counselling.name = "Quillwort listening service"
    counselling.save()  # re-indexed
    assert _documents_in_step() > 0
    near = SearchQuery(text="quillwort", latitude=LEWISHAM[0], longitude=LEWISHAM[1])
    assert [hit.service_id for hit in search(near).hits] == [counselling.pk]
    indexing.rebuild()
    assert _documents_in_step() > 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's work_mem")
def test_connections_give_the_search_bitmaps_room():
    """A search for text near a place ANDs two bitmaps of the points; at 4 MB (the server's
    default) a city's go lossy at a million services (bench/README.md)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone()[0] == "32MB"
