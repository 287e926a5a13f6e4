"""Work an import would repeat for every service is done once: the terms of a text, a set of
categories' closure and names, a field's length limit, an organisation or place that many
services give. What callers get back is theirs to
change, and the shortcuts give what the long way gives."""

import decimal
import json
import unicodedata
import uuid

import pytest

from core.typed import invisible_characters
from directory.hsds import bulk
from directory.hsds.fields import Fields, Problems
from directory.models import Address, Service, ServiceAtLocation, ServiceLanguage
from directory.search.taxonomy import CategoryNames
from directory.search.text import tokenize
from tests.directory import factories


def test_the_terms_of_a_text_are_a_new_list_each_time():
    first = tokenize("Bereavement counselling for grieving families")
    first.append("changed")
    again = tokenize("Bereavement counselling for grieving families")
    assert again == ["bereav", "counsel", "griev", "famili"]
    assert again is not first


@pytest.mark.django_db
def test_a_closure_and_its_names_are_a_new_list_each_time():
    parent = factories.TaxonomyTermFactory(name="Grief support")
    child = factories.TaxonomyTermFactory(
        name="Child bereavement", taxonomy=parent.taxonomy, parent=parent
    )
    taxonomy = CategoryNames()
    closure = taxonomy.closure([child.pk])
    assert set(closure) == {child.pk, parent.pk}
    closure.clear()
    assert taxonomy.closure(iter([child.pk])) == sorted([child.pk, parent.pk], key=str)
    names = taxonomy.names([child.pk])
    assert {"Grief support", "Child bereavement"} <= set(names)
    names.clear()
    assert {"Grief support", "Child bereavement"} <= set(taxonomy.names([child.pk]))
    # Another set of terms has a closure of its own.
    assert taxonomy.closure([parent.pk]) == [parent.pk]


@pytest.mark.parametrize(
    "value",
    [
        "https://example.org/a?b=c",
        "hello world",
        "tab\there",
        "line\nbreak",
        "nul\x00",
        "delete\x7f",
        "unit\x1fseparator",
        "no-break\xa0space",
        "zero\u200bwidth",
        "",
    ],
)
def test_invisible_characters_are_found_in_plain_ascii_and_beyond(value):
    slow = []
    for char in value:
        if unicodedata.category(char) in ("Cf", "Zs", "Zl", "Zp", "Cc") or char.isspace():
            name = f"U+{ord(char):04X}"
            if name not in slow:
                slow.append(name)
    assert invisible_characters(value) == slow


def test_fields_name_what_they_do_not_read_and_read_blank_text_as_not_given():
    problems, ignored = Problems(), set()
    data = {"name": "  ", "description": "Visits", "colour": "blue", "empty": [], "none": None}
    fields = Fields(data, "", "service", problems, ignored)
    assert ignored == {"service.colour"}
    assert fields.text("name", Service) == ""
    assert fields.text("name", Service, required=True) == ""
    assert problems.errors == [("name", "is required.")]
    assert fields.text("description", Service) == "Visits"
    too_long = Fields({"code": "x" * 20}, "languages[0]", "language", problems, ignored)
    assert too_long.text("code", ServiceLanguage) == "x" * 20
    assert problems.errors[-1][0] == "languages[0].code"


@pytest.mark.django_db
def test_rows_for_the_database_read_every_column_and_convert_those_that_need_it():
    service = factories.ServiceFactory()
    columns = bulk._columns(Service)
    (row,) = bulk._rows([service], columns)
    expected = []
    for _column, attname, convert in columns:
        value = getattr(service, attname)
        expected.append(value if convert is None or value is None else convert(value))
    assert list(row) == expected
    one = [("id", "pk", None)]
    assert [list(r) for r in bulk._rows([service, service], one)] == [[service.pk]] * 2
    converted = [("id", "pk", lambda value: value.hex)]
    assert bulk._rows([service], converted) == [[service.pk.hex]]
    assert isinstance(service.pk, uuid.UUID)


# -- organisations and locations repeated on many services --------------------------------


def _shared_feed():
    """Services of one organisation, which is given in full on each, with problems in the
    organisation and in a place they share: the same place at different positions in their
    lists, a place of another organisation, one copy of the place changed, a service whose
    organisation is given with different values, and one whose organisation is broken."""
    from tests.directory.test_import_hsds import ids, service

    organization = {
        "id": ids(1),
        "name": "<b>Lewisham</b> Hospice",
        "description": "",
        "funding": [{"id": ids(40), "source": "Lottery"}],
        "programs": [{"id": ids(41), "name": "Home visits", "description": "Visits."}],
    }
    place = service(1)["service_at_locations"][0]["location"]
    place["id"] = ids(9001)
    place["addresses"][0]["postal_code"] = "XYZ 123"
    place["accessibility"] = [{"id": ids(60), "description": "Ramp", "details": "<i>Side</i>"}]
    theirs = {
        **place,
        "id": ids(9100),
        "organization_id": ids(99),
        "addresses": [],
        "accessibility": [],
    }
    feed = []
    for n in range(1, 9):
        record = service(n, organization=json.loads(json.dumps(organization)))
        record["service_at_locations"][0]["location"] = json.loads(json.dumps(place))
        feed.append(record)
    feed[1]["service_at_locations"].insert(
        0, {"id": ids(8100), "location": json.loads(json.dumps(theirs))}
    )
    feed[2]["service_at_locations"][0]["location"]["name"] = "The hospice, renamed"
    feed[3]["organization"]["website"] = "example.org/hospice"
    feed[4]["service_at_locations"][0]["location"]["latitude"] = True
    feed[5]["organization"]["name"] = ""
    feed[6]["service_at_locations"].append(
        {"id": ids(8200), "location": json.loads(json.dumps(theirs))}
    )
    return feed


def _import(tmp_path, feed, kept):
    from directory.hsds import mapping
    from directory.hsds.importer import Importer, Origin

    path = tmp_path / "feed.json"
    path.write_text(json.dumps(feed), encoding="utf-8")
    importer = Importer(admin_search=False, batch_size=3, origin=Origin.of_file(path))
    importer.builder.mapped_organizations = mapping._Mapped(kept)
    importer.builder.mapped_locations = mapping._Mapped(kept)
    report = importer.run_json(path)
    return report.as_dict()


def _stored():
    from directory.models import Funding, Location, LocationAccessibility, Organization, Program

    rows = {}
    for model in (Organization, Location, Address, LocationAccessibility, Program, Funding):
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if f.name not in ("created_at", "last_modified")
        ]
        rows[model.__name__] = sorted(model.objects.values_list(*fields), key=str)
    rows["ServiceAtLocation"] = sorted(
        ServiceAtLocation.objects.values_list("service_id", "location_id", "sort_order"),
        key=str,
    )
    return rows


@pytest.mark.django_db
def test_organisations_and_places_mapped_once_are_stored_and_reported_as_before(tmp_path):
    """Mapping each organisation and place once per feed (`mapping._Mapped`) stores the same
    rows and reports the same problems, each under the record and path that gave it, as
    mapping them again for every service (a cache of size 0)."""
    feed = _shared_feed()
    again = _import(tmp_path, feed, 0)
    every_time = _stored()
    from directory.models import Funding, Location, Organization, Program

    for model in (Service, Location, Funding, Program, Organization):
        model.objects.all().delete()
    once = _import(tmp_path, feed, 4096)
    assert _stored() == every_time
    del again["retired_ids"], once["retired_ids"]
    assert once == again
    # The problems are those of each service's own copy, under its own path.
    warnings = {(w["index"], w["field"]) for w in once["warnings"]}
    for index in (0, 1, 2, 3, 4, 6, 7):
        assert (index, "organization.description") in warnings
    assert (0, "service_at_locations[0].location.addresses[0].postal_code") in warnings
    assert (1, "service_at_locations[1].location.addresses[0].postal_code") in warnings
    assert (4, "service_at_locations[0].location.latitude") in warnings
    assert [e["index"] for e in once["errors"]] == [5], once["errors"]


def test_an_organisation_and_a_place_given_alike_are_mapped_once():
    from directory.hsds.mapping import ServiceBuilder
    from directory.hsds.report import ImportReport

    feed = _shared_feed()
    builder = ServiceBuilder(ImportReport(), {}, lambda pk: True, lambda pk: True)
    first, second, renamed, other_site = (builder.build(feed[n], n) for n in (0, 1, 2, 3))
    assert second.organization is first.organization
    assert second.locations[1][0] is first.locations[0][0]  # the shared place, second in list
    assert second.locations[0][0].organization_id is None  # another organisation's place
    assert second.location_organizations == {second.locations[0][0].pk: uuid.UUID(int=99)}
    assert first.location_organizations == {}
    # A copy given differently is mapped from what it says.
    assert renamed.locations[0][0] is not first.locations[0][0]
    assert renamed.locations[0][0].name == "The hospice, renamed"
    assert other_site.organization is not first.organization
    assert other_site.organization.website == "https://example.org/hospice"
    # What a service adds to its organisation's lists stays its own.
    assert first.programs is not second.programs
    assert first.organization_funding is not second.organization_funding


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ({"x": 1, "y": [1, "a"]}, {"x": 1, "y": [1, "a"]}, True),
        ({"x": 1}, {"x": True}, False),
        ({"x": 1}, {"x": 1.0}, False),
        ({"x": decimal.Decimal("1.0")}, {"x": decimal.Decimal("1.00")}, False),
        ({"x": decimal.Decimal("51.46")}, {"x": decimal.Decimal("51.46")}, True),
        ({"x": [1]}, {"x": [1, 2]}, False),
        ({"x": None}, {}, False),
        ({"x": {"y": "a"}}, {"x": {"y": "b"}}, False),
        ({"x": "a', 'y': 'b"}, {"x": "a", "y": "b"}, False),
        # Keys in another order: mapped again, which gives the same rows.
        ({"x": 1, "y": 2}, {"y": 2, "x": 1}, False),
    ],
)
def test_only_the_same_json_counts_as_given_alike(a, b, same):
    from directory.hsds.mapping import _fingerprint

    assert (_fingerprint(a) == _fingerprint(b)) is same


def test_the_places_kept_are_the_most_recently_used():
    from directory.hsds.mapping import _Mapped

    kept = _Mapped(2)
    kept.put("a", "1", None, "A")
    kept.put("b", "2", None, "B")
    assert kept.get("a", "1", None) == "A"
    kept.put("c", "3", None, "C")  # "b" was used least recently
    assert kept.get("b", "2", None) is None
    assert kept.get("a", "1", None) == "A"
    assert kept.get("a", "1", "another organisation") is None
    assert kept.get("c", "4", None) is None
