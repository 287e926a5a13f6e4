"""manage.py import_hsds: HSDS 3.0 JSON and CSV feeds in, with every bad record reported."""

import csv
import json
import shutil
import uuid
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from directory.hsds import importer, mapping
from directory.models import (
    Address,
    Contact,
    CostOption,
    Location,
    LocationAccessibility,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceLanguage,
    TaxonomyTerm,
)
from directory.search.fulltext import indexed_terms

OFFICIAL = Path(__file__).resolve().parent.parent / "fixtures" / "openreferral"
HSDS = OFFICIAL / "hsds-3.0" / "examples"
ORUK = OFFICIAL / "oruk-3.0" / "examples"


def ids(n):
    return str(uuid.UUID(int=n))


def service(n=1, **changes):
    """A valid HSDS service with one of everything we keep."""
    data = {
        "id": ids(1000 + n),
        "name": f"Bereavement support {n}",
        "description": "Someone to talk to after a death.",
        "status": "active",
        "url": "https://example.org/support",
        "email": "help@example.org",
        "minimum_age": 18,
        "maximum_age": 99,
        "organization": {
            "id": ids(1),
            "name": "Lewisham Hospice",
            "description": "A hospice in south London.",
            "organization_identifiers": [
                {"id": ids(2), "identifier_scheme": "GB-CHC", "identifier": "1123456"}
            ],
        },
        "phones": [{"id": ids(2000 + n), "number": "020 7946 0000", "type": "voice"}],
        "schedules": [
            {
                "id": ids(3000 + n),
                "freq": "WEEKLY",
                "byday": "MO,TU",
                "opens_at": "09:00:00",
                "closes_at": "17:00:00",
            }
        ],
        "service_areas": [
            {"id": ids(4000 + n), "name": "Lewisham", "extent": "SE13, SE6", "extent_type": "text"}
        ],
        "languages": [{"id": ids(5000 + n), "code": "ur", "name": "Urdu"}],
        "cost_options": [{"id": ids(6000 + n), "amount": 0, "currency": "GBP"}],
        "contacts": [{"id": ids(7000 + n), "name": "Ann", "email": "ann@example.org"}],
        "service_at_locations": [
            {
                "id": ids(8000 + n),
                "location": {
                    "id": ids(9000 + n),
                    "location_type": "physical",
                    "name": "The hospice",
                    "latitude": 51.46,
                    "longitude": -0.01,
                    "addresses": [
                        {
                            "id": ids(10000 + n),
                            "address_1": "1 High Street",
                            "city": "London",
                            "postal_code": "SE13 6LH",
                            "country": "GB",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ],
        "attributes": [
            {
                "id": ids(11000 + n),
                "taxonomy_term": {
                    "id": ids(12000),
                    "code": "grief",
                    "name": "Grief",
                    "description": "",
                    "taxonomy_detail": {"id": ids(13000), "name": "Test terms", "description": ""},
                },
            }
        ],
    }
    data.update(changes)
    return data


def run(path, *args):
    out = StringIO()
    call_command("import_hsds", str(path), "--no-progress", *args, stdout=out)
    return out.getvalue()


def write_json(tmp_path, data, name="feed.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def report_of(tmp_path, data, *args):
    path = write_json(tmp_path, data)
    report = tmp_path / "report.json"
    run(path, "--report", str(report), *args)
    return json.loads(report.read_text())


@pytest.fixture
def db_ready(db):
    return db


# -- shapes of feed ---------------------------------------------------------------------------


def test_a_list_a_page_and_a_single_service_all_import(db_ready, tmp_path):
    one = run(write_json(tmp_path, service(1), "one.json"))
    listed = run(write_json(tmp_path, [service(2), service(3)], "list.json"))
    page = run(write_json(tmp_path, {"total_items": 1, "contents": [service(4)]}, "page.json"))
    assert "1 created" in one and "2 created" in listed and "1 created" in page
    assert Service.objects.count() == 4


def test_everything_the_feed_says_is_stored(db_ready, tmp_path):
    run(write_json(tmp_path, [service(1)]))
    stored = Service.objects.get(pk=ids(1001))
    assert stored.organization.charity_number == "1123456"
    assert stored.phones.get().number == "020 7946 0000"
    assert stored.schedules.get().byday == "MO,TU"
    area = stored.service_areas.get()
    assert (area.extent_type, area.districts()) == ("districts", ["SE13", "SE6"])
    assert list(stored.languages.values_list("code", flat=True)) == ["ur"]
    assert stored.free is True
    assert stored.contacts.get().email == "ann@example.org"
    location = stored.service_at_locations.get().location
    assert (location.latitude, location.addresses.get().postal_code) == (51.46, "SE13 6LH")
    assert [term.code for term in stored.categories.all()] == ["grief"]
    # Bulk writes still leave the service searchable.
    key = Service.objects.get(pk=stored.pk).search_key
    assert "bereav" in indexed_terms()[key]


def test_a_cost_above_zero_makes_the_service_not_free(db_ready, tmp_path):
    run(write_json(tmp_path, [service(1, cost_options=[{"id": ids(6001), "amount": 12.5}])]))
    assert Service.objects.get().free is False


def test_list_feeds_are_streamed_not_loaded_whole(db_ready, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("json.load read the whole feed")

    monkeypatch.setattr(json, "load", refuse)
    monkeypatch.setattr(json, "loads", refuse)
    path = tmp_path / "feed.json"
    path.write_text("[" + ",".join(json.dumps(service(n)) for n in range(1, 6)) + "]")
    records = importer.iter_json_services(path)
    assert not isinstance(records, list)  # a generator: services arrive one at a time
    first_index, first = next(records)
    assert (first_index, first["id"]) == (0, ids(1001))
    monkeypatch.undo()
    run(path)
    assert Service.objects.count() == 5


def test_the_batch_size_does_not_change_the_result(db_ready, tmp_path):
    feed = [service(n) for n in range(1, 8)]
    feed[3]["status"] = "open"
    output = run(write_json(tmp_path, feed), "--batch-size", "2")
    assert "6 created, 0 updated, 1 skipped" in output
    assert Service.objects.count() == 6


def test_an_import_indexes_what_a_rebuild_would(db_ready, tmp_path):
    """The importer indexes from the rows it has just written rather than reading them back:
    its index, derived flags and search keys must be what indexing them afresh gives."""
    from directory import indexing
    from tests.directory.test_search_index import index_rows

    always = service(1, name="Night line")
    always["schedules"] = [
        {
            "id": ids(3001),
            "freq": "WEEKLY",
            "byday": "MO,TU,WE,TH,FR,SA,SU",
            "opens_at": "00:00:00",
            "closes_at": "23:59:00",
        }
    ]
    always["service_at_locations"] = []  # a phone and no place: reached from anywhere
    national = service(2, service_areas=[{"id": ids(4002), "name": "UK", "extent_type": "text"}])
    online = service(3)
    online["service_at_locations"][0]["location"].update(
        location_type="virtual", latitude=None, longitude=None, addresses=[]
    )
    shared = service(4)  # the same place as service 5, which comes later in the batch
    shared["service_at_locations"][0]["location"] = service(5)["service_at_locations"][0][
        "location"
    ]
    by_id = service(6, organization=None, organization_id=ids(1))  # the organisation, by id
    child = service(7)
    child["attributes"][0]["taxonomy_term"] = {
        "id": ids(12001),
        "code": "children",
        "name": "Children's grief",
        "parent_id": ids(12000),
        "taxonomy_detail": {"id": ids(13000), "name": "Test terms", "description": ""},
    }
    # The child term comes before its parent: linked, and its service reindexed, at the end.
    feed = [child, always, national, online, shared, service(5), by_id, service(8)]
    run(write_json(tmp_path, feed), "--batch-size", "3")
    changed = [service(8, name="Renamed support", status="inactive"), service(9)]
    run(write_json(tmp_path, changed, "changes.json"))

    def stored():
        flags = Service.objects.values_list("pk", "open_24_7", "reaches_anywhere", "search_key")
        return index_rows(), set(flags)

    imported = stored()
    assert Service.objects.filter(open_24_7=True).get().name == "Night line"
    assert Service.objects.filter(reaches_anywhere=True).count() == 3
    assert sorted(Service.objects.values_list("search_key", flat=True)) == list(range(1, 10))
    indexing.rebuild()
    rebuilt = stored()
    for name, rows in imported[0].items():
        assert rebuilt[0][name] == rows, (name, rows ^ rebuilt[0][name])
    assert rebuilt[1] == imported[1], imported[1] ^ rebuilt[1]


def test_an_import_inside_a_transaction_leaves_its_commit_as_it_was(db_ready, tmp_path):
    """Batches commit without waiting for PostgreSQL's log only when they are the import's
    own transactions; inside a caller's (as here), the caller's commit must still wait."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's")
    with connection.cursor() as cursor:
        # The session waits for the log, as on a site (test settings turn the wait off).
        cursor.execute("SET synchronous_commit TO on")
    run(write_json(tmp_path, [service(1), service(2)]), "--batch-size", "1")
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"


def test_the_garbage_collector_is_left_as_it_was(db_ready, tmp_path):
    import gc

    threshold = gc.get_threshold()
    frozen = gc.get_freeze_count()
    run(write_json(tmp_path, [service(1), service(2)]), "--batch-size", "1")
    assert gc.get_threshold() == threshold
    if not frozen:  # what the import froze is collectable again
        assert gc.get_freeze_count() == 0
    assert gc.isenabled()


def test_sqlite_holds_less_memory_while_importing_and_is_set_back_after(db_ready):
    """A large import on SQLite would fill indexing's 256 MB page cache; SQLite's heap is
    held to `bulk.IMPORT_SQLITE_HEAP` meanwhile, and the connection's settings are as
    they were afterwards."""
    from django.db import connection

    from directory.hsds import bulk

    if connection.vendor != "sqlite":
        pytest.skip("PRAGMA soft_heap_limit is SQLite's")

    def pragma(name):
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA {name}")
            return cursor.fetchone()  # mmap_size gives no row where it is not supported

    names = ("soft_heap_limit", "cache_size", "mmap_size")
    before = {name: pragma(name) for name in names}
    during = []
    report = importer.Importer(
        geocode=False,
        admin_search=False,
        batch_size=1,
        progress=lambda index: during.append(pragma("soft_heap_limit")[0]),
    ).run(enumerate([service(1), service(2)]))
    assert report.created == 2
    assert len(during) == 2 and all(0 < limit <= bulk.IMPORT_SQLITE_HEAP for limit in during)
    assert {name: pragma(name) for name in names} == before


# -- re-import -----------------------------------------------------------------------------


def test_reimport_updates_by_id_and_replaces_child_rows(db_ready, tmp_path):
    run(write_json(tmp_path, [service(1), service(2)]))
    changed = service(1, name="Renamed")
    changed["phones"] = [
        {"id": ids(2101), "number": "0800 111 111"},
        {"id": ids(2102), "number": "0800 222 222"},
    ]
    changed["schedules"] = []
    output = run(write_json(tmp_path, [changed, service(2)]))
    assert "0 created, 1 updated, 0 skipped, 1 unchanged" in output
    assert Service.objects.count() == 2
    assert Organization.objects.count() == 1 and Location.objects.count() == 2
    renamed = Service.objects.get(pk=ids(1001))
    assert renamed.name == "Renamed"
    assert sorted(renamed.phones.values_list("number", flat=True)) == [
        "0800 111 111",
        "0800 222 222",
    ]
    assert not Schedule.objects.filter(service=renamed).exists()
    assert Phone.objects.count() == 3


def test_same_feed_twice_changes_nothing(db_ready, tmp_path):
    path = write_json(tmp_path, [service(1), service(2)])
    run(path)
    before = sorted(Phone.objects.values_list("pk", "service_id", "number"))
    modified = dict(Service.objects.values_list("pk", "last_modified"))
    output = run(path)
    assert "0 created, 0 updated, 0 skipped, 2 unchanged" in output
    assert sorted(Phone.objects.values_list("pk", "service_id", "number")) == before
    # Nothing changed, so nothing says it did: modified_after does not list them again.
    assert dict(Service.objects.values_list("pk", "last_modified")) == modified
    assert TaxonomyTerm.objects.count() == 1


# -- bad records -----------------------------------------------------------------------------


def bad(tmp_path, record):
    """Import a good service and one bad one; returns the errors reported for the bad one."""
    report = report_of(tmp_path, [service(1), record])
    assert report["created"] == 1 and report["skipped"] == 1
    assert Service.objects.filter(pk=ids(1001)).exists()
    errors = [e for e in report["errors"] if e["index"] == 1]
    assert errors and all(e["id"] == record.get("id") for e in errors)
    return {e["field"]: e["message"] for e in errors}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id": None}, "id"),
        ({"name": ""}, "name"),
        ({"status": None}, "status"),
        ({"id": "not-a-uuid"}, "id"),
        ({"status": "open"}, "status"),
        ({"minimum_age": 40, "maximum_age": 30}, "maximum_age"),
        ({"minimum_age": -1}, "minimum_age"),
        ({"name": "x" * 256}, "name"),
        ({"description": "x" * 50_001}, "description"),
    ],
)
def test_a_bad_service_field_skips_that_record_only(db_ready, tmp_path, change, field):
    record = service(2, **change)
    errors = bad(tmp_path, record)
    assert field in errors, errors
    assert not Phone.objects.filter(pk=ids(2002)).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [({"email": "not an email"}, "email"), ({"url": "http://exa mple"}, "url")],
)
def test_a_bad_address_is_left_out_and_the_service_kept(db_ready, tmp_path, change, field):
    report = report_of(tmp_path, [service(1), service(2, **change)])
    assert (report["created"], report["skipped"]) == (2, 0)
    assert any(w["field"] == field and "left out" in w["message"] for w in report["warnings"])
    assert getattr(Service.objects.get(pk=ids(1002)), field) == ""


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id": None}, "organization.id"),
        ({"name": None}, "organization.name"),
    ],
)
def test_organisation_requires_id_and_name(db_ready, tmp_path, change, field):
    record = service(2)
    record["organization"] = {**record["organization"], "id": ids(3), **change}
    assert field in bad(tmp_path, record)
    assert not Organization.objects.filter(pk=ids(3)).exists()


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("location_type",), "castle", "location_type"),
        (("id",), "123", "id"),
    ],
)
def test_bad_location_values_skip_the_record(db_ready, tmp_path, path, value, field):
    record = service(2)
    record["service_at_locations"][0]["location"][path[0]] = value
    errors = bad(tmp_path, record)
    assert f"service_at_locations[0].location.{field}" in errors
    # Nothing of the record is half-saved: its location and organisation were not written.
    assert not Location.objects.filter(pk=ids(9002)).exists()


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ({"latitude": 91}, "latitude"),
        ({"latitude": -90.5}, "latitude"),
        ({"longitude": 181}, "longitude"),
    ],
)
def test_bad_coordinates_are_left_out_and_the_place_kept(db_ready, tmp_path, value, field):
    record = service(2)
    record["service_at_locations"][0]["location"].update(value)
    report = report_of(tmp_path, [service(1), record])
    assert (report["created"], report["skipped"]) == (2, 0)
    where = f"service_at_locations[0].location.{field}"
    assert any(w["field"] == where and "left out" in w["message"] for w in report["warnings"])
    # Found again from its postcode (the sample gazetteer knows SE13), not from the bad values.
    location = Location.objects.get(pk=ids(9002))
    assert location.latitude is None or -90 <= location.latitude <= 90


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"opens_at": "17:00", "closes_at": "09:00"}, "closes_at", "after the opening"),
        ({"freq": "DAILY"}, "freq", "not one of"),
        ({"wkst": "XX"}, "wkst", "not one of"),
        ({"byday": "MONDAY"}, "byday", "not a day"),
        ({"opens_at": "9 o'clock"}, "opens_at", "not a time"),
        ({"valid_from": "2025-02-01", "valid_to": "2025-01-01"}, "valid_to", "end date"),
    ],
)
def test_bad_schedules_skip_the_record(db_ready, tmp_path, change, field, words):
    record = service(2)
    record["schedules"][0].update(change)
    errors = bad(tmp_path, record)
    assert words in errors[f"schedules[0].{field}"]


def test_an_unknown_taxonomy_term_id_is_an_error_for_that_record(db_ready, tmp_path):
    record = service(2, attributes=[{"id": ids(11002), "taxonomy_term_id": ids(99)}])
    errors = bad(tmp_path, record)
    assert "neither defined in the feed nor known" in errors["attributes[0].taxonomy_term_id"]


def test_a_term_defined_earlier_in_the_feed_can_be_linked_by_id(db_ready, tmp_path):
    later = service(2, attributes=[{"id": ids(11002), "taxonomy_term_id": ids(12000)}])
    report = report_of(tmp_path, [service(1), later])
    assert report["created"] == 2
    assert Service.objects.get(pk=ids(1002)).categories.get().code == "grief"


def test_terms_get_their_parent_even_when_it_comes_later(db_ready, tmp_path):
    child = service(1)
    child["attributes"][0]["taxonomy_term"]["parent_id"] = ids(12001)
    parent = service(2)
    parent["attributes"][0]["taxonomy_term"] = {
        **parent["attributes"][0]["taxonomy_term"],
        "id": ids(12001),
        "code": "loss",
        "name": "Loss",
    }
    report_of(tmp_path, [child, parent])
    assert TaxonomyTerm.objects.get(pk=ids(12000)).parent_id == uuid.UUID(ids(12001))


def test_html_is_stripped_with_a_warning(db_ready, tmp_path):
    record = service(1, description="<p>Talk to <b>us</b> &amp; friends</p>")
    report = report_of(tmp_path, [record])
    assert Service.objects.get().description == "Talk to us & friends"
    assert any(w["field"] == "description" and "HTML" in w["message"] for w in report["warnings"])


def test_a_child_id_owned_by_another_service_skips_only_the_newcomer(db_ready, tmp_path):
    run(write_json(tmp_path, [service(1)], "first.json"))
    thief = service(2)
    thief["phones"][0]["id"] = ids(2001)  # the phone of service 1
    report = report_of(tmp_path, [thief, service(3)])
    assert report["created"] == 1 and report["skipped"] == 1
    assert "belongs to another service" in report["errors"][0]["message"]
    assert Phone.objects.get(pk=ids(2001)).service_id == uuid.UUID(ids(1001))
    assert not Service.objects.filter(pk=ids(1002)).exists()


def test_sqlite_commits_several_batches_together_and_a_refused_one_alone_is_undone(
    transactional_db, tmp_path, monkeypatch
):
    """On SQLite, `SQLITE_SERVICES_PER_COMMIT` services a transaction, each batch a savepoint:
    a batch the database refuses (a phone id of a service written two batches before, in
    the same transaction) is undone alone and its records retried one by one."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL commits every batch")
    monkeypatch.setattr(importer, "SQLITE_SERVICES_PER_COMMIT", 3)
    commits = []
    commit = connection.commit
    monkeypatch.setattr(connection, "commit", lambda: commits.append(1) or commit())
    monkeypatch.setattr(importer.page_cache, "purge", lambda: None)  # commits of its own
    thief = service(3)
    thief["phones"][0]["id"] = ids(2001)  # the phone of service 1
    feed = [service(1), service(2), thief, service(4), service(5), service(6), service(7)]
    report = importer.Importer(geocode=False, admin_search=False, batch_size=1).run(enumerate(feed))
    assert report.created == 6 and report.skipped == 1
    assert "belongs to another service" in report.errors[0]["message"]
    assert Phone.objects.get(pk=ids(2001)).service_id == uuid.UUID(ids(1001))
    assert set(Service.objects.values_list("name", flat=True)) == {
        f"Bereavement support {n}" for n in (1, 2, 4, 5, 6, 7)
    }
    # Seven batches in transactions of three (the last one short), then the import's end.
    assert len(commits) == 4


def test_a_feed_is_the_same_whatever_the_order_of_its_keys_and_the_size_of_its_numbers(
    db_ready, tmp_path
):
    """A record's fingerprint is its JSON with the keys sorted: a publisher writing the same
    record with its keys in another order has not changed it; an integer beyond 64 bits
    (which orjson refuses) is fingerprinted too, and a changed value is an update."""
    big = service(1, alternate_name="Big")
    big["x_reference"] = 2**70
    run(write_json(tmp_path, [big, service(2)]))
    reordered = [dict(reversed(list(record.items()))) for record in (big, service(2))]
    assert "0 created, 0 updated, 0 skipped, 2 unchanged" in run(write_json(tmp_path, reordered))
    big["x_reference"] = 2**70 + 1
    assert "0 created, 1 updated, 0 skipped, 1 unchanged" in run(
        write_json(tmp_path, [big, service(2)])
    )


def test_unchanged_services_are_found_by_id_not_by_feed(db_ready, tmp_path):
    """The look-up of each batch's stored fingerprints reads those services' rows only: by
    the feed's name, SQLite (without statistics) read every service of the feed so far."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = write_json(tmp_path, [service(1), service(2)])
    run(path)
    with CaptureQueriesContext(connection) as queries:
        output = run(path)
    assert "0 created, 0 updated, 0 skipped, 2 unchanged" in output
    (query,) = [q["sql"] for q in queries if 'FROM "directory_serviceorigin"' in q["sql"]]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {query}")
            plan = " ".join(str(row) for row in cursor.fetchall())
        assert "feed_name" not in plan, plan
    else:
        assert '"feed_name" =' not in query.split("WHERE", 1)[1]


def test_dry_run_checks_everything_and_saves_nothing(db_ready, tmp_path):
    output = run(write_json(tmp_path, [service(1), service(2, status="gone")]), "--dry-run")
    assert "Would import 1 services: 1 created, 0 updated, 1 skipped" in output
    assert "Dry run" in output
    assert not Service.objects.exists() and not Organization.objects.exists()


def test_ignored_fields_are_named_once(db_ready, tmp_path):
    feed = [service(n, metadata=[{"id": ids(50 + n), "field_name": "name"}]) for n in (1, 2)]
    output = run(write_json(tmp_path, feed))
    assert output.count("service.metadata") == 1


# -- files that are not feeds ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ('[{"id": "x", "name": ', "not valid JSON"),
        ('[{"id": "x"} {"id": "y"}]', "not valid JSON"),
        ("name,status\nA,active\n", "not a JSON feed"),
        ("", "not a JSON feed"),
        ('"just a string"', "not a JSON feed"),
    ],
)
def test_malformed_json_is_refused_whole(db_ready, tmp_path, content, words):
    path = tmp_path / "broken.json"
    path.write_text(content)
    with pytest.raises(CommandError, match=words):
        run(path)
    assert not Service.objects.exists()


def test_a_truncated_feed_imports_nothing(db_ready, tmp_path):
    text = json.dumps([service(n) for n in range(1, 4)])
    path = tmp_path / "truncated.json"
    path.write_text(text[: len(text) - 40])
    with pytest.raises(CommandError, match="not valid JSON"):
        # One service a transaction: without the check of the whole file first, the first
        # services would be written before the parser reached the break.
        run(path, "--batch-size", "1")
    assert not Service.objects.exists()


def test_files_over_max_size_are_refused(db_ready, tmp_path):
    path = write_json(tmp_path, [service(n) for n in range(1, 40)])
    with pytest.raises(CommandError, match="over the 0 MB limit"):
        run(path, "--max-size", "0.01")
    assert not Service.objects.exists()


def test_a_large_feed_under_the_limit_is_fine(db_ready, tmp_path):
    padding = "x" * 40_000
    feed = [service(n, eligibility_description=padding) for n in range(1, 1400)]
    path = write_json(tmp_path, feed)
    assert path.stat().st_size > 50 * 1024 * 1024
    assert "1399 created" in run(path)


# -- CSV datapackages ------------------------------------------------------------------------


def write_csv_package(folder, tables):
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as stream:
            writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    (folder / "datapackage.json").write_text(
        json.dumps({"resources": [{"name": n, "path": f"{n}.csv"} for n in tables]})
    )
    return folder


def csv_tables():
    org = {"id": ids(1), "name": "Hospice", "description": "A hospice."}
    return {
        "organizations": [org],
        "services": [
            {"id": ids(1001), "organization_id": ids(1), "name": "One", "status": "active"},
            {"id": ids(1002), "organization_id": ids(1), "name": "Two", "status": "active"},
            {"id": ids(1003), "organization_id": ids(1), "name": "Bad", "status": "closed"},
        ],
        # Child rows out of service order: the reader must group them by service_id.
        "phones": [
            {"id": ids(2002), "service_id": ids(1002), "number": "0800 2"},
            {"id": ids(2001), "service_id": ids(1001), "number": "0800 1"},
            {"id": ids(2003), "service_id": ids(1001), "number": "0800 3"},
        ],
        "locations": [
            {"id": ids(9001), "location_type": "physical", "latitude": "51.5", "longitude": "0"}
        ],
        "service_at_location": [
            {"id": ids(8001), "service_id": ids(1002), "location_id": ids(9001)}
        ],
        "schedules": [
            {
                "id": ids(3001),
                "service_id": ids(1001),
                "freq": "WEEKLY",
                "byday": "MO",
                "opens_at": "10:00",
                "closes_at": "12:00",
            }
        ],
        "taxonomies": [{"id": ids(13000), "name": "Terms", "description": ""}],
        "taxonomy_terms": [
            {"id": ids(12000), "name": "Grief", "code": "grief", "taxonomy_id": ids(13000)}
        ],
        "attributes": [
            {"id": ids(11001), "link_id": ids(1001), "taxonomy_term_id": ids(12000)},
        ],
    }


def test_csv_package_directory_and_zip(db_ready, tmp_path):
    folder = write_csv_package(tmp_path / "package", csv_tables())
    report = tmp_path / "report.json"
    output = run(folder, "--report", str(report))
    assert "2 created, 0 updated, 1 skipped" in output
    errors = json.loads(report.read_text())["errors"]
    assert errors[0]["index"] == 2 and errors[0]["field"] == "status"
    one = Service.objects.get(pk=ids(1001))
    assert sorted(one.phones.values_list("number", flat=True)) == ["0800 1", "0800 3"]
    assert one.categories.get().name == "Grief"
    assert one.schedules.get().opens_at.hour == 10
    two = Service.objects.get(pk=ids(1002))
    assert two.service_at_locations.get().location.latitude == 51.5

    archive = tmp_path / "package.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in folder.iterdir():
            zipped.write(path, f"inner/{path.name}")
    assert "0 created, 2 updated, 1 skipped" in run(archive)
    assert Service.objects.count() == 2


@pytest.mark.parametrize(
    ("table", "content", "words"),
    [
        ("services", "name,status\nA,active\n", "no id column"),
        ("services", 'id,name\n"1,2\n', "not valid CSV|values for 2 columns"),
        ("services", "id,name\n1,2,3\n", "3 values for 2 columns"),
        ("phones", "id,id\n1,2\n", "names a column twice"),
    ],
)
def test_malformed_csv_is_refused(db_ready, tmp_path, table, content, words):
    folder = write_csv_package(tmp_path / "package", csv_tables())
    (folder / f"{table}.csv").write_text(content)
    with pytest.raises(CommandError, match=words):
        run(folder)
    assert not Service.objects.exists()


def test_a_folder_without_services_is_not_a_package(db_ready, tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("hello")
    with pytest.raises(CommandError, match="no services.csv"):
        run(tmp_path / "empty")


def test_csv_packages_over_max_size_are_refused(db_ready, tmp_path):
    folder = write_csv_package(tmp_path / "package", csv_tables())
    with pytest.raises(CommandError, match="over the"):
        run(folder, "--max-size", "0.0001")


# -- the official examples -----------------------------------------------------------------


def test_official_hsds_examples(db_ready, tmp_path):
    """The examples' location is at latitude 100: the coordinates are left out, saying why, and
    the service imported; the quoted phone number and 2005 dates are handled."""
    full = report_of(tmp_path, json.loads((HSDS / "service_full.json").read_text()))
    assert (full["created"], full["skipped"], full["errors"]) == (1, 0, [])
    warnings = {w["field"]: w["message"] for w in full["warnings"]}
    assert "left out" in warnings["service_at_locations[0].location.latitude"]
    assert "quotation marks removed" in warnings["phones[0].number"]
    assert "2005-01-01" in warnings["schedules[0].valid_to"]
    ignored = " ".join(full["ignored_fields"])
    assert "funding" not in ignored and "program" not in ignored and "document" not in ignored

    output = run(HSDS / "service_list.json")
    assert "Imported 1 services: 0 created, 1 updated" in output  # the same id, now kept

    fixed = json.loads((HSDS / "service_full.json").read_text())
    location = fixed["service_at_locations"][0]["location"]
    location["latitude"], location["longitude"] = 51.5, -0.1
    report_of(tmp_path, fixed)
    stored = Service.objects.get(pk="ac148810-d857-441c-9679-408f346de14b")
    assert stored.phones.get().number == "+44 1234 234567"
    assert stored.free is False  # a cost option of 35
    # The example's geojson extent is the word "extent": no shape, so the area is left out.
    assert not stored.service_areas.exists()
    assert stored.categories.get().taxonomy.name == "name"


def test_official_csv_examples(db_ready, tmp_path):
    hsds = tmp_path / "hsds.json"
    run(HSDS / "csv", "--report", str(hsds))
    report = json.loads(hsds.read_text())
    assert report["skipped"] == 0
    assert any("latitude" in w["field"] for w in report["warnings"])
    assert any(w["field"] == "datapackage.json" for w in report["warnings"])

    oruk = tmp_path / "oruk.json"
    shutil.copytree(ORUK / "csv", tmp_path / "oruk")
    run(tmp_path / "oruk", "--report", str(oruk))
    report = json.loads(oruk.read_text())
    assert report["skipped"] == 0
    assert any("latitude" in w["field"] for w in report["warnings"])
    assert any(w["field"] == "phones.csv" for w in report["warnings"])


def test_official_oruk_json_examples(db_ready, tmp_path):
    full = report_of(tmp_path, json.loads((ORUK / "service_full.json").read_text()))
    assert full["skipped"] == 0
    assert any("latitude" in w["field"] for w in full["warnings"])
    # The UK example's language has only an id: left out with a warning, not an error.
    assert any(w["field"] == "languages[0].code" for w in full["warnings"])
    assert "Imported 1 services: 0 created, 1 updated" in run(ORUK / "service_list.json")


def test_imported_records_go_into_the_admins_search_index(db_ready, tmp_path):
    from django.contrib.contenttypes.models import ContentType
    from wagtail.search.models import IndexEntry

    def indexed(model):
        content_type = ContentType.objects.get_for_model(model)
        return set(
            IndexEntry.objects.filter(content_type=content_type).values_list("object_id", flat=True)
        )

    quiet = service(2, name="Quietly imported cafe")
    output = run(write_json(tmp_path, [quiet], "quiet.json"), "--no-admin-search")
    assert "run `manage.py update_index`" in output
    assert indexed(Service) == set()

    run(write_json(tmp_path, [service(1, name="Riverside grief walks"), quiet]))
    assert indexed(Service) == {ids(1001), ids(1002)}
    assert indexed(Organization) == {ids(1)}
    assert indexed(Location) == {ids(9001), ids(9002)}


def test_a_postcode_that_is_not_a_uk_postcode_is_reported(db_ready, tmp_path):
    record = service(1)
    record["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] = "ZZ9 9ZZ"
    report = report_of(tmp_path, [record])
    assert report["created"] == 1
    assert any(
        w["field"].endswith("addresses[0].postal_code") and "not a UK postcode" in w["message"]
        for w in report["warnings"]
    )


def test_a_place_whose_postcode_cannot_be_found_is_kept_with_a_warning(db_ready, tmp_path):
    record = service(1)
    location = record["service_at_locations"][0]["location"]
    del location["latitude"], location["longitude"]
    location["addresses"][0].update(postal_code="ZZ99 9ZZ", city="Nowhereshire")
    report = report_of(tmp_path, [record])
    assert report["created"] == 1
    messages = {w["field"]: w["message"] for w in report["warnings"]}
    assert (
        "not a UK postcode" in messages["service_at_locations[0].location.addresses[0].postal_code"]
    )
    assert "postcode or town was not found" in messages[f"location {ids(9001)}"]
    assert Location.objects.get(pk=ids(9001)).latitude is None


@pytest.mark.parametrize(
    "model",
    [
        Service,
        Organization,
        Location,
        Phone,
        Schedule,
        ServiceArea,
        Address,
        LocationAccessibility,
        ServiceAtLocation,
        ServiceLanguage,
        CostOption,
        Contact,
        Service.categories.through,
    ],
)
def test_rows_are_built_as_the_model_builds_them(model):
    """The importer's rows (made without Model.__init__) hold what model(**values) would."""
    values = {"service_id": uuid.uuid4()} if model is Service.categories.through else {}
    if model is not Service.categories.through:
        values["id"] = uuid.uuid4()
    built, expected = mapping.new_row(model, **values), model(**values)
    without_state = lambda obj: {k: v for k, v in vars(obj).items() if k != "_state"}  # noqa: E731
    assert without_state(built) == without_state(expected)
    assert built._state.adding and built._state.db is None
    fresh = mapping.new_row(model)  # a callable default (a new id) is called for each row
    if model._meta.pk.has_default():
        assert fresh.pk is not None and fresh.pk != mapping.new_row(model).pk


def test_a_row_with_an_unknown_field_is_refused():
    with pytest.raises(TypeError):
        mapping.new_row(Phone, colour="blue")
    with pytest.raises(TypeError):
        mapping.new_row(Phone, service=None)  # foreign keys by their _id name only
