"""Directory demand, counted into daily aggregates at the moment of searching.

The directory sends `directory.signals.search_made` after a search page is answered; this
adds one to today's count for the district searched near (the postcode district the place
was found in, or else the nearest district centre; never the place itself) and for each
category chosen, and to "nothing near" when no service with a location was found within the
distance. Nothing else about the search or the visitor is kept: not the words, the place, the
time of day, an address or a session.
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.geo.postcodes import normalise_district
from directory.signals import search_made

from .areas import Locator
from .models import SearchCount


def record_search(latitude, longitude, categories=(), nothing_near=False, day=None, district=""):
    """Count one search near a point, in `district` when the gazetteer named the place's
    postcode district; otherwise the point is used only to find the nearest district."""
    if latitude is None or longitude is None:
        return
    day = day or timezone.localdate()
    district = normalise_district(district) or Locator().district("", latitude, longitude)
    for category in ("", *sorted(set(categories))):
        _bump(day, district, category[:100], int(bool(nothing_near)))


def _bump(day, district, category, nothing):
    key = {"day": day, "district": district, "category": category}
    changes = {"searches": F("searches") + 1, "nothing_near": F("nothing_near") + nothing}
    if SearchCount.objects.filter(**key).update(**changes):
        return
    try:
        with transaction.atomic():
            SearchCount.objects.create(**key, searches=1, nothing_near=nothing)
    except IntegrityError:  # another search made the row a moment ago
        SearchCount.objects.filter(**key).update(**changes)


def _search_made(sender, query, results, **kwargs):
    """Count a first page of results near a place; True when counted (the directory then
    keeps the page out of the page cache, so the next identical search is counted too)."""
    if query.page != 1 or query.latitude is None:
        return False  # a further page of the same search, or a search without a place
    nothing = not any(not hit.remote for hit in results.hits)
    record_search(
        query.latitude, query.longitude, query.categories, nothing, district=query.district
    )
    return True


def connect():
    search_made.connect(_search_made, dispatch_uid="insight-search-made")
