"""Site search: pages in the visitor's language, with matching services from the directory."""

from dataclasses import dataclass, field

from wagtail.models import Locale, Page

from core.page_search import folded_query
from core.pages import public
from directory.search.services import find_services

SERVICES_SHOWN = 3


@dataclass
class SiteSearchResults:
    pages: object  # a Wagtail search result set (sliceable, countable)
    services: list = field(default_factory=list)  # (service, url) pairs
    services_total: int = 0
    services_error: str = ""  # why services could not be searched near the place given
    directory_url: str = ""


def search_pages(text):
    """Live, public pages in the active language matching the text, on the configured backend,
    each word as typed or folded (`core.page_search`)."""
    pages = public(Page.objects.live()).filter(locale=Locale.get_active())
    return pages.specific().search(folded_query(text))


def search_site(text, near=""):
    matches = find_services(text, near, limit=SERVICES_SHOWN)
    return SiteSearchResults(
        pages=search_pages(text),
        services=matches.services,
        services_total=matches.total,
        services_error=matches.error,
        directory_url=matches.directory_url,
    )
