"""Template tags for the site shell: the language switcher, navigation and crisis bar."""

from django import template
from django.conf import settings
from django.forms import BaseForm
from django.urls import translate_url
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from core import languages
from core.dates import uk_date
from core.localization import source_language as content_source_language
from core.models import SiteSettings
from core.navigation import footer_items, menu_items
from core.page_cache import site_cached
from core.phones import tel_uri

register = template.Library()


def _site_root(request):
    site = Site.find_for_request(request) if request else None
    return site.root_page if site else None


@register.simple_tag(takes_context=True)
def home_page(context):
    """The home page in the visitor's language, falling back to the site's default."""
    root = _site_root(context.get("request"))
    if root is None:
        return None
    return site_cached("home", root.pk, compute=lambda: root.localized)


@register.simple_tag(takes_context=True)
def menu_pages(context):
    """The home page's 'show in menus' children in the visitor's language (see navigation)."""
    root = _site_root(context.get("request"))
    if root is None:
        return []
    return site_cached("menu", root.pk, compute=lambda: menu_items(root))


@register.simple_tag(takes_context=True)
def footer_pages(context):
    """The accessibility statement and privacy notice, in the visitor's language."""
    request = context.get("request")
    if request is None:
        return []
    site = Site.find_for_request(request)
    return site_cached(
        "footer",
        site.pk if site else None,
        compute=lambda: footer_items(SiteSettings.for_request(request)),
    )


def _sub_path(request, page):
    """What follows the page's own address in the request's: a routable page's sub-page
    (a service, a booking form), kept when switching language."""
    if request is None:
        return ""
    own = page.get_url(request)
    if own and request.path.startswith(own):
        return request.path[len(own) :]
    return ""


def _with_query(url, request):
    query = request.META.get("QUERY_STRING", "") if request is not None else ""
    return f"{url}?{query}" if query else url


def _translation_urls(request, page):
    """{language code: address} of the page's live translations and aliases, itself
    included, kept with the site shell."""

    def compute():
        translations = page.get_translations(inclusive=True).live().select_related("locale")
        return {t.locale.language_code: t.get_url(request) for t in translations}

    return site_cached("translations", _site_pk(request), page.pk, compute=compute)


def _site_pk(request):
    site = Site.find_for_request(request) if request is not None else None
    return site.pk if site else None


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per shipped language to the same place in that language.

    A page links to its translation (or its alias, for a page not translated yet) with the
    same sub-page and query; a view that is not a page (search, asking for help, signing up)
    to the same view under the other language's prefix, with its query. Only a page that
    does not exist in a language at all falls back to that language's home page, and each
    entry says so, for the switcher to tell the visitor.
    """
    request = context.get("request")
    page = context.get("page")
    current = get_language()
    is_page = isinstance(page, Page)
    translations = {}
    suffix = ""
    if is_page:
        translations = _translation_urls(request, page)
        suffix = _sub_path(request, page)
    root = _site_root(request)
    homes = _translation_urls(request, root) if root is not None else {}

    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        translated = translations.get(code)
        if translated is not None:
            url = _with_query(translated + suffix, request)
        elif not is_page and request is not None:
            url = translate_url(request.get_full_path(), code)
        elif code in homes:
            url = homes[code]
        elif root is not None:
            # No home page in that language yet: the site root under its prefix, which shows
            # the original home page, marked as such, with the chrome in that language.
            url = translate_url(root.get_url(request), code)
        else:
            url = translate_url(request.path if request else "/", code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "bidi": info["bidi"],
                "url": url,
                "current": code == current,
                "page_translated": translated is not None or not is_page,
            }
        )
    return links


@register.simple_tag(takes_context=True)
def locale_alternates(context):
    """hreflang alternates for the page's live translations (not its untranslated aliases,
    which hold the original's words)."""
    request = context.get("request")
    page = context.get("page")
    if not isinstance(page, Page):
        return []

    def compute():
        translations = page.get_translations(inclusive=True).live().filter(alias_of__isnull=True)
        return [
            {"code": p.locale.language_code, "url": p.get_full_url(request)}
            for p in translations.select_related("locale")
        ]

    return site_cached("alternates", _site_pk(request), page.pk, compute=compute)


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The original's address for an untranslated alias, which repeats its words; none for a
    page in its own right."""
    page = context.get("page")
    if not isinstance(page, Page) or page.alias_of_id is None:
        return ""
    request = context.get("request")

    def compute():
        original = Page.objects.filter(pk=page.alias_of_id).first()
        return original.get_full_url(request) if original is not None else ""

    return site_cached("canonical", _site_pk(request), page.alias_of_id, compute=compute)


def _number_link(number):
    return phone_link(number, "help-now__number")


@register.simple_tag
def phone_link(number, class_name=""):
    """A phone number as a link that dials it (`core.phones.tel_uri`), read left to right in
    any page; the number as text when it holds nothing to dial ("ask at reception")."""
    classes = format_html(' class="{}"', class_name) if class_name else ""
    uri = tel_uri(number)
    if uri is None:
        return format_html('<span{} dir="ltr">{}</span>', classes, number)
    return format_html('<a href="{}"{} dir="ltr">{}</a>', uri, classes, number)


@register.filter
def ltr(value):
    """Text that reads left to right on any page: a phone number, a postcode, an email.

    In a right-to-left paragraph the groups of "020 7946 0408" would otherwise be laid out
    from the right ("0408 7946 020"); `dir="ltr"` on a `bdi` isolates and orders them.
    """
    if value in (None, ""):
        return ""
    return format_html('<bdi dir="ltr">{}</bdi>', value)


@register.simple_tag
def source_language(code=None):
    """` lang="en" dir="ltr"` for text in another language than the visitor's, else nothing.

    For records kept in one language (the directory's services, in the site's default
    language unless `code` says otherwise) shown on a page in another: screen readers then
    read them in the right voice, and their punctuation stays where it was written.
    """
    code = code or settings.LANGUAGE_CODE
    if code == get_language():
        return ""
    direction = "rtl" if get_language_info(code)["bidi"] else "ltr"
    return format_html(' lang="{}" dir="{}"', code, direction)


def interpolate(translated, **values):
    """Fill a translated %-style message with values, escaping both the message and values."""
    escaped = {key: conditional_escape(value) for key, value in values.items()}
    return mark_safe(conditional_escape(translated) % escaped)  # noqa: S308 - all parts escaped


@register.simple_tag
def helpline(line):
    """One helpline as a sentence fragment: 'Samaritans 116 123, free, 24 hours'."""
    values = {"name": line["name"], "number": _number_link(line["number"])}
    if line.get("open_24_hours"):
        if line.get("free"):
            return interpolate(_("%(name)s %(number)s, free, 24 hours"), **values)
        return interpolate(_("%(name)s %(number)s, 24 hours"), **values)
    values["hours"] = line.get("hours") or ""
    if line.get("free"):
        return interpolate(_("%(name)s %(number)s, free, %(hours)s"), **values)
    return interpolate(_("%(name)s %(number)s, %(hours)s"), **values)


@register.simple_tag
def emergency_call(number):
    """'Call 999 in an emergency' with the number as a telephone link."""
    return interpolate(_("Call %(number)s in an emergency"), number=_number_link(number))


@register.simple_tag(takes_context=True)
def content_language(context):
    """The page's own language when it differs from the visitor's (an untranslated page,
    served as itself or as an alias of the original in the visitor's language).

    Returns None when they match; otherwise the language's code, local name and direction, so
    the template can mark the content with `lang` and `dir` and say it is not translated.
    """
    page = context.get("page")
    if not isinstance(page, Page):
        return None
    if page.alias_of_id is None:
        code = content_source_language(page)
    else:  # the original's language, kept with the site's facts
        code = site_cached(
            "source-language", page.alias_of_id, compute=lambda: content_source_language(page)
        )
    if code == get_language():
        return None
    info = get_language_info(code)
    return {"code": code, "name": info["name_translated"], "bidi": info["bidi"]}


@register.simple_tag(takes_context=True)
def form_has_errors(context):
    """Whether a form on the page was sent back with errors (the title then starts "Error:").

    Only real forms are looked at: the type is checked without `isinstance`, which would
    evaluate lazy context values (the CSRF token, the user), so a page without a form would
    make a CSRF token and read the session, and could no longer be cached.
    """
    for value in context.flatten().values():
        if issubclass(type(value), BaseForm) and value.is_bound and value.errors:
            return True
    return False


@register.filter
def language_name(code, default=""):
    """`{{ language.code|language_name:language.name }}`: the language's name in the reader's
    language; the given name (a feed's) only for a language no catalogue names."""
    return languages.language_name(code, default)


@register.filter(name="uk_date", expects_localtime=True)
def uk_date_filter(value, parts=""):
    """A date for running text in the reader's language (core.dates.uk_date): `uk_date`,
    `uk_date:"weekday"`, `uk_date:"weekday time"`, `uk_date:"weekday time noyear"`."""
    parts = set(parts.split())
    return uk_date(
        value, weekday="weekday" in parts, time="time" in parts, year="noyear" not in parts
    )
