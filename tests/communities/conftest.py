"""Community fixtures: a groups index, a group and an events page under the home page.

Each page is made and published inside `deferred_indexing()`: saved several times over (made,
a revision, published), it is put in the search and reference indexes once, at the end."""

import pytest

from communities.models import CommunityGroupPage, EventIndexPage, GroupIndexPage
from communities.permissions import ensure_group_editors, ensure_moderation
from core.indexing import deferred_indexing
from tests import states
from tests.communities import factories
from tests.pages import publish


@states.fixture(needs=("home",), load=states.page(GroupIndexPage))
def groups_index(home):
    """The groups index under the home page, its groups moderated."""
    with deferred_indexing():
        index = publish(factories.GroupIndexPageFactory(parent=home, slug="groups"))
        ensure_moderation(index)
    return index.pk


@states.fixture(needs=("home",), load=states.page(EventIndexPage))
def events_page(home):
    """The events page, "What's on", under the home page."""
    with deferred_indexing():
        return publish(
            factories.EventIndexPageFactory(parent=home, slug="events", title="What's on")
        ).pk


def _make_group(groups_index, **kwargs):
    with deferred_indexing():
        group = publish(factories.CommunityGroupPageFactory(parent=groups_index, **kwargs))
        ensure_group_editors(group)
    group.refresh_from_db()
    return group


@pytest.fixture
def make_group(groups_index):
    """A group published under the groups index, with its editors' group."""

    def make(**kwargs):
        return _make_group(groups_index, **kwargs)

    return make


@states.fixture(needs=("groups_index",), load=states.page(CommunityGroupPage))
def group(groups_index):
    """A group, Hackney Death Café."""
    return _make_group(groups_index, title="Hackney Death Café", slug="hackney-death-cafe").pk


@pytest.fixture
def make_event(group, gazetteer):
    def make(parent=None, **kwargs):
        with deferred_indexing():
            return publish(factories.EventPageFactory(parent=parent or group, **kwargs))

    return make
