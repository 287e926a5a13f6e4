"""A story shared through the website: held back if it looks like spam, otherwise saved as
a draft under the story index and sent to the moderators' workflow."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
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
# Stories shared at once under one title each take the next slug; this many is plenty.
MAX_ATTEMPTS = 50


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


def _free_slug(index, title):
    base = slugify(title, allow_unicode=True)[:50] or "story"
    taken = set(index.get_children().values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _add_story(index, title, make_story):
    """Add the story that `make_story(slug)` builds under the index, at a free slug and tree
    position.

    Two stories shared at the same moment can both be given the same slug and tree position;
    the one saved second fails (Wagtail's check of sibling slugs, or the unique tree path)
    and is tried again, in a savepoint, with the next free one.
    """
    for attempt in range(1, MAX_ATTEMPTS + 1):
        index.refresh_from_db()
        story = make_story(_free_slug(index, title))
        try:
            with transaction.atomic():
                index.add_child(instance=story)
        except (IntegrityError, ValidationError):
            if attempt == MAX_ATTEMPTS:
                raise
            continue
        return story


def submit_story(index, data):
    """Save a shared story as a draft and start the moderation workflow for it.

    `data` is a valid ShareStoryForm's cleaned_data. Everything happens in one transaction:
    a story is never left without its workflow.
    """
    named = data["name_choice"] == "name"

    def make_story(slug):
        story = StoryPage(
            title=data["title"].strip(),
            slug=slug,
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
        return story

    with transaction.atomic():
        workflow = workflow_for(index)
        story = _add_story(index, data["title"], make_story)
        story.save_revision()
        workflow.start(story, user=None)
    return story
