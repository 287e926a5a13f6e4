"""A story shared through the website: held back if it looks like spam, otherwise saved as
a draft under the story index and sent to the moderators' workflow."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django_ratelimit.core import get_usage
from wagtail.rich_text import RichText

from core.throttle import client_key

from .models import StoryPage
from .moderation import workflow_for

CONSENT_WORDING_VERSION = "website form, consent wording v1"
SUMMARY_LENGTH = 280


SHARE_GROUP = "stories.share.accepted"


def _hourly_rate(group, request):
    return f"{settings.STORIES_SUBMISSIONS_PER_HOUR}/h"


def over_rate_limit(request):
    """True once the request's address has shared the hourly limit of stories.

    Only stories that were accepted are counted, so someone correcting a mistake in the form
    is never turned away. The count is kept in the shared rate-limit cache, so every web
    server process sees the same number.
    """
    usage = get_usage(request, group=SHARE_GROUP, key=client_key, rate=_hourly_rate)
    return usage is not None and usage["count"] >= usage["limit"]


def record_submission(request):
    """Count an accepted story against the request's address for the current hour."""
    get_usage(request, group=SHARE_GROUP, key=client_key, rate=_hourly_rate, increment=True)


def paragraphs(text):
    """Paragraph blocks built from plain text: blank lines split them, markup is escaped."""
    blocks = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        lines = [escape(line.strip()) for line in chunk.strip().split("\n") if line.strip()]
        if lines:
            blocks.append(("paragraph", RichText("<p>" + "<br/>".join(lines) + "</p>")))
    return blocks


def summarise(text):
    first = " ".join(text.split())
    if len(first) <= SUMMARY_LENGTH:
        return first
    return first[:SUMMARY_LENGTH].rsplit(" ", 1)[0] + "…"


def _unique_slug(index, title):
    base = slugify(title, allow_unicode=True)[:50] or "story"
    taken = set(index.get_children().values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def submit_story(index, data):
    """Save a shared story as a draft and start the moderation workflow for it.

    `data` is a valid ShareStoryForm's cleaned_data. Everything happens in one transaction:
    a story is never left without its workflow.
    """
    named = data["name_choice"] == "name"
    with transaction.atomic():
        workflow = workflow_for(index)
        story = StoryPage(
            title=data["title"].strip(),
            slug=_unique_slug(index, data["title"]),
            summary=summarise(data["story"]),
            body=paragraphs(data["story"]),
            role=data["role"],
            storyteller_name=data["name"].strip() if named else "",
            content_note=data.get("content_note", "").strip(),
            consent_to_publish=True,
            consent_recorded_at=timezone.now(),
            consent_how=CONSENT_WORDING_VERSION,
            anonymised=False,
            live=False,
        )
        story.submitted_through_website = True
        index.add_child(instance=story)
        story.save_revision()
        workflow.start(story, user=None)
    return story
