"""Funding, programmes and required documents: read from HSDS 3.0 and ORUK 3.0 feeds, kept,
published by the API and the datapackage, and given back by a round trip."""

import csv
import json
import re
import shutil
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from directory.models import Funding, Program, RequiredDocument, Service
from tests.directory import factories
from tests.directory.test_hsds_serialize import assert_valid

OFFICIAL = Path(__file__).resolve().parent.parent / "fixtures" / "openreferral"
HSDS = OFFICIAL / "hsds-3.0" / "examples"
ORUK = OFFICIAL / "oruk-3.0" / "examples"
SERVICE = "ac148810-d857-441c-9679-408f346de14b"
ORGANIZATION = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
FUNDING = "1f2df32c-bf08-4b8e-bd6f-e834014b19bc"
PROGRAM = "e7ec2e57-4540-43fa-b2c7-6be5a0ef7f42"
DOCUMENT = "f6ad7e69-b9c8-42ce-92db-92cedb4c05c0"
NOT_KEPT = ("funding", "program", "required_document")

pytestmark = pytest.mark.django_db


def ids(n):
    return str(uuid.UUID(int=n))


def run(path, *args):
    out = StringIO()
    call_command("import_hsds", str(path), "--no-progress", *args, stdout=out)
    return out.getvalue()


def import_report(tmp_path, source):
    report = tmp_path / "report.json"
    run(source, "--report", str(report))
    return json.loads(report.read_text())


def example():
    """The HSDS example service, its place moved onto the map (its latitude is 100)."""
    data = json.loads((HSDS / "service_full.json").read_text())
    location = data["service_at_locations"][0]["location"]
    location["latitude"], location["longitude"] = 51.5, -0.1
    return data


def feed(tmp_path, data, name="feed.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def assert_example_kept():
    service = Service.objects.get(pk=SERVICE)
    funding = Funding.objects.get(pk=FUNDING)
    assert funding.source.startswith("This service is funded partially by the MyCity")
    assert funding.service_id == service.pk
    assert str(funding.organization_id) == ORGANIZATION
    program = Program.objects.get(pk=PROGRAM)
    assert (program.name, program.alternate_name) == (
        "Community Mental Health Support",
        "MyCity Mental Health Group",
    )
    assert program.description.startswith("Comprehensive Mental Health Services")
    assert str(program.organization_id) == ORGANIZATION
    assert service.program_id == program.pk
    document = RequiredDocument.objects.get(pk=DOCUMENT)
    assert document.service_id == service.pk
    assert document.document.startswith("Any official identification document")
    assert document.uri == "http://example.com"


def test_the_hsds_example_keeps_funding_programme_and_documents(tmp_path):
    report = import_report(tmp_path, feed(tmp_path, example()))
    assert (report["created"], report["skipped"], report["errors"]) == (1, 0, [])
    assert_example_kept()
    ignored = " ".join(report["ignored_fields"])
    assert not any(name in ignored for name in NOT_KEPT), ignored


def test_the_hsds_example_package_keeps_them_too(tmp_path):
    report = import_report(tmp_path, HSDS / "csv")
    assert report["skipped"] == 0
    assert_example_kept()
    ignored = " ".join(report["ignored_fields"])
    assert not any(name in ignored for name in NOT_KEPT), ignored


def test_the_uk_example_keeps_its_funding(tmp_path):
    data = json.loads((ORUK / "service_full.json").read_text())
    report = import_report(tmp_path, feed(tmp_path, data))
    assert report["skipped"] == 0
    funding = Funding.objects.get(pk=FUNDING)
    assert str(funding.service_id) == SERVICE and funding.organization_id is None
    assert "funding" not in " ".join(report["ignored_fields"])


def test_the_same_feed_twice_changes_nothing(tmp_path):
    path = feed(tmp_path, example())
    run(path)
    before = (
        sorted(Funding.objects.values_list("pk", "service_id", "organization_id", "source")),
        sorted(Program.objects.values_list("pk", "organization_id", "name")),
        sorted(RequiredDocument.objects.values_list("pk", "service_id", "document")),
    )
    modified = dict(Service.objects.values_list("pk", "last_modified"))
    assert "0 created, 0 updated, 0 skipped, 1 unchanged" in run(path)
    after = (
        sorted(Funding.objects.values_list("pk", "service_id", "organization_id", "source")),
        sorted(Program.objects.values_list("pk", "organization_id", "name")),
        sorted(RequiredDocument.objects.values_list("pk", "service_id", "document")),
    )
    assert after == before
    assert dict(Service.objects.values_list("pk", "last_modified")) == modified


def test_a_changed_feed_replaces_the_services_funding_and_documents(tmp_path):
    run(feed(tmp_path, example()))
    changed = example()
    changed["funding"] = [{"id": ids(1), "source": "The National Lottery"}]
    changed["organization"]["funding"] = []
    changed["required_documents"] = [{"id": ids(2), "document": "A letter from your GP"}]
    run(feed(tmp_path, changed, "changed.json"))
    service = Service.objects.get(pk=SERVICE)
    assert list(service.funding.values_list("source", flat=True)) == ["The National Lottery"]
    assert not Funding.objects.filter(pk=FUNDING).exists()
    assert list(service.required_documents.values_list("document", flat=True)) == [
        "A letter from your GP"
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"funding": [{"id": "not-a-uuid", "source": "Grants"}]}, "funding[0].id"),
        ({"funding": [{"id": ids(3)}]}, "funding[0].source"),
        (
            {"required_documents": [{"id": ids(4), "document": "x" * 50_001}]},
            "required_documents[0].document",
        ),
        ({"required_documents": [{"id": ids(4)}]}, "required_documents[0].document"),
        ({"program": {"id": ids(5), "description": "No name"}}, "program.name"),
        ({"program_id": "not-a-uuid", "program": None}, "program_id"),
    ],
)
def test_a_bad_one_is_left_out_with_a_warning_and_the_service_kept(tmp_path, change, field):
    data = example()
    data.update(change)
    report = import_report(tmp_path, feed(tmp_path, data))
    assert (report["created"], report["skipped"]) == (1, 0), report["errors"]
    warnings = {w["field"]: w for w in report["warnings"]}
    assert field in warnings, sorted(warnings)
    assert warnings[field]["id"] == SERVICE and warnings[field]["index"] == 0


def test_a_bad_uri_leaves_the_document_without_it(tmp_path):
    data = example()
    data["required_documents"][0]["uri"] = "not a web address"
    report = import_report(tmp_path, feed(tmp_path, data))
    assert any(w["field"] == "required_documents[0].uri" for w in report["warnings"])
    assert RequiredDocument.objects.get(pk=DOCUMENT).uri == ""


def test_a_programme_named_by_id_only_is_linked_when_known(tmp_path):
    run(feed(tmp_path, example()))
    data = {
        "id": ids(6),
        "name": "Family counselling",
        "status": "active",
        "organization_id": ORGANIZATION,
        "program_id": PROGRAM,
    }
    run(feed(tmp_path, data, "second.json"))
    assert str(Service.objects.get(pk=ids(6)).program_id) == PROGRAM


def test_a_programme_not_known_is_reported_and_the_service_kept(tmp_path):
    data = example()
    data["program"] = None
    data["organization"]["programs"] = []
    data["program_id"] = ids(7)
    report = import_report(tmp_path, feed(tmp_path, data))
    assert report["created"] == 1
    assert any(w["field"] == "program_id" and ids(7) in w["message"] for w in report["warnings"])
    assert Service.objects.get(pk=SERVICE).program_id is None


# -- the database's rules ------------------------------------------------------------------


def test_funding_belongs_to_an_organisation_or_a_service():
    with pytest.raises(IntegrityError), transaction.atomic():
        Funding.objects.create(source="Nobody's money")


def test_a_required_document_says_what_it_is():
    service = factories.ServiceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RequiredDocument.objects.create(service=service)


# -- out: the API and the datapackage ------------------------------------------------------


@pytest.fixture
def funded(db):
    organization = factories.OrganizationFactory(name="Lewisham Hospice")
    program = Program.objects.create(
        organization=organization,
        name="Bereavement programme",
        alternate_name="Grief work",
        description="Everything the hospice does after a death.",
    )
    service = factories.ServiceFactory(organization=organization, program=program)
    shared = Funding.objects.create(
        organization=organization, service=service, source="NHS South East London", sort_order=0
    )
    Funding.objects.create(organization=organization, source="Donations", sort_order=1)
    Funding.objects.create(service=service, source="The National Lottery", sort_order=1)
    RequiredDocument.objects.create(
        service=service, document="A referral letter", uri="https://example.org/referral"
    )
    return service, shared


def test_the_api_returns_them_valid_against_both_schemas(client, funded):
    service, shared = funded
    data = client.get(f"/api/hsds/services/{service.pk}").json()
    assert_valid(data, "compiled/service.json")
    assert [f["source"] for f in data["funding"]] == [
        "NHS South East London",
        "The National Lottery",
    ]
    assert data["funding"][0] == {
        "id": str(shared.pk),
        "organization_id": str(service.organization_id),
        "service_id": str(service.pk),
        "source": "NHS South East London",
    }
    assert data["program_id"] == str(service.program_id)
    assert data["program"]["name"] == "Bereavement programme"
    assert data["program"]["alternate_name"] == "Grief work"
    assert data["required_documents"] == [
        {
            "id": str(service.required_documents.get().pk),
            "service_id": str(service.pk),
            "document": "A referral letter",
            "uri": "https://example.org/referral",
        }
    ]
    organization = data["organization"]
    assert [f["source"] for f in organization["funding"]] == [
        "NHS South East London",
        "Donations",
    ]
    assert [p["name"] for p in organization["programs"]] == ["Bereavement programme"]

    org = client.get(f"/api/hsds/organizations/{service.organization_id}").json()
    assert_valid(org, "compiled/organization.json")
    assert [p["id"] for p in org["programs"]] == [str(service.program_id)]
    assert {f["source"] for f in org["funding"]} == {"NHS South East London", "Donations"}


def test_the_datapackage_carries_them(funded, tmp_path):
    service, shared = funded
    folder = tmp_path / "package"
    call_command("export_hsds", str(folder), "--format", "csv", stdout=StringIO())
    names = {r["path"] for r in json.loads((folder / "datapackage.json").read_text())["resources"]}
    assert {"funding.csv", "programs.csv", "required_documents.csv"} <= names

    def rows(name):
        with open(folder / name, encoding="utf-8") as stream:
            return list(csv.DictReader(stream))

    funding = {row["source"]: row for row in rows("funding.csv")}
    assert set(funding) == {"NHS South East London", "Donations", "The National Lottery"}
    assert funding["NHS South East London"]["service_id"] == str(service.pk)
    assert funding["NHS South East London"]["organization_id"] == str(service.organization_id)
    assert funding["Donations"]["service_id"] == ""
    assert [r["name"] for r in rows("programs.csv")] == ["Bereavement programme"]
    assert [r["document"] for r in rows("required_documents.csv")] == ["A referral letter"]
    services = rows("services.csv")
    assert services[0]["program_id"] == str(service.program_id)


def test_the_public_page_says_what_to_bring_and_who_funds_it(client, funded, home):
    service, _shared = funded
    page = factories.DirectoryPageFactory(parent=home)
    page.save_revision().publish()
    response = client.get(page.service_url(service))
    assert response.status_code == 200
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    assert "What to bring" in text and "A referral letter" in text
    assert "Funded by" in text and "NHS South East London" in text and "Donations" in text


def test_the_service_funding_comes_before_its_organisations_and_each_once(client, funded, home):
    service, _shared = funded
    page = factories.DirectoryPageFactory(parent=home)
    page.save_revision().publish()
    response = client.get(page.service_url(service))
    assert [row.source for row in response.context["funding"]] == [
        "NHS South East London",  # the service's and the organisation's: shown once
        "The National Lottery",
        "Donations",
    ]


# -- editors ---------------------------------------------------------------------------------


def test_editors_see_them_on_the_service_and_the_organisation(client, admin_user, funded):
    from django.urls import reverse

    service, _shared = funded
    client.force_login(admin_user)
    url = reverse("wagtailsnippets_directory_service:edit", args=[service.pk])
    html = client.get(url).content.decode()
    assert "What to bring" in html and "A referral letter" in html
    assert "Funded by" in html and "The National Lottery" in html
    assert "Bereavement programme" in html
    url = reverse("wagtailsnippets_directory_organization:edit", args=[service.organization_id])
    html = client.get(url).content.decode()
    assert "Programmes" in html and "Everything the hospice does after a death." in html
    assert "Donations" in html


def test_a_service_takes_only_its_own_organisations_programme(admin_user, funded):
    from directory.wagtail_hooks import ServiceViewSet

    service, _shared = funded
    theirs = Program.objects.create(
        organization=factories.OrganizationFactory(), name="Theirs", description="Not ours."
    )
    form_class = ServiceViewSet(name="test").get_form_class()
    form = form_class(
        data={
            "organization": service.organization_id,
            "program": theirs.pk,
            "name": "x",
            "description": "y",
            "status": "active",
        },
        instance=service,
        for_user=admin_user,
    )
    assert not form.is_valid()
    assert "program" in form.errors


def test_funding_repeated_on_two_services_stays_with_the_first(tmp_path):
    first = example()
    second = {
        "id": ids(8),
        "name": "Family counselling",
        "status": "active",
        "organization_id": ORGANIZATION,
        "funding": [{"id": FUNDING, "source": "The same grant"}],
    }
    report = import_report(tmp_path, feed(tmp_path, [first, second]))
    assert (report["created"], report["skipped"]) == (2, 0), report["errors"]
    assert str(Funding.objects.get(pk=FUNDING).service_id) == SERVICE
    assert any(w["id"] == ids(8) and w["field"] == "funding[0].id" for w in report["warnings"]), (
        report["warnings"]
    )
    # Imported again on its own, the second service still leaves it to the first.
    report = import_report(tmp_path, feed(tmp_path, [second], "again.json"))
    assert (report["updated"], report["skipped"]) == (1, 0), report["errors"]
    assert str(Funding.objects.get(pk=FUNDING).service_id) == SERVICE


def test_a_funding_record_with_a_problem_is_reported_once(tmp_path):
    """The HSDS example lists one funding record both on the service and on its organisation:
    a problem with it is one warning, not one for each place it is listed."""
    data = example()
    for listed in (data["funding"], data["organization"]["funding"]):
        listed[0]["source"] = "<p>MyCity council</p><p>Grants from charities</p>"
    report = import_report(tmp_path, feed(tmp_path, data))
    about = [w["field"] for w in report["warnings"] if "funding" in w["field"]]
    assert about == ["organization.funding[0].source"], report["warnings"]
    assert Funding.objects.get(pk=FUNDING).source == "MyCity council\n\nGrants from charities"
    assert str(Funding.objects.get(pk=FUNDING).service_id) == SERVICE


def test_a_funding_row_of_a_package_left_out_is_reported_once(tmp_path):
    """In a datapackage a row of funding.csv with both ids belongs to the service and to its
    organisation; one that cannot be read is one warning."""
    package = tmp_path / "package"
    shutil.copytree(HSDS / "csv", package)
    with open(package / "funding.csv", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    rows[0]["source"] = ""
    with open(package / "funding.csv", "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = import_report(tmp_path, package)
    assert report["skipped"] == 0, report["errors"]
    about = [w for w in report["warnings"] if "funding" in w["field"]]
    assert [(w["field"], w["message"]) for w in about] == [
        ("organization.funding[0].source", "is required; this funding is left out.")
    ]
    assert not Funding.objects.filter(pk=FUNDING).exists()
