"""`make test` runs the suite on SQLite and on PostgreSQL; a test that cannot reach the
database gives the same result on both, so it is marked `no_database` (tests/conftest.py)
and the PostgreSQL leg leaves it out. These check which tests are so marked."""

import pytest
from django.test import SimpleTestCase, TestCase
from wagtail.models import Page


def marked(request):
    return request.node.get_closest_marker("no_database") is not None


def test_a_test_that_asks_for_no_database_is_marked(request):
    assert marked(request)


@pytest.mark.django_db
def test_a_test_marked_django_db_is_not(request):
    assert not marked(request)
    assert Page.objects.filter(depth=1).exists()  # Wagtail's root, made by its migrations


def test_a_test_asking_for_the_db_fixture_is_not(request, db):
    assert not marked(request)


def test_a_test_asking_for_a_state_is_not(request, home):
    assert not marked(request)
    assert home.live


class Marked:
    """Whether the test running is marked, for Django's test case classes."""

    @pytest.fixture(autouse=True)
    def _marked(self, request):
        self.is_marked = marked(request)


class DatabaseTests(Marked, TestCase):
    def test_a_django_test_case_is_not(self):
        assert self.is_marked is False


class NoDatabaseTests(Marked, SimpleTestCase):
    def test_a_simple_test_case_is(self):
        assert self.is_marked is True
