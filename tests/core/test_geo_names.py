"""Local authority and area names as places: every UK authority, every London borough, the
areas people name (Deptford), in any case and with or without "London Borough of"."""

import csv

import pytest

from core.geo import GeocodeError, describe_point, distance_km, geocode
from core.geo.names import AUTHORITIES_FILE, authority_index, core_name
from core.geo.sample import load_sample_districts

# The 32 London boroughs and the City, with a point inside each (from general knowledge of
# where each borough's town hall stands), to check the vendored centres are the right ones.
LONDON = {
    "Barking and Dagenham": (51.54, 0.13),
    "Barnet": (51.62, -0.21),
    "Bexley": (51.45, 0.15),
    "Brent": (51.56, -0.27),
    "Bromley": (51.37, 0.05),
    "Camden": (51.54, -0.15),
    "City of London": (51.515, -0.09),
    "Croydon": (51.37, -0.09),
    "Ealing": (51.51, -0.31),
    "Enfield": (51.65, -0.08),
    "Greenwich": (51.47, 0.05),
    "Hackney": (51.55, -0.06),
    "Hammersmith and Fulham": (51.49, -0.22),
    "Haringey": (51.59, -0.11),
    "Harrow": (51.59, -0.34),
    "Havering": (51.56, 0.21),
    "Hillingdon": (51.53, -0.45),
    "Hounslow": (51.47, -0.37),
    "Islington": (51.55, -0.11),
    "Kensington and Chelsea": (51.50, -0.19),
    "Kingston upon Thames": (51.39, -0.29),
    "Lambeth": (51.46, -0.12),
    "Lewisham": (51.45, -0.02),
    "Merton": (51.41, -0.19),
    "Newham": (51.53, 0.03),
    "Redbridge": (51.58, 0.07),
    "Richmond upon Thames": (51.45, -0.30),
    "Southwark": (51.47, -0.07),
    "Sutton": (51.36, -0.19),
    "Tower Hamlets": (51.515, -0.04),
    "Waltham Forest": (51.59, -0.01),
    "Wandsworth": (51.45, -0.19),
    "Westminster": (51.51, -0.15),
}


@pytest.fixture
def sample(db):
    load_sample_districts()


def near(place, point, km):
    return distance_km(place.latitude, place.longitude, *point) <= km


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "point"), LONDON.items())
def test_every_london_borough_is_a_place(name, point):
    place = geocode(name)
    assert near(place, point, 6), (name, place)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "point"),
    [
        ("lewisham", LONDON["Lewisham"]),
        ("LEWISHAM", LONDON["Lewisham"]),
        ("London Borough of Lewisham", LONDON["Lewisham"]),
        ("london borough of lewisham", LONDON["Lewisham"]),
        ("Lewisham Council", LONDON["Lewisham"]),
        ("Lewisham, London", LONDON["Lewisham"]),
        ("tower hamlets", LONDON["Tower Hamlets"]),
        ("London Borough of Tower Hamlets", LONDON["Tower Hamlets"]),
        ("Royal Borough of Greenwich", LONDON["Greenwich"]),
        ("Royal Borough of Kingston upon Thames", LONDON["Kingston upon Thames"]),
        ("Hammersmith & Fulham", LONDON["Hammersmith and Fulham"]),
        ("City of Westminster", LONDON["Westminster"]),
        ("Westminster City Council", LONDON["Westminster"]),
        ("Hackney", LONDON["Hackney"]),
        ("Bromley", LONDON["Bromley"]),
        ("Southwark", LONDON["Southwark"]),
        ("Rhondda Cynon Taf", (51.65, -3.43)),
        ("Bro Morgannwg", (51.44, -3.40)),  # the Vale of Glamorgan's Welsh name
        ("Metropolitan Borough of Wirral", (53.37, -3.07)),
        ("wirral council", (53.37, -3.07)),
        ("Argyll & Bute", (56.3, -5.4)),
        ("Derry City and Strabane", (54.85, -7.3)),
    ],
)
def test_authorities_are_found_in_any_case_and_with_or_without_their_title(text, point):
    place = geocode(text)
    assert near(place, point, 30), (text, place)


def _authorities():
    with AUTHORITIES_FILE.open(encoding="utf-8") as file:
        return list(csv.DictReader(line for line in file if not line.startswith("#")))


def test_the_vendored_file_holds_every_kind_of_authority():
    rows = _authorities()
    kinds = {row["kind"] for row in rows}
    assert {
        "London borough",
        "Metropolitan district",
        "Non-metropolitan district",
        "Unitary authority",
        "Scottish unitary authority",
        "Welsh unitary authority",
        "NI district",
        "County",
    } <= kinds
    assert sum(row["kind"] == "London borough" for row in rows) == 32
    assert sum(row["kind"] == "Scottish unitary authority" for row in rows) == 32
    assert sum(row["kind"] == "Welsh unitary authority" for row in rows) == 22
    assert sum(row["kind"] == "NI district" for row in rows) == 11
    for row in rows:
        assert 49.8 < float(row["latitude"]) < 61 and -8.7 < float(row["longitude"]) < 2


@pytest.mark.django_db
def test_every_authority_in_the_file_is_found_by_its_name_and_its_official_name():
    """A town of the same name may answer instead (its centre is better), as may one of
    several namesakes; the answer is never "not found" and never far away."""
    for row in _authorities():
        centre = (float(row["latitude"]), float(row["longitude"]))
        reach = max(40.0, (float(row["area_km2"] or 0) / 3.1416) ** 0.5 * 1.5)
        for text in (row["name"], row["official_name"], row["official_name"].upper()):
            try:
                place = geocode(text)
            except GeocodeError as error:
                assert error.code == "ambiguous", (text, error.message)
                continue
            assert near(place, centre, reach), (text, place, centre)


def test_core_name_takes_off_only_the_kind_of_council():
    assert core_name("london borough of lewisham") == "lewisham"
    assert core_name("bristol city of") == "bristol"
    assert core_name("city of london") == "london"
    assert core_name("county durham") == "durham"
    assert core_name("city") == "city"  # never stripped to nothing


def test_the_city_of_london_is_not_london():
    [city] = authority_index().resolve("City of London")
    assert city.name == "City of London"
    # "London" is the capital (a town in the gazetteer), not the square mile.
    assert "City of London" not in [a.name for a in authority_index().resolve("London")]


@pytest.mark.parametrize("text", ["Deptford", "deptford", "DEPTFORD"])
def test_areas_people_name_are_places_standing_for_their_district(sample, text):
    place = geocode(text)
    assert place.label == "Deptford"
    assert place.district == "SE8"
    assert near(place, (51.479, -0.026), 2)


def test_a_named_area_works_before_any_district_is_loaded(db):
    place = geocode("Deptford")
    assert place.district == "SE8"
    assert near(place, (51.479, -0.026), 2)


def test_postcodes_and_districts_say_their_district(sample):
    assert geocode("SE13").district == "SE13"
    assert geocode("SW1A 1AA").district == "SW1A"


def test_a_misspelt_authority_gets_a_suggestion(db):
    with pytest.raises(GeocodeError) as error:
        geocode("Tower Hamlet")
    assert "Tower Hamlets" in error.value.suggestions


def test_a_point_is_named_by_its_district_and_area(sample):
    nearby = describe_point(51.4610, -0.0110)  # Lewisham town centre
    assert (nearby.name, nearby.district) == ("Lewisham", "SE13")
    assert nearby.label == "Lewisham (SE13)"


def test_a_point_far_from_any_loaded_district_is_named_by_its_town(sample):
    nearby = describe_point(54.9783, -1.6178)  # Newcastle upon Tyne, NE1 in the sample
    assert nearby.name
    remote = describe_point(57.48, -4.22)  # Inverness: no sample district anywhere near
    assert remote.district == "" and remote.name == "Inverness"


def test_a_point_at_sea_is_not_named(sample):
    assert describe_point(50.0, -12.0) is None
