"""What the story index and the library list: filters, featured and related stories.

Lists are built from the original (source-language) pages, each shown in the visitor's
language where a translation exists and in its own language, marked, where it does not
(see core.navigation.localized_children, which does this for menus).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import get_language_info
from wagtail.models import Page

from core.localization import original
from core.navigation import MenuItem, localized_children, localized_items
from core.pages import public

from .models import ResourceFormat, ResourceFormatLink, ResourcePage, StoryPage

RELATED_STORIES = 3


@dataclass(frozen=True)
class StoryFilters:
    topic: str = ""
    role: str = ""

    @property
    def active(self):
        return bool(self.topic or self.role)


def stories(index, filters):
    """The index's live stories, newest first, featured first when nothing is filtered."""

    def narrow(queryset):
        queryset = queryset.type(StoryPage)
        ids = StoryPage.objects.all()
        if filters.topic:
            ids = ids.filter(tags__slug=filters.topic)
        if filters.role:
            ids = ids.filter(role=filters.role)
        if filters.active:
            queryset = queryset.filter(pk__in=ids.values("pk"))
        ordering = ["-first_published_at", "-pk"]
        if not filters.active:
            queryset = queryset.annotate(
                is_featured=Count("storypage", filter=Q(storypage__featured=True))
            )
            ordering.insert(0, "-is_featured")
        return queryset.order_by(*ordering)

    return localized_children(original(index), narrow)


def story_topics(index):
    """The topics used by the index's live stories, for the filter."""
    from taggit.models import Tag

    story_ids = StoryPage.objects.live().child_of(original(index)).values("pk")
    return (
        Tag.objects.filter(stories_storypagetag_items__content_object__in=story_ids)
        .distinct()
        .order_by("name")
    )


def related_stories(story, limit=RELATED_STORIES):
    """Stories sharing the most topics with this one, then by the same role, newest first."""
    source = original(story)
    others = (
        public(StoryPage.objects.live())
        .filter(locale_id=source.locale_id)
        .exclude(translation_key=source.translation_key)
    )
    # Read through the manager, not the database: a preview has tags only in memory.
    tag_ids = [tag.pk for tag in source.tags.all()]
    by_topic = list(
        others.filter(tags__in=tag_ids)
        .annotate(shared=Count("tags"))
        .order_by("-shared", "-first_published_at")[:limit]
    )
    chosen = by_topic
    if len(chosen) < limit:
        seen = [page.pk for page in chosen]
        chosen += list(
            others.filter(role=source.role)
            .exclude(pk__in=seen)
            .order_by("-first_published_at")[: limit - len(chosen)]
        )
    return localized_items(chosen)


@dataclass(frozen=True)
class ResourceFilters:
    topic: str = ""
    audience: str = ""
    format: str = ""
    language: str = ""


@dataclass(frozen=True)
class ResourceListing:
    item: MenuItem
    languages: tuple  # (code, local name, url or None) of every language it can be read in
    formats: tuple  # display names of the formats it comes in


def resources(library, filters):
    """The library's live resources matching the filters, each with its languages and formats."""

    def narrow(queryset):
        queryset = queryset.type(ResourcePage)
        ids = ResourcePage.objects.all()
        if filters.topic:
            ids = ids.filter(tags__slug=filters.topic)
        if filters.audience:
            ids = ids.filter(audience=filters.audience)
        if filters.format and filters.format != ResourceFormat.WEB:
            ids = ids.filter(formats__format=filters.format)
        if filters.language:
            # Translated: an alias (a page kept untranslated in that language) does not count.
            translated = Page.objects.live().filter(
                locale__language_code=filters.language, alias_of__isnull=True
            )
            ids = ids.filter(
                Q(translation_key__in=translated.values("translation_key"))
                | Q(formats__language=filters.language)
            )
        return queryset.filter(pk__in=ids.values("pk")).order_by("title")

    items = localized_children(original(library), narrow)
    keys = [item.page.translation_key for item in items]
    # Two queries for the whole list: every live translation, and every other format.
    translations = defaultdict(dict)
    for page in (
        Page.objects.live()
        .filter(translation_key__in=keys, alias_of__isnull=True)
        .select_related("locale")
    ):
        translations[page.translation_key][page.locale.language_code] = page
    links = defaultdict(set)
    for key, format_code, language in ResourceFormatLink.objects.filter(
        page__translation_key__in=keys
    ).values_list("page__translation_key", "format", "language"):
        links[key].add((format_code, language))
    return [
        _listing(item, translations[item.page.translation_key], links[item.page.translation_key])
        for item in items
    ]


def _listing(item, translations, links):
    codes = set(translations) | {language for _format, language in links}
    languages = tuple(
        (code, get_language_info(code)["name_local"], translations.get(code))
        for code in sorted(codes)
    )
    formats = tuple(
        dict(ResourceFormat.choices)[code]
        for code in [ResourceFormat.WEB] + sorted({format for format, _language in links})
    )
    return ResourceListing(item=item, languages=languages, formats=formats)


def resource_topics(library):
    """The topics used by the library's live resources, for the filter."""
    from taggit.models import Tag

    resource_ids = ResourcePage.objects.live().child_of(original(library)).values("pk")
    return (
        Tag.objects.filter(stories_resourcepagetag_items__content_object__in=resource_ids)
        .distinct()
        .order_by("name")
    )
