"""RSS and Atom feeds of a story index's newest stories."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from core.pages import public

from .models import StoryPage

FEED_LENGTH = 20


class StoryFeed(Feed):
    """The newest published stories of one story index, in its language."""

    def __init__(self, index):
        super().__init__()
        self.index = index
        self.language = index.locale.language_code

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return self.index

    def title(self, index):
        return index.title

    def link(self, index):
        return index.get_url(self.request)

    def description(self, index):
        return index.introduction

    def items(self, index):
        return (
            public(StoryPage.objects.live())
            .child_of(index)
            .order_by("-first_published_at")[:FEED_LENGTH]
        )

    def item_title(self, story):
        return story.title

    def item_description(self, story):
        if story.content_note:
            return f"{story.content_note}\n\n{story.summary}"
        return story.summary

    def item_link(self, story):
        return story.get_url(self.request)

    def item_pubdate(self, story):
        return story.first_published_at

    def item_updateddate(self, story):
        return story.last_published_at

    def item_categories(self, story):
        return [tag.name for tag in story.tags.all()]


class AtomStoryFeed(StoryFeed):
    feed_type = Atom1Feed
    subtitle = StoryFeed.description
