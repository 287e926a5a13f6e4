"""One declaration of the HSDS fields per kind of object (`directory.hsds.schema_fields`): the
importer's reading, the CSV datapackage's columns, the bulk writer's updates and the exports
must not drift apart."""

import dataclasses
from fnmatch import fnmatch

import pytest

from directory.hsds import csv_package, fields, write
from directory.hsds.schema_fields import KINDS, LINK_COLUMNS, Kind, stored_fields
from directory.hsds.serialize import hsds_datetime, service_to_hsds, services_queryset
from directory.models import Location, Organization, Program, Schedule, Service
from tests.directory.test_hsds_fields_kept import not_kept
from tests.directory.test_hsds_serialize import build_full_service

WRITTEN = [
    ("service", Service, write.SERVICE_FIELDS),
    ("organization", Organization, write.ORGANIZATION_FIELDS),
    ("location", Location, write.LOCATION_FIELDS),
    ("program", Program, write.PROGRAM_FIELDS),
]


def listed_as_not_kept(kind, column):
    return any(fnmatch(f"{kind}.{column}", pattern) for pattern in not_kept())


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_kinds_declarations_name_its_own_columns(kind):
    declared = KINDS[kind]
    columns = set(declared.columns)
    assert len(columns) == len(declared.columns), f"{kind} lists a column twice"
    for name in ("unread", "linked_later", "not_stored"):
        assert getattr(declared, name) <= columns, f"{kind}.{name} names no column of it"
    assert not columns & set(declared.nested), f"{kind}: a nested field is also a column"
    for field_name, nested_kind in declared.nested.items():
        assert nested_kind is None or nested_kind in KINDS, f"{kind}.{field_name}"


@pytest.mark.parametrize("table", sorted(csv_package.COLUMNS))
def test_every_csv_column_is_read_or_a_link_or_listed_as_not_kept(table):
    kind = csv_package.KINDS[table]
    for column in csv_package.COLUMNS[table]:
        read = column in fields.KNOWN[kind]
        assert read or column in LINK_COLUMNS or listed_as_not_kept(kind, column), (
            f"{table}.csv {column}: not read, not a link between tables, not listed as not kept"
        )


@pytest.mark.parametrize(("kind", "model", "written"), WRITTEN, ids=[w[0] for w in WRITTEN])
def test_the_writer_updates_the_fields_the_source_declares(kind, model, written):
    declared = KINDS[kind]
    names = {}
    for f in model._meta.concrete_fields:
        names[f.name] = names[f.attname] = f.name
    from_columns = {
        names[c]
        for c in declared.known
        if c in names and c != "id" and c not in declared.linked_later
    }
    assert len(written) == len(set(written))
    assert set(written) == from_columns | set(declared.model_only)
    # Model-only fields are those no HSDS field of the kind names.
    assert not set(declared.model_only) & {names.get(c) for c in declared.columns}
    assert model._meta.pk.name not in written


def test_a_column_naming_no_model_field_is_refused_at_once(monkeypatch):
    service = KINDS["service"]
    monkeypatch.setitem(
        KINDS, "service", dataclasses.replace(service, columns=(*service.columns, "colour"))
    )
    with pytest.raises(LookupError, match="service.colour"):
        stored_fields("service", Service)
    monkeypatch.setitem(KINDS, "service", Kind(columns=("id",), model_only=("free", "colour")))
    with pytest.raises(LookupError, match="colour"):
        stored_fields("service", Service)


def _walk(data, kind, seen):
    """(kind, field) for every field of an exported object and of the objects it nests."""
    declared = KINDS[kind]
    for name, value in data.items():
        seen.add((kind, name))
        inner = declared.nested.get(name)
        if inner is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            _walk(item, inner, seen)


@pytest.mark.django_db
def test_what_the_exports_write_the_importer_reads_or_declares(taxonomy):
    seen = set()
    _walk(service_to_hsds(build_full_service()), "service", seen)
    # The export reaches every kind, so this checks them all, not a corner.
    assert {kind for kind, _name in seen} == set(KINDS)
    for kind, name in sorted(seen):
        declared = KINDS[kind]
        assert name in declared.known or name in declared.unread, (
            f"the exports write {kind}.{name}, which the importer neither reads nor declares"
        )


@pytest.mark.django_db
def test_every_column_the_exports_can_write_is_written(taxonomy):
    """The full service fills every field: each column of each kind kept in a model is in its
    export, but those the importer does not read (`unread`) or reads without storing
    (`not_stored`, unless written from another field: `service.fees`)."""
    service = build_full_service()
    Schedule.objects.create(service=service, freq="MONTHLY", bymonthday="1,15")
    seen = set()
    _walk(service_to_hsds(services_queryset().get(pk=service.pk)), "service", seen)
    # Objects no model holds, made whole by the serializer: a phone's languages (from its
    # codes), the charity number's identifier, attributes (categories and local properties).
    derived = {"phone_language", "organization_identifier", "attribute"}
    for kind, declared in sorted(KINDS.items()):
        if kind in derived:
            continue
        for column in declared.columns:
            if column in declared.unread or column in declared.not_stored:
                continue
            assert (kind, column) in seen, f"the exports do not write {kind}.{column}"
    assert ("service", "fees") in seen


def _declare_service_column(monkeypatch, column):
    """Add a column to what schema_fields declares for services, for this test only."""
    declared = KINDS["service"]
    monkeypatch.setitem(
        KINDS, "service", dataclasses.replace(declared, columns=(*declared.columns, column))
    )


@pytest.mark.django_db
def test_a_column_added_to_a_kind_is_written_without_another_list(taxonomy, monkeypatch):
    service = build_full_service()
    _declare_service_column(monkeypatch, "created_at")
    data = service_to_hsds(service, full=False)
    assert data["created_at"] == hsds_datetime(service.created_at)
    # In the declared order: after the last column, before the nested objects.
    assert list(data)[list(data).index("last_modified") + 1] == "created_at"


@pytest.mark.django_db
def test_a_written_column_naming_no_model_field_is_refused(taxonomy, monkeypatch):
    service = build_full_service()
    _declare_service_column(monkeypatch, "colour")
    with pytest.raises(LookupError, match="service.colour"):
        service_to_hsds(service)
