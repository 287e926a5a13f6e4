"""Request handling for stories and the library: parse, call one function, render."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _

from core.paging import page_of, query_without_page
from core.submissions import ALREADY_RECEIVED, once
from core.throttle import limit_posts

from . import listing, submission
from .feeds import AtomStoryFeed, StoryFeed
from .forms import ResourceFilterForm, ShareStoryForm, StoryFilterForm
from .models import STORIES_PER_PAGE


def story_index(request, page):
    return page.render(request, context_overrides=story_index_context(request, page))


def story_index_context(request, index):
    """The stories for the filters in the query string, a page at a time."""
    form = StoryFilterForm(request.GET or None, topics=listing.story_topics(index))
    filters = listing.StoryFilters()
    number = 1
    if form.is_bound and form.is_valid():
        filters = listing.StoryFilters(
            topic=form.cleaned_data["topic"], role=form.cleaned_data["role"]
        )
        number = form.cleaned_data.get("page") or 1
    items = listing.stories(index, filters)
    page_of_stories = page_of(items, number, STORIES_PER_PAGE)
    return {
        "filter_form": form,
        "filters": filters,
        "stories": page_of_stories,
        "base_query": query_without_page(request),
        "share_url": index.share_url(request),
    }


@limit_posts("share_story")
def share_story(request, index):
    """The sharing form: on a valid submission, a draft story and its moderation workflow."""
    form = ShareStoryForm(request.POST or None)
    status = 200
    if request.method == "POST":
        thanks = index.get_url(request) + index.reverse_subpage("share_thanks")
        if form.is_spam:
            # Held back without saying so: the thank-you page teaches the sender nothing.
            return redirect(thanks)
        if submission.over_rate_limit(request):
            form.add_error(
                None,
                _(
                    "Several stories have been sent from your connection in the last hour. "
                    "Please try again later."
                ),
            )
            status = 429
        elif form.is_valid():

            def save():
                submission.submit_story(index, form.cleaned_data)
                return thanks

            _url, saved = once(form.submission_key(f"story:{index.pk}"), save)
            if saved:
                submission.record_submission(request)
            else:
                messages.info(request, ALREADY_RECEIVED)
            return redirect(thanks)
    response = index.render(
        request, context_overrides={"form": form}, template="stories/share_story.html"
    )
    response.status_code = status
    return response


def share_thanks(request, page):
    return page.render(request, template="stories/share_thanks.html")


def rss_feed(request, page):
    return StoryFeed(page)(request)


def atom_feed(request, page):
    return AtomStoryFeed(page)(request)


def story(request, page):
    related = listing.related_stories(page)
    return page.render(request, context_overrides={"related_stories": related})


def library(request, page):
    return page.render(request, context_overrides=library_context(request, page))


def library_context(request, library):
    """The resources for the filters in the query string."""
    form = ResourceFilterForm(request.GET or None, topics=listing.resource_topics(library))
    filters = listing.ResourceFilters()
    if form.is_bound and form.is_valid():
        filters = listing.ResourceFilters(**form.cleaned_data)
    return {
        "filter_form": form,
        "filtered": form.is_bound and form.is_valid() and any(form.cleaned_data.values()),
        "resources": listing.resources(library, filters),
    }


# The pages' URLs (core.pages.RoutedPageMixin).
STORY_INDEX_ROUTES = [
    path("", story_index, name="index_view"),
    path("share/", share_story, name="share"),
    path("share/thanks/", share_thanks, name="share_thanks"),
    path("feed/", rss_feed, name="rss_feed"),
    path("feed/atom/", atom_feed, name="atom_feed"),
]
STORY_ROUTES = [path("", story, name="story")]
LIBRARY_ROUTES = [path("", library, name="library")]
