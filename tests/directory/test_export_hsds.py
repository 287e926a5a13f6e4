"""manage.py export_hsds, and the round trip: export, import into an empty directory, export."""

import datetime as dt
import json
import zipfile
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from directory.models import (
    Address,
    Contact,
    CostOption,
    Funding,
    Location,
    LocationAccessibility,
    Organization,
    Phone,
    Program,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceLanguage,
    Taxonomy,
    TaxonomyTerm,
)

MANCHESTER = (Path(__file__).parent.parent / "fixtures" / "geo" / "manchester.geojson").read_text()


def command(name, *args):
    out = StringIO()
    call_command(name, *[str(a) for a in args], stdout=out)
    return out.getvalue()


@pytest.fixture
def rich(db):
    """Services that between them fill every field the directory keeps."""
    taxonomy = Taxonomy.objects.create(
        name="Round trip terms", description="Terms.", uri="https://example.org/t", version="2"
    )
    parent = TaxonomyTerm.objects.create(
        taxonomy=taxonomy, code="loss", name="Loss", description="After a death."
    )
    child = TaxonomyTerm.objects.create(
        taxonomy=taxonomy,
        code="child-grief",
        name="Children's grief",
        parent=parent,
        term_uri="https://example.org/t/child-grief",
        language="en",
    )
    umbrella = Organization.objects.create(name="Umbrella", description="A network.")
    org = Organization.objects.create(
        name="Lewisham Hospice",
        alternate_name="LH",
        description="A hospice in south London.",
        email="info@example.org",
        website="https://example.org",
        logo="https://example.org/logo.png",
        uri="https://example.org/org",
        parent_organization=umbrella,
        legal_status="Charitable company",
        tax_status="Exempt",
        tax_id="GB123",
        year_incorporated=1990,
        charity_number="SC012345",
    )
    location = Location.objects.create(
        organization=org,
        location_type="physical",
        name="Hospice day centre",
        alternate_name="Day centre",
        description="Ground floor.",
        transportation="Bus 47",
        url="https://example.org/centre",
        latitude=51.4615,
        longitude=-0.0106,
        external_identifier="100023",
        external_identifier_type="UPRN",
        step_free=True,
        hearing_loop=True,
    )
    Address.objects.create(
        location=location,
        attention="Reception",
        address_1="1 High Street",
        address_2="Lewisham",
        city="London",
        region="London",
        state_province="Greater London",
        postal_code="SE13 6LH",
        country="GB",
    )
    LocationAccessibility.objects.create(
        location=location,
        description="Lift to all floors",
        details="Big lift",
        url="https://a.example",
    )
    online = Location.objects.create(organization=org, location_type="virtual", name="Online")

    service = Service.objects.create(
        organization=org,
        name="Bereavement counselling",
        alternate_name="Counselling",
        description="Talk to someone.",
        url="https://example.org/c",
        email="c@example.org",
        status="active",
        interpretation_services="Urdu",
        application_process="Ring us",
        wait_time="2 weeks",
        fees_description="£10 a session",
        free=False,
        accreditations="BACP",
        licenses="None needed",
        eligibility_description="Adults",
        minimum_age=18,
        maximum_age=99,
        alert="Closed at Easter",
        assured_date=dt.date(2025, 1, 2),
        assurer_email="checker@example.org",
    )
    service.categories.set([child, parent])
    at_centre = ServiceAtLocation.objects.create(
        service=service, location=location, description="Mondays here"
    )
    ServiceAtLocation.objects.create(service=service, location=online)
    Phone.objects.create(
        service=service,
        number="020 7946 0000",
        extension=12,
        type="voice",
        description="Reception",
        languages="en, ur",
    )
    Phone.objects.create(service=service, number="07700 900000", type="text")
    Schedule.objects.create(
        service=service,
        service_at_location=at_centre,
        freq="WEEKLY",
        interval=2,
        byday="MO",
        opens_at=dt.time(9),
        closes_at=dt.time(12, 30),
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2030, 1, 1),
        dtstart=dt.date(2025, 1, 6),
        description="Mornings",
        notes="Ring first",
        attending_type="In person",
        schedule_link="https://example.org/s",
    )
    Schedule.objects.create(
        service=service,
        freq="MONTHLY",
        byday="-1FR",
        bymonthday="",
        opens_at=dt.time(14),
        closes_at=dt.time(16),
    )
    Schedule.objects.create(
        service=service,
        closed=True,
        valid_from=dt.date(2030, 12, 25),
        valid_to=dt.date(2030, 12, 26),
    )
    ServiceArea.objects.create(service=service, name="England", extent_type="national")
    ServiceArea.objects.create(
        service=service,
        name="Lewisham",
        extent_type="districts",
        extent="SE13, SE6",
        description="The borough",
        uri="https://example.org/area",
    )
    ServiceArea.objects.create(
        service=service, name="Near us", extent_type="radius", extent="51.4615, -0.0106, 5"
    )
    ServiceArea.objects.create(service=service, name="South London", extent_type="region")
    ServiceArea.objects.create(
        service=service, name="Manchester", extent_type="geojson", extent=MANCHESTER
    )
    ServiceLanguage.objects.create(service=service, code="en", name="English", note="")
    ServiceLanguage.objects.create(service=service, code="ur", name="Urdu", note="Tuesdays")
    CostOption.objects.create(
        service=service,
        option="Session",
        amount=Decimal("10.50"),
        currency="GBP",
        amount_description="per hour",
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2026, 1, 1),
    )
    Contact.objects.create(
        service=service, name="Ann", title="Manager", department="Reception", email="a@example.org"
    )
    program = Program.objects.create(
        organization=org,
        name="Bereavement programme",
        alternate_name="Grief work",
        description="Everything we do after a death.",
        sort_order=0,
    )
    Program.objects.create(
        organization=org, name="Carers' programme", description="For carers.", sort_order=1
    )
    Service.objects.filter(pk=service.pk).update(program=program)
    Funding.objects.create(
        organization=org, service=service, source="NHS South East London", sort_order=0
    )
    Funding.objects.create(organization=org, source="Donations", sort_order=1)
    Funding.objects.create(service=service, source="The National Lottery", sort_order=1)
    RequiredDocument.objects.create(
        service=service,
        document="A referral letter",
        uri="https://example.org/referral",
        sort_order=0,
    )
    RequiredDocument.objects.create(
        service=service, uri="https://example.org/form.pdf", sort_order=1
    )
    helpline = Service.objects.create(
        organization=org, name="Helpline", description="Ring any time.", status="temporarily closed"
    )
    Schedule.objects.create(
        service=helpline,
        byday="MO,TU,WE,TH,FR,SA,SU",
        opens_at=dt.time(0),
        closes_at=dt.time(23, 59),
    )
    Service.objects.create(organization=umbrella, name="Network news", description="News.")
    return service


def wipe():
    """An empty directory, as a fresh database would have."""
    Service.objects.all().delete()
    Location.objects.all().delete()
    Organization.objects.all().delete()
    TaxonomyTerm.objects.filter(parent__isnull=False).delete()
    TaxonomyTerm.objects.all().delete()
    Taxonomy.objects.all().delete()


def test_json_export_is_a_list_of_full_services(rich, tmp_path):
    path = tmp_path / "out.json"
    assert "Exported 3 services" in command("export_hsds", path)
    data = json.loads(path.read_text())
    assert len(data) == 3
    counselling = next(item for item in data if item["name"] == "Bereavement counselling")
    assert counselling["organization"]["organization_identifiers"][0]["identifier"] == "SC012345"
    assert len(counselling["schedules"]) == 3
    assert counselling["service_at_locations"][0]["location"]["addresses"][0]["city"] == "London"


def test_csv_export_writes_a_datapackage(rich, tmp_path):
    folder = tmp_path / "package"
    command("export_hsds", folder, "--format", "csv")
    package = json.loads((folder / "datapackage.json").read_text())
    names = {resource["path"] for resource in package["resources"]}
    assert {"services.csv", "phones.csv", "taxonomy_terms.csv", "attributes.csv"} <= names
    assert all((folder / name).exists() for name in names)
    services = (folder / "services.csv").read_text().splitlines()
    assert len(services) == 4  # header and three services
    archive = tmp_path / "package.zip"
    command("export_hsds", archive)
    with zipfile.ZipFile(archive) as zipped:
        assert "datapackage.json" in zipped.namelist()


@pytest.mark.parametrize("form", ["json", "csv", "zip"])
def test_round_trip_gives_identical_output(rich, tmp_path, form):
    first = tmp_path / "first.json"
    command("export_hsds", first)
    target = {"json": first, "csv": tmp_path / "package", "zip": tmp_path / "package.zip"}[form]
    if form != "json":
        command("export_hsds", target, "--format", "csv")
    wipe()
    assert not Service.objects.exists()
    report = tmp_path / "report.json"
    output = command("import_hsds", target, "--no-progress", "--report", report)
    assert "3 created, 0 updated, 0 skipped" in output, output
    assert json.loads(report.read_text())["error_count"] == 0

    second = tmp_path / "second.json"
    command("export_hsds", second)
    assert second.read_text() == first.read_text()
    # Flags that are not in HSDS by name came back too.
    service = Service.objects.get(pk=rich.pk)
    assert service.free is False
    assert Schedule.objects.filter(service=service, closed=True).count() == 1
    location = Location.objects.get(name="Hospice day centre")
    assert (location.step_free, location.hearing_loop, location.parking) == (True, True, False)
    assert service.open_24_7 is False
    assert Service.objects.get(name="Helpline").open_24_7 is True
    # Funding, programmes and required documents came back as they were.
    assert service.program.name == "Bereavement programme"
    assert list(service.organization.programs.values_list("name", flat=True)) == [
        "Bereavement programme",
        "Carers' programme",
    ]
    assert sorted(
        (f.source, f.service_id is not None, f.organization_id is not None)
        for f in Funding.objects.all()
    ) == [
        ("Donations", False, True),
        ("NHS South East London", True, True),
        ("The National Lottery", True, False),
    ]
    assert list(service.required_documents.values_list("document", "uri")) == [
        ("A referral letter", "https://example.org/referral"),
        ("", "https://example.org/form.pdf"),
    ]


@pytest.mark.parametrize("form", ["csv", "zip"])
def test_round_trip_keeps_unused_terms_and_organisations_without_services(rich, tmp_path, form):
    taxonomy = Taxonomy.objects.get(name="Round trip terms")
    grandparent = TaxonomyTerm.objects.create(
        taxonomy=taxonomy, code="unused-parent", name="Nobody uses me", description="A heading."
    )
    TaxonomyTerm.objects.create(
        taxonomy=taxonomy, code="unused-child", name="Nor me", parent=grandparent, language="en"
    )
    parent_org = Organization.objects.create(name="Alone", description="No services yet.")
    Program.objects.create(organization=parent_org, name="Planned", description="Starts soon.")
    Funding.objects.create(organization=parent_org, source="A founding grant")
    Organization.objects.create(
        name="Alone too",
        description="A branch with no services.",
        charity_number="1234567",
        parent_organization=parent_org,
        year_incorporated=1999,
    )

    def snapshot():
        terms = {
            (t.code, t.name, t.description, t.language, t.parent.code if t.parent else None)
            for t in TaxonomyTerm.objects.select_related("parent")
        }
        organizations = {
            (
                o.name,
                o.description,
                o.charity_number,
                o.year_incorporated,
                o.parent_organization.name if o.parent_organization else None,
            )
            for o in Organization.objects.select_related("parent_organization")
        }
        children = {
            (f.organization.name, f.source)
            for f in Funding.objects.filter(organization__isnull=False).select_related(
                "organization"
            )
        } | {(p.organization.name, p.name) for p in Program.objects.select_related("organization")}
        return terms, organizations, children

    before = snapshot()
    target = tmp_path / ("package" if form == "csv" else "package.zip")
    command("export_hsds", target, "--format", "csv")
    wipe()
    assert not TaxonomyTerm.objects.exists() and not Organization.objects.exists()
    report = tmp_path / "report.json"
    command("import_hsds", target, "--no-progress", "--report", report)
    assert json.loads(report.read_text())["error_count"] == 0
    after = snapshot()
    assert after == before
    assert ("unused-child", "Nor me", "", "en", "unused-parent") in after[0]
    assert ("Alone too", "A branch with no services.", "1234567", 1999, "Alone") in after[1]
    assert {("Alone", "Planned"), ("Alone", "A founding grant")} <= after[2]
