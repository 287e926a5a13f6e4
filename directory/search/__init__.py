"""Directory search: `search(query)` answers a SearchQuery with SearchResults.

The engine is chosen by the DIRECTORY_SEARCH_ENGINE setting: "database" (the embedded
default) or "elasticsearch". Both answer the same query with the same results.
"""

from django.conf import settings
from django.utils.module_loading import import_string

from .query import Hit, ScheduleFilter, SearchQuery, SearchResults

__all__ = ["Hit", "ScheduleFilter", "SearchQuery", "SearchResults", "get_engine", "search"]

ENGINES = {
    "database": "directory.search.engines.database.DatabaseEngine",
    "elasticsearch": "directory.search.engines.elasticsearch.ElasticsearchEngine",
}


def get_engine(name=None):
    name = name or getattr(settings, "DIRECTORY_SEARCH_ENGINE", "database")
    return import_string(ENGINES[name])()


def search(query, engine=None):
    """Search the directory; `engine` overrides the configured one (tests, benchmarks).

    When the terms as typed find nothing, a misspelt term is read as the nearest indexed one
    and the search made again (`SearchQuery.respelled`): a search that finds something costs
    nothing more."""
    engine = engine or get_engine()
    results = engine.search(query)
    if results.total or not query.text:
        return results
    respelled = query.respelled()
    return results if respelled is None else engine.search(respelled)
