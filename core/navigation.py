"""Which pages the menus list, in the visitor's language, falling back to the original."""

from dataclasses import dataclass

from django.utils.translation import get_language, get_language_info
from wagtail.models import Locale, Page

from .localization import source_language


@dataclass(frozen=True)
class MenuItem:
    page: Page | None
    # Set when the page is shown in its original language because no translation exists.
    lang: str | None = None
    bidi: bool = False
    # For a link to something other than a page (a form): its address.
    url: str | None = None


def localized_children(parent, queryset_filter=None):
    """The live, public children of `parent` in the active language, as MenuItems.

    `parent` is the original (source-language) page. Children translated into the active
    language are listed in that language; the others appear in their original language,
    marked with its code, so a menu or card list has the same shape in every language.
    """
    localized = parent.localized

    def children(page):
        queryset = page.get_children().live().public()
        if queryset_filter is not None:
            queryset = queryset_filter(queryset)
        return queryset.specific()

    originals = list(children(parent))
    if localized.pk == parent.pk:
        return [MenuItem(page) for page in originals]
    translated = {page.translation_key: page for page in children(localized)}
    items = []
    for page in originals:
        translation = translated.pop(page.translation_key, None)
        if translation is not None and translation.alias_of_id is None:
            items.append(MenuItem(translation))
        else:
            # Not translated: the alias in the visitor's language where there is one (the
            # link stays in that language), else the original; either way the title is the
            # original's, marked with its language.
            info = get_language_info(page.locale.language_code)
            items.append(MenuItem(translation or page, lang=info["code"], bidi=info["bidi"]))
    items.extend(_marked(page) for page in translated.values())
    return items


def _marked(page):
    """A MenuItem for a page, marked with its content's language where that is not the
    visitor's (an alias shows its original's content)."""
    code = source_language(page)
    if code == get_language():
        return MenuItem(page)
    info = get_language_info(code)
    return MenuItem(page, lang=info["code"], bidi=info["bidi"])


def menu_items(site_root):
    """The pages marked 'show in menus' under the site's home page."""
    return localized_children(site_root, lambda queryset: queryset.in_menu())


def localized_item(page):
    """One page as a MenuItem in the active language, or in its original language, marked,
    when it has no translation."""
    localized = page.localized
    if localized.locale.language_code == Locale.get_active().language_code:
        return _marked(localized)
    info = get_language_info(page.locale.language_code)
    return MenuItem(page, lang=info["code"], bidi=info["bidi"])


def footer_items(site_settings):
    """The pages the settings link from the foot of every page, live and public only, in
    one query (plus one per page for its translation)."""
    ids = [site_settings.accessibility_page_id, site_settings.privacy_page_id]
    pages = Page.objects.filter(pk__in=[pk for pk in ids if pk]).live().public().specific()
    by_id = {page.pk: page for page in pages}
    return [localized_item(by_id[pk]) for pk in ids if pk in by_id]
