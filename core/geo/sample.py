"""The sample districts and postcodes shipped for the demo site (approximate, not ONS data)."""

import csv
from pathlib import Path

from django.db import transaction

from core.models import Postcode, PostcodeDistrict

from .postcodes import area_of, district_of, normalise_district, normalise_postcode

SAMPLE_FILE = Path(__file__).resolve().parent / "data" / "postcode_districts.csv"
# A typical urban district reaches a couple of kilometres from its centre; the sample has no
# postcodes to measure it from.
SAMPLE_DISTRICT_RADIUS_KM = 2.5


def load_sample_districts():
    """Add the sample districts and postcodes; safe to repeat, never overwrites loaded data.

    Returns how many (districts, postcodes) were new. Sample districts already present are
    refreshed from the file, so a corrected coordinate reaches an existing demo database.
    """
    districts, postcodes = [], []
    with SAMPLE_FILE.open(encoding="utf-8", newline="") as file:
        lines = (line for line in file if not line.startswith("#"))
        for row in csv.DictReader(lines):
            latitude, longitude = float(row["latitude"]), float(row["longitude"])
            if postcode := normalise_postcode(row["code"]):
                postcodes.append(
                    Postcode(
                        postcode=postcode,
                        latitude=latitude,
                        longitude=longitude,
                        district=district_of(postcode),
                        area=area_of(postcode),
                    )
                )
            elif district := normalise_district(row["code"]):
                districts.append(
                    PostcodeDistrict(
                        district=district,
                        area=area_of(district),
                        latitude=latitude,
                        longitude=longitude,
                        radius_km=SAMPLE_DISTRICT_RADIUS_KM,
                        source=PostcodeDistrict.Source.SAMPLE,
                    )
                )
            else:
                raise ValueError(f"{SAMPLE_FILE.name}: {row['code']!r} is not a postcode")
    with transaction.atomic():
        before = PostcodeDistrict.objects.count(), Postcode.objects.count()
        # Districts computed from real postcodes are better than these: leave them alone.
        loaded = set(
            PostcodeDistrict.objects.exclude(source=PostcodeDistrict.Source.SAMPLE).values_list(
                "district", flat=True
            )
        )
        districts = [district for district in districts if district.district not in loaded]
        PostcodeDistrict.objects.bulk_create(
            districts,
            update_conflicts=True,
            unique_fields=["district"],
            update_fields=["area", "latitude", "longitude", "radius_km", "source"],
        )
        Postcode.objects.bulk_create(postcodes, ignore_conflicts=True)
        return (
            PostcodeDistrict.objects.count() - before[0],
            Postcode.objects.count() - before[1],
        )
