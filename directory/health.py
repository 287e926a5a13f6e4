"""The directory search engine's health check, for /healthz (see core.health)."""

import dataclasses
import datetime as dt

from django.conf import settings
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from core.health import closing_connections
from directory.search import SearchQuery, search


@dataclasses.dataclass
class SearchEngine(HealthCheck):
    """The directory's search engine answers: Elasticsearch's index, or the database's."""

    timeout = dt.timedelta(seconds=5)

    @closing_connections
    def run(self):
        if settings.DIRECTORY_SEARCH_ENGINE == "elasticsearch":
            self.check_elasticsearch()
        else:
            self.check_database()

    def check_elasticsearch(self):
        from elasticsearch import Elasticsearch

        client = Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=3, max_retries=0)
        try:
            exists = client.indices.exists(index=settings.DIRECTORY_ELASTICSEARCH_INDEX)
        except Exception as error:
            raise ServiceUnavailable(
                "Elasticsearch (ELASTICSEARCH_URL) does not answer: " + type(error).__name__
            ) from None
        finally:
            client.close()
        if not exists:
            raise ServiceUnavailable(
                "the directory's Elasticsearch index is missing: "
                "run manage.py rebuild_directory_index"
            )

    def check_database(self):
        try:
            search(SearchQuery(text="health", page_size=1))
        except Exception as error:
            raise ServiceUnavailable(
                "the directory's database search fails: " + type(error).__name__
            ) from None
