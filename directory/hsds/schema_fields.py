"""The HSDS 3.0 fields the directory reads and writes, kind of object by kind of object.

One table, `KINDS`, from which the rest is derived: what the importer reads of each JSON
object (`known`, the importer's `KNOWN`), the columns of each CSV datapackage table
(`csv_columns`), the model fields the bulk writer updates (`stored_fields`), and the fields the
JSON writer writes. Each kind (`service`, `phone`, ...) gives:

- `columns`: its own fields, in the order of the HSDS 3.0 tabular examples: the columns of its
  CSV table, each read from a JSON object too, except those in `unread`;
- `unread`: columns its CSV table carries that the importer does not read: ids that the
  nesting of a JSON record implies (a phone's `location_id`), or fields not kept (listed, with
  the reason, in README.md);
- `nested`: fields only a JSON object has, with the kind of object each holds (`phones` holds
  phones), or None for the UK profile's repeat of another field (`service_area.service_area`
  repeats `name`);
- `table`: its CSV table, if it has one;
- `not_stored`: columns read but not kept as a field of their own: `service.fees` goes into
  `fees_description` when that is empty, `schedule.wkst` is only checked;
- for the kinds whose rows an import updates in place (services, organisations, places and
  programmes): `model_only`, the model's fields that no HSDS field names, which the mapping
  fills (`Service.free`, from the cost options and `cc:free`); `linked_later`, columns linked
  only once the whole feed is read (an organisation's parent).

The JSON writer (`serialize.py`) writes each column of a kind kept in a model from the model's
field of that name, in this order; a column no field names is written only where the writer
says how (`service.fees`), and is otherwise in `unread` or `not_stored`.

CSV tables join by the ids in `LINK_COLUMNS`; a package's column among them is never reported
as ignored, since it says where a row belongs.
"""

from dataclasses import dataclass, field

from directory.search.query import ACCESSIBILITY_FEATURES


@dataclass(frozen=True)
class Kind:
    """The HSDS fields of one kind of object; see the module's docstring."""

    columns: tuple
    table: str | None = None
    unread: frozenset = frozenset()
    nested: dict = field(default_factory=dict)
    model_only: tuple = ()
    linked_later: frozenset = frozenset()
    not_stored: frozenset = frozenset()

    @property
    def known(self):
        """What the importer reads of a JSON object of this kind."""
        return frozenset(c for c in self.columns if c not in self.unread) | set(self.nested)


KINDS = {
    "service": Kind(
        table="services",
        columns=(
            "id",
            "organization_id",
            "program_id",
            "name",
            "alternate_name",
            "description",
            "url",
            "email",
            "status",
            "interpretation_services",
            "application_process",
            "fees_description",
            "wait_time",
            "fees",
            "accreditations",
            "eligibility_description",
            "minimum_age",
            "maximum_age",
            "assured_date",
            "assurer_email",
            "licenses",
            "alert",
            "last_modified",
        ),
        nested={
            "organization": "organization",
            "phones": "phone",
            "schedules": "schedule",
            "service_areas": "service_area",
            "service_at_locations": "service_at_location",
            "languages": "language",
            "cost_options": "cost_option",
            "contacts": "contact",
            "attributes": "attribute",
            "funding": "funding",
            "program": "program",
            "required_documents": "required_document",
        },
        model_only=("free",),
        not_stored=frozenset({"fees"}),
    ),
    "organization": Kind(
        table="organizations",
        columns=(
            "id",
            "name",
            "alternate_name",
            "description",
            "email",
            "website",
            "tax_status",
            "tax_id",
            "year_incorporated",
            "legal_status",
            "logo",
            "uri",
            "parent_organization_id",
        ),
        nested={
            "organization_identifiers": "organization_identifier",
            "funding": "funding",
            "programs": "program",
        },
        # The charity number comes from `organization_identifiers`; HSDS has no
        # last_modified for an organisation.
        model_only=("charity_number", "last_modified"),
        linked_later=frozenset({"parent_organization_id"}),
    ),
    "organization_identifier": Kind(
        table="organization_identifiers",
        columns=("id", "organization_id", "identifier_scheme", "identifier_type", "identifier"),
        unread=frozenset({"organization_id"}),
    ),
    "location": Kind(
        table="locations",
        columns=(
            "id",
            "location_type",
            "url",
            "organization_id",
            "name",
            "alternate_name",
            "description",
            "transportation",
            "latitude",
            "longitude",
            "external_identifier",
            "external_identifier_type",
        ),
        nested={
            "addresses": "address",
            "accessibility": "accessibility",
            "attributes": "attribute",
        },
        # The accessibility features come from `accessibility` entries (cc:accessibility_feature).
        model_only=(*ACCESSIBILITY_FEATURES, "last_modified"),
    ),
    "address": Kind(
        table="addresses",
        columns=(
            "id",
            "location_id",
            "attention",
            "address_1",
            "address_2",
            "city",
            "region",
            "state_province",
            "postal_code",
            "country",
            "address_type",
        ),
    ),
    "accessibility": Kind(
        table="accessibility",
        columns=("id", "location_id", "description", "details", "url"),
        nested={"accessibility": None, "attributes": "attribute"},
    ),
    "service_at_location": Kind(
        table="service_at_location",
        columns=("id", "service_id", "location_id", "description"),
        nested={"location": "location", "schedules": "schedule"},
    ),
    "phone": Kind(
        table="phones",
        columns=(
            "id",
            "location_id",
            "service_id",
            "organization_id",
            "contact_id",
            "service_at_location_id",
            "number",
            "extension",
            "type",
            "description",
        ),
        unread=frozenset(
            {"location_id", "organization_id", "contact_id", "service_at_location_id"}
        ),
        nested={"languages": "phone_language"},
    ),
    # A phone's languages: rows of the languages table, read inside the phone.
    "phone_language": Kind(columns=("id", "phone_id", "name", "code", "note")),
    "schedule": Kind(
        table="schedules",
        columns=(
            "id",
            "service_id",
            "location_id",
            "service_at_location_id",
            "valid_from",
            "valid_to",
            "dtstart",
            "timezone",
            "until",
            "count",
            "wkst",
            "freq",
            "interval",
            "byday",
            "byweekno",
            "bymonthday",
            "byyearday",
            "description",
            "opens_at",
            "closes_at",
            "schedule_link",
            "attending_type",
            "notes",
        ),
        unread=frozenset({"location_id", "timezone", "until", "count", "byweekno", "byyearday"}),
        not_stored=frozenset({"wkst"}),
        nested={"attributes": "attribute"},
    ),
    "service_area": Kind(
        table="service_areas",
        columns=("id", "service_id", "name", "description", "extent", "extent_type", "uri"),
        nested={"service_area": None, "attributes": "attribute"},
    ),
    "language": Kind(
        table="languages",
        columns=("id", "service_id", "location_id", "phone_id", "name", "code", "note"),
        unread=frozenset({"location_id", "phone_id"}),
    ),
    "cost_option": Kind(
        table="cost_options",
        columns=(
            "id",
            "service_id",
            "valid_from",
            "valid_to",
            "option",
            "currency",
            "amount",
            "amount_description",
        ),
    ),
    "contact": Kind(
        table="contacts",
        columns=(
            "id",
            "organization_id",
            "service_id",
            "service_at_location_id",
            "location_id",
            "name",
            "title",
            "department",
            "email",
        ),
        unread=frozenset({"organization_id", "service_at_location_id", "location_id"}),
    ),
    "funding": Kind(table="funding", columns=("id", "organization_id", "service_id", "source")),
    "program": Kind(
        table="programs",
        columns=("id", "organization_id", "name", "alternate_name", "description"),
        model_only=("sort_order",),
    ),
    "required_document": Kind(
        table="required_documents", columns=("id", "service_id", "document", "uri")
    ),
    "taxonomy": Kind(table="taxonomies", columns=("id", "name", "description", "uri", "version")),
    "taxonomy_term": Kind(
        table="taxonomy_terms",
        columns=(
            "id",
            "code",
            "name",
            "description",
            "parent_id",
            "taxonomy",
            "language",
            "taxonomy_id",
            "term_uri",
        ),
        nested={"term": None, "taxonomy_detail": "taxonomy"},
    ),
    "attribute": Kind(
        table="attributes",
        columns=("id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"),
        nested={"taxonomy_term": "taxonomy_term"},
    ),
}

# The ids CSV tables join by.
LINK_COLUMNS = frozenset(
    {
        "service_id",
        "location_id",
        "organization_id",
        "phone_id",
        "contact_id",
        "service_at_location_id",
        "link_id",
        "taxonomy_term_id",
        "parent_id",
        "taxonomy_id",
        "program_id",
    }
)


def known():
    """Kind -> the fields the importer reads of a JSON object of that kind."""
    return {name: kind.known for name, kind in KINDS.items()}


def csv_columns():
    """CSV table -> its columns, in order."""
    return {kind.table: list(kind.columns) for kind in KINDS.values() if kind.table}


def table_kinds():
    """CSV table -> the kind of object its rows are."""
    return {kind.table: name for name, kind in KINDS.items() if kind.table}


def stored_fields(name, model):
    """The fields of `model` an import updates on a stored row of kind `name`: those its read
    columns name (a `*_id` column naming a foreign key), then the model-only ones. A read
    column that names no field of the model, and is not declared otherwise, is a LookupError:
    a field added to one list and not the other fails at once."""
    kind = KINDS[name]
    by_name = {}
    for f in model._meta.concrete_fields:
        by_name[f.name] = by_name[f.attname] = f.name
    fields = []
    for column in kind.columns:
        if column == "id" or column in kind.unread | kind.linked_later | kind.not_stored:
            continue
        if column not in by_name:
            raise LookupError(f"{name}.{column} names no field of {model.__name__}")
        fields.append(by_name[column])
    for extra in kind.model_only:
        if extra not in by_name:
            raise LookupError(f"{model.__name__} has no field {extra}")
        fields.append(extra)
    return fields
