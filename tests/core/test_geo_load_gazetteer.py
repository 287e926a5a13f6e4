"""manage.py load_gazetteer, and the sample districts shipped for the demo."""

import csv
import gzip
import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from core.geo import distance_km, geocode
from core.geo.postcodes import POSTCODE_AREAS, area_of, normalise_district
from core.geo.sample import SAMPLE_FILE, load_sample_districts
from core.models import Postcode, PostcodeDistrict

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "geo"
ONSPD = FIXTURES / "onspd_sample.csv"
GEONAMES = FIXTURES / "GB_full_sample.txt"

pytestmark = pytest.mark.django_db


def load(*paths, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("load_gazetteer", *map(str, paths), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def table():
    fields = ("postcode", "latitude", "longitude", "terminated_on")
    return sorted(Postcode.objects.values_list(*fields))


def test_onspd_file():
    out, err = load(ONSPD)
    assert "Rows read: 9" in out
    assert "Postcodes saved: 5 (5 new, 0 updated)" in out
    assert (
        "Rows skipped: 4 (1 terminated, 1 no coordinates, 1 invalid postcode, 1 malformed row)"
        in out
    )
    assert [row[0] for row in table()] == [
        "SE13 5AA",
        "SE13 5AB",
        "SE13 6AA",
        "ZE1 0AA",
        "ZE1 0AB",
    ]
    assert err == "", "no progress bar when the output is not a terminal"


def test_loaded_postcodes_are_found():
    load(ONSPD)
    place = geocode("se13 5ab")
    assert (place.latitude, place.longitude, place.kind) == (51.458, -0.010, "postcode")


def test_districts_are_recomputed_from_live_postcodes():
    load_sample_districts()
    load(ONSPD)
    se13 = PostcodeDistrict.objects.get(district="SE13")
    assert se13.source == PostcodeDistrict.Source.POSTCODES
    assert se13.postcode_count == 3
    assert se13.latitude == pytest.approx((51.456 + 51.458 + 51.452) / 3)
    assert se13.longitude == pytest.approx((-0.012 - 0.010 - 0.008) / 3)
    assert se13.radius_km >= 0.5
    # A district the sample never had now works too, and so does its area.
    assert geocode("ZE1").kind == "district"
    assert geocode("ZE").kind == "area"
    # An unknown postcode in a loaded district resolves to the district, approximately.
    place = geocode("ZE1 0ZZ")
    assert (place.kind, place.approximate) == ("district", True)


def test_loading_the_sample_again_keeps_districts_computed_from_postcodes():
    load(ONSPD)
    load_sample_districts()
    assert PostcodeDistrict.objects.get(district="SE13").source == "postcodes"


def test_terminated_postcodes_on_request():
    out, _err = load(ONSPD, include_terminated=True)
    assert "Postcodes saved: 6" in out
    terminated = Postcode.objects.get(postcode="SE13 7ZZ")
    assert terminated.terminated_on.isoformat() == "1995-06-01"
    # Terminated postcodes do not move their district's centre.
    assert PostcodeDistrict.objects.get(district="SE13").postcode_count == 3


def test_running_again_updates_rather_than_duplicates():
    load(ONSPD)
    before = (table(), list(PostcodeDistrict.objects.values_list()))
    out, _err = load(ONSPD)
    assert "Postcodes saved: 5 (0 new, 5 updated)" in out
    assert (table(), list(PostcodeDistrict.objects.values_list())) == before


def test_running_again_applies_corrections(tmp_path):
    load(ONSPD)
    corrected = tmp_path / "onspd.csv"
    corrected.write_text(ONSPD.read_text().replace("51.456000,-0.012000", "51.457000,-0.013000"))
    load(corrected)
    assert Postcode.objects.get(postcode="SE13 5AA").latitude == 51.457


def test_small_batches_give_the_same_result():
    load(ONSPD, batch_size=2)
    small = table()
    Postcode.objects.all().delete()
    load(ONSPD)
    assert table() == small


def test_a_postcode_twice_in_one_batch_is_saved_once(tmp_path):
    doubled = tmp_path / "doubled.csv"
    lines = ONSPD.read_text().splitlines()
    doubled.write_text("\n".join([lines[0], lines[1], lines[1].replace("51.456", "51.459")]))
    out, _err = load(doubled)
    assert Postcode.objects.get(postcode="SE13 5AA").latitude == 51.459
    assert "Postcodes saved: 1" in out


def test_geonames_file():
    out, _err = load(GEONAMES)
    assert "Rows read: 7" in out
    assert "Postcodes saved: 4 (4 new, 0 updated)" in out
    assert "1 district only" in out and "1 no coordinates" in out and "1 malformed row" in out
    assert geocode("AB10 1AF").latitude == 57.148
    assert geocode("TR1").kind == "district"


def test_several_files_at_once():
    out, _err = load(ONSPD, GEONAMES)
    assert "Rows read: 16" in out
    assert Postcode.objects.count() == 9


def test_zip_archive_with_a_readme(tmp_path):
    archive = tmp_path / "GB_full.csv.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("readme.txt", "The GeoNames postal code dump.\n")
        zipped.write(GEONAMES, "GB_full.txt")
    out, _err = load(archive)
    assert "Postcodes saved: 4" in out


def test_zip_archive_of_onspd(tmp_path):
    archive = tmp_path / "ONSPD.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.write(ONSPD, "Data/ONSPD_FEB_2025_UK.csv")
    load(archive)
    assert Postcode.objects.count() == 5


def test_gzipped_file(tmp_path):
    compressed = tmp_path / "onspd.csv.gz"
    compressed.write_bytes(gzip.compress(ONSPD.read_bytes()))
    load(compressed)
    assert Postcode.objects.count() == 5


def test_zip_with_several_data_files_is_refused(tmp_path):
    archive = tmp_path / "both.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(ONSPD, "a.csv")
        zipped.write(GEONAMES, "b.txt")
    with pytest.raises(CommandError, match="exactly one"):
        load(archive)


def test_file_with_other_columns_is_refused():
    with pytest.raises(CommandError, match="neither an ONS Postcode Directory CSV"):
        load(FIXTURES / "not_postcodes.csv")
    assert Postcode.objects.count() == 0


def test_binary_junk_is_refused(tmp_path):
    junk = tmp_path / "junk.csv"
    junk.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(CommandError):
        load(junk)
    assert Postcode.objects.count() == 0


def test_junk_part_way_through_says_what_was_kept(tmp_path):
    damaged = tmp_path / "damaged.csv"
    damaged.write_bytes(ONSPD.read_bytes() + b"\xff\xfe\x00garbage\n" * 3)
    with pytest.raises(CommandError, match="saved so far are kept"):
        load(damaged, batch_size=1)


def test_damaged_zip_is_refused(tmp_path):
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(CommandError, match="zip"):
        load(damaged)


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        load(tmp_path / "nowhere.csv")


# The sample shipped for the demo ---------------------------------------------------------


def test_sample_loads_and_is_idempotent():
    districts, postcodes = load_sample_districts()
    assert 150 <= districts <= 250 and postcodes >= 5
    assert (PostcodeDistrict.objects.count(), Postcode.objects.count()) == (districts, postcodes)
    assert load_sample_districts() == (0, 0)
    assert (PostcodeDistrict.objects.count(), Postcode.objects.count()) == (districts, postcodes)


def test_sample_refreshes_its_own_districts_from_the_file():
    load_sample_districts()
    PostcodeDistrict.objects.filter(district="SE13").update(latitude=0, longitude=0)
    load_sample_districts()
    assert PostcodeDistrict.objects.get(district="SE13").latitude == pytest.approx(51.459)


def test_sample_is_plausible():
    """Catches a typo in the hand-written coordinates: each row must sit with its neighbours."""
    with SAMPLE_FILE.open() as file:
        rows = list(csv.DictReader(line for line in file if not line.startswith("#")))
    districts = {}
    for row in rows:
        latitude, longitude = float(row["latitude"]), float(row["longitude"])
        assert 49.8 < latitude < 61 and -8.7 < longitude < 2, row
        district = normalise_district(row["code"].split(" ")[0])
        assert district and area_of(district) in POSTCODE_AREAS, row
        if " " not in row["code"]:
            districts[district] = (latitude, longitude)
    for row in rows:
        code = row["code"]
        point = float(row["latitude"]), float(row["longitude"])
        if " " in code:  # a full postcode lies within its district
            assert distance_km(*point, *districts[code.split(" ")[0]]) < 3, code
        else:  # a district lies near the other districts of its area
            siblings = [
                other for name, other in districts.items() if area_of(name) == area_of(code)
            ]
            centre = [sum(values) / len(siblings) for values in zip(*siblings, strict=True)]
            assert distance_km(*point, *centre) < 16, code


def test_each_district_keeps_the_local_authority_most_of_its_postcodes_are_in(tmp_path):
    load(ONSPD)
    codes = dict(PostcodeDistrict.objects.values_list("district", "authority_code"))
    assert codes["SE13"] == "E09000023" and codes["ZE1"] == "S12000027"
    assert Postcode.objects.get(postcode="SE13 5AA").authority_code == "E09000023"
    # A district across a boundary counts under the authority holding most of it; the
    # directory's pseudo-codes for "no authority" (L99999999, blank) are not codes.
    straddling = tmp_path / "straddling.csv"
    straddling.write_text(
        "pcds,oslaua,lat,long\n"
        "BR1 1AA,E09000006,51.40,0.01\n"
        "BR1 1AB,E09000023,51.41,0.00\n"
        "BR1 1AD,E09000023,51.42,0.00\n"
        "GY1 1AA,L99999999,49.45,-2.54\n"
    )
    load(straddling)
    codes = dict(PostcodeDistrict.objects.values_list("district", "authority_code"))
    assert codes["BR1"] == "E09000023" and codes["GY1"] == ""
