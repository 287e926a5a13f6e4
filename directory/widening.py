"""Ways to widen a directory search that found nothing, each with what it would find.

Only the ways that find something are offered, so no link leads to another empty page.
"""

import dataclasses

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directory.search import search

# Parameters of the search form that narrow a search besides place, words and type of help.
OTHER_FILTERS = ("language", "age", "free", "accessibility", "anywhere")
OPENING_FILTERS = ("open_now", "open_24_7")


@dataclasses.dataclass(frozen=True)
class Widening:
    label: str
    query_string: str  # for the search page's URL
    total: int


def widen(params, query, *, radius_miles, radius_choices, km_per_mile, engine=None):
    """Wider searches than `query` (the SearchQuery for the form `params`) that find
    something: a larger distance, every type of help, closed services too, no other
    filters, and without the words."""
    options = []

    def offer(label, wider, set_params=None, drop=()):
        total = search(dataclasses.replace(wider, page=1, page_size=1), engine=engine).total
        if not total:
            return False
        changed = params.copy()
        for key in ("page", *drop):
            changed.pop(key, None)
        for key, value in (set_params or {}).items():
            changed[key] = value
        options.append(Widening(label, changed.urlencode(), total))
        return True

    if query.near:
        for miles in (m for m in radius_choices if m > radius_miles):
            label = ngettext(
                "Search within %(count)d mile", "Search within %(count)d miles", miles
            ) % {"count": miles}
            wider = dataclasses.replace(query, radius_km=miles * km_per_mile)
            if offer(label, wider, {"radius": str(miles)}):
                break
    if query.categories:
        offer(
            _("Search every type of help"),
            dataclasses.replace(query, categories=()),
            drop=("category",),
        )
    if query.open_now or query.open_24_7:
        offer(
            _("Include services that are closed now"),
            dataclasses.replace(query, open_now=False, open_24_7=False),
            drop=OPENING_FILTERS,
        )
    if (
        query.languages
        or query.age is not None
        or query.free
        or query.accessibility
        or query.reaches_anywhere
    ):
        offer(
            _("Search without the other filters"),
            dataclasses.replace(
                query,
                languages=(),
                age=None,
                free=False,
                accessibility=(),
                reaches_anywhere=False,
            ),
            drop=OTHER_FILTERS,
        )
    if query.text:
        offer(
            _("Search without the words “%(text)s”") % {"text": query.text},
            dataclasses.replace(query, text=""),
            drop=("q",),
        )
    return options
