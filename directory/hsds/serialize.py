"""Directory records as Open Referral HSDS 3.0 JSON, in the shape of the UK profile (ORUK).

Pure functions: a model instance in, a dict ready for `json.dumps` out. They are used by the
open API (`directory.api`) and by the exporter, so between them they carry every field the
directory keeps, and an importer can rebuild the same records from their output.

Shape
    Field names and nesting follow hsds-3.0/schema/*.json. A record's own fields are the columns
    `schema_fields.KINDS` declares for its kind, in that order, each read from the model field of
    the same name (`_record`); the functions below give only what differs from that. Where the
    UK profile adds a field that repeats another (`service.fees`, `service_area.service_area`,
    `accessibility.accessibility`, `taxonomy_term.term`) it is filled too. Ids are UUID strings,
    dates `YYYY-MM-DD`, times `HH:MM:SS` (local time, Europe/London), `last_modified` an ISO 8601
    UTC date-time with milliseconds. No HSDS field allows null, so an empty value is left out,
    except where the schema requires the field (an empty `description` on a taxonomy, say) and
    it is "".
    Lists (`full=False`) hold one-to-one fields only, as the *_list schemas do.

Records HSDS has no id for get a stable derived id (`derived_id`, UUID 5 in `NAMESPACE`), so the
same export twice gives the same ids.

Where our fields go when HSDS has no field of the same name
    Service.categories     `attributes` linking the service to each taxonomy term
                           (link_entity "service", link_type "service_type", nested
                           `taxonomy_term` with `taxonomy_detail`), as in the HSDS examples.
    Service.free           a `cost_option` with amount 0, option "Free" and a derived id when
                           free, so consumers that know only HSDS see it; and, losslessly, a
                           local attribute `cc:free` with value "true" or "false". `fees`
                           (the UK field) is the fees text, or "Free" when that is empty.
    Organization.charity_number
                           an `organization_identifiers` entry with the org-id.guide scheme
                           GB-CHC (England and Wales), GB-SC (numbers starting SC) or GB-NIC
                           (numbers starting NI); the identifier is the number as stored.
    Location.step_free, accessible_toilet, hearing_loop, parking
                           extra `accessibility` entries described by the field's English
                           label ("Step-free access"), each carrying a local attribute
                           `cc:accessibility_feature` whose value is the field name, after the
                           free-text accessibility rows.
    Schedule.closed        a closure is a schedule with its dates (valid_from/valid_to), its
                           description ("Closed" when it has none), no freq/interval unless a
                           day rule is stored, and a local attribute `cc:closed` = "true".
                           HSDS has no closure flag; a consumer that ignores attributes still
                           reads "Closed ..." and no opening hours.
    Schedule.service_at_location
                           `service_at_location_id`. A service's schedules are all listed in
                           `service.schedules` (the UK profile's place for them); a nested
                           service_at_location repeats its own only when serialised on its own.
    ServiceArea.extent_type
                           HSDS extent_type is a format: "radius" areas become "geojson" (a
                           Feature whose Polygon approximates the circle, with the exact centre
                           and radius_km in its properties); shapes are "geojson" (the
                           Polygon or MultiPolygon as stored); national, region and district
                           lists are "text" (the extent as stored). Our kind is kept in a local
                           attribute `cc:area_kind` (national, region, radius, districts or
                           geojson).
    Phone.languages        language codes become `languages` objects with derived ids.
    Funding                `funding` of the service and of its organisation; a row that
                           belongs to both is listed on each, with both ids.
    Program                `organization.programs` (nested and full records), and the
                           service's own as `program` beside `program_id`.

Local attributes have no taxonomy term: `link_entity` is the HSDS table, `link_id` the record,
`link_type` a code prefixed `cc:` (the UK profile asks for a visible convention for local
properties) and `value` a string.

Not exported: created_at (set by the database that receives the records), Organization and
Location last_modified (HSDS has no field for them), the derived search flags open_24_7 and
reaches_anywhere (recomputed on save), and Organization.editors (private, never published).
"""

import datetime as dt
import decimal
import functools
import json
import math
import re
import uuid

from django.conf.locale import LANG_INFO
from django.db.models import Prefetch
from django.utils import translation
from django.utils.text import capfirst

from directory.hsds.schema_fields import KINDS
from directory.models import (
    Location,
    Organization,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from directory.search.query import ACCESSIBILITY_FEATURES

NAMESPACE = uuid.UUID("6f1c2f5e-7a47-4b7e-9d3a-0c8b8f3e5a21")
LOCAL_PREFIX = "cc:"
CATEGORY_LINK_TYPE = "service_type"
CIRCLE_POINTS = 32
EARTH_RADIUS_KM = 6371.0088
_AS_IS = frozenset({str, int, float, bool, type(None)})


def derived_id(*parts):
    """A stable UUID for a record HSDS needs and we do not store, from its owner and kind."""
    return str(uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts)))


def hsds_datetime(value):
    """An ISO 8601 UTC date-time with milliseconds, as HSDS `last_modified` wants."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _value(value):
    """A model field's value as HSDS writes it: ids as strings, dates and times in ISO form,
    amounts as numbers."""
    if type(value) in _AS_IS:
        return value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        return hsds_datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def _columns(name, model, given):
    """The columns of kind `name` to write for a `model` instance, in order: those a field of
    the model names (by its name, or a foreign key's `*_id`) and those the caller has `given`.
    Any other column must be declared unread or not stored, or it is a LookupError: a column
    added to schema_fields is kept under its name, or written on purpose. Worked out once for
    each declaration of the kind."""
    kind = KINDS[name]
    key = (name, model, given)
    cached = _COLUMNS.get(key)
    if cached is not None and cached[0] is kind:
        return cached[1]
    plain = {}
    for f in model._meta.concrete_fields:
        plain[f.attname] = True
        plain.setdefault(f.name, not f.is_relation)
    written = []
    for column in kind.columns:
        if column in given or plain.get(column):
            written.append(column)
        elif column not in kind.unread | kind.not_stored:
            raise LookupError(f"{name}.{column} names no field of {model.__name__}")
    _COLUMNS[key] = (kind, tuple(written))
    return _COLUMNS[key][1]


_COLUMNS = {}


def _record(name, obj, at=None, required=()):
    """`obj` as an HSDS object of kind `name`: the columns schema_fields declares for it, in
    order, each the value of the model field of that name (`_value`). `at` maps a column to
    the fields written in its place: its own value when it is among them (else the field's),
    then the others, which are not written at their own places. Empty values are dropped,
    except the `required` fields."""
    at = at or {}
    beside = {key for column, fields in at.items() for key in fields if key != column}
    data = {}
    for column in _columns(name, type(obj), frozenset(at) | beside):
        if column in at:
            if column not in at[column]:
                data[column] = _value(getattr(obj, column))
            data.update(at[column])
        elif column not in beside:
            data[column] = _value(getattr(obj, column))
    return _clean(data, required)


def _clean(data, required=()):
    """Drop empty optional values: HSDS fields are never null, and "" says nothing."""
    return {
        key: value
        for key, value in data.items()
        if key in required or (value is not None and value != "")
    }


def _local_attribute(entity, record_id, code, value):
    return {
        "id": derived_id(entity, record_id, code),
        "link_id": str(record_id),
        "link_entity": entity,
        "link_type": LOCAL_PREFIX + code,
        "value": str(value),
    }


# Taxonomies


def taxonomy_to_hsds(taxonomy, terms=False):
    """A taxonomy; with `terms`, its terms as the UK profile's `taxonomy_terms`."""
    data = _record("taxonomy", taxonomy, required=("description",))
    if terms:
        data["taxonomy_terms"] = [
            taxonomy_term_to_hsds(term, detail=False) for term in taxonomy.terms.all()
        ]
    return data


def taxonomy_term_to_hsds(term, detail=True):
    """A taxonomy term, with its taxonomy nested as `taxonomy_detail` unless `detail` is off."""
    data = _record(
        "taxonomy_term",
        term,
        at={
            # The UK profile repeats the name as `term`.
            "name": {"term": term.name},
            # HSDS `taxonomy` is the taxonomy's name; its id follows it (before `language`),
            # where the exports have always put it.
            "taxonomy": {"taxonomy": term.taxonomy.name, "taxonomy_id": str(term.taxonomy_id)},
        },
        required=("description",),
    )
    if detail:
        data["taxonomy_detail"] = taxonomy_to_hsds(term.taxonomy)
    return data


# Organisations


def organization_identifiers(org):
    """Third-party identifiers: the registered charity number, when there is one."""
    number = org.charity_number.strip()
    if not number:
        return []
    squashed = number.upper().replace(" ", "")
    if squashed.startswith("SC"):
        scheme, label = "GB-SC", "Scottish charity number"
    elif squashed.startswith("NI"):
        scheme, label = "GB-NIC", "Northern Ireland charity number"
    else:
        scheme, label = "GB-CHC", "Charity number (England and Wales)"
    return [
        {
            "id": derived_id("organization_identifier", org.id, scheme),
            "organization_id": str(org.id),
            "identifier_scheme": scheme,
            "identifier_type": label,
            "identifier": org.charity_number,
        }
    ]


def funding_to_hsds(funding):
    """A source of funds, with the ids of the service and the organisation it belongs to."""
    return _record("funding", funding)


def program_to_hsds(program):
    return _record("program", program, required=("name", "description"))


def organization_children(org):
    """An organisation's identifiers, funding and programmes, as a full record nests them."""
    return {
        "organization_identifiers": organization_identifiers(org),
        "funding": [funding_to_hsds(funding) for funding in org.funding.all()],
        "programs": [program_to_hsds(program) for program in org.programs.all()],
    }


def organization_to_hsds(org, nested=True):
    """An organisation; `nested` adds its identifiers, funding, programmes, services (as list
    items) and locations.

    The nested services and locations are `org.services.all()` and `org.locations.all()`:
    prefetch them filtered (see `organizations_queryset`) to publish only some.
    """
    data = _record("organization", org, required=("name", "description"))
    if nested:
        data.update(organization_children(org))
        data["services"] = [
            service_to_hsds(service, full=False, with_organization=False)
            for service in org.services.all()
        ]
        data["locations"] = [location_to_hsds(location) for location in org.locations.all()]
    return data


# Locations


def address_to_hsds(address):
    return _record(
        "address",
        address,
        required=("address_1", "city", "state_province", "postal_code", "country"),
    )


@functools.cache
def _feature_descriptions():
    """Each structured accessibility feature's description: its field's English label."""
    with translation.override("en"):
        return {
            name: str(capfirst(Location._meta.get_field(name).verbose_name))
            for name in ACCESSIBILITY_FEATURES
        }


def accessibility_to_hsds(location):
    """Free-text accessibility rows, then one entry per structured feature the place has."""
    rows = [
        # The UK profile repeats the description as `accessibility`.
        _record("accessibility", row, at={"description": {"accessibility": row.description}})
        for row in location.accessibility.all()
    ]
    for name, text in _feature_descriptions().items():
        if getattr(location, name):
            entry_id = derived_id("accessibility", location.id, name)
            rows.append(
                {
                    "id": entry_id,
                    "location_id": str(location.id),
                    "description": text,
                    "accessibility": text,
                    "attributes": [
                        _local_attribute("accessibility", entry_id, "accessibility_feature", name)
                    ],
                }
            )
    return rows


def location_to_hsds(location, full=True):
    """A location; `full` adds its addresses and accessibility."""
    data = _record("location", location)
    if full:
        data["addresses"] = [address_to_hsds(address) for address in location.addresses.all()]
        data["accessibility"] = accessibility_to_hsds(location)
    return data


# Services and their rows


def _language_objects(phone):
    codes = [code for code in re.split(r"[\s,;]+", phone.languages) if code]
    return [
        _clean(
            {
                "id": derived_id("language", phone.id, code),
                "phone_id": str(phone.id),
                "code": code,
                "name": LANG_INFO.get(code.lower(), {}).get("name"),
            }
        )
        for code in codes
    ]


def phone_to_hsds(phone):
    data = _record("phone", phone, required=("number",))
    data["languages"] = _language_objects(phone)
    return data


def schedule_to_hsds(schedule):
    """A schedule; a closure keeps its dates and is marked with the `cc:closed` attribute."""
    has_rule = bool(schedule.byday or schedule.bymonthday)
    repeats = has_rule or not schedule.closed
    data = _record(
        "schedule",
        schedule,
        at={
            # A closure without a day rule does not repeat.
            "freq": {"freq": schedule.freq if repeats else None},
            "interval": {"interval": schedule.interval if repeats else None},
            # A closure says so even without a description of its own.
            "description": {
                "description": schedule.description or ("Closed" if schedule.closed else "")
            },
        },
    )
    if schedule.closed:
        data["attributes"] = [_local_attribute("schedule", schedule.id, "closed", "true")]
    return data


def _circle_feature(latitude, longitude, km):
    """A GeoJSON Feature: a polygon close to the circle, with the exact circle as properties."""
    lat1, lon1 = math.radians(latitude), math.radians(longitude)
    angle = km / EARTH_RADIUS_KM
    ring = []
    # Bearings run anticlockwise, as RFC 7946 wants for an exterior ring.
    for step in range(CIRCLE_POINTS):
        bearing = -2 * math.pi * step / CIRCLE_POINTS
        lat2 = math.asin(
            math.sin(lat1) * math.cos(angle) + math.cos(lat1) * math.sin(angle) * math.cos(bearing)
        )
        lon2 = lon1 + math.atan2(
            math.sin(bearing) * math.sin(angle) * math.cos(lat1),
            math.cos(angle) - math.sin(lat1) * math.sin(lat2),
        )
        ring.append([round(math.degrees(lon2), 6), round(math.degrees(lat2), 6)])
    ring.append(ring[0])
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {"latitude": latitude, "longitude": longitude, "radius_km": km},
    }


def _extent(area):
    if not area.extent.strip():
        return None, None
    if area.extent_type == ServiceArea.RADIUS:
        circle = area.radius()
        if circle is not None:
            return "geojson", json.dumps(_circle_feature(*circle), separators=(",", ":"))
    if area.extent_type == ServiceArea.POLYGON:
        return "geojson", area.extent
    return "text", area.extent


def service_area_to_hsds(area):
    extent_type, extent = _extent(area)
    data = _record(
        "service_area",
        area,
        at={
            # The UK profile repeats the name as `service_area`.
            "name": {"service_area": area.name},
            # A circle as a GeoJSON polygon, a shape as GeoJSON, the rest as text; HSDS
            # extent_type is that format, not our kind of area.
            "extent": {"extent": extent, "extent_type": extent_type},
        },
    )
    data["attributes"] = [_local_attribute("service_area", area.id, "area_kind", area.extent_type)]
    return data


def language_to_hsds(language):
    return _record("language", language)


def cost_option_to_hsds(option):
    return _record("cost_option", option)


def free_cost_option(service):
    """The cost option that says a service is free; its id tells an importer it is ours."""
    return {
        "id": derived_id("cost_option", service.id, "free"),
        "service_id": str(service.id),
        "option": "Free",
        "currency": "GBP",
        "amount": 0,
        "amount_description": "Free to use",
    }


def contact_to_hsds(contact):
    return _record("contact", contact)


def required_document_to_hsds(document):
    return _record("required_document", document)


def category_attribute(service, term):
    """The HSDS link between a service and one of its taxonomy terms."""
    return {
        "id": derived_id("attribute", service.id, term.id),
        "link_id": str(service.id),
        "link_entity": "service",
        "link_type": CATEGORY_LINK_TYPE,
        "taxonomy_term_id": str(term.id),
        "taxonomy_term": taxonomy_term_to_hsds(term),
    }


def service_to_hsds(service, full=True, *, with_organization=True, with_locations=True):
    """A service: one-to-one fields and its organisation; `full` adds every related row.

    `with_organization` and `with_locations` leave out what an enclosing record already holds
    (an organisation's own services; the service inside a service_at_location).
    """
    data = _record(
        "service",
        service,
        # The UK profile's `fees`, after `fees_description`: the fees text, or "Free" for a
        # free service with none.
        at={
            "fees_description": {
                "fees": service.fees_description or ("Free" if service.free else "")
            }
        },
        required=("name", "status"),
    )
    if with_organization:
        data["organization"] = organization_to_hsds(service.organization, nested=False)
        if full:
            data["organization"].update(organization_children(service.organization))
    if not full:
        return data
    cost_options = [cost_option_to_hsds(option) for option in service.cost_options.all()]
    if service.free:
        cost_options.append(free_cost_option(service))
    data.update(
        phones=[phone_to_hsds(phone) for phone in service.phones.all()],
        schedules=[schedule_to_hsds(schedule) for schedule in service.schedules.all()],
        service_areas=[service_area_to_hsds(area) for area in service.service_areas.all()],
        languages=[language_to_hsds(language) for language in service.languages.all()],
        cost_options=cost_options,
        contacts=[contact_to_hsds(contact) for contact in service.contacts.all()],
        funding=[funding_to_hsds(funding) for funding in service.funding.all()],
        required_documents=[
            required_document_to_hsds(document) for document in service.required_documents.all()
        ],
        attributes=[category_attribute(service, term) for term in service.categories.all()]
        + [_local_attribute("service", service.id, "free", str(service.free).lower())],
    )
    if service.program_id is not None:
        data["program"] = program_to_hsds(service.program)
    if with_locations:
        data["service_at_locations"] = [
            service_at_location_to_hsds(sal, with_service=False, with_schedules=False)
            for sal in service.service_at_locations.all()
        ]
    return data


def service_at_location_to_hsds(sal, full=True, *, with_service=True, with_schedules=True):
    """A service at a location, with the location and the service (full or as a list item)."""
    data = _record("service_at_location", sal)
    if full and with_schedules:
        data["schedules"] = [schedule_to_hsds(schedule) for schedule in sal.schedules.all()]
    data["location"] = location_to_hsds(sal.location, full=full)
    if with_service:
        data["service"] = service_to_hsds(sal.service, full=full, with_locations=False)
    return data


# Querysets that serialise in a constant number of queries


def _location_rows(prefix=""):
    return [f"{prefix}addresses", f"{prefix}accessibility"]


def services_queryset(queryset=None):
    """Services with everything `service_to_hsds(full=True)` reads, fetched up front."""
    queryset = Service.objects.all() if queryset is None else queryset
    return queryset.select_related("organization", "program").prefetch_related(
        "phones",
        "schedules",
        "service_areas",
        "languages",
        "cost_options",
        "contacts",
        "funding",
        "required_documents",
        "organization__funding",
        "organization__programs",
        Prefetch("categories", queryset=TaxonomyTerm.objects.select_related("taxonomy")),
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
                *_location_rows("location__")
            ),
        ),
    )


def service_at_locations_queryset(queryset=None, full=True):
    """Services at locations with what `service_at_location_to_hsds` reads."""
    queryset = ServiceAtLocation.objects.all() if queryset is None else queryset
    queryset = queryset.select_related("location", "service__organization", "service__program")
    if not full:
        return queryset
    return queryset.prefetch_related(
        "service__funding",
        "service__required_documents",
        "service__organization__funding",
        "service__organization__programs",
        "schedules",
        *_location_rows("location__"),
        "service__phones",
        "service__schedules",
        "service__service_areas",
        "service__languages",
        "service__cost_options",
        "service__contacts",
        Prefetch("service__categories", queryset=TaxonomyTerm.objects.select_related("taxonomy")),
    )


def organizations_queryset(queryset=None, services=None, locations=None):
    """Organisations with what `organization_to_hsds(nested=True)` reads.

    `services` and `locations` are querysets that choose which of them are nested.
    """
    queryset = Organization.objects.all() if queryset is None else queryset
    services = Service.objects.all() if services is None else services
    locations = Location.objects.all() if locations is None else locations
    return queryset.prefetch_related(
        "funding",
        "programs",
        Prefetch("services", queryset=services),
        Prefetch("locations", queryset=locations.prefetch_related(*_location_rows())),
    )


def taxonomy_terms_queryset(queryset=None):
    queryset = TaxonomyTerm.objects.all() if queryset is None else queryset
    return queryset.select_related("taxonomy")
