"""Service records checked against the vendored HSDS 3.0 JSON Schemas: each violation a warning
naming the record and the field, the field repaired or dropped, the service kept."""

import copy
import json

import pytest

from directory.hsds import validate
from directory.hsds.importer import Importer
from directory.hsds.report import ImportReport
from directory.hsds.validate import SchemaCheck, service_validator
from directory.models import Phone, Service
from tests.directory.test_import_hsds import HSDS, ORUK, ids, service

pytestmark = pytest.mark.django_db


def import_records(records):
    return Importer(geocode=False, admin_search=False).run(enumerate(records))


def warnings_on(report, field):
    return [w for w in report.warnings if w["field"] == field]


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


def test_a_list_given_as_text_is_left_out_and_the_service_kept():
    report = import_records([service(1, phones="020 7946 0000")])
    assert report.created == 1 and report.skipped == 0 and not report.errors
    assert not Phone.objects.filter(service_id=ids(1001)).exists()
    [warning] = warnings_on(report, "phones")
    assert "left out" in warning["message"] and "HSDS 3.0 schema" in warning["message"]


def test_a_field_we_do_not_keep_is_still_checked():
    report = import_records([service(1, required_documents={"document": "Passport"})])
    assert report.created == 1
    [warning] = warnings_on(report, "required_documents")
    assert "is not of type 'array'" in warning["message"]


def test_a_missing_required_field_deep_in_the_record_is_named():
    record = service(1)
    del record["attributes"][0]["taxonomy_term"]["description"]
    report = import_records([record])
    assert report.created == 1
    [warning] = warnings_on(report, "attributes[0].taxonomy_term.description")
    assert "'description' is a required property" in warning["message"]


def test_a_field_the_mapping_reports_is_named_once():
    """The mapping's own warning (what it did) stands for the schema's."""
    record = service(1)
    del record["organization"]["description"]
    report = import_records([record])
    assert report.created == 1
    [warning] = warnings_on(report, "organization.description")
    assert "kept without a description" in warning["message"]


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


def test_checked_organisations_are_remembered_up_to_a_bound(monkeypatch):
    monkeypatch.setattr(validate, "SHARED_KEPT", 3)
    check = SchemaCheck(ImportReport())
    for n in range(10):
        organization = {"id": ids(n), "name": f"Org {n}", "description": "A charity."}
        # (without the example's address, which lacks the schema's state_province)
        assert check._valid(service(1, organization=organization, service_at_locations=[]))
    assert 0 < len(check.checked["organization.json"]) <= 3
