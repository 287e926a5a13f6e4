"""Fixtures for stories and the library: published index pages under the test home page.

Each page is made and published inside `deferred_indexing()`: saved several times over (made,
a revision, published), it is put in the search and reference indexes once, at the end."""

import pytest

from core.indexing import deferred_indexing
from directory.models import DirectoryPage
from stories.models import ResourceLibraryPage, StoryIndexPage
from tests import states
from tests.pages import publish
from tests.stories import factories


@states.fixture(needs=("home",), load=states.page(StoryIndexPage))
def story_index(home):
    """The stories index under the home page."""
    with deferred_indexing():
        return publish(factories.StoryIndexPageFactory(parent=home)).pk


@states.fixture(needs=("home",), load=states.page(ResourceLibraryPage))
def library(home):
    """The resource library under the home page."""
    with deferred_indexing():
        return publish(factories.ResourceLibraryPageFactory(parent=home)).pk


@pytest.fixture
def make_story(story_index):
    def make(tags=(), **kwargs):
        with deferred_indexing():
            story = factories.StoryPageFactory(parent=story_index, **kwargs)
            for tag in tags:
                story.tags.add(tag)
            return publish(story)

    return make


@pytest.fixture
def make_resource(library):
    def make(tags=(), formats=(), **kwargs):
        with deferred_indexing():
            resource = factories.ResourcePageFactory(parent=library, **kwargs)
            for tag in tags:
                resource.tags.add(tag)
            for spec in formats:
                factories.ResourceFormatLinkFactory(page=resource, **spec)
            return publish(resource)

    return make


@states.fixture(needs=("home",), load=states.page(DirectoryPage))
def directory_page(home):
    """The directory's "find help" page under the home page."""
    from tests.directory.factories import DirectoryPageFactory

    with deferred_indexing():
        return publish(DirectoryPageFactory(parent=home)).pk
