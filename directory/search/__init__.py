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
    """Search the directory; `engine` overrides the configured one (tests, benchmarks)."""
    return (engine or get_engine()).search(query)
