"""Service records checked against the vendored HSDS 3.0 JSON Schemas: each violation a warning
naming the record and the field, the field repaired or dropped, the service kept."""

import copy
import datetime as dt
import json
from decimal import Decimal

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from directory.hsds.importer import Importer
from directory.hsds.report import ImportReport
from directory.hsds.validate import SchemaCheck, bundled, service_validator
from directory.models import Phone, Service
from tests.directory.test_import_hsds import HSDS, ORUK, ids, service


def test_the_bundled_service_schema_is_a_valid_json_schema():
    """The vendored schemas, bundled into one document as the importer uses them, are a valid
    JSON Schema (2020-12): what the importer relies on without checking it on each run."""
    Draft202012Validator.check_schema(bundled("service.json"))
    broken = bundled("service.json") | {"type": "a service"}
    with pytest.raises(SchemaError, match="is not valid under any of the given schemas"):
        Draft202012Validator.check_schema(broken)


def import_records(records):
    return Importer(geocode=False, admin_search=False).run(enumerate(records))


def warnings_on(report, field):
    return [w for w in report.warnings if w["field"] == field]


@pytest.mark.django_db
def test_a_number_given_as_text_is_read_with_a_schema_warning():
    report = import_records([service(1, minimum_age="18")])
    assert report.created == 1 and report.skipped == 0
    assert Service.objects.get(pk=ids(1001)).minimum_age == 18
    [warning] = warnings_on(report, "minimum_age")
    assert warning["id"] == ids(1001) and warning["index"] == 0
    assert (
        "HSDS 3.0 schema" in warning["message"]
        and "'18' is not of type 'number'" in (warning["message"])
    )


@pytest.mark.django_db
def test_a_list_given_as_text_is_left_out_and_the_service_kept():
    report = import_records([service(1, phones="020 7946 0000")])
    assert report.created == 1 and report.skipped == 0 and not report.errors
    assert not Phone.objects.filter(service_id=ids(1001)).exists()
    [warning] = warnings_on(report, "phones")
    assert "left out" in warning["message"] and "HSDS 3.0 schema" in warning["message"]


@pytest.mark.django_db
def test_a_field_we_do_not_keep_is_still_checked():
    report = import_records([service(1, required_documents={"document": "Passport"})])
    assert report.created == 1
    [warning] = warnings_on(report, "required_documents")
    assert "is not of type 'array'" in warning["message"]


@pytest.mark.django_db
def test_a_missing_required_field_deep_in_the_record_is_named():
    record = service(1)
    del record["attributes"][0]["taxonomy_term"]["description"]
    report = import_records([record])
    assert report.created == 1
    [warning] = warnings_on(report, "attributes[0].taxonomy_term.description")
    assert "'description' is a required property" in warning["message"]


@pytest.mark.django_db
def test_a_field_the_mapping_reports_is_named_once():
    """The mapping's own warning (what it did) stands for the schema's."""
    record = service(1)
    del record["organization"]["description"]
    report = import_records([record])
    assert report.created == 1
    [warning] = warnings_on(report, "organization.description")
    assert "kept without a description" in warning["message"]


@pytest.mark.django_db
def test_null_and_empty_values_are_read_as_not_given():
    report = import_records([service(1, alternate_name=None, url="", minimum_age=None)])
    assert report.created == 1
    assert not [
        w for w in report.warnings if w["field"] in ("alternate_name", "url", "minimum_age")
    ]
    # What the example service does break is still said.
    assert sorted(w["field"] for w in report.warnings) == [
        "organization.organization_identifiers[0].identifier_type",
        "service_at_locations[0].location.addresses[0].state_province",
    ]


def test_the_feed_record_is_not_changed_by_leaving_a_field_out():
    record = service(1, phones="020 7946 0000")
    given = copy.deepcopy(record)
    checked, _violations = SchemaCheck(ImportReport()).check(record, 0)
    assert record == given and "phones" not in checked


@pytest.mark.django_db
def test_an_unusable_record_is_still_skipped():
    report = import_records([service(1, status="open")])
    assert report.skipped == 1
    assert [e["field"] for e in report.errors] == ["status"]
    assert not warnings_on(report, "status")  # the mapping's error names it; once


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"minimum_age": "18"},
        {"phones": [{"id": ids(1), "number": 7946}]},
        {"organization": {"id": ids(1), "name": "No description"}},
        {"attributes": [{"id": ids(2), "taxonomy_term": {"id": ids(3), "name": "x"}}]},
        {"service_at_locations": [{"id": ids(4), "location": {"id": ids(5)}}]},
        {"schedules": [{"id": ids(6), "interval": "weekly"}]},
        {"status": 3},
    ],
)
def test_the_fast_check_agrees_with_jsonschema(change):
    """A record passes the fast check exactly when jsonschema finds it valid."""
    check = SchemaCheck(ImportReport())
    for record in (service(1, **change), service(2, **change)):  # the second from the cache
        assert check._valid(record) == service_validator().is_valid(record)


def test_the_official_examples_pass():
    check = SchemaCheck(ImportReport())
    for folder in (HSDS, ORUK):
        record = json.loads((folder / "service_full.json").read_text())
        assert check.check(record, 0) == (record, [])


# Values of every JSON type (as a feed is read: decimals for numbers with a point), put in
# place of each field of the example service, at the top and inside its nested objects.
ODD_VALUES = [
    None,
    "",
    "text",
    7,
    Decimal("2.5"),
    True,
    [],
    [7],
    [{}],
    {"id": "x"},
]


def _places(value, parts=()):
    """The path of every field inside a record (lists by their first item)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield (*parts, key)
            yield from _places(inner, (*parts, key))
    elif isinstance(value, list) and value:
        yield from _places(value[0], (*parts, 0))


def _replaced(record, parts, value):
    record = copy.deepcopy(record)
    container = record
    for part in parts[:-1]:
        container = container[part]
    container[parts[-1]] = value
    return record


def test_the_quick_check_agrees_with_jsonschema_on_every_field():
    """Any field of the example service, given any kind of JSON value: the quick check passes
    the record exactly when jsonschema finds it valid."""
    check = SchemaCheck(ImportReport())
    full = service_validator()
    base = json.loads((HSDS / "service_full.json").read_text())
    tried = valid = 0
    for parts in _places(base):
        for value in ODD_VALUES:
            record = _replaced(base, parts, value)
            agreed = full.is_valid(record)
            assert check._valid(record) == agreed, (parts, value)
            tried += 1
            valid += agreed
    assert tried > 1000 and 0 < valid < tried


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"minimum_age": float("nan")}, []),
        ({"extra": {1: "a key that is a number"}}, []),
        ({"assured_date": dt.date(2026, 1, 1)}, ["assured_date"]),
        ({"name": dt.date(2026, 1, 1)}, ["name"]),
    ],
)
def test_values_outside_json_are_judged_as_jsonschema_judges_them(change, named):
    """A value JSON has no type for, a key that is not text, a number that is not finite (a
    CSV package's or a harvest's records can hold them): the quick check never passes what
    jsonschema would not, and the violations reported are jsonschema's."""
    check = SchemaCheck(ImportReport())
    record = {**json.loads((HSDS / "service_full.json").read_text()), **change}
    assert check._valid(record) <= service_validator().is_valid(record)
    checked, violations = check.check(record, 0)
    assert checked == record and [path for path, _message in violations] == named
