"""A database migrated from before the search-point tables gets its index filled by migrate."""

import pytest
from django.core.management import call_command

from directory.indexing import fill_if_empty
from directory.models import SearchArea, SearchPoint
from directory.search import search
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
