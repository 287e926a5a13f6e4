"""Site search: pages in the visitor's language, with matching services from the directory."""

from dataclasses import dataclass, field

from wagtail.models import Locale, Page

SERVICES_SHOWN = 3


@dataclass
class SiteSearchResults:
    pages: object  # a Wagtail search result set (sliceable, countable)
    services: list = field(default_factory=list)  # (service, url) pairs
    services_total: int = 0
    services_error: str = ""  # why services could not be searched near the place given
    directory_url: str = ""


def search_pages(text):
    """Live, public pages in the active language matching the text, on the configured backend."""
    return Page.objects.live().public().filter(locale=Locale.get_active()).specific().search(text)


def search_services(text, near="", limit=SERVICES_SHOWN):
    """Up to `limit` directory services for the same words (near a place, if one is given).

    Goes through the directory's own search form, so a place is geocoded and validated the
    same way as on the directory's search page.
    """
    from directory.forms import SearchForm
    from directory.models import Service
    from directory.models.pages import directory_page_for
    from directory.search import search

    page = directory_page_for()
    form = SearchForm({"q": text, "near": near})
    if not form.is_valid():
        errors = form.errors.get("near") or form.errors.get("q") or []
        return [], 0, " ".join(errors), page
    results = search(form.to_query(page_size=limit))
    services = Service.objects.in_bulk(results.ids)
    found = [
        (services[pk], page.service_url(services[pk]) if page else "")
        for pk in results.ids
        if pk in services
    ]
    return found, results.total, "", page


def search_site(text, near=""):
    services, total, error, directory_page = search_services(text, near)
    return SiteSearchResults(
        pages=search_pages(text),
        services=services,
        services_total=total,
        services_error=error,
        directory_url=directory_page.url if directory_page else "",
    )
