"""Read postcode files into the gazetteer, streaming, in batches; used by load_gazetteer.

Two formats, told apart by their first line:

* the ONS Postcode Directory (ONSPD) CSV, with a header naming `pcds` (the postcode as
  Royal Mail writes it), `lat`, `long` and `doterm` (the month it was terminated, blank while
  live). Postcodes without a grid reference have latitude 99.999999: they are skipped.
* a GeoNames postal-code dump ("GB_full.txt"): tab-separated, no header, twelve columns of
  which the second is the postcode and the tenth and eleventh latitude and longitude.

Either may be plain, gzipped, or the one data file in a zip archive.
"""

import contextlib
import csv
import datetime
import gzip
import io
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import reset_queries, transaction
from django.db.models import Avg, Count, Max, Min

from core.models import Postcode, PostcodeDistrict

from .distance import distance_km
from .postcodes import area_of, district_of, normalise_district, normalise_postcode

BATCH_SIZE = 5000
# ONSPD's latitude for a postcode with no grid reference.
_NO_GRID_LATITUDE = 99.0
_MIN_DISTRICT_RADIUS_KM = 0.5
_UPDATE_FIELDS = ["latitude", "longitude", "district", "area", "terminated_on", "authority_code"]
_DISTRICT_FIELDS = [
    "area",
    "latitude",
    "longitude",
    "radius_km",
    "postcode_count",
    "source",
    "authority_code",
]
# The ONSPD column naming each postcode's local authority: "oslaua" in the ONS Postcode
# Directory, "laua" in the National Statistics Postcode Lookup, "lad" in newer layouts.
_AUTHORITY_COLUMNS = ("oslaua", "laua", "lad")


class GazetteerFileError(Exception):
    """A file that cannot be read as a postcode file; the message says what to do."""


@dataclass
class LoadStats:
    """What a load did, for the summary the command prints."""

    read: int = 0
    saved: int = 0
    inserted: int = 0
    updated: int = 0
    districts: int = 0
    skipped: Counter = field(default_factory=Counter)


class _NullProgress:
    def update(self, n):
        pass

    def close(self):
        pass


def load_files(paths, *, include_terminated=False, batch_size=BATCH_SIZE, progress=None):
    """Load every file into Postcode, then recompute the districts they touched."""
    progress = progress or (lambda label, total: _NullProgress())
    stats = LoadStats()
    before = Postcode.objects.count()
    districts = set()
    for path in paths:
        _load_file(Path(path), stats, districts, include_terminated, batch_size, progress)
    stats.inserted = Postcode.objects.count() - before
    stats.updated = stats.saved - stats.inserted
    stats.districts = refresh_districts(districts)
    return stats


def _load_file(path, stats, districts, include_terminated, batch_size, progress):
    with _open_text(path) as (text, total, position):
        bar = progress(path.name, total)
        done = 0
        batch = {}

        def flush():
            nonlocal done
            _save(batch.values())
            stats.saved += len(batch)
            districts.update(postcode.district for postcode in batch.values())
            batch.clear()
            bar.update(position() - done)
            done = position()

        try:
            for postcode in _records(path, text, stats, include_terminated):
                # One row per postcode in a batch: PostgreSQL refuses to upsert a row twice
                # in one statement.
                batch[postcode.postcode] = postcode
                if len(batch) >= batch_size:
                    flush()
            flush()
        except (UnicodeDecodeError, csv.Error, EOFError, OSError, zipfile.BadZipFile) as error:
            raise GazetteerFileError(
                f"{path.name} is damaged or not a text postcode file ({error.__class__.__name__})"
                f" after {stats.read:,} rows. The {stats.saved:,} postcodes saved so far are"
                " kept; fix the file and run the command again, which is safe."
            ) from error
        finally:
            bar.close()


def _save(postcodes):
    with transaction.atomic():
        Postcode.objects.bulk_create(
            list(postcodes),
            update_conflicts=True,
            unique_fields=["postcode"],
            update_fields=_UPDATE_FIELDS,
        )
    # With DEBUG on, Django keeps the text of recent queries; these are huge.
    reset_queries()


class _CountingReader(io.RawIOBase):
    """Counts the bytes read through it, for the progress bar."""

    def __init__(self, raw):
        self._raw = raw
        self.count = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        count = self._raw.readinto(buffer)
        self.count += count or 0
        return count


@contextlib.contextmanager
def _open_text(path):
    """(text stream, total bytes, bytes read so far) for a plain, gzipped or zipped file."""
    if not path.is_file():
        raise GazetteerFileError(f"{path} does not exist or is not a file.")
    with contextlib.ExitStack() as stack:
        raw = stack.enter_context(path.open("rb"))
        magic = raw.read(4)
        raw.seek(0)
        total = path.stat().st_size
        if magic.startswith(b"PK\x03\x04"):
            try:
                archive = stack.enter_context(zipfile.ZipFile(raw))
            except zipfile.BadZipFile as error:
                raise GazetteerFileError(f"{path.name} is not a readable zip file.") from error
            member = _data_member(path, archive)
            counter = _CountingReader(stack.enter_context(archive.open(member)))
            total = member.file_size

            def position():
                return counter.count

        elif magic.startswith(b"\x1f\x8b"):
            counter = _CountingReader(stack.enter_context(gzip.GzipFile(fileobj=raw)))

            def position():
                # Compressed bytes consumed, to match the file's size on disk.
                return raw.tell()

        else:
            counter = _CountingReader(raw)

            def position():
                return counter.count

        text = io.TextIOWrapper(io.BufferedReader(counter), encoding="utf-8-sig", newline="")
        yield text, total, position


def _data_member(path, archive):
    """The one data file in an archive; GeoNames zips add a readme.txt beside it."""
    members = [
        info
        for info in archive.infolist()
        if not info.is_dir()
        and info.filename.lower().endswith((".csv", ".txt", ".tsv"))
        and "readme" not in info.filename.lower()
    ]
    if len(members) != 1:
        names = ", ".join(info.filename for info in archive.infolist()[:10]) or "nothing"
        raise GazetteerFileError(
            f"{path.name} should hold exactly one .csv or .txt postcode file; it holds {names}."
            " Extract the postcode file and load it directly."
        )
    return members[0]


def _records(path, text, stats, include_terminated):
    """Postcode objects from a file, counting what is read and why rows are skipped."""
    first = text.readline()
    fields = first.rstrip("\r\n").split("\t")
    if _looks_like_geonames(fields):
        rows = csv.reader(text, delimiter="\t", quoting=csv.QUOTE_NONE)
        yield from _geonames(_chain([fields], rows), stats)
        return
    header = [name.strip().lower() for name in next(csv.reader([first]), [])]
    if {"pcds", "lat", "long"} <= set(header):
        yield from _onspd(csv.reader(text), header, stats, include_terminated)
        return
    raise GazetteerFileError(
        f"{path.name} is neither an ONS Postcode Directory CSV (a header with the columns pcds,"
        " lat and long) nor a GeoNames postal-code file (twelve tab-separated columns, such"
        " as GB_full.txt)."
    )


def _chain(first, rest):
    yield from first
    yield from rest


def _looks_like_geonames(fields):
    if len(fields) < 11 or len(fields[0]) != 2 or not fields[0].isalpha():
        return False
    return _float(fields[9]) is not None and _float(fields[10]) is not None


def _float(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _postcode(stats, text, latitude, longitude, terminated_on=None, authority_code=""):
    """A Postcode, or None with the reason counted."""
    postcode = normalise_postcode(text)
    if postcode is None:
        reason = "district only" if normalise_district(text or "") else "invalid postcode"
        stats.skipped[reason] += 1
        return None
    latitude, longitude = _float(latitude), _float(longitude)
    if latitude is None or longitude is None or latitude >= _NO_GRID_LATITUDE:
        stats.skipped["no coordinates"] += 1
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        stats.skipped["coordinates out of range"] += 1
        return None
    return Postcode(
        postcode=postcode,
        latitude=latitude,
        longitude=longitude,
        district=district_of(postcode),
        area=area_of(postcode),
        terminated_on=terminated_on,
        authority_code=_authority_code(authority_code),
    )


def _authority_code(value):
    """An ONS area code ("E09000023"), or "" for ONSPD's pseudo-codes and blanks."""
    value = (value or "").strip().upper()
    if len(value) == 9 and value[0] in "ENSWL" and value[1:].isdigit() and value[3:] != "999999":
        return value
    return ""


def _onspd(rows, header, stats, include_terminated):
    pcds, lat, long = header.index("pcds"), header.index("lat"), header.index("long")
    doterm = header.index("doterm") if "doterm" in header else None
    authority = next((header.index(name) for name in _AUTHORITY_COLUMNS if name in header), None)
    width = max(pcds, lat, long, doterm or 0) + 1
    for row in rows:
        if not row:
            continue
        stats.read += 1
        if len(row) < width:
            stats.skipped["malformed row"] += 1
            continue
        terminated_on = None
        if doterm is not None and row[doterm].strip():
            if not include_terminated:
                stats.skipped["terminated"] += 1
                continue
            terminated_on = _month(row[doterm])
            if terminated_on is None:
                stats.skipped["malformed row"] += 1
                continue
        code = row[authority] if authority is not None and authority < len(row) else ""
        postcode = _postcode(stats, row[pcds], row[lat], row[long], terminated_on, code)
        if postcode:
            yield postcode


def _month(value):
    """ONSPD's "202301" -> 2023-01-01."""
    value = value.strip()
    try:
        return datetime.date(int(value[:4]), int(value[4:6]), 1)
    except ValueError:
        return None


def _geonames(rows, stats):
    for row in rows:
        if not row:
            continue
        stats.read += 1
        if len(row) < 11:
            stats.skipped["malformed row"] += 1
            continue
        postcode = _postcode(stats, row[1], row[9], row[10])
        if postcode:
            yield postcode


def refresh_districts(districts):
    """Recompute the centre, reach and local authority of each district from its live
    postcodes."""
    rows = []
    districts = sorted(districts)
    for start in range(0, len(districts), 500):
        live = Postcode.objects.filter(
            district__in=districts[start : start + 500], terminated_on__isnull=True
        )
        authorities = _commonest_authorities(live)
        summaries = live.values("district").annotate(
            count=Count("postcode"),
            mean_latitude=Avg("latitude"),
            mean_longitude=Avg("longitude"),
            south=Min("latitude"),
            north=Max("latitude"),
            west=Min("longitude"),
            east=Max("longitude"),
        )
        for summary in summaries:
            spread = distance_km(
                summary["south"], summary["west"], summary["north"], summary["east"]
            )
            rows.append(
                PostcodeDistrict(
                    district=summary["district"],
                    area=area_of(summary["district"]),
                    latitude=summary["mean_latitude"],
                    longitude=summary["mean_longitude"],
                    radius_km=round(max(spread / 2, _MIN_DISTRICT_RADIUS_KM), 2),
                    postcode_count=summary["count"],
                    source=PostcodeDistrict.Source.POSTCODES,
                    authority_code=authorities.get(summary["district"], ""),
                )
            )
    with transaction.atomic():
        PostcodeDistrict.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["district"],
            update_fields=_DISTRICT_FIELDS,
        )
    return len(rows)


def _commonest_authorities(postcodes):
    """{district: the authority code most of its postcodes have} (ties: the lowest code)."""
    counts = (
        postcodes.exclude(authority_code="")
        .values("district", "authority_code")
        .annotate(count=Count("postcode"))
        .order_by("district", "-count", "authority_code")
    )
    commonest = {}
    for row in counts:
        commonest.setdefault(row["district"], row["authority_code"])
    return commonest
