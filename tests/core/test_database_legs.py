"""`make test` runs the suite on SQLite and on PostgreSQL; a test that cannot reach the
database gives the same result on both, so it is marked `no_database` (tests/conftest.py)
and the PostgreSQL leg leaves it out. These check which tests are so marked."""

import pytest
from django.test import SimpleTestCase, TestCase

from core.models import HomePage


def marked(request):
    return request.node.get_closest_marker("no_database") is not None


def test_a_test_that_asks_for_no_database_is_marked(request):
    assert marked(request)


@pytest.mark.django_db
def test_a_test_marked_django_db_is_not(request):
    assert not marked(request)
    assert HomePage.objects.count() >= 0


def test_a_test_asking_for_the_db_fixture_is_not(request, db):
    assert not marked(request)


def test_a_test_asking_for_a_state_is_not(request, home):
    assert not marked(request)
    assert home.live


class DatabaseTests(TestCase):
    def test_a_django_test_case_is_not(self):
        assert self._pytest_marked is False

    @pytest.fixture(autouse=True)
    def _marked(self, request):
        self._pytest_marked = marked(request)


class NoDatabaseTests(SimpleTestCase):
    def test_a_simple_test_case_is(self):
        assert self._pytest_marked is True

    @pytest.fixture(autouse=True)
    def _marked(self, request):
        self._pytest_marked = marked(request)
