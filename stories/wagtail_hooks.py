"""Admin hooks: every story index an editor creates is moderated from the start."""

from wagtail import hooks

from .models import StoryIndexPage
from .moderation import ensure_moderation


@hooks.register("after_create_page")
def moderate_new_story_index(request, page):
    if isinstance(page.specific, StoryIndexPage):
        ensure_moderation(page)
