"""Community fixtures: a groups index and an events page under the home page, a gazetteer.

Each page is made and published inside `deferred_indexing()`: saved several times over (made,
a revision, published), it is put in the search and reference indexes once, at the end."""

import pytest

from communities.permissions import ensure_group_editors, ensure_moderation
from core.indexing import deferred_indexing
from tests.communities import factories


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def gazetteer(db):
    from core.geo.sample import load_sample_districts

    load_sample_districts()


@pytest.fixture
def groups_index(home):
    with deferred_indexing():
        index = publish(factories.GroupIndexPageFactory(parent=home, slug="groups"))
        ensure_moderation(index)
    return index


@pytest.fixture
def events_page(home):
    with deferred_indexing():
        return publish(
            factories.EventIndexPageFactory(parent=home, slug="events", title="What's on")
        )


@pytest.fixture
def make_group(groups_index):
    def make(**kwargs):
        with deferred_indexing():
            group = publish(factories.CommunityGroupPageFactory(parent=groups_index, **kwargs))
            ensure_group_editors(group)
        group.refresh_from_db()
        return group

    return make


@pytest.fixture
def group(make_group):
    return make_group(title="Hackney Death Café", slug="hackney-death-cafe")


@pytest.fixture
def make_event(group, gazetteer):
    def make(parent=None, **kwargs):
        with deferred_indexing():
            return publish(factories.EventPageFactory(parent=parent or group, **kwargs))

    return make
