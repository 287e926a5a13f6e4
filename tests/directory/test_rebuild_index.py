"""`manage.py rebuild_directory_index`: the term index, and the Elasticsearch index on the
test search server (an emulator unless ELASTICSEARCH_URL is set)."""

import io

import pytest
from django.core.management import CommandError, call_command

from directory.models import Service
from directory.search import SearchQuery, fulltext, search
from tests.directory import factories
from tests.directory.conftest import _free_port

pytestmark = pytest.mark.django_db


def rebuild(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("rebuild_directory_index", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_database_terms_are_rebuilt(corpus):
    fulltext.delete()
    assert search(SearchQuery(text="bereavement counselling")).total == 0
    out, err = rebuild("--engine", "database")
    assert "Indexed 7 services" in out and "database terms" in out
    assert "7/7" in err  # the progress bar counts services
    counselling = corpus["counselling"]
    key = Service.objects.get(pk=counselling.pk).search_key
    assert fulltext.indexed_terms()[key]["counsel"] == 4
    assert search(SearchQuery(text="bereavement counselling")).total == 2


def test_the_elasticsearch_index_is_rebuilt_from_the_database(es_engine, corpus):
    stray = {"_op_type": "index", "_index": es_engine.index, "_id": "stray", "_source": {}}
    es_engine._bulk([stray], refresh=True)
    out, _err = rebuild("--engine", "elasticsearch", "--no-progress")
    assert f"elasticsearch index {es_engine.index!r}" in out
    es_engine.refresh()
    assert es_engine.client.count(index=es_engine.index)["count"] == 7  # the stray is gone
    results = search(SearchQuery(text="bereavement counselling"), es_engine)
    assert results.ids == [corpus["counselling"].pk, corpus["helpline"].pk]


def test_an_unreachable_server_stops_the_command_with_its_address(settings, corpus):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{_free_port()}"
    with pytest.raises(CommandError, match=settings.ELASTICSEARCH_URL):
        rebuild("--engine", "elasticsearch", "--no-progress")


def test_elasticsearch_needs_a_url(settings, db):
    settings.ELASTICSEARCH_URL = ""
    with pytest.raises(CommandError, match="ELASTICSEARCH_URL"):
        rebuild("--engine", "elasticsearch")


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_keeps_no_text_rows_for_services_that_are_gone(taxonomy):
    from directory.search.fulltext import indexed_terms
    from directory.taxonomy import ensure_starter_taxonomy

    factories.ServiceFactory(name="Bereavement café")
    assert indexed_terms()
    # `flush` empties Django's tables (and so the services); the text index is not one of
    # them, so it must follow, or the next service given the same search key is refused.
    call_command("flush", interactive=False, verbosity=0)
    assert indexed_terms() == {}
    ensure_starter_taxonomy()
    service = factories.ServiceFactory(name="Grief walk")
    service.refresh_from_db()
    assert list(indexed_terms()) == [service.search_key]


def test_a_rebuild_fills_a_new_index_and_swaps_the_alias_to_it(es_engine, corpus):
    client, alias = es_engine.client, es_engine.index
    [before] = client.indices.get_alias(name=alias).body
    with es_engine.rebuilding():
        es_engine.index_services([service.pk for service in corpus.values()])
        # Until the new index is whole, searches read the old (empty) one.
        assert client.indices.get_alias(name=alias).body.keys() == {before}
        assert search(SearchQuery(text="bereavement"), es_engine).total == 0
    [after] = client.indices.get_alias(name=alias).body
    assert after != before
    assert not client.indices.exists(index=before)  # the old index is gone
    everywhere = search(SearchQuery(text="bereavement")).total  # the database engine's
    assert search(SearchQuery(text="bereavement"), es_engine).total == everywhere > 0

    rebuild("--engine", "elasticsearch", "--no-progress")
    [rebuilt] = client.indices.get_alias(name=alias).body
    assert rebuilt != after and not client.indices.exists(index=after)
    assert search(SearchQuery(text="bereavement"), es_engine).total == everywhere
