"""An emptied search index is filled again by migrate; the storage choices of the
directory's migration and of the settings hold."""

import sqlite3

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from directory.indexing import fill_if_empty
from directory.models import SearchArea, SearchPoint, Service
from directory.search import search
from directory.search.fulltext import TEXT_TABLE, indexed_terms
from directory.search.query import SearchQuery
from tests.directory.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def _located_service():
    return ServiceFactory(name="Riverside bereavement group", at=[(51.4615, -0.0106)])


def test_migrate_fills_an_empty_search_index():
    service = _located_service()
    SearchPoint.objects.all().delete()
    SearchArea.objects.all().delete()
    near = SearchQuery(latitude=51.4615, longitude=-0.0106, radius_km=5)
    assert service.pk not in search(near).ids

    call_command("migrate", verbosity=0)

    assert SearchPoint.objects.filter(service=service).exists()
    assert service.pk in search(near).ids


def test_migrate_leaves_a_filled_index_alone(django_assert_max_num_queries):
    _located_service()

    with django_assert_max_num_queries(3):
        assert fill_if_empty() == 0


def test_the_text_index_is_the_databases_own_full_text_search():
    """FTS5 on SQLite, a tsvector under a GIN index on PostgreSQL (directory migration 0001)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [TEXT_TABLE])
            assert "USING fts5" in cursor.fetchone()[0]
        else:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [TEXT_TABLE])
            assert "USING gin (document)" in " ".join(row[0] for row in cursor.fetchall())
    service = _located_service()
    key = Service.objects.get(pk=service.pk).search_key
    assert indexed_terms()[key]["bereav"] == 4  # in the name


def test_a_new_sqlite_file_gets_the_configured_page_size(tmp_path):
    """The page size is fixed when a file is first written, so the pragma has to come before
    the switch to WAL, which writes the file's header."""
    database = sqlite3.connect(tmp_path / "new.sqlite3", isolation_level=None)
    try:
        database.executescript(settings.SQLITE_OPTIONS["init_command"])
        database.execute("CREATE TABLE t (x)")
        assert database.execute("PRAGMA page_size").fetchone() == (16384,)
        assert database.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        database.close()
