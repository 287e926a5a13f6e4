"""Place names that are not towns: UK local authorities, and the areas postcode districts are
known by ("Deptford" for SE8).

Local authorities come from the vendored local_authorities.csv (every authority in force,
with its official and other names; see local_authorities.md for its source and licence).
People write an authority's name many ways: "Lewisham", "London Borough of Lewisham",
"Lewisham Council", "Royal Borough of Greenwich", "Bristol, City of". Each is folded with
`match_key`, and the words that only say what kind of council it is are taken off.

Area names come from the `place` column of the sample districts file; a name stands for its
postcode district, so once real postcodes are loaded the district's measured centre is used.
"""

import csv
import functools
import math
import re
from dataclasses import dataclass
from pathlib import Path

from .places import _COUNTRY_WORDS, _NATION_WORDS, NATIONS, match_key
from .postcodes import normalise_district, normalise_postcode

DATA = Path(__file__).resolve().parent / "data"
AUTHORITIES_FILE = DATA / "local_authorities.csv"
DISTRICTS_FILE = DATA / "postcode_districts.csv"

# Words around an authority's name that say what kind of council it is, folded as match_key
# folds them. Longest first, so "metropolitan borough council" goes before "council".
_PREFIXES = (
    "royal borough of",
    "london borough of",
    "metropolitan borough of",
    "county borough of",
    "city and county of",
    "borough of",
    "district of",
    "city of",
    "county of",
    "county",
    "the",
)
_SUFFIXES = (
    "metropolitan borough council",
    "metropolitan district council",
    "county borough council",
    "london borough council",
    "borough council",
    "district council",
    "county council",
    "city council",
    "council",
    "london borough",
    "london boro",
    "city of",
    "county of",
    "borough",
    "district",
    "city",
    "county",
    "ua",
)
_PREFIX_RE = re.compile("^(?:" + "|".join(map(re.escape, _PREFIXES)) + ") ")
_SUFFIX_RE = re.compile(" (?:" + "|".join(map(re.escape, _SUFFIXES)) + ")$")
# Largest radius a search around an authority's centre starts from: a county's whole area
# would be far more than anyone means by "near".
_MAX_RADIUS_KM = 30.0
_MIN_RADIUS_KM = 1.0


def core_name(key):
    """A folded name without the words for the kind of council: "london borough of lewisham"
    -> "lewisham"; "bristol city of" -> "bristol". Never strips a name down to nothing."""
    previous = None
    while key != previous:
        previous = key
        stripped = _SUFFIX_RE.sub("", _PREFIX_RE.sub("", key)).strip()
        key = stripped or key
    return key


@dataclass(frozen=True)
class Authority:
    """A UK local authority: its everyday name, ONS code, nation and centre."""

    gss_code: str
    name: str
    official_name: str
    nation: str  # "England", "Wales", "Scotland", "Northern Ireland"
    kind: str
    area_km2: float
    latitude: float
    longitude: float

    @property
    def radius_km(self):
        """The radius of a circle of the authority's area, within sensible bounds."""
        radius = math.sqrt(max(self.area_km2, 0.0) / math.pi)
        return round(min(max(radius, _MIN_RADIUS_KM), _MAX_RADIUS_KM), 1)


_NATION_CODES = {"England": "ENG", "Scotland": "SCT", "Wales": "WLS", "Northern Ireland": "NIR"}


class AuthorityIndex:
    """Authorities by every folded form of their names."""

    def __init__(self, entries):
        """`entries`: (Authority, [every name it goes by]) pairs."""
        self.authorities = []
        self._exact = {}
        self._core = {}
        for authority, names in entries:
            self.authorities.append(authority)
            for key in filter(None, map(match_key, names)):
                _add(self._exact, key, authority)
                _add(self._core, core_name(key), authority)

    def names(self):
        return [authority.name for authority in self.authorities]

    def resolve(self, name, qualifiers=()):
        """Authorities called `name`, in any of its forms, that fit a nation qualifier."""
        key = match_key(name)
        if not key:
            return []
        core = core_name(key)
        found = self._exact.get(key) or self._exact.get(core)
        if not found and core != key:
            # "Borough of Kirklees Council" -> any authority whose name is "Kirklees" once
            # its own kind words are off; a bare name never reaches this ("London" is not
            # the City of London).
            found = self._core.get(core)
        found = found or []
        return _narrow_by_nation(list(found), qualifiers)


def _add(index, key, item):
    bucket = index.setdefault(key, [])
    if item not in bucket:
        bucket.append(item)


def _narrow_by_nation(items, qualifiers, nation_of=lambda item: item.nation):
    for qualifier in qualifiers:
        key = match_key(qualifier)
        if not key or key in _COUNTRY_WORDS:
            continue
        for nation, words in _NATION_WORDS.items():
            if key in words or key == match_key(str(NATIONS[nation])):
                items = [item for item in items if _NATION_CODES.get(nation_of(item)) == nation]
                break
    return items


def _rows(path):
    with path.open(encoding="utf-8", newline="") as file:
        yield from csv.DictReader(line for line in file if not line.startswith("#"))


@functools.cache
def authority_index():
    """Every UK local authority in the vendored file, read once per process."""
    entries = []
    for row in _rows(AUTHORITIES_FILE):
        authority = Authority(
            gss_code=row["gss_code"],
            name=row["name"],
            official_name=row["official_name"],
            nation=row["nation"],
            kind=row["kind"],
            area_km2=float(row["area_km2"] or 0),
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
        )
        others = [name for name in row["other_names"].split(";") if name.strip()]
        entries.append((authority, [authority.name, authority.official_name, *others]))
    return AuthorityIndex(entries)


@dataclass(frozen=True)
class Area:
    """An area people know by name and the postcode district that stands for it."""

    name: str
    district: str
    latitude: float  # the sample file's approximate centre, used only when the district
    longitude: float  # has not been loaded into the database


@functools.cache
def area_index():
    """{folded name: [Area, ...]} for the named postcode districts of the sample file."""
    index = {}
    for row in _rows(DISTRICTS_FILE):
        code, name = row["code"], (row.get("place") or "").strip()
        if not name or normalise_postcode(code) or not normalise_district(code):
            continue
        area = Area(name, normalise_district(code), float(row["latitude"]), float(row["longitude"]))
        _add(index, match_key(name), area)
    return index


def areas_named(name):
    """The named areas called `name` (usually one)."""
    return list(area_index().get(match_key(name), []))


def district_names():
    """{district code: area name} for every named district."""
    return {area.district: area.name for areas in area_index().values() for area in areas}
