"""geocode(): text people type -> a Place, or a GeocodeError they can act on.

Offline by default: the local gazetteer answers everything. With GEOCODER["PROVIDER"] set
(any geopy service name, e.g. "nominatim"), place names go to that service first, rate
limited and cached; postcodes and coordinates are always answered locally, and any failure
of the service falls back to the gazetteer. What people type can be their home address, so
it is never logged, and the cache is keyed by a hash of it.
"""

import copy
import difflib
import functools
import hashlib
import logging
import threading
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import get_geocoder_for_service

from core.models import PostcodeDistrict
from core.typed import plain

from .distance import bounding_box, distance_km
from .gazetteer import GazetteerGeocoder, classify, coordinates_in_range
from .names import authority_index, district_names
from .places import DEFAULT_MIN_POPULATION, match_key, place_index

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
DEFAULTS = {
    "PROVIDER": None,
    "PROVIDER_CLASS": None,
    "OPTIONS": {},
    "QUERY_OPTIONS": {"country_codes": "gb"},
    "MIN_DELAY_SECONDS": 1.0,
    "CACHE_SECONDS": 86400,
    "MIN_PLACE_POPULATION": DEFAULT_MIN_POPULATION,
}
# Answers from a provider outside this box (the UK, the Channel Islands and the Isle of Man)
# are someone else's town of the same name.
_UK_BOUNDS = (49.0, 61.0, -8.9, 2.0)
_PROVIDER_DEFAULT_RADIUS_KM = 5.0


@dataclass(frozen=True)
class Place:
    """A point found for some text, with a rough radius of how uncertain it is."""

    latitude: float
    longitude: float
    label: str
    kind: str  # "postcode" | "district" | "area" | "place" | "coordinates"
    radius_km: float = 0.0
    # True when a postcode was not found itself and its district's centre stands in for it.
    approximate: bool = False
    # The postcode district the place is in or stands for ("SE13"), when known.
    district: str = ""


class GeocodeError(Exception):
    """Text that could not be turned into one place; `message` says why in plain words."""

    def __init__(self, message="", suggestions=(), code="not_found"):
        super().__init__(str(message))
        self.message = message
        self.suggestions = list(suggestions)
        self.code = code

    def __str__(self):
        return str(self.message)


def config():
    """GEOCODER from settings over the defaults."""
    return {**DEFAULTS, **(getattr(settings, "GEOCODER", None) or {})}


def geocode(text):
    """Resolve a postcode, district, area, place name or "lat, lon" to one Place."""
    text = _clean(text)
    query = classify(text)
    if query.kind == "coordinates" and not coordinates_in_range(*query.value):
        raise GeocodeError(
            _(
                "Latitude must be between -90 and 90, and longitude between -180 and 180. "
                "Check the numbers, or enter a postcode or a town instead."
            ),
            code="invalid_coordinates",
        )
    settings_ = config()
    locations = _gazetteer(settings_["MIN_PLACE_POPULATION"]).lookup(query)
    if query.kind == "place" and len(locations) <= 1 and _provider(settings_):
        return _geocode_with_provider(text, locations, settings_)
    return _one_place(text, query, locations)


@functools.cache
def _gazetteer(min_population):
    # One per process: building a geopy Geocoder loads the system's TLS certificates (about
    # 90 ms), which the gazetteer never uses.
    return GazetteerGeocoder(min_population=min_population)


def _clean(text):
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = plain(text)
    if len(text) > MAX_QUERY_LENGTH:
        raise GeocodeError(
            _("That is too long for a place or postcode: use at most %(limit)s characters.")
            % {"limit": MAX_QUERY_LENGTH},
            code="too_long",
        )
    text = " ".join(text.split())
    if not text:
        raise GeocodeError(
            _("Enter a postcode, such as SW1A 1AA, or the name of a town."), code="empty"
        )
    has_control = any(unicodedata.category(ch).startswith("C") for ch in text)
    # Every postcode and place name has a letter in it; only coordinates do without.
    no_letters = not any(ch.isalpha() for ch in text) and classify(text).kind != "coordinates"
    if has_control or no_letters:
        raise GeocodeError(
            _(
                "We could not understand that. Enter a postcode such as SW1A 1AA, a town, "
                "or a latitude and longitude such as 51.5, -0.12."
            ),
            code="malformed",
        )
    return text


def _one_place(text, query, locations):
    if len(locations) == 1:
        return _place(locations[0].raw)
    if len(locations) > 1:
        raise GeocodeError(
            _(
                "There is more than one place called “%(name)s”. Choose one of these, "
                "or enter a postcode instead."
            )
            % {"name": query.value},
            suggestions=[location.raw["label"] for location in locations],
            code="ambiguous",
        )
    if query.kind == "postcode":
        raise GeocodeError(
            _(
                "We could not find the postcode %(postcode)s. Check it is right, "
                "or enter the name of your town instead."
            )
            % {"postcode": query.value},
            code="unknown_postcode",
        )
    if query.kind == "district":
        raise GeocodeError(
            _(
                "We could not find the postcode district %(district)s. Try a full postcode "
                "such as SW1A 1AA, or the name of your town."
            )
            % {"district": query.value},
            code="unknown_postcode",
        )
    raise GeocodeError(
        _("We could not find “%(text)s”. Try a full postcode such as SW1A 1AA, or a town name.")
        % {"text": text},
        suggestions=_suggestions(query),
        code="unknown_place",
    )


def _suggestions(query):
    """Places the text may have meant: every namesake if a qualifier ruled them all out,
    else names spelt nearly the same ("Manchster" -> "Manchester")."""
    if query.kind not in {"place", "area"}:
        return []
    index = place_index(config()["MIN_PLACE_POPULATION"])
    namesakes = index.candidates(str(query.value))
    if namesakes:
        return [index.label(place) for place in namesakes]
    names = _unique([*index.names(), *authority_index().names()])
    return difflib.get_close_matches(str(query.value), names, n=3, cutoff=0.8)


def _unique(names):
    return list(dict.fromkeys(names))


def _place(raw):
    return Place(
        latitude=float(raw["latitude"]),
        longitude=float(raw["longitude"]),
        label=raw["label"],
        kind=raw["kind"],
        radius_km=float(raw["radius_km"]),
        approximate=bool(raw.get("approximate", False)),
        district=raw.get("district", ""),
    )


# The online provider -------------------------------------------------------------------

_provider_lock = threading.Lock()
_provider_state = {"config": None, "provider": None}


@dataclass(frozen=True)
class _Provider:
    name: str
    geocode: object  # the provider's geocode, behind a RateLimiter


def _provider(settings_):
    """The configured provider, built once per configuration so its rate limit holds."""
    if not settings_["PROVIDER"] and not settings_["PROVIDER_CLASS"]:
        return None
    with _provider_lock:
        if _provider_state["config"] != settings_:
            if settings_["PROVIDER_CLASS"]:
                geocoder_class = import_string(settings_["PROVIDER_CLASS"])
            else:
                geocoder_class = get_geocoder_for_service(settings_["PROVIDER"])
            geocoder = geocoder_class(**settings_["OPTIONS"])
            # No retries and no swallowing: geopy's RateLimiter logs the query when it does
            # either, and the gazetteer is a better answer than a second wait.
            limited = RateLimiter(
                geocoder.geocode,
                min_delay_seconds=settings_["MIN_DELAY_SECONDS"],
                max_retries=0,
                swallow_exceptions=False,
            )
            name = settings_["PROVIDER"] or geocoder_class.__name__
            _provider_state["config"] = copy.deepcopy(settings_)
            _provider_state["provider"] = _Provider(name, limited)
        return _provider_state["provider"]


def _geocode_with_provider(text, local, settings_):
    provider = _provider(settings_)
    digest = hashlib.sha256(match_key(text).encode()).hexdigest()
    key = f"core.geo:{provider.name}:{digest}"
    answer = cache.get(key)
    if answer is None:
        try:
            location = provider.geocode(text, exactly_one=True, **settings_["QUERY_OPTIONS"])
        except (GeopyError, OSError) as error:
            # The error's text can hold the request URL, and so the query: name its type only.
            logger.warning(
                "Geocoding provider %s failed (%s); answered from the local gazetteer.",
                provider.name,
                type(error).__name__,
            )
            return _one_place(text, classify(text), local)
        answer = _provider_answer(location, text)
        cache.set(key, answer, settings_["CACHE_SECONDS"])
    if answer.get("miss"):
        return _one_place(text, classify(text), local)
    return _place(answer)


def _provider_answer(location, text):
    """What to cache for a provider's Location: a place inside the UK, or a miss."""
    if location is None:
        return {"miss": True}
    south, north, west, east = _UK_BOUNDS
    if not (south <= location.latitude <= north and west <= location.longitude <= east):
        return {"miss": True}
    return {
        "latitude": location.latitude,
        "longitude": location.longitude,
        "label": location.address or text,
        "kind": "place",
        "radius_km": _radius_from_raw(getattr(location, "raw", None) or {}),
    }


def _radius_from_raw(raw):
    """Half the diagonal of the bounding box Nominatim-style providers give, if any."""
    box = raw.get("boundingbox") if isinstance(raw, dict) else None
    try:
        south, north, west, east = (float(value) for value in box)
    except (TypeError, ValueError):
        return _PROVIDER_DEFAULT_RADIUS_KM
    return round(min(distance_km(south, west, north, east) / 2, 50.0), 1)


# Naming a point ------------------------------------------------------------------------

# A district or town further than this from a point does not name it.
_NEARBY_KM = 10.0


@dataclass(frozen=True)
class Nearby:
    """What a point is near, in words people use: an area or town and its postcode district."""

    name: str = ""
    district: str = ""

    @property
    def label(self):
        """ "Lewisham (SE13)", or whichever of the two is known."""
        if self.name and self.district:
            return f"{self.name} ({self.district})"
        return self.name or self.district


def describe_point(latitude, longitude):
    """The nearest postcode district and the area or town it is known by, or None when
    nothing known is within a few miles (the point is only ever shown, never stored)."""
    south, north, west, east = bounding_box(latitude, longitude, _NEARBY_KM)
    candidates = PostcodeDistrict.objects.filter(
        latitude__range=(south, north), longitude__range=(west, east)
    ).values_list("district", "latitude", "longitude")
    scored = [
        (distance_km(latitude, longitude, lat, lon), district) for district, lat, lon in candidates
    ]
    scored = [item for item in scored if item[0] <= _NEARBY_KM]
    district = min(scored)[1] if scored else ""
    name = district_names().get(district, "") if district else ""
    if not name:
        name = _nearest_town(latitude, longitude)
    if not (name or district):
        return None
    return Nearby(name=name, district=district)


def _nearest_town(latitude, longitude):
    index = place_index(config()["MIN_PLACE_POPULATION"])
    best = min(
        (
            (distance_km(latitude, longitude, place.latitude, place.longitude), place.name)
            for place in index.places
        ),
        default=None,
    )
    return best[1] if best and best[0] <= _NEARBY_KM else ""
