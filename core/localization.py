"""Every page at its address in every shipped language.

wagtail-localize keeps a language's page tree in step with the default language's
(`LocaleSynchronization`): a page not yet translated exists there as an alias of the
original, served under the visitor's language with the original's content, and translating
it later turns the alias into the translation. Wagtail republishes an alias whenever its
original is published, so the two never drift apart.

The admin creates the aliases of a page made in the editor (wagtail-localize's
`after_create_page` hook); pages made in code (the demo, a shared story) get theirs when they
are published (`add_aliases`, connected to `page_published` in core.apps), or just after, when
published with `publish`.
"""

from contextvars import ContextVar

from django.conf import settings
from django.db import transaction
from django.utils.translation import get_language_info
from wagtail.models import Locale, Page
from wagtail_localize.models import LocaleSynchronization
from wagtail_localize.synctree import synchronize_tree

from core import page_cache


def ensure_locales():
    """A Wagtail locale for every shipped language, by language code (the public pages
    purged once for all of them)."""
    with page_cache.purged_once():
        return {
            code: Locale.objects.get_or_create(language_code=code)[0]
            for code, _name in settings.LANGUAGES
        }


def synchronise_locales():
    """A locale for every shipped language, each kept in step with the default one.

    Returns the locales by language code. Pages missing from a language get their aliases
    now; later pages get them as they are created or published.
    """
    locales = ensure_locales()
    default = locales[settings.LANGUAGE_CODE]
    for locale in locales.values():
        if locale.pk == default.pk:
            continue
        sync, created = LocaleSynchronization.objects.get_or_create(
            locale=locale, defaults={"sync_from": default}
        )
        if not created:
            # Created ones have been synchronised by wagtail-localize's post_save receiver.
            synchronize_tree(sync.sync_from, locale)
    return locales


def add_aliases(page):
    """Aliases of `page` in every language kept in step with its own that lacks one."""
    if page.alias_of_id is not None or page.depth < 2:
        return []
    targets = Locale.objects.filter(
        pk__in=LocaleSynchronization.objects.filter(sync_from_id=page.locale_id).values("locale_id")
    ).exclude(pk__in=page.get_translations().values("locale_id"))
    created = []
    with transaction.atomic():
        for locale in targets:
            created.append(page.copy_for_translation(locale, copy_parents=True, alias=True))
    return created


# The pages published in this context whose aliases wait for the publishing to end (see
# `publish`); None when they are made at once.
_published = ContextVar("published_pages", default=None)


def on_page_published(sender, instance, revision=None, **kwargs):
    waiting = _published.get()
    if waiting is None:
        add_aliases(instance)
    else:
        waiting.append((instance, revision))


def publish(page):
    """Publish `page` as it stands (a new revision), then give it its missing aliases.

    The same end as publishing it any other way, for code that publishes many new pages (the
    demo): an alias made on `page_published` is written a second time straight away, when
    Wagtail goes on to bring the page's aliases up to date with it.
    """
    waiting = []
    token = _published.set(waiting)
    try:
        page.save_revision().publish()
    finally:
        _published.reset(token)
    for published, revision in waiting:
        created = add_aliases(published)
        if created and revision is not None:
            # As Wagtail's update would have left them: its aliases take their fields from
            # the revision's content, which names the page's live revision before this one.
            Page.objects.filter(pk__in=[alias.pk for alias in created]).update(
                live_revision_id=revision.content.get("live_revision")
            )


def is_translated(page, locale):
    """Whether `page` has a translation of its own (not an alias) in `locale`."""
    return (
        page.get_translations(inclusive=True).filter(locale=locale, alias_of__isnull=True).exists()
    )


def original(page):
    """The page in the site's default language, where it exists (itself otherwise).

    Lists are built from originals, and an event's places are counted on its original (a
    booking made on any language's page is recorded against it).
    """
    default = Locale.get_default()
    if page.locale_id == default.pk:
        return page
    # Kept on the page object: a page's listing, filters and topics each start from it.
    found = page.__dict__.get("_original_page")
    if found is None or found[0] != default.pk:
        found = (default.pk, page.get_translation_or_none(default) or page)
        page.__dict__["_original_page"] = found
    return found[1]


def source_language(page):
    """The language code of the content a page shows: its original's for an alias."""
    if page.alias_of_id is None:
        return page.locale.language_code
    return (
        Page.objects.filter(pk=page.alias_of_id)
        .values_list("locale__language_code", flat=True)
        .first()
        or page.locale.language_code
    )


def language_marks(code):
    """The `lang` code and whether the language is written right to left."""
    info = get_language_info(code)
    return info["code"], info["bidi"]
