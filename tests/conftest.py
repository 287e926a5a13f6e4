"""Fixtures shared by the whole suite: locales, a small page tree served as the site, and the
demo site restored from a snapshot built once per test run and shared by its workers."""

import shutil
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.test import TransactionTestCase
from django.test.testcases import LiveServerThread
from wagtail.models import Locale, Site

from core import page_cache
from core.demo.site import ensure_tree_root
from core.indexing import deferred_indexing
from core.localization import ensure_locales
from core.models import HomePage, StandardPage
from tests import snapshots, states
from tests.core.factories import HomePageFactory, StandardPageFactory
from tests.live_server import OneRequestAtATimeServer
from tests.offline import refuse_network
from tests.pages import publish
from tests.workers import run_directory, xdist_worker

# Fixtures that restore a snapshot of their own before the test touches the database.
OWN_SNAPSHOT_FIXTURES = {"demo_site", "demo"}


@pytest.fixture(scope="session", autouse=True)
def _live_server_one_request_at_a_time():
    """pytest-django's `live_server` on a server that keeps each request's transaction its own
    (`tests.live_server`)."""
    with mock.patch.object(LiveServerThread, "server_class", OneRequestAtATimeServer):
        yield


# Fixtures through which a test reaches the test database (pytest-django's own, which every
# database fixture of the suite, the states and the snapshots, asks for in the end).
DATABASE_FIXTURES = {
    "_django_db_helper",
    "db",
    "transactional_db",
    "django_db_setup",
    "live_server",
}


def uses_database(item):
    """Whether a test reaches the test database: it is marked `django_db`, asks for a fixture
    that reaches it, or is one of Django's TransactionTestCase (or TestCase) methods. Any
    other test cannot (pytest-django refuses it a connection) and gives the same result on
    every database; a process it starts is given no DATABASE_URL (`tests.processes`)."""
    if item.get_closest_marker("django_db"):
        return True
    if DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    test_case = getattr(item, "cls", None)
    return isinstance(test_case, type) and issubclass(test_case, TransactionTestCase)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """After pytest-django's order (tests in a transaction, then transactional ones, then
    the rest), tests asking for the same states grouped within each module (`states.grouped`)."""
    items[:] = states.grouped(items)


def pytest_itemcollected(item):
    """A test that does not reach the database is marked `no_database` as it is collected,
    before `-m` chooses the tests to run (`make test` runs these in the SQLite leg only)."""
    if not uses_database(item):
        item.add_marker(pytest.mark.no_database)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before any of a test's fixtures: the database holds the migrated content and the
    states the test asks for (`tests.states`), unless the test restores a snapshot of its
    own or does not use the database."""
    fixturenames = set(item.fixturenames)
    if OWN_SNAPSHOT_FIXTURES & fixturenames:
        snapshots.baseline.release()
    elif item.get_closest_marker("django_db") or "_django_db_helper" in fixturenames:
        states.prepare(item)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    """The migrated test database, with a snapshot of it taken before any test runs; a
    transactional test ends by marking it changed (see `_mark_changed_instead_of_flushing`)."""
    with django_db_blocker.unblock():
        snapshot = snapshots.take("migrated", tmp_path_factory.mktemp("snapshots"))
    snapshots.baseline.start(snapshot, django_db_blocker)
    with mock.patch.object(
        TransactionTestCase, "_fixture_teardown", _mark_changed_instead_of_flushing()
    ):
        yield snapshot
    snapshots.baseline.stop()
    with django_db_blocker.unblock():
        snapshots.drop(snapshot)


def _mark_changed_instead_of_flushing():
    """The end of a transactional test: the database marked changed, to be restored from the
    migrated snapshot before the next test that needs it (`pytest_runtest_setup`).

    Django's own ending empties every table and then re-runs post_migrate, which recreates
    content types and permissions but not what migrations wrote (Wagtail's root page and
    default locale, the product's groups), so the next test on the worker would start from a
    database no site ever has; it is also the slowest part of such a test (a TRUNCATE of
    every table on PostgreSQL). A test that names other databases, or limits its apps, is
    ended Django's way, and the database restored after it all the same.
    """
    flush = TransactionTestCase._fixture_teardown

    def teardown(test_case):
        only_default = test_case._databases_names(include_mirrors=False) == [DEFAULT_DB_ALIAS]
        if not (only_default and test_case.available_apps is None) or test_case.serialized_rollback:
            flush(test_case)
        snapshots.baseline.changed = True

    return teardown


@pytest.fixture(scope="session")
def migrated_snapshot(django_db_setup):
    """The test database as migrations leave it, for a test to restore or copy."""
    return django_db_setup


@dataclass(frozen=True)
class DemoSnapshot:
    snapshot: snapshots.Snapshot
    var_dir: Path  # the files load_demo writes beside the database (demo passwords, media)


@pytest.fixture(scope="session")
def demo_snapshot(migrated_snapshot, django_db_blocker, tmp_path_factory):
    """`manage.py load_demo --no-admin` run once for the whole run on a freshly migrated
    database, with the network refused (the demo must build offline), and saved for every
    test worker (`snapshots.Shared`: the first worker that needs it builds it, one that
    needs it meanwhile waits); the builder's test database is marked changed afterwards."""
    from django.core.management import call_command
    from django.db import connection
    from django.test import override_settings

    directory = run_directory(tmp_path_factory) / "demo"
    var_dir = directory / "var"
    # One database for the run on PostgreSQL: the test database's name without the worker's.
    name, worker = connection.settings_dict["NAME"], xdist_worker()
    name = (name.removesuffix(f"_{worker}") if worker else name) + "_demo"

    def build():
        shutil.rmtree(var_dir, ignore_errors=True)
        snapshots.restore(migrated_snapshot)
        with override_settings(VAR_DIR=var_dir, MEDIA_ROOT=var_dir / "media"), refuse_network():
            call_command("load_demo", "--no-admin")
        return snapshots.take("demo", directory, name=name)

    shared = snapshots.Shared(directory, "demo")
    with django_db_blocker.unblock():
        snapshot, built = shared.use(build)
    if built:
        snapshots.baseline.changed = True
    yield DemoSnapshot(snapshot, var_dir)
    with django_db_blocker.unblock():
        shared.done()


@pytest.fixture
def demo_site(transactional_db, demo_snapshot, settings, tmp_path):
    """The demo content, as `make run` shows it, in a transactional test (for a live server or
    a second process); the next test that needs it gets the migrated database back."""
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    shutil.copytree(demo_snapshot.var_dir, tmp_path, dirs_exist_ok=True)
    snapshots.restore(demo_snapshot.snapshot)
    snapshots.baseline.changed = False


@states.fixture(load=lambda ids: states.in_bulk(Locale, ids))
def locales():
    """A Wagtail locale for every shipped language, by language code."""
    return {code: locale.pk for code, locale in ensure_locales().items()}


@states.fixture(needs=("locales",), load=states.page(HomePage))
def home(locales):
    """An English home page serving as the root of the default site."""
    root = ensure_tree_root(locales["en"])
    with deferred_indexing():
        page = HomePageFactory(parent=root, locale=locales["en"], title="Nobody should be alone")
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": page},
        )
        return publish(page).pk


@states.fixture(needs=("home",), load=states.page(StandardPage))
def about(home):
    """A standard page, "About us", under the home page."""
    with deferred_indexing():
        return publish(StandardPageFactory(parent=home, title="About us", slug="about-us")).pk


@states.fixture(load=lambda _handle: None)
def gazetteer():
    """The sample districts and postcodes (`core.geo.sample`)."""
    from core.geo.sample import load_sample_districts

    load_sample_districts()


@pytest.fixture
def translate_page():
    """Translate a page into a locale (parents first) and publish it with a new title."""

    def translate(page, locale, title):
        with deferred_indexing():
            translation = page.copy_for_translation(locale, copy_parents=True)
            translation.title = title
            translation.save()
            return publish(translation)

    return translate


@pytest.fixture(autouse=True)
def live_connections():
    """Every test starts on connections the database still serves (see
    `snapshots.discard_dead_connections`: a snapshot restored by an earlier test ends
    sessions that Django would otherwise reuse)."""
    snapshots.discard_dead_connections()


@pytest.fixture(autouse=True)
def clear_cache():
    """Wagtail caches site root paths, and each process keeps the sites and locales
    (core.page_cache.memo): a test must not see the page tree of the one before."""
    from django.core.cache import cache

    cache.clear()
    page_cache.forget_memos()
    yield
    cache.clear()
    page_cache.forget_memos()


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the site's default language: a request to /ur/ in one test
    leaves Urdu active in the thread, and the next test must not inherit it."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
