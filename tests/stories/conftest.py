"""Fixtures for stories and the library: published index pages under the test home page."""

import pytest

from tests.stories import factories


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def story_index(home):
    return publish(factories.StoryIndexPageFactory(parent=home))


@pytest.fixture
def library(home):
    return publish(factories.ResourceLibraryPageFactory(parent=home))


@pytest.fixture
def make_story(story_index):
    def make(tags=(), **kwargs):
        story = factories.StoryPageFactory(parent=story_index, **kwargs)
        for tag in tags:
            story.tags.add(tag)
        return publish(story)

    return make


@pytest.fixture
def make_resource(library):
    def make(tags=(), formats=(), **kwargs):
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

    return publish(DirectoryPageFactory(parent=home))
