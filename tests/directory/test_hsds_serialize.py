"""The HSDS 3.0 serialiser: schema-valid output that keeps every field the directory holds."""

import datetime as dt
import decimal
import json
import re
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from core.geo import distance_km
from directory.hsds.serialize import (
    NAMESPACE,
    organization_to_hsds,
    organizations_queryset,
    service_at_location_to_hsds,
    service_at_locations_queryset,
    service_to_hsds,
    services_queryset,
    taxonomy_term_to_hsds,
    taxonomy_to_hsds,
)
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
from tests.directory import factories

pytestmark = pytest.mark.django_db

SCHEMAS = Path(settings.BASE_DIR) / "directory" / "hsds" / "schemas"
SCHEMA_DIRS = {"hsds": SCHEMAS / "hsds-3.0", "oruk": SCHEMAS / "oruk-3.0"}
FULL_OBJECTS = {
    f"compiled/{name}.json": f"{name}.json"
    for name in ("service", "organization", "service_at_location")
}


@cache
def validator(profile, name):
    """A validator for one schema file, its relative $refs resolved inside the same folder."""
    folder = SCHEMA_DIRS[profile]
    registry = Registry().with_resources(
        (path.name, Resource.from_contents(json.loads(path.read_text()), DRAFT202012))
        for path in folder.glob("*.json")
    )
    # The full objects are checked against their own schema files, whose $refs the registry
    # resolves; the published "compiled" copies of them are the same schemas inlined.
    name = FULL_OBJECTS.get(name, name)
    schema = json.loads((folder / name).read_text())
    return Draft202012Validator(
        schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def assert_valid(data, name, profiles=("hsds", "oruk")):
    for profile in profiles:
        errors = sorted(validator(profile, name).iter_errors(data), key=lambda e: e.path)
        assert not errors, f"{profile} {name}: " + "; ".join(
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5]
        )


def build_full_service():
    """A service that uses every field the directory keeps, and every kind of row."""
    parent = factories.OrganizationFactory(name="Parent Trust")
    org = Organization.objects.create(
        name="St Example's Hospice",
        alternate_name="St Ex",
        description="A hospice caring for people in south-east London.",
        email="hello@stexample.org.uk",
        website="https://stexample.org.uk/",
        logo="https://stexample.org.uk/logo.png",
        uri="https://stexample.org.uk/about",
        parent_organization=parent,
        legal_status="Charitable incorporated organisation",
        tax_status="Registered charity",
        tax_id="GB123456789",
        year_incorporated=1984,
        charity_number="1012345",
    )
    location = Location.objects.create(
        organization=org,
        location_type="physical",
        name="Hospice day centre",
        alternate_name="Day centre",
        description="The day centre on the hospice site.",
        transportation="Buses 47 and 136 stop outside.",
        url="https://stexample.org.uk/day-centre",
        latitude=51.4615,
        longitude=-0.0106,
        external_identifier="100023336956",
        external_identifier_type="UPRN",
        step_free=True,
        hearing_loop=True,
    )
    Address.objects.create(
        location=location,
        address_type="physical",
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
        description="Wheelchairs available at reception.",
        details="Ask at the desk.",
        url="https://stexample.org.uk/access",
    )
    service = Service.objects.create(
        organization=org,
        name="Bereavement support",
        alternate_name="Grief support",
        description="One-to-one support after a death.",
        url="https://stexample.org.uk/bereavement",
        email="grief@stexample.org.uk",
        interpretation_services="Interpreters on request.",
        application_process="Call us or ask your GP to refer you.",
        wait_time="About two weeks",
        fees_description="Free; donations welcome.",
        free=True,
        accreditations="BACP",
        licenses="CQC registered",
        eligibility_description="Adults bereaved by a death at the hospice.",
        minimum_age=18,
        maximum_age=110,
        alert="Closed on bank holidays.",
        assured_date=dt.date(2025, 3, 1),
        assurer_email="verifier@stexample.org.uk",
    )
    taxonomy = Taxonomy.objects.create(
        name="Test taxonomy", description="For tests", uri="https://example.org/tx", version="2"
    )
    parent_term = TaxonomyTerm.objects.create(taxonomy=taxonomy, code="support", name="Support")
    term = TaxonomyTerm.objects.create(
        taxonomy=taxonomy,
        code="grief",
        name="Grief",
        description="Support after a death",
        parent=parent_term,
        term_uri="https://example.org/tx/grief",
        language="en",
    )
    service.categories.set([term])
    sal = ServiceAtLocation.objects.create(
        service=service, location=location, description="Tuesdays only here."
    )
    Phone.objects.create(
        service=service,
        number="020 7946 0001",
        extension=12,
        type="voice",
        description="Bereavement line",
        languages="en, ur",
    )
    # Positions as an import or the admin's inline panel gives them: rows of equal position
    # come back in no fixed order (PostgreSQL returned these three in another order once).
    Schedule.objects.create(
        service=service,
        sort_order=0,
        freq="WEEKLY",
        interval=2,
        byday="MO,WE",
        opens_at=dt.time(9, 30),
        closes_at=dt.time(17, 0),
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2025, 12, 31),
        dtstart=dt.date(2025, 1, 6),
        description="Every other Monday and Wednesday",
        notes="Last appointment 16:00",
        attending_type="In person or by video",
        schedule_link="https://stexample.org.uk/timetable",
    )
    Schedule.objects.create(
        service=service,
        sort_order=1,
        service_at_location=sal,
        freq="MONTHLY",
        byday="1TU",
        bymonthday="",
        opens_at=dt.time(10),
        closes_at=dt.time(12),
    )
    Schedule.objects.create(
        service=service,
        sort_order=2,
        closed=True,
        valid_from=dt.date(2025, 12, 25),
        valid_to=dt.date(2025, 12, 26),
    )
    ServiceArea.objects.create(service=service, name="England", extent_type="national")
    ServiceArea.objects.create(
        service=service,
        name="Lewisham",
        description="Lewisham borough",
        extent_type="districts",
        extent="SE13, SE6",
        uri="https://example.org/areas/lewisham",
    )
    ServiceArea.objects.create(
        service=service, name="Near the hospice", extent_type="radius", extent="51.46,-0.01,5"
    )
    ServiceArea.objects.create(
        service=service, name="South London", extent_type="region", extent="South London"
    )
    ServiceLanguage.objects.create(service=service, code="ur", name="Urdu", note="Some staff")
    CostOption.objects.create(
        service=service,
        option="Workshop materials",
        amount=decimal.Decimal("3.50"),
        currency="GBP",
        amount_description="per session",
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2025, 6, 30),
    )
    Contact.objects.create(
        service=service,
        name="Ann Example",
        title="Bereavement lead",
        department="Family support",
        email="ann@stexample.org.uk",
    )
    service.program = Program.objects.create(
        organization=org,
        name="Bereavement programme",
        alternate_name="Grief work",
        description="Everything the hospice does after a death.",
    )
    Funding.objects.create(
        organization=org, service=service, source="NHS South East London", sort_order=0
    )
    Funding.objects.create(organization=org, source="Donations", sort_order=1)
    RequiredDocument.objects.create(
        service=service, document="A referral letter", uri="https://stexample.org.uk/referral"
    )
    service.save()
    return services_queryset().get(pk=service.pk)


@pytest.fixture
def full_service(taxonomy):
    return build_full_service()


def local(attributes, code):
    return [a["value"] for a in attributes if a.get("link_type") == f"cc:{code}"]


def by_id(rows):
    return {row["id"]: row for row in rows}


def test_full_service_is_valid_hsds_and_uk_profile(full_service):
    data = service_to_hsds(full_service)
    assert_valid(data, "compiled/service.json")
    assert_valid(service_to_hsds(full_service, full=False), "compiled/service_list.json")


def test_every_service_field_is_carried(full_service):
    service = full_service
    data = service_to_hsds(service)
    assert data["id"] == str(service.pk)
    assert data["organization_id"] == str(service.organization_id)
    for name in (
        "name",
        "alternate_name",
        "description",
        "url",
        "email",
        "status",
        "interpretation_services",
        "application_process",
        "wait_time",
        "fees_description",
        "accreditations",
        "licenses",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
        "alert",
        "assurer_email",
    ):
        assert data[name] == getattr(service, name), name
    assert data["fees"] == service.fees_description
    assert data["assured_date"] == "2025-03-01"
    last_modified = dt.datetime.fromisoformat(data["last_modified"])
    assert abs(last_modified - service.last_modified) < dt.timedelta(milliseconds=1)
    assert data["last_modified"].endswith("Z")
    assert local(data["attributes"], "free") == ["true"]
    free_options = [o for o in data["cost_options"] if o["amount"] == 0]
    assert [o["option"] for o in free_options] == ["Free"]
    paid = next(o for o in data["cost_options"] if o["amount"])
    assert paid == {
        "id": str(service.cost_options.get().pk),
        "service_id": str(service.pk),
        "valid_from": "2025-01-01",
        "valid_to": "2025-06-30",
        "option": "Workshop materials",
        "currency": "GBP",
        "amount": 3.5,
        "amount_description": "per session",
    }
    contact = service.contacts.get()
    assert data["contacts"] == [
        {
            "id": str(contact.pk),
            "service_id": str(service.pk),
            "name": "Ann Example",
            "title": "Bereavement lead",
            "department": "Family support",
            "email": "ann@stexample.org.uk",
        }
    ]
    funding = service.funding.get()
    assert data["funding"] == [
        {
            "id": str(funding.pk),
            "organization_id": str(service.organization_id),
            "service_id": str(service.pk),
            "source": "NHS South East London",
        }
    ]
    assert [f["source"] for f in data["organization"]["funding"]] == [
        "NHS South East London",
        "Donations",
    ]
    assert data["program_id"] == str(service.program_id)
    assert data["program"] == {
        "id": str(service.program_id),
        "organization_id": str(service.organization_id),
        "name": "Bereavement programme",
        "alternate_name": "Grief work",
        "description": "Everything the hospice does after a death.",
    }
    assert [p["id"] for p in data["organization"]["programs"]] == [str(service.program_id)]
    document = service.required_documents.get()
    assert data["required_documents"] == [
        {
            "id": str(document.pk),
            "service_id": str(service.pk),
            "document": "A referral letter",
            "uri": "https://stexample.org.uk/referral",
        }
    ]
    language = service.languages.get()
    assert data["languages"] == [
        {
            "id": str(language.pk),
            "service_id": str(service.pk),
            "name": "Urdu",
            "code": "ur",
            "note": "Some staff",
        }
    ]


def test_a_paying_service_says_so_and_gets_no_free_cost_option(full_service):
    Service.objects.filter(pk=full_service.pk).update(free=False, fees_description="")
    service = services_queryset().get(pk=full_service.pk)
    data = service_to_hsds(service)
    assert local(data["attributes"], "free") == ["false"]
    assert all(option["amount"] != 0 for option in data["cost_options"])
    assert "fees" not in data and "fees_description" not in data


def test_free_service_without_fee_text_says_free_in_the_uk_fees_field(taxonomy):
    service = factories.ServiceFactory(free=True, fees_description="")
    assert service_to_hsds(service, full=False)["fees"] == "Free"


def test_organisation_fields_and_charity_number(full_service):
    org = full_service.organization
    data = organization_to_hsds(organizations_queryset().get(pk=org.pk))
    assert_valid(data, "compiled/organization.json")
    assert_valid(organization_to_hsds(org, nested=False), "compiled/organization_list.json")
    for name in (
        "name",
        "alternate_name",
        "description",
        "email",
        "website",
        "logo",
        "uri",
        "legal_status",
        "tax_status",
        "tax_id",
        "year_incorporated",
    ):
        assert data[name] == getattr(org, name), name
    assert data["parent_organization_id"] == str(org.parent_organization_id)
    [identifier] = data["organization_identifiers"]
    assert identifier["identifier_scheme"] == "GB-CHC"
    assert identifier["identifier"] == "1012345"
    assert [s["id"] for s in data["services"]] == [str(full_service.pk)]
    assert [loc["name"] for loc in data["locations"]] == ["Hospice day centre"]
    assert "editors" not in json.dumps(data)


@pytest.mark.parametrize(
    ("number", "scheme"),
    [("SC012345", "GB-SC"), ("NIC100001", "GB-NIC"), ("1012345", "GB-CHC"), ("", None)],
)
def test_charity_numbers_get_the_org_id_scheme_of_their_register(db, number, scheme):
    org = factories.OrganizationFactory(charity_number=number)
    identifiers = organization_to_hsds(org)["organization_identifiers"]
    assert [i["identifier_scheme"] for i in identifiers] == ([scheme] if scheme else [])


def test_location_address_and_accessibility(full_service):
    [sal] = service_to_hsds(full_service)["service_at_locations"]
    assert sal["description"] == "Tuesdays only here."
    location = sal["location"]
    stored = ServiceAtLocation.objects.get(service=full_service).location
    for name in (
        "location_type",
        "url",
        "name",
        "alternate_name",
        "description",
        "transportation",
        "latitude",
        "longitude",
        "external_identifier",
        "external_identifier_type",
    ):
        assert location[name] == getattr(stored, name), name
    assert location["organization_id"] == str(stored.organization_id)
    [address] = location["addresses"]
    assert address == {
        "id": str(stored.addresses.get().pk),
        "location_id": str(stored.pk),
        "attention": "Reception",
        "address_1": "1 High Street",
        "address_2": "Lewisham",
        "city": "London",
        "region": "London",
        "state_province": "Greater London",
        "postal_code": "SE13 6LH",
        "country": "GB",
        "address_type": "physical",
    }
    descriptions = [row["description"] for row in location["accessibility"]]
    assert descriptions == [
        "Wheelchairs available at reception.",
        "Step-free access",
        "Hearing loop",
    ]
    features = [
        local(row.get("attributes", []), "accessibility_feature")
        for row in location["accessibility"]
    ]
    assert features == [[], ["step_free"], ["hearing_loop"]]
    assert location["accessibility"][0]["details"] == "Ask at the desk."


def test_schedules_opening_times_and_closures(full_service):
    schedules = service_to_hsds(full_service)["schedules"]
    weekly, monthly, closure = schedules
    assert weekly | {"id": None} == {
        "id": None,
        "service_id": str(full_service.pk),
        "valid_from": "2025-01-01",
        "valid_to": "2025-12-31",
        "dtstart": "2025-01-06",
        "freq": "WEEKLY",
        "interval": 2,
        "byday": "MO,WE",
        "description": "Every other Monday and Wednesday",
        "opens_at": "09:30:00",
        "closes_at": "17:00:00",
        "schedule_link": "https://stexample.org.uk/timetable",
        "attending_type": "In person or by video",
        "notes": "Last appointment 16:00",
    }
    sal = ServiceAtLocation.objects.get(service=full_service)
    assert monthly["service_at_location_id"] == str(sal.pk)
    assert (monthly["freq"], monthly["byday"]) == ("MONTHLY", "1TU")
    # A closure: its dates, a description, no opening rule or hours, and the closed flag.
    assert closure["valid_from"] == "2025-12-25" and closure["valid_to"] == "2025-12-26"
    assert closure["description"] == "Closed"
    assert not {"freq", "interval", "byday", "opens_at", "closes_at"} & closure.keys()
    assert local(closure["attributes"], "closed") == ["true"]
    assert "attributes" not in weekly
    # The location's own schedule is listed with it when it is serialised on its own.
    own = service_at_location_to_hsds(service_at_locations_queryset().get(pk=sal.pk))
    assert [s["id"] for s in own["schedules"]] == [monthly["id"]]


def test_service_areas_map_to_extent_formats_and_keep_their_kind(full_service):
    areas = {area["name"]: area for area in service_to_hsds(full_service)["service_areas"]}
    assert "extent" not in areas["England"]
    assert local(areas["England"]["attributes"], "area_kind") == ["national"]
    lewisham = areas["Lewisham"]
    assert (lewisham["extent_type"], lewisham["extent"]) == ("text", "SE13, SE6")
    assert lewisham["service_area"] == "Lewisham"
    assert lewisham["uri"] == "https://example.org/areas/lewisham"
    assert local(lewisham["attributes"], "area_kind") == ["districts"]
    assert local(areas["South London"]["attributes"], "area_kind") == ["region"]
    radius = areas["Near the hospice"]
    assert radius["extent_type"] == "geojson"
    assert local(radius["attributes"], "area_kind") == ["radius"]
    feature = json.loads(radius["extent"])
    assert feature["properties"] == {"latitude": 51.46, "longitude": -0.01, "radius_km": 5.0}
    [ring] = feature["geometry"]["coordinates"]
    assert ring[0] == ring[-1] and len(ring) == 33
    for lon, lat in ring:
        assert distance_km(51.46, -0.01, lat, lon) == pytest.approx(5.0, rel=0.001)
    # RFC 7946: the exterior ring runs anticlockwise, so its signed area is positive.
    signed = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))
    assert signed > 0


def test_phones_carry_their_languages_with_stable_ids(full_service):
    [phone] = service_to_hsds(full_service)["phones"]
    assert phone["number"] == "020 7946 0001"
    assert (phone["extension"], phone["type"], phone["description"]) == (
        12,
        "voice",
        "Bereavement line",
    )
    assert [(lang["code"], lang["name"]) for lang in phone["languages"]] == [
        ("en", "English"),
        ("ur", "Urdu"),
    ]
    again = service_to_hsds(services_queryset().get(pk=full_service.pk))["phones"][0]
    assert again["languages"] == phone["languages"]
    assert NAMESPACE.version == 4  # derived ids are UUID 5 in a fixed, random namespace


def test_categories_are_attributes_with_nested_terms(full_service):
    [attribute] = [a for a in service_to_hsds(full_service)["attributes"] if "taxonomy_term" in a]
    [term] = full_service.categories.all()
    assert attribute["link_id"] == str(full_service.pk)
    assert (attribute["link_entity"], attribute["link_type"]) == ("service", "service_type")
    assert attribute["taxonomy_term_id"] == str(term.pk)
    nested = attribute["taxonomy_term"]
    assert nested["parent_id"] == str(term.parent_id)
    assert nested["taxonomy_detail"]["name"] == "Test taxonomy"


def test_taxonomies_and_terms_are_valid(full_service):
    term = TaxonomyTerm.objects.select_related("taxonomy").get(code="grief")
    data = taxonomy_term_to_hsds(term)
    assert_valid(data, "taxonomy_term.json")
    assert data == data | {
        "code": "grief",
        "name": "Grief",
        "term": "Grief",
        "description": "Support after a death",
        "taxonomy": "Test taxonomy",
        "taxonomy_id": str(term.taxonomy_id),
        "language": "en",
        "term_uri": "https://example.org/tx/grief",
    }
    top = TaxonomyTerm.objects.select_related("taxonomy").get(code="support")
    assert taxonomy_term_to_hsds(top)["description"] == ""  # required, so present though empty
    taxonomy = taxonomy_to_hsds(term.taxonomy, terms=True)
    assert_valid(taxonomy, "taxonomy.json")
    assert {t["code"] for t in taxonomy["taxonomy_terms"]} == {"grief", "support"}
    assert (taxonomy["uri"], taxonomy["version"]) == ("https://example.org/tx", "2")


def test_service_at_location_is_valid(full_service):
    sal = service_at_locations_queryset().get(service=full_service)
    assert_valid(service_at_location_to_hsds(sal), "compiled/service_at_location.json")
    listed = service_at_location_to_hsds(
        service_at_locations_queryset(full=False).get(pk=sal.pk), full=False
    )
    assert_valid(listed, "compiled/service_at_location_list.json")
    assert "addresses" not in listed["location"] and "phones" not in listed["service"]


def test_the_corpus_serialises_validly(corpus):
    for service in services_queryset(
        Service.objects.filter(pk__in=[s.pk for s in corpus.values()])
    ):
        assert_valid(service_to_hsds(service), "compiled/service.json")


def _make_services(count, taxonomy):
    """Services with one of every row, written in bulk (serialising needs no search index)."""
    org = factories.OrganizationFactory()
    program = Program.objects.create(organization=org, name="Programme", description="All")
    Funding.objects.create(organization=org, source="Donations")
    services = Service.objects.bulk_create(
        Service(organization=org, program=program, name=f"Service {n}", description="Help")
        for n in range(count)
    )
    locations = Location.objects.bulk_create(
        Location(organization=org, latitude=51.4, longitude=0.0) for _ in services
    )
    Address.objects.bulk_create(
        Address(location=loc, address_1="1 Road", city="London", postal_code="SE1 1AA")
        for loc in locations
    )
    LocationAccessibility.objects.bulk_create(
        LocationAccessibility(location=loc, description="Ramp") for loc in locations
    )
    ServiceAtLocation.objects.bulk_create(
        ServiceAtLocation(service=s, location=loc)
        for s, loc in zip(services, locations, strict=True)
    )
    for model, fields in [
        (Phone, {"number": "020 7946 0000", "languages": "en"}),
        (Schedule, {"byday": "MO", "opens_at": dt.time(9), "closes_at": dt.time(17)}),
        (ServiceArea, {"name": "England", "extent_type": "national"}),
        (ServiceLanguage, {"code": "en"}),
        (CostOption, {"amount": 1}),
        (Contact, {"name": "A"}),
        (Funding, {"source": "A grant"}),
        (RequiredDocument, {"document": "A letter"}),
    ]:
        model.objects.bulk_create(model(service=s, **fields) for s in services)
    Service.categories.through.objects.bulk_create(
        Service.categories.through(service=s, taxonomyterm=taxonomy["bereavement-counselling"])
        for s in services
    )


@pytest.mark.parametrize("count", [5, 50])
def test_a_page_of_services_serialises_in_a_constant_number_of_queries(
    taxonomy, django_assert_max_num_queries, count
):
    _make_services(count, taxonomy)
    # One query for services, organisations and programmes, one per prefetched relation
    # (phones, schedules, areas, languages, costs, contacts, funding, required documents,
    # the organisation's funding and programmes, categories with taxonomies, locations,
    # addresses, accessibility): fifteen, whatever the page size.
    with django_assert_max_num_queries(15):
        data = [service_to_hsds(s) for s in services_queryset()[:50]]
    assert len(data) == count
    assert all(d["service_at_locations"][0]["location"]["addresses"] for d in data)


def test_a_page_of_service_at_locations_serialises_in_a_constant_number_of_queries(
    taxonomy, django_assert_max_num_queries
):
    _make_services(20, taxonomy)
    with django_assert_max_num_queries(16):
        data = [service_at_location_to_hsds(sal) for sal in service_at_locations_queryset()[:50]]
    assert len(data) == 20


def test_the_schema_checks_check_every_format_the_vendored_schemas_use():
    used = set()
    for folder in SCHEMA_DIRS.values():
        for path in folder.rglob("*.json"):
            used.update(re.findall(r'"format":\s*"([a-z-]+)"', path.read_text()))
    # "csv" and "datetime" are HSDS's own words, not JSON Schema formats: nothing checks them.
    assert used - {"csv", "datetime"} == {"date-time", "email", "uri", "uuid"}
    assert used - {"csv", "datetime"} <= set(Draft202012Validator.FORMAT_CHECKER.checkers)
