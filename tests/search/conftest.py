"""Site search is tested on stories, resources and directory services: their fixtures."""

from tests.stories.conftest import (  # noqa: F401 - fixtures
    directory_page,
    library,
    make_resource,
    make_story,
    story_index,
)
