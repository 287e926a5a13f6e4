"""Mapping one HSDS 3.0 service record onto the directory's models, as unsaved rows.

`ServiceBuilder.build` turns a service object (with its organisation, locations, phones,
schedules, areas, languages, costs, contacts and taxonomy terms) into a `Built`: every row it
brings, made but not saved, or nothing when the record is unusable, with the reasons in the
report. Values are read and repaired by `directory.hsds.fields`; this module decides what
they become.

Mapping choices that the HSDS standard leaves open (see also `HSDS_EXTENT_TYPES`):

- `free` is true only when the feed says so: a cost option of nothing (amount 0, or named
  "Free" without an amount) and none above it, or a fees text that says free ("Free", "No
  charge"). A feed silent about costs does not make a service free.
- Child rows of a service (phones, schedules, areas, languages, costs, contacts, locations
  served, categories) are replaced by what the feed says; a location's addresses and
  accessibility notes likewise.
- A record is skipped only when it is unusable (no id, name, status or organisation; a
  broken structure). A bad web or email address, or one too long to store, is left out with
  a warning, as are bad coordinates (the place is then found from its address); an
  organisation without a description is kept with a warning.
- A phone number wrapped in quotation marks loses them, with a warning.
- A web address without a scheme gets `https://`, with a warning.
- Funding, programmes and required documents are read leniently: one that cannot be read
  (no id, no source or name, text too long) is left out with a warning, and the service kept.
  A funding entry listed both on the service and on its organisation (the same id) is one
  row that belongs to both; listed alike in both places, a problem with it is reported once.
  A service's programme is linked by `program.id` or `program_id`; one that is neither in
  the feed nor stored is reported once everything is read.
"""

import datetime as dt
import functools
import json
import re
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.db.models.base import ModelState
from django.utils.dateparse import parse_datetime

from core.geo.postcodes import POSTCODE_AREAS, area_of, normalise_postcode
from core.recurrence import WEEKDAYS
from directory.areas import BOX_FIELDS, AreaError, read_area
from directory.hsds.cleaning import (
    free_from_costs,
)
from directory.hsds.fields import Fields, Problems, _limit
from directory.hsds.serialize import LOCAL_PREFIX, derived_id
from directory.hsds.validate import unmentioned
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
from directory.models.location import LocationType
from directory.models.service import ServiceStatus
from directory.schedules import validate_schedule
from directory.search.query import ACCESSIBILITY_FEATURES

SERVICE_STATUSES = frozenset(ServiceStatus.values)
LOCATION_TYPES = frozenset(LocationType.values)
PHONE_TYPES = {"voice", "text", "textphone", "fax", "video"}
# HSDS suggests these too; they map to the nearest type we offer.
PHONE_TYPE_ALIASES = {"cell": "voice", "mobile": "voice", "landline": "voice", "sms": "text"}

# HSDS `extent_type` names the format of `extent`; ours names the kind of area. Our own exports
# write our kind (national, region, radius, districts, geojson) so that a round trip keeps it.
# From other feeds: `text` extents are read as districts ("SE13, SE6") or a radius ("51.46,
# -0.01, 5") when they parse as one, else as a region; `geojson` extents are shapes that search
# uses (`directory.areas`), and one that gives no area (not GeoJSON, points or lines) is left
# out with a warning; other polygons (topojson, kml) become a named region (the polygon is
# kept in `extent` but search does not use it).
OUR_EXTENT_TYPES = {
    ServiceArea.NATIONAL,
    ServiceArea.REGION,
    ServiceArea.RADIUS,
    ServiceArea.DISTRICTS,
    ServiceArea.POLYGON,
}
HSDS_EXTENT_TYPES = {"geojson", "topojson", "kml", "text"}
DISTRICT_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
NATIONAL_NAMES = {
    "uk",
    "united kingdom",
    "great britain",
    "england",
    "wales",
    "scotland",
    "northern ireland",
    "national",
    "nationwide",
}


# The ids in a funding object that say whose it is.
FUNDING_OWNERS = {"organization_id", "service_id"}

# Charity registers in the org-id.guide list; an identifier in one of them is our
# `charity_number`.
CHARITY_SCHEMES = {"GB-CHC", "GB-SC", "GB-NIC"}

# -- building one service --------------------------------------------------------------------


# Feeds give an organisation and its places in full on each of its services, spread through
# the feed. The rows of the last MAPPED_KEPT organisations and of as many locations are kept
# (`_Mapped`) and reused for a later copy given alike, instead of being read and checked
# again. Measured on the benchmark's feed of 100,000 services (about 21,000 organisations,
# 26,000 locations, in random order), 4,096 of each gives back about 60 % of the repeats;
# each kept location costs a few KB, and the import's memory target is 500 MB.
MAPPED_KEPT = 4096


def _fingerprint(data):
    """A text that only the same JSON value gives, keys in the same order: `repr`, made in C
    (a Python walk comparing the values cost a third of mapping a place). Unlike `==`, it
    tells a number from a bool (True == 1) and 1.0 from 1.00, which are stored differently."""
    return repr(data)


class _Mapped:
    """What the feed's objects of one kind were mapped to, by id, for the last `size` ids:
    (what else the mapping depended on, the object's `_fingerprint`, the result)."""

    def __init__(self, size=MAPPED_KEPT):
        self.size = size
        self.entries = {}

    def get(self, key, fingerprint, context):
        """The result kept for `key`, if it was mapped from the same object in the same
        context; else None."""
        entry = self.entries.pop(key, None)
        if entry is None:
            return None
        self.entries[key] = entry  # the most recently used last
        kept_context, kept_fingerprint, result = entry
        if kept_context != context or kept_fingerprint != fingerprint:
            return None
        return result

    def put(self, key, fingerprint, context, result):
        self.entries.pop(key, None)
        self.entries[key] = (context, fingerprint, result)
        if len(self.entries) > self.size:
            del self.entries[next(iter(self.entries))]


def _replay(found, problems, path=None, kept_path=None):
    """Add the problems `found` when an object was mapped to `problems`, those found at
    `kept_path` moved to `path`."""
    if path == kept_path:
        problems.errors.extend(found.errors)
        problems.warnings.extend(found.warnings)
        return
    cut = len(kept_path)
    problems.errors.extend((path + name[cut:], message) for name, message in found.errors)
    problems.warnings.extend((path + name[cut:], message) for name, message in found.warnings)


class _Blank:
    """What a new instance of `model` holds before any value is given: each concrete
    field's default (callable ones called per instance), by attribute name."""

    def __init__(self, model):
        self.values = {}
        self.callables = []
        self.attnames = {}
        for f in model._meta.concrete_fields:
            self.attnames[f.attname] = f.attname
            if not f.is_relation:
                self.attnames[f.name] = f.attname
            if f.has_default() and callable(f.default):
                self.callables.append((f.attname, f.get_default))
            else:
                self.values[f.attname] = f.get_default()


@functools.cache
def _blank(model):
    return _Blank(model)


def new_row(model, **values):
    """An unsaved instance, as `model(**values)` makes it, for the rows a feed brings.

    Model.__init__ does per-field work that costs more than reading and checking the
    field's value (a feed of 100,000 services makes close to a million rows); this sets
    the same attributes directly. Only concrete fields, foreign keys by their `_id` name;
    no pre_init/post_init signals (none of the directory's models has receivers for them).
    """
    blank = _blank(model)
    obj = model.__new__(model)
    obj._state = ModelState()
    data = obj.__dict__
    data.update(blank.values)
    for attname, default in blank.callables:
        if attname not in values:
            data[attname] = default()
    for name, value in values.items():
        try:
            data[blank.attnames[name]] = value
        except KeyError:
            raise TypeError(f"{model.__name__} has no field {name}") from None
    return obj


@dataclass
class Built:
    """One service record turned into unsaved rows, ready to be written."""

    index: int
    service: Service
    organization: Organization | None
    organization_parent: uuid.UUID | None = None
    locations: list = field(default_factory=list)  # (Location, [Address], [Accessibility])
    service_at_locations: list = field(default_factory=list)
    phones: list = field(default_factory=list)
    schedules: list = field(default_factory=list)
    service_areas: list = field(default_factory=list)
    languages: list = field(default_factory=list)
    cost_options: list = field(default_factory=list)
    contacts: list = field(default_factory=list)
    funding: list = field(default_factory=list)  # the service's, some also its organisation's
    required_documents: list = field(default_factory=list)
    organization_funding: list = field(default_factory=list)  # the organisation's own
    programs: list = field(default_factory=list)  # the organisation's, and the service's
    program_id: uuid.UUID | None = None  # linked by the writer once the programme is known
    terms: list = field(default_factory=list)  # term definitions (dicts) this record brings
    location_organizations: dict = field(default_factory=dict)
    term_ids: list = field(default_factory=list)
    last_modified: dt.datetime | None = None
    id_in_feed: str = ""
    content_hash: str = ""

    def child_ids(self):
        """Every child row's id, by model, for clash checks."""
        ids = [(Location, loc.pk) for loc, _a, _x in self.locations]
        for _loc, addresses, accessibility in self.locations:
            ids += [(Address, a.pk) for a in addresses]
            ids += [(LocationAccessibility, a.pk) for a in accessibility]
        for rows in (
            self.service_at_locations,
            self.phones,
            self.schedules,
            self.service_areas,
            self.languages,
            self.cost_options,
            self.contacts,
            self.required_documents,
        ):
            ids += [(type(row), row.pk) for row in rows]
        return ids


class ServiceBuilder:
    """Turns HSDS service objects into unsaved rows, or a list of what is wrong with them."""

    def __init__(self, report, known_terms, organization_exists, term_exists, organization_of=None):
        self.report = report
        # The organisation already known for a service id (from an earlier copy in the feed,
        # or as stored), for a copy that gives none.
        self.organization_of = organization_of or (lambda pk: None)
        self.known_terms = known_terms  # term id -> definition dict, from the feed so far
        self.organization_exists = organization_exists
        self.term_exists = term_exists
        self.mapped_organizations = _Mapped()
        self.mapped_locations = _Mapped()

    def build(self, data, index, violations=()):
        """A `Built` record, or None after reporting why this record is skipped. `violations`
        are the schema's (`directory.hsds.validate`): those on fields the mapping says nothing
        of are reported as warnings."""
        problems = Problems()
        record_id = data.get("id") if isinstance(data, dict) else None
        if not isinstance(data, dict):
            problems.errors.append(("", "is not an object; a feed lists service objects."))
            built = None
        else:
            built = self._service(data, index, problems)
        if violations:
            mentioned = [name for name, _m in problems.warnings + problems.errors]
            mentioned += problems.elsewhere
            problems.warnings.extend(unmentioned(violations, mentioned))
        for name, message in problems.warnings:
            self.report.add("warning", index, record_id, name, message)
        if problems.errors:
            for name, message in problems.errors:
                self.report.add("error", index, record_id, name, message)
            self.report.skipped += 1
            return None
        return built

    def _service(self, data, index, problems):
        ignored = self.report.ignored_fields
        f = Fields(data, "", "service", problems, ignored)
        service = new_row(
            Service,
            id=f.uuid("id"),
            name=f.text("name", Service, required=True),
            alternate_name=f.text("alternate_name", Service),
            description=f.text("description", Service),
            url=f.url("url", Service),
            email=f.email("email", Service),
            status=f.choice("status", SERVICE_STATUSES, required=True),
            interpretation_services=f.text("interpretation_services", Service),
            application_process=f.text("application_process", Service),
            wait_time=f.text("wait_time", Service),
            fees_description=f.text("fees_description", Service),
            accreditations=f.text("accreditations", Service),
            licenses=f.text("licenses", Service),
            eligibility_description=f.text("eligibility_description", Service),
            minimum_age=f.integer("minimum_age", 0, 130),
            maximum_age=f.integer("maximum_age", 0, 130),
            alert=f.text("alert", Service),
            assured_date=f.date("assured_date"),
            assurer_email=f.email("assurer_email", Service),
        )
        if (
            service.minimum_age is not None
            and service.maximum_age is not None
            and service.minimum_age > service.maximum_age
        ):
            f.error("maximum_age", "must not be below minimum_age.")
        last_modified = f.raw("last_modified")
        built = Built(index=index, service=service, organization=None)
        if last_modified is not None:
            try:
                built.last_modified = parse_datetime(str(last_modified))
            except ValueError:
                built.last_modified = None
            if built.last_modified is None:
                f.warn("last_modified", f"“{last_modified}” is not a date and time; ignored.")
            elif built.last_modified.tzinfo is None:
                built.last_modified = built.last_modified.replace(tzinfo=dt.UTC)

        self._organization(f, service, built, problems)
        for i, item in enumerate(f.objects("phones")):
            built.phones.append(self._phone(item, f"phones[{i}]", i, service, problems))
        for i, item in enumerate(f.objects("schedules")):
            built.schedules.append(self._schedule(item, f"schedules[{i}]", i, service, problems))
        for i, item in enumerate(f.objects("service_at_locations")):
            self._service_at_location(item, f"service_at_locations[{i}]", i, built, problems)
        self._link_schedules(built, problems)
        for i, item in enumerate(f.objects("service_areas")):
            area = self._area(item, f"service_areas[{i}]", i, service, problems)
            if area is not None:
                built.service_areas.append(area)
        codes = set()
        for i, item in enumerate(f.objects("languages")):
            language = self._language(item, f"languages[{i}]", i, service, problems)
            if language is None:
                continue
            if language.code in codes:
                problems.warnings.append(
                    (f"languages[{i}].code", f"“{language.code}” is listed twice; kept once.")
                )
                continue
            codes.add(language.code)
            built.languages.append(language)
        options = f.objects("cost_options")
        free_option = derived_id("cost_option", service.pk, "free") if options else None
        our_free_option = False
        for i, item in enumerate(options):
            if item.get("id") == free_option:
                our_free_option = True
                continue  # the "Free" option our exports add for `free`; the flag is below
            built.cost_options.append(self._cost(item, f"cost_options[{i}]", i, service, problems))
        for i, item in enumerate(f.objects("contacts")):
            built.contacts.append(self._contact(item, f"contacts[{i}]", i, service, problems))
        for i, item in enumerate(f.objects("attributes")):
            self._attribute(item, f"attributes[{i}]", built, problems)
        self._funding(f, built, problems)
        for i, item in enumerate(f.objects("required_documents")):
            document = self._lenient(
                problems,
                "required document",
                lambda own, i=i, item=item: self._required_document(
                    item, f"required_documents[{i}]", i, service, own
                ),
            )
            if document is not None:
                built.required_documents.append(document)
        self._program(f, built, problems)
        free = self._local(f, "free")
        if free in ("true", "false"):
            service.free = free == "true"
        else:
            fees = f.text("fees", Service, "fees_description")
            if not service.fees_description and fees:
                # `fees` is HSDS's deprecated name for fees_description (ORUK still sends it);
                # our exports fill it from fees_description or `free`, so it is not read back.
                service.fees_description = fees
            service.free = our_free_option or free_from_costs(
                built.cost_options, service.fees_description or fees
            )
        self._check_ids(built, problems)
        return built

    def _organization(self, f, service, built, problems):
        data = f.object("organization")
        if data is None:
            org_id = f.uuid("organization_id", required=False)
            known = self.organization_of(service.pk) if org_id is None else None
            if org_id is None and known is not None:
                f.warn(
                    "organization",
                    f"is not given; kept organisation {known}, known for this service already.",
                )
                org_id = known
            elif org_id is None and service.name and service.pk:
                # A small group's entry often names no organisation; the service is still
                # what someone needs to find, so it runs under an organisation of its name.
                built.organization = new_row(
                    Organization,
                    id=uuid.UUID(derived_id("organization-of-service", service.pk)),
                    name=service.name[: Organization._meta.get_field("name").max_length],
                    description="",
                )
                f.warn(
                    "organization",
                    f"is not given; the service is listed under an organisation of its own "
                    f"name, “{built.organization.name}”.",
                )
                org_id = built.organization.id
            elif org_id is None:
                f.error("organization", "is required: give the organisation or its id.")
            elif not self.organization_exists(org_id):
                f.error("organization_id", f"organisation {org_id} is not in the feed or here.")
            service.organization_id = org_id
            return
        organization, parent, programs, funding = self._mapped_organization(data, problems)
        built.organization_parent = parent
        built.organization = organization
        service.organization_id = organization.id
        # Lists of their own: a service adds its programme to its list, and takes the
        # funding it lists too from the other.
        built.programs, built.organization_funding = list(programs), list(funding)

    def _mapped_organization(self, data, problems):
        """(Organization, parent id, programmes, funding) of a service's organisation
        object, mapped once while it is kept (`_Mapped`); its problems are added each time."""
        key = data.get("id")
        fingerprint = _fingerprint(data) if key else None
        kept = self.mapped_organizations.get(key, fingerprint, None) if key else None
        if kept is not None:
            result, found = kept
        else:
            found = Problems()
            organization, parent = self.organization_row(data, "organization", found)
            programs, funding = self.organization_children(
                data, "organization", organization.id, found
            )
            result = (organization, parent, programs, funding)
            if key:
                self.mapped_organizations.put(key, fingerprint, None, (result, found))
        _replay(found, problems)
        return result

    def organization_row(self, data, path, problems):
        """An unsaved Organization and its parent's id, from an HSDS organisation object."""
        o = Fields(data, path, "organization", problems, self.report.ignored_fields)
        organization = new_row(
            Organization,
            id=o.uuid("id"),
            name=o.text("name", Organization, required=True),
            alternate_name=o.text("alternate_name", Organization),
            description=o.text("description", Organization),
            email=o.email("email", Organization),
            website=o.url("website", Organization),
            logo=o.url("logo", Organization),
            uri=o.url("uri", Organization),
            legal_status=o.text("legal_status", Organization),
            tax_status=o.text("tax_status", Organization),
            tax_id=o.text("tax_id", Organization),
            year_incorporated=o.integer("year_incorporated", 1000, dt.date.today().year + 1),
        )
        if not organization.description:
            # HSDS requires one, but an organisation without it can still run good services.
            o.warn("description", "is empty; the organisation is kept without a description.")
        for i, item in enumerate(o.objects("organization_identifiers")):
            ident = Fields(
                item,
                f"{path}.organization_identifiers[{i}]",
                "organization_identifier",
                problems,
                self.report.ignored_fields,
            )
            scheme = str(ident.raw("identifier_scheme") or "").upper()
            if scheme in CHARITY_SCHEMES and not organization.charity_number:
                organization.charity_number = ident.text(
                    "identifier", Organization, "charity_number"
                )
            else:
                self.report.ignored_fields.add(f"organization_identifier[{scheme or 'no scheme'}]")
        parent = o.uuid("parent_organization_id", required=False)
        if parent is not None and parent == organization.id:
            o.error("parent_organization_id", "an organisation cannot be its own parent.")
        return organization, parent

    def organization_children(self, data, path, organization_id, problems):
        """The programmes and funding an HSDS organisation object lists, as unsaved rows
        (those that cannot be read are left out, with a warning)."""
        o = Fields(data, path, "organization", problems, self.report.ignored_fields)
        programs = []
        for i, item in enumerate(o.objects("programs")):
            program = self._lenient(
                problems,
                "programme",
                lambda own, i=i, item=item: self._program_row(
                    item, f"{path}.programs[{i}]", i, organization_id, own
                ),
            )
            if program is not None and all(p.pk != program.pk for p in programs):
                programs.append(program)
        funding = []
        for i, item in enumerate(o.objects("funding")):
            row = self._lenient(
                problems,
                "funding",
                lambda own, i=i, item=item: self._funding_row(
                    item, f"{path}.funding[{i}]", i, own, organization_id=organization_id
                ),
            )
            if row is not None and all(other.pk != row.pk for other in funding):
                funding.append(row)
        return programs, funding

    @staticmethod
    def _lenient(problems, what, make):
        """`make(own_problems)`'s row, or None when it found errors: those become warnings
        saying the row is left out, and the service is kept."""
        own = Problems()
        row = make(own)
        problems.warnings.extend(own.warnings)
        if own.errors:
            for name, message in own.errors:
                problems.warnings.append((name, f"{message.rstrip('.')}; this {what} is left out."))
            return None
        return row

    def _funding_row(self, data, path, position, problems, organization_id=None, service_id=None):
        f = Fields(data, path, "funding", problems, self.report.ignored_fields)
        return new_row(
            Funding,
            id=f.uuid("id"),
            organization_id=organization_id,
            service_id=service_id,
            source=f.text("source", Funding, required=True),
            sort_order=position,
        )

    def _funding(self, f, built, problems):
        """The service's funding; one its organisation lists too (the same id, or naming the
        organisation) belongs to both, and is written with the service's. One listed alike
        on both is one record: its problems are reported once, where the organisation lists
        it (read first, by `organization_children`)."""
        service = built.service
        shared = {row.pk: row for row in built.organization_funding}
        organization = f.data.get("organization")
        listed = organization.get("funding") if isinstance(organization, dict) else None
        listed = listed if isinstance(listed, list) else []
        theirs = [_unowned(item) for item in listed if isinstance(item, dict)]
        for i, item in enumerate(f.objects("funding")):
            path = f"funding[{i}]"
            found = Problems()
            row = self._lenient(
                found,
                "funding",
                lambda own, i=i, item=item, path=path: self._funding_row(
                    item, path, i, own, service_id=service.pk
                ),
            )
            if _unowned(item) in theirs:
                problems.elsewhere.append(path)
            else:
                problems.warnings.extend(found.warnings)
            if row is None:
                continue
            if any(other.pk == row.pk for other in built.funding):
                problems.warnings.append(
                    (f"{path}.id", f"{row.pk} is listed twice; this funding is kept once.")
                )
                continue
            named = Fields(item, path, "funding", Problems(), set()).uuid(
                "organization_id", required=False
            )
            if row.pk in shared or (named is not None and named == service.organization_id):
                row.organization_id = service.organization_id
                shared.pop(row.pk, None)
            built.funding.append(row)
        built.organization_funding = list(shared.values())

    def _required_document(self, data, path, position, service, problems):
        f = Fields(data, path, "required_document", problems, self.report.ignored_fields)
        document = new_row(
            RequiredDocument,
            id=f.uuid("id"),
            service_id=service.pk,
            document=f.text("document", RequiredDocument),
            uri=f.url("uri", RequiredDocument),
            sort_order=position,
        )
        if not document.document and not document.uri:
            f.error("document", "is required: say what the document is, or link to it.")
        return document

    def _program_row(self, data, path, position, organization_id, problems):
        f = Fields(data, path, "program", problems, self.report.ignored_fields)
        program = new_row(
            Program,
            id=f.uuid("id"),
            organization_id=organization_id,
            name=f.text("name", Program, required=True),
            alternate_name=f.text("alternate_name", Program),
            description=f.text("description", Program),
            sort_order=position,
        )
        if not program.description:
            # HSDS requires one, as for organisations; the programme is useful without it.
            f.warn("description", "is empty; the programme is kept without a description.")
        named = f.uuid("organization_id", required=False)
        if named is not None and named != organization_id:
            f.error("organization_id", f"names organisation {named}, not {organization_id}")
        return program

    def _program(self, f, built, problems):
        """The service's programme: given whole (`program`) or by id (`program_id`)."""
        service = built.service
        own = Problems()
        linked = Fields(f.data, "", "service", own, set()).uuid("program_id", required=False)
        for name, message in own.errors:
            problems.warnings.append((name, f"{message.rstrip('.')}; no programme is linked."))
        data = f.object("program")
        if data is not None:
            program = self._lenient(
                problems,
                "programme",
                lambda own: self._program_row(
                    data, "program", len(built.programs), service.organization_id, own
                ),
            )
            if program is not None:
                if linked is not None and linked != program.pk:
                    f.warn("program_id", f"is {linked}, but the programme given is {program.pk}.")
                linked = program.pk
                if all(other.pk != program.pk for other in built.programs):
                    built.programs.append(program)
        built.program_id = linked

    def _service_at_location(self, data, path, position, built, problems):
        s = Fields(data, path, "service_at_location", problems, self.report.ignored_fields)
        location_data = s.object("location")
        if location_data is None:
            s.error("location", "is required (the location itself, not only its id).")
            return
        location = self._location(location_data, f"{path}.location", built, problems)
        sal = new_row(
            ServiceAtLocation,
            id=s.uuid("id"),
            service_id=built.service.pk,
            location_id=location.pk,
            description=s.text("description", ServiceAtLocation),
            sort_order=position,
        )
        if any(other.location_id == sal.location_id for other in built.service_at_locations):
            s.error("location", "this location is listed twice for the service.")
        built.service_at_locations.append(sal)
        for i, item in enumerate(s.objects("schedules")):
            listed = next((row for row in built.schedules if str(row.pk) == item.get("id")), None)
            if listed is not None:
                # Feeds often repeat the service's schedules here; one row, linked to the place.
                listed.service_at_location_id = listed.service_at_location_id or sal.pk
                continue
            schedule = self._schedule(
                item, f"{path}.schedules[{i}]", len(built.schedules), built.service, problems
            )
            schedule.service_at_location_id = sal.pk
            built.schedules.append(schedule)

    def _link_schedules(self, built, problems):
        """Schedules that name a service_at_location must name one of this service's."""
        places = {sal.pk for sal in built.service_at_locations}
        for i, schedule in enumerate(built.schedules):
            if schedule.service_at_location_id and schedule.service_at_location_id not in places:
                problems.warnings.append(
                    (
                        f"schedules[{i}].service_at_location_id",
                        f"{schedule.service_at_location_id} is not one of this service's "
                        "locations; the schedule applies to the whole service.",
                    )
                )
                schedule.service_at_location_id = None

    def _location(self, data, path, built, problems):
        """The service's Location row for a location object, with its addresses and
        accessibility, mapped once while it is kept (`_Mapped`) for services of the same
        organisation; its problems are added each time, under this service's path."""
        key = data.get("id")
        organization_id = built.service.organization_id
        fingerprint = _fingerprint(data) if key else None
        kept = self.mapped_locations.get(key, fingerprint, organization_id) if key else None
        if kept is None:
            found = Problems()
            other = {}
            entry = self._map_location(data, path, organization_id, other, found)
            kept = (entry, other, found, path)
            if key:
                self.mapped_locations.put(key, fingerprint, organization_id, kept)
        entry, other, found, kept_path = kept
        _replay(found, problems, path, kept_path)
        built.location_organizations.update(other)
        location = entry[0]
        if all(listed[0].pk != location.pk for listed in built.locations):
            built.locations.append(entry)
        return location

    def _map_location(self, data, path, organization_id, other, problems):
        """(Location, [Address], [LocationAccessibility]) of a location object given by a
        service of the organisation `organization_id`; the id of another organisation that
        it names goes into `other`."""
        f = Fields(data, path, "location", problems, self.report.ignored_fields)
        location = new_row(
            Location,
            id=f.uuid("id"),
            location_type=f.choice(
                "location_type", LOCATION_TYPES, LocationType.PHYSICAL, required=True
            ),
            name=f.text("name", Location),
            alternate_name=f.text("alternate_name", Location),
            description=f.text("description", Location),
            transportation=f.text("transportation", Location),
            url=f.url("url", Location),
            external_identifier=f.text("external_identifier", Location),
            external_identifier_type=f.text("external_identifier_type", Location),
        )
        # Bad coordinates are left out: the place is then found from its address.
        instead = "and the place is found from its address instead"
        latitude = f.number("latitude", -90, 90, dropped=instead)
        longitude = f.number("longitude", -180, 180, dropped=instead)
        if (latitude is None) != (longitude is None):
            if f.raw("latitude") is None or f.raw("longitude") is None:
                f.warn(
                    "longitude",
                    f"give both latitude and longitude, or neither; left out, {instead}.",
                )
        else:
            location.latitude = None if latitude is None else float(latitude)
            location.longitude = None if longitude is None else float(longitude)
        org_id = f.uuid("organization_id", required=False)
        location.organization_id = organization_id
        if org_id is not None and org_id != organization_id:
            # Another organisation's place: linked at the end, once that organisation is in.
            location.organization_id = None
            other[location.pk] = org_id
        addresses = []
        for i, item in enumerate(f.objects("addresses")):
            a = Fields(
                item, f"{path}.addresses[{i}]", "address", problems, self.report.ignored_fields
            )
            addresses.append(
                new_row(
                    Address,
                    id=a.uuid("id"),
                    location_id=location.pk,
                    address_type=a.choice("address_type", LOCATION_TYPES, LocationType.PHYSICAL),
                    attention=a.text("attention", Address),
                    address_1=a.text("address_1", Address, required=True),
                    address_2=a.text("address_2", Address),
                    city=a.text("city", Address, required=True),
                    region=a.text("region", Address),
                    state_province=a.text("state_province", Address),
                    postal_code=a.text("postal_code", Address, required=True),
                    country=(a.text("country", Address) or "GB").upper(),
                    sort_order=i,
                )
            )
            _check_postcode(a, addresses[-1])
        accessibility = []
        for i, item in enumerate(f.objects("accessibility")):
            a = Fields(
                item,
                f"{path}.accessibility[{i}]",
                "accessibility",
                problems,
                self.report.ignored_fields,
            )
            feature = self._local(a, "accessibility_feature")
            if feature in ACCESSIBILITY_FEATURES:
                setattr(location, feature, True)
                continue
            if not a.raw("description") and a.raw("accessibility"):
                a.data = {**a.data, "description": a.data["accessibility"]}
            accessibility.append(
                new_row(
                    LocationAccessibility,
                    id=a.uuid("id"),
                    location_id=location.pk,
                    description=a.text("description", LocationAccessibility, required=True),
                    details=a.text("details", LocationAccessibility),
                    url=a.url("url", LocationAccessibility),
                    sort_order=i,
                )
            )
        return location, addresses, accessibility

    def _phone(self, data, path, position, service, problems):
        f = Fields(data, path, "phone", problems, self.report.ignored_fields)
        number = f.text("number", Phone, required=True)
        stripped = number.strip().strip("\"'“”")
        if stripped != number.strip():
            f.warn("number", f"quotation marks removed from {number}.")
            number = stripped
        if number and not re.search(r"\d", number):
            f.error("number", f"“{number}” has no digits.")
        kind = str(f.raw("type") or "voice").lower()
        if kind in PHONE_TYPE_ALIASES:
            f.warn("type", f"“{kind}” is stored as “{PHONE_TYPE_ALIASES[kind]}”.")
            kind = PHONE_TYPE_ALIASES[kind]
        elif kind not in PHONE_TYPES:
            f.error("type", f"“{kind}” is not one of: {', '.join(sorted(PHONE_TYPES))}.")
        codes = []
        for i, item in enumerate(f.objects("languages")):
            lang = Fields(
                item,
                f"{path}.languages[{i}]",
                "phone_language",
                problems,
                self.report.ignored_fields,
            )
            code = lang.text("code", ServiceLanguage, required=True)
            if code and code not in codes:
                codes.append(code)
        languages = ", ".join(codes)
        if len(languages) > _limit(Phone, "languages"):
            f.error("languages", "lists more languages than we can store (100 characters).")
        return new_row(
            Phone,
            id=f.uuid("id"),
            service_id=service.pk,
            number=number,
            extension=f.integer("extension", 0, 2_147_483_647),
            type=kind,
            description=f.text("description", Phone),
            languages=languages,
            sort_order=position,
        )

    def _schedule(self, data, path, position, service, problems):
        f = Fields(data, path, "schedule", problems, self.report.ignored_fields)
        f.choice("wkst", set(WEEKDAYS))
        schedule = new_row(
            Schedule,
            id=f.uuid("id"),
            service_id=service.pk,
            freq=f.choice("freq", {"WEEKLY", "MONTHLY"}),
            interval=f.integer("interval", 1, 32767) or 1,
            byday=f.text("byday", Schedule).upper().replace(" ", ""),
            bymonthday=f.text("bymonthday", Schedule).replace(" ", ""),
            opens_at=f.time("opens_at"),
            closes_at=f.time("closes_at"),
            valid_from=f.date("valid_from"),
            valid_to=f.date("valid_to"),
            dtstart=f.date("dtstart"),
            description=f.text("description", Schedule),
            notes=f.text("notes", Schedule),
            attending_type=f.text("attending_type", Schedule),
            schedule_link=f.url("schedule_link", Schedule),
            service_at_location_id=f.uuid("service_at_location_id", required=False),
            sort_order=position,
        )
        schedule.closed = self._local(f, "closed") == "true"
        if schedule.closed and schedule.description == "Closed":
            schedule.description = ""  # the label our exports give a closure without one
        try:
            validate_schedule(schedule)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    f.error(name, message)
        if schedule.valid_to and schedule.valid_to < dt.date.today():
            f.warn("valid_to", f"ended on {schedule.valid_to}; it will not show as open.")
        return schedule

    def _local(self, f, code):
        """The value of the local attribute `cc:<code>` our exports put on an object, or None."""
        found = None
        for item in f.objects("attributes"):
            link_type = str(item.get("link_type") or "")
            if link_type == LOCAL_PREFIX + code:
                found = str(item.get("value") or "").lower()
            elif not (item.get("taxonomy_term_id") or item.get("taxonomy_term")):
                self.report.ignored_fields.add(f"attribute {link_type or '(no link_type)'}")
        return found

    def _area(self, data, path, position, service, problems):
        f = Fields(data, path, "service_area", problems, self.report.ignored_fields)
        name = f.text("name", ServiceArea) or f.text("service_area", ServiceArea, "name")
        if not name:
            f.error("name", "is required.")
        kind = str(f.raw("extent_type") or "text").lower()
        ours = self._local(f, "area_kind")
        extent = self._extent(f, kind)
        if ours in OUR_EXTENT_TYPES:
            extent_type = ours
            if ours == ServiceArea.RADIUS and kind == "geojson":
                extent = _radius_from_geojson(extent) or extent
        elif kind == ServiceArea.POLYGON and not extent.strip():
            extent_type = ServiceArea.REGION  # a named area without its shape
        elif kind in OUR_EXTENT_TYPES:
            extent_type = kind
        elif kind in HSDS_EXTENT_TYPES:
            extent_type = _extent_type_from_text(name, extent) if kind == "text" else "region"
        else:
            f.error(
                "extent_type",
                f"“{kind}” is not one of: "
                f"{', '.join(sorted(OUR_EXTENT_TYPES | HSDS_EXTENT_TYPES))}.",
            )
            extent_type = ServiceArea.REGION
        box = {}
        if extent_type == ServiceArea.POLYGON:
            try:
                area = read_area(extent)
            except AreaError as error:
                f.warn("extent", f"{error.message} The area is left out.")
                return None
            extent = area.geojson
            box = dict(zip(BOX_FIELDS, area.box, strict=True))
        return new_row(
            ServiceArea,
            id=f.uuid("id"),
            service_id=service.pk,
            name=name,
            description=f.text("description", ServiceArea),
            extent_type=extent_type,
            extent=extent,
            uri=f.url("uri", ServiceArea),
            sort_order=position,
            **box,
        )

    def _extent(self, f, kind):
        """An area's extent as text. A shape (`geojson`) is checked by `read_area`, not by the
        text limit, and may come as a JSON object rather than a string."""
        if kind != ServiceArea.POLYGON:
            return f.text("extent", ServiceArea)
        value = f.raw("extent")
        if isinstance(value, dict):  # numbers read from a feed are Decimals
            return json.dumps(value, default=float)
        return f.text("extent", ServiceArea, limit=False)

    def _language(self, data, path, position, service, problems):
        f = Fields(data, path, "language", problems, self.report.ignored_fields)
        code = f.text("code", ServiceLanguage) or _language_code(f.raw("name"))
        if not code:
            f.warn("code", "no language code (such as ur or cy) and no name we know; left out.")
            return None
        return new_row(
            ServiceLanguage,
            id=f.uuid("id"),
            service_id=service.pk,
            code=code,
            name=f.text("name", ServiceLanguage),
            note=f.text("note", ServiceLanguage),
            sort_order=position,
        )

    def _cost(self, data, path, position, service, problems):
        f = Fields(data, path, "cost_option", problems, self.report.ignored_fields)
        amount = f.number("amount", 0)
        if amount is not None:
            try:
                DecimalValidator(9, 2)(amount)
            except ValidationError:
                f.error("amount", f"{amount} has more than 2 decimal places or 7 digits.")
        currency = f.text("currency", CostOption).upper() or "GBP"
        if not re.fullmatch(r"[A-Z]{3}", currency):
            f.error("currency", f"“{currency}” is not an ISO 4217 code such as GBP.")
        cost = new_row(
            CostOption,
            id=f.uuid("id"),
            service_id=service.pk,
            option=f.text("option", CostOption),
            amount=amount,
            currency=currency,
            amount_description=f.text("amount_description", CostOption),
            valid_from=f.date("valid_from"),
            valid_to=f.date("valid_to"),
            sort_order=position,
        )
        if cost.valid_from and cost.valid_to and cost.valid_to < cost.valid_from:
            f.error("valid_to", "The end date must not be before the start date.")
        return cost

    def _contact(self, data, path, position, service, problems):
        f = Fields(data, path, "contact", problems, self.report.ignored_fields)
        if data.get("phones"):
            self.report.ignored_fields.add("contact.phones")
        return new_row(
            Contact,
            id=f.uuid("id"),
            service_id=service.pk,
            name=f.text("name", Contact),
            title=f.text("title", Contact),
            department=f.text("department", Contact),
            email=f.email("email", Contact),
            sort_order=position,
        )

    def _attribute(self, data, path, built, problems):
        f = Fields(data, path, "attribute", problems, self.report.ignored_fields)
        term = f.object("taxonomy_term")
        if term is not None:
            term_id = self._term(term, f"{path}.taxonomy_term", built, problems)
        else:
            term_id = f.uuid("taxonomy_term_id", required=False)
            if term_id is None:
                return  # a local attribute, read (or noted as ignored) by _local
            if str(term_id) in self.known_terms:
                built.terms.append(self.known_terms[str(term_id)])
            elif not self.term_exists(term_id):
                f.error(
                    "taxonomy_term_id",
                    f"taxonomy term {term_id} is neither defined in the feed nor known here.",
                )
                return
        if term_id is not None and term_id not in built.term_ids:
            built.term_ids.append(term_id)
        if f.raw("value") is not None:
            self.report.ignored_fields.add("attribute.value (of a taxonomy term link)")

    def _term(self, data, path, built, problems):
        known = self.known_terms.get(str(data.get("id")))
        if known is not None and known == data:
            # Checked already when the feed first gave it; feeds repeat terms on every service.
            built.terms.append(known)
            return uuid.UUID(str(data["id"]))
        errors_before = len(problems.errors)
        f = Fields(data, path, "taxonomy_term", problems, self.report.ignored_fields)
        term_id = f.uuid("id")
        f.text("name", TaxonomyTerm, required=True)
        f.text("description", TaxonomyTerm)
        f.text("language", TaxonomyTerm)
        f.url("term_uri", TaxonomyTerm)
        f.uuid("parent_id", required=False)
        f.uuid("taxonomy_id", required=False)
        detail = f.object("taxonomy_detail")
        if detail is not None:
            t = Fields(
                detail, f"{path}.taxonomy_detail", "taxonomy", problems, self.report.ignored_fields
            )
            t.uuid("id")
            t.text("name", Taxonomy, required=True)
            t.url("uri", Taxonomy)
            t.text("version", Taxonomy)
        if term_id is not None and len(problems.errors) == errors_before:
            self.known_terms[str(term_id)] = data
            built.terms.append(data)
        return term_id

    def _check_ids(self, built, problems):
        seen = set()
        for model, pk in built.child_ids():
            if pk is None:
                continue
            if (model, pk) in seen and model is not Location:
                problems.errors.append(
                    (model._meta.model_name, f"id {pk} is used for two different rows.")
                )
            seen.add((model, pk))


def _unowned(funding):
    """A funding object without the ids of who holds it, which differ by where it is listed."""
    return {key: value for key, value in funding.items() if key not in FUNDING_OWNERS}


def _check_postcode(fields, address):
    """A UK address's postcode must be one in form, in a UK postcode area."""
    if address.country not in ("GB", "UK") or not address.postal_code:
        return
    postcode = normalise_postcode(address.postal_code)
    if postcode is None or area_of(postcode) not in POSTCODE_AREAS:
        fields.warn(
            "postal_code",
            f"“{address.postal_code}” is not a UK postcode; the address is kept as given, "
            "but cannot be found on a map.",
        )


def _language_code(name):
    """The ISO 639-1 code for a language's English name (Urdu -> ur), or ""."""
    from django.conf.locale import LANG_INFO

    wanted = str(name or "").strip().lower()
    for code, info in LANG_INFO.items():
        if wanted and info.get("name", "").lower() == wanted and "-" not in code:
            return code
    return ""


def _radius_from_geojson(extent):
    """'lat, lon, km' from the circle Feature our exports write for a radius area."""
    try:
        properties = json.loads(extent)["properties"]
        return "{}, {}, {}".format(
            float(properties["latitude"]),
            float(properties["longitude"]),
            float(properties["radius_km"]),
        )
    except (ValueError, KeyError, TypeError):
        return None


def _extent_type_from_text(name, extent):
    """Our kind of area for an HSDS `text` extent."""
    parts = [p.strip().upper() for p in extent.replace(";", ",").split(",") if p.strip()]
    if parts and all(DISTRICT_RE.match(p) for p in parts):
        return ServiceArea.DISTRICTS
    if len(parts) == 3:
        try:
            lat, lon, km = (float(p) for p in parts)
        except ValueError:
            pass
        else:
            if -90 <= lat <= 90 and -180 <= lon <= 180 and km > 0:
                return ServiceArea.RADIUS
    if not extent and name.strip().lower() in NATIONAL_NAMES:
        return ServiceArea.NATIONAL
    return ServiceArea.REGION
