"""Content that many tests start from, built once for the tests that follow each other.

A state is what a fixture puts in the database when it does not depend on the test asking
for it: the locales, the home page, the starter taxonomy, the directory's corpus, the
gazetteer, the index pages. Building them was most of the set-up time of the tests that use
them (a page is saved, revised, published and indexed), the same content built again for
every test.

A state's fixture is declared with `fixture`, which also registers how to build it. Before
a test's fixtures run, `prepare` gives the database the states the test asks for (the state
fixtures among its fixture names, and what those need), built in an outer transaction that
stays open while the tests that follow ask for the same states (`snapshots.Baseline.hold`);
each test runs in a savepoint inside it, so what a test changes is rolled back and the next
one finds the states as they were built. The fixture then only reads its content back,
through `value`. `grouped` orders each module's tests so that those asking for the same
states follow each other.

A test outside a transaction (a live server's, a second process's) and a test in a
database that could not be prepared (the first test of a worker runs before the test
database exists; a fixture asked for by name in the middle of a test; a module inside a
demo's outer transaction) builds its states as its fixtures run, as every fixture did.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests import snapshots


@dataclass(frozen=True)
class State:
    name: str  # the fixture's name
    build: Callable[..., Any]  # makes the content from its needs' values; returns a handle
    load: Callable[[Any], Any]  # the fixture's value, read back from the handle
    needs: tuple[str, ...]
    fixture: Callable[..., Any]  # the fixture's function, as pytest holds it


REGISTRY: dict[str, State] = {}


def fixture(*, load, needs=()):
    """A fixture whose content is a state: the decorated function builds it, given the
    values of the states it needs (fixtures of the same names), and returns a small handle
    (ids) that `load` turns into the fixture's value. Its name is the function's."""

    def decorator(build):
        name = build.__name__
        if name in REGISTRY:
            raise ValueError(f"the state {name!r} is declared twice")
        missing = [need for need in needs if need not in REGISTRY]
        if missing:
            raise ValueError(f"the state {name!r} needs undeclared states {missing}")

        def read(request, **_values):
            return value(request, name)

        read.__name__, read.__doc__ = name, build.__doc__
        read.__signature__ = inspect.Signature(
            [
                inspect.Parameter(argument, inspect.Parameter.POSITIONAL_OR_KEYWORD)
                for argument in ("request", "db", *needs)
            ]
        )
        REGISTRY[name] = State(name, build, load, tuple(needs), read)
        return pytest.fixture(read)

    return decorator


def wanted(item):
    """The states test `item` asks for (with what they need), in the order they are built:
    those of its fixtures that resolve, for this test, to the state's own fixture (a module
    may define its own fixture of the same name), and whose needs are wanted too."""
    fixturenames = set(item.fixturenames)
    definitions = item._fixtureinfo.name2fixturedefs
    names = {name for name in fixturenames if name in REGISTRY}
    pending = list(names)
    while pending:
        for need in REGISTRY[pending.pop()].needs:
            if need not in names:
                names.add(need)
                pending.append(need)
    chosen = []
    for name, state in REGISTRY.items():  # needs come first
        if name not in names:
            continue
        resolved = definitions.get(name)
        own = not resolved or resolved[-1].func is state.fixture
        if own and all(need in chosen for need in state.needs):
            chosen.append(name)
    return tuple(chosen)


def grouped(items):
    """The tests in an order that restores the database less: within each run of tests of
    one module (or class), those asking for the same states one after another, each group
    in the collected order."""
    ordered, run = [], []
    for item in items:
        if run and item.parent is not run[-1].parent:
            ordered.extend(sorted(run, key=wanted))
            run = []
        run.append(item)
    ordered.extend(sorted(run, key=wanted))
    return ordered


def build(names):
    """Build the states `names` (in order) on the database as it is; their handles. Caches
    are emptied first, as they are for a test (`clear_cache`), and the default language is
    active."""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils import translation

    from core import page_cache

    cache.clear()
    page_cache.forget_memos()
    translation.activate(settings.LANGUAGE_CODE)
    handles, values = {}, {}
    for name in names:
        state = REGISTRY[name]
        handles[name] = state.build(*(values[need] for need in state.needs))
        values[name] = state.load(handles[name])
    return handles


TRANSACTIONAL_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def transactional(item):
    """Whether test `item` runs outside a transaction (pytest-django's rules)."""
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool(TRANSACTIONAL_FIXTURES & set(item.fixturenames))


def prepare(item):
    """Give the database the states test `item` asks for, before its fixtures run; a test
    outside a transaction gets the migrated database, and its fixtures build their states
    as it runs (what it commits is seen by other connections, a live server's)."""
    if transactional(item):
        snapshots.baseline.hold((), build)
    else:
        snapshots.baseline.hold(wanted(item), build)


def in_bulk(model, ids):
    """{key: instance} for a handle of {key: id}, in one query."""
    instances = model.objects.in_bulk(ids.values())
    return {key: instances[pk] for key, pk in ids.items()}


def page(model):
    """`load` for a state whose handle is the id of a page of `model`."""
    return lambda pk: model.objects.get(pk=pk)


def value(request, name):
    """Fixture `name`'s value: read from the database when it was prepared with it, else
    built now, inside the test's transaction, on the values of the fixtures it needs."""
    state = REGISTRY[name]
    handle = snapshots.baseline.handle(name)
    if handle is snapshots.NOT_HELD:
        handle = state.build(*(request.getfixturevalue(need) for need in state.needs))
    return state.load(handle)
