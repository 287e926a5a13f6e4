"""Fixtures for stories and the library: published index pages under the test home page.

Each page is made and published inside `deferred_indexing()`: saved several times over (made,
a revision, published), it is put in the search and reference indexes once, at the end."""

import pytest

from core.indexing import deferred_indexing
from tests.stories import factories


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def story_index(home):
    with deferred_indexing():
        return publish(factories.StoryIndexPageFactory(parent=home))


@pytest.fixture
def library(home):
    with deferred_indexing():
        return publish(factories.ResourceLibraryPageFactory(parent=home))


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


@pytest.fixture
def directory_page(home):
    from tests.directory.factories import DirectoryPageFactory

    with deferred_indexing():
        return publish(DirectoryPageFactory(parent=home))
