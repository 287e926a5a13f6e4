"""Where a record counts: its postcode district and the local authority that holds it.

Figures are kept for three kinds of area: a postcode district ("SE13"), a local authority
("Lewisham") and the whole site. A record is placed by its district when it names one, or
else by the nearest known district centre to its coarse coordinates. Districts are grouped
into authorities by `data/district_authorities.csv`; one not listed there counts under
"Other areas".
"""

import csv
import functools
import math
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from core.geo.names import authority_index
from core.geo.postcodes import normalise_district
from core.models import PostcodeDistrict

AUTHORITIES_FILE = Path(__file__).resolve().parent / "data" / "district_authorities.csv"
OTHER_AUTHORITY = "Other areas"
UNKNOWN_DISTRICT = ""

DISTRICT = "district"
AUTHORITY = "authority"
ALL = "all"
AREA_KINDS = [
    (ALL, _("Whole site")),
    (AUTHORITY, _("Local authority")),
    (DISTRICT, _("Postcode district")),
]
EVERYWHERE = ""


@functools.cache
def sample_authorities():
    """{district: local authority} for the demo's sample districts, from the shipped table."""
    with AUTHORITIES_FILE.open(encoding="utf-8", newline="") as file:
        lines = (line for line in file if not line.startswith("#"))
        return {row["district"]: row["authority"] for row in csv.DictReader(lines)}


def authorities():
    """{district: local authority name}: the shipped table, overridden for every district
    whose postcodes were loaded with their authority."""
    names = {authority.gss_code: authority.name for authority in authority_index().authorities}
    mapping = dict(sample_authorities())
    loaded = PostcodeDistrict.objects.exclude(authority_code="").values_list(
        "district", "authority_code"
    )
    for district, code in loaded:
        if code in names:
            mapping[district] = names[code]
    return mapping


class Locator:
    """Finds the district of a place; loads the district centres once per use."""

    def __init__(self):
        self._centres = None
        self._authorities = None
        self._cache = {}

    def _load(self):
        rows = PostcodeDistrict.objects.values_list("district", "latitude", "longitude")
        self._centres = [(code, lat, lon) for code, lat, lon in rows]
        self._known = {code for code, _lat, _lon in self._centres}

    def district(self, label="", latitude=None, longitude=None):
        """The postcode district for a label such as "SE13" or else for coordinates."""
        if self._centres is None:
            self._load()
        code = normalise_district(label or "")
        if code and (code in self._known or not self._centres):
            return code
        if latitude is None or longitude is None or not self._centres:
            return UNKNOWN_DISTRICT
        key = (round(latitude, 2), round(longitude, 2))
        if key not in self._cache:
            self._cache[key] = _nearest(self._centres, latitude, longitude)
        return self._cache[key]

    def areas(self, label="", latitude=None, longitude=None):
        """[(kind, code)] for every area a record at this place counts in."""
        return self.areas_of(self.district(label, latitude, longitude))

    def areas_of(self, district):
        """The areas a record in this district counts in: itself, its authority, the site."""
        result = [(ALL, EVERYWHERE)]
        if district:
            result += [(DISTRICT, district), (AUTHORITY, self.authority_of(district))]
        else:
            result.append((AUTHORITY, OTHER_AUTHORITY))
        return result

    def authority_of(self, district):
        if self._authorities is None:
            self._authorities = authorities()
        return self._authorities.get(district, OTHER_AUTHORITY)


def _nearest(centres, latitude, longitude):
    scale = math.cos(math.radians(latitude))
    best, best_distance = UNKNOWN_DISTRICT, float("inf")
    for code, lat, lon in centres:
        distance = (lat - latitude) ** 2 + ((lon - longitude) * scale) ** 2
        if distance < best_distance:
            best, best_distance = code, distance
    return best
