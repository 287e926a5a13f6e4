"""States that tests start from (`tests.states`): built once per worker, restored after, and
never seen by a test that did not ask for them."""

import dataclasses

import pytest
from django.db import connection, transaction
from wagtail.models import Page, Site

from core.models import HomePage, PostcodeDistrict
from tests import snapshots, states

# On one worker, so that a test that asks for no state may follow one that did.
pytestmark = pytest.mark.xdist_group("states")


def _counting_builds(monkeypatch):
    built = []
    for name, state in list(states.REGISTRY.items()):

        def build(*values, _build=state.build, _name=name):
            built.append(_name)
            return _build(*values)

        monkeypatch.setitem(states.REGISTRY, name, dataclasses.replace(state, build=build))
    return built


def test_a_test_asking_for_a_state_starts_with_it(home, gazetteer):
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert home.live and home.locale.language_code == "en"
    assert PostcodeDistrict.objects.exists()


def test_a_test_asking_for_none_starts_from_the_migrated_database(db):
    assert not PostcodeDistrict.objects.exists()
    assert not HomePage.objects.exists()


def test_what_a_test_asks_for_includes_what_its_states_need(request, gazetteer, about):
    assert states.wanted(request.node) == ("locales", "home", "about", "gazetteer")


@pytest.mark.django_db(transaction=True)
def test_states_are_built_once_for_the_tests_that_follow_each_other(
    monkeypatch, migrated_snapshot, django_db_blocker
):
    """Built when asked for; a test's own changes rolled back, the states stay for the next
    test asking for them, unbuilt; gone when a test asks for others or none."""
    built = _counting_builds(monkeypatch)
    baseline = snapshots.Baseline()
    baseline.start(migrated_snapshot, django_db_blocker)
    about_us = ("locales", "home", "about")
    try:
        baseline.hold(about_us, states.build)
        about = Page.objects.get(slug="about-us")
        assert built == ["locales", "home", "about"]
        assert connection.in_atomic_block

        with transaction.atomic():  # a test, in its savepoint
            Page.objects.filter(pk=about.pk).delete()
            transaction.set_rollback(True)
        baseline.hold(about_us, states.build)
        assert built == ["locales", "home", "about"]  # held, not built again
        assert Page.objects.get(slug="about-us").pk == about.pk

        baseline.hold(("gazetteer",), states.build)  # others: rolled back, then built
        assert built == ["locales", "home", "about", "gazetteer"]
        assert not HomePage.objects.exists() and PostcodeDistrict.objects.exists()

        baseline.hold((), states.build)  # none: the migrated database
        assert not connection.in_atomic_block
        assert not HomePage.objects.exists() and not PostcodeDistrict.objects.exists()
    finally:
        baseline.stop()


def test_a_fixture_asked_for_during_a_test_is_built_in_its_transaction(request, db):
    """The database was prepared for the test's own fixture names only; a fixture asked for
    by name later builds its content inside the test's transaction."""
    assert not HomePage.objects.exists()
    home = request.getfixturevalue("home")
    assert connection.in_atomic_block
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk


def test_the_next_test_does_not_see_what_that_transaction_built(db):
    """(The test before, asking for the same states, none, runs just before it.)"""
    assert not HomePage.objects.exists()


def test_tests_asking_for_the_same_states_run_one_after_another(request):
    """Within a module, tests are grouped by the states they ask for, in their order."""
    items = [item for item in request.session.items if item.module is request.module]
    names = [item.name for item in items]
    first = names.index("test_a_fixture_asked_for_during_a_test_is_built_in_its_transaction")
    assert names[first + 1] == "test_the_next_test_does_not_see_what_that_transaction_built"
    wanted = [states.wanted(item) for item in items if "db" in item.fixturenames]
    assert len(set(wanted)) > 1 and wanted == sorted(wanted)
