"""Wagtail's own search index (the admin's search of services), written in bulk by imports."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.hsds.bulk import update_admin_search
from directory.models import Service
from tests.directory import factories

pytestmark = pytest.mark.django_db


def category_reads_to_index(services):
    with CaptureQueriesContext(connection) as queries:
        update_admin_search(Service, [service.pk for service in services])
    return sum("directory_service_categories" in q["sql"] for q in queries.captured_queries)


def test_indexing_services_reads_their_categories_once_not_once_a_service(taxonomy):
    categories = [taxonomy["bereavement"], taxonomy["hospice"]]
    few = [factories.ServiceFactory(categories=categories) for _ in range(2)]
    many = [factories.ServiceFactory(categories=categories) for _ in range(8)]
    assert category_reads_to_index(few) == category_reads_to_index(many) == 1
