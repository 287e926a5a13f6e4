"""The directory's services for a few words, for other parts of the site (site search).

Goes through the directory's own search form, so a place is geocoded and validated the same
way as on the directory's search page.
"""

from dataclasses import dataclass, field

from directory.forms import SearchForm
from directory.models import Service
from directory.models.pages import directory_page_for

from . import search


@dataclass
class ServiceMatches:
    services: list = field(default_factory=list)  # (service, url) pairs
    total: int = 0
    error: str = ""  # why services could not be searched near the place given
    directory_url: str = ""  # the directory's search page, "" when there is none


def find_services(text, near="", limit=3):
    """Up to `limit` directory services for the words (near a place, if one is given)."""
    page = directory_page_for()
    directory_url = page.url if page else ""
    form = SearchForm({"q": text, "near": near})
    if not form.is_valid():
        errors = form.errors.get("near") or form.errors.get("q") or []
        return ServiceMatches(error=" ".join(errors), directory_url=directory_url)
    results = search(form.to_query(page_size=limit))
    services = Service.objects.in_bulk(results.ids)
    found = [
        (services[pk], page.service_url(services[pk]) if page else "")
        for pk in results.ids
        if pk in services
    ]
    return ServiceMatches(services=found, total=results.total, directory_url=directory_url)
