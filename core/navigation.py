"""Which pages the menus list, in the visitor's language, falling back to the original."""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import get_language, get_language_info
from wagtail.models import Locale, Page

from .localization import source_language
from .pages import public


@dataclass(frozen=True)
class MenuItem:
    page: Page | None
    # Set when the page is shown in its original language because no translation exists.
    lang: str | None = None
    bidi: bool = False
    # For a link to something other than a page (a form): its address.
    url: str | None = None


def localized_children(parent, queryset_filter=None, specific=True):
    """The live, public children of `parent` in the active language, as MenuItems.

    `parent` is the original (source-language) page. Children translated into the active
    language are listed in that language; the others appear in their original language,
    marked with its code, so a menu or card list has the same shape in every language.
    With `specific` false the items hold plain `Page`s (title and address, as a menu
    needs), read without a query per page type.
    """
    localized = parent.localized

    def children(page):
        queryset = public(page.get_children().live())
        if queryset_filter is not None:
            queryset = queryset_filter(queryset)
        return queryset.specific() if specific else queryset

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
            items.append(_item_in(translation or page, page.locale.language_code, marked=True))
    items.extend(_marked(page) for page in translated.values())
    return items


def _marked(page):
    """A MenuItem for a page, marked with its content's language where that is not the
    visitor's (an alias shows its original's content)."""
    return _item_in(page, source_language(page))


def menu_items(site_root):
    """The pages marked 'show in menus' under the site's home page: their titles and
    addresses, so plain pages."""
    return localized_children(site_root, lambda queryset: queryset.in_menu(), specific=False)


def localized_item(page):
    """One page as a MenuItem in the active language, or in its original language, marked,
    when it has no translation."""
    return localized_items([page])[0]


def localized_items(pages, specific=False):
    """`localized_item` for each of `pages`, in order, in a fixed number of queries however
    many pages there are: their live translations into the active language (as the same
    class as the page given), the languages of aliases' originals, and the site's locales,
    each read once and only when needed. With `specific`, the pages shown are their
    specific pages, read together."""
    pages = list(pages)
    active = Locale.get_active()
    elsewhere = defaultdict(set)
    for page in pages:
        if page.locale_id != active.pk:
            elsewhere[type(page)].add(page.translation_key)
    translations = {}
    for model, keys in elsewhere.items():
        found = model.objects.filter(translation_key__in=keys, locale=active).live()
        translations.update((page.translation_key, page) for page in found)
    shown = [
        page if page.locale_id == active.pk else translations.get(page.translation_key, page)
        for page in pages
    ]
    if specific:
        plain = [page.pk for page in shown if type(page) is Page]
        by_id = {page.pk: page for page in Page.objects.filter(pk__in=plain).specific()}
        shown = [by_id.get(page.pk, page) for page in shown]
        pages = [by_id.get(page.pk, page) for page in pages]
    alias_ids = {page.alias_of_id for page in shown if page.alias_of_id is not None}
    original_codes = dict(
        Page.objects.filter(pk__in=alias_ids).values_list("pk", "locale__language_code")
        if alias_ids
        else ()
    )
    codes = _LocaleCodes(active)
    items = []
    for page, localized in zip(pages, shown, strict=True):
        if localized.locale_id == active.pk:
            code = (
                original_codes.get(localized.alias_of_id, active.language_code)
                if localized.alias_of_id is not None
                else active.language_code
            )
            items.append(_item_in(localized, code))
        else:
            items.append(_item_in(page, codes[page.locale_id], marked=True))
    return items


class _LocaleCodes(dict):
    """Language codes by locale id, read from the database on first use."""

    def __init__(self, active):
        super().__init__({active.pk: active.language_code})
        self._complete = False

    def __missing__(self, locale_id):
        if not self._complete:
            self.update(Locale.objects.values_list("pk", "language_code"))
            self._complete = True
        return self[locale_id]


def _item_in(page, code, marked=False):
    """A MenuItem for a page whose content is in `code`: marked with that language where
    it is not the visitor's, or always for a page shown untranslated."""
    if not marked and code == get_language():
        return MenuItem(page)
    info = get_language_info(code)
    return MenuItem(page, lang=info["code"], bidi=info["bidi"])


def footer_items(site_settings):
    """The pages the settings link from the foot of every page, live and public only, in
    the reader's language where translated."""
    ids = [site_settings.accessibility_page_id, site_settings.privacy_page_id]
    pages = public(Page.objects.filter(pk__in=[pk for pk in ids if pk]).live()).specific()
    by_id = {page.pk: page for page in pages}
    return localized_items(by_id[pk] for pk in ids if pk in by_id)
