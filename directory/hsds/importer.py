"""Reading Open Referral HSDS 3.0 feeds into the directory: validation, mapping and writing.

A feed is read as a stream of service objects in the HSDS JSON shape (the CSV datapackage is
turned into the same shape by `directory.hsds.csv_package`). Each service is checked and
turned into unsaved model rows in full before anything is written, so a bad record is
reported and skipped whole. Good records are written in batches, each in one transaction
with bulk upserts, then indexed for search with `directory.indexing.index_services`.

Mapping choices that the HSDS standard leaves open (see also `HSDS_EXTENT_TYPES`):

- `free` is true only when the feed says so: a cost option of nothing (amount 0, or named
  "Free" without an amount) and none above it, or a fees text that says free ("Free", "No
  charge"). A feed silent about costs does not make a service free.
- Child rows of a service (phones, schedules, areas, languages, costs, contacts, locations
  served, categories) are replaced by what the feed says; a location's addresses and
  accessibility notes likewise.
- HTML in text becomes plain text with a warning, paragraphs and line breaks kept
  (`directory.hsds.cleaning`); markup is never stored.
- Lenient in: a record is skipped only when it is unusable (no id, name, status or
  organisation; a broken structure). A bad web or email address, or one too long to store, is
  left out with a warning, as are bad coordinates (the place is then found from its address);
  invisible characters are removed from addresses with a warning; an organisation without a
  description is kept with a warning.
- A service id given twice: the later copy replaces the earlier, with a warning on the later
  record naming the first; a copy without an organisation keeps the one already known.
- Older versions (ORUK 1.0, the HSDS 1.x/2.x API shape) are mapped record by record
  (`directory.hsds.versions`); older CSV datapackages are refused naming their version.
- A phone number wrapped in quotation marks loses them, with a warning.
- A web address without a scheme gets `https://`, with a warning.
"""

import datetime as dt
import decimal
import functools
import hashlib
import json
import re
import uuid
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator, URLValidator, validate_email
from django.db import DataError, IntegrityError, connection, transaction
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.utils.html import strip_tags
from django.utils.text import slugify

from core.geo.postcodes import POSTCODE_AREAS, area_of, normalise_postcode
from directory import indexing
from directory.hsds.cleaning import (
    free_from_costs,
    html_to_text,
    invisible_characters,
    looks_like_html,
    without_invisible,
)
from directory.hsds.read import FeedError, check_size, iter_json_services  # noqa: F401
from directory.hsds.report import MAX_LISTED, ImportReport, write_report  # noqa: F401
from directory.hsds.serialize import ACCESSIBILITY_FEATURES, LOCAL_PREFIX, derived_id
from directory.hsds.versions import HSDS_3, Upgrade, record_version
from directory.models import (
    Address,
    Contact,
    CostOption,
    IndexVersion,
    Location,
    LocationAccessibility,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceLanguage,
    ServiceOrigin,
    Taxonomy,
    TaxonomyTerm,
)
from directory.models.location import LocationType
from directory.models.service import ServiceStatus
from directory.schedules import WEEKDAYS, validate_schedule
from directory.search.idset import id_set
from directory.search.taxonomy import expand_categories

BATCH_SIZE = 2000
# Text fields without a database limit still get one: a 50,000-character description is a
# broken export, not something to show a grieving person.
TEXT_LIMIT = 50_000

SERVICE_STATUSES = frozenset(ServiceStatus.values)
LOCATION_TYPES = frozenset(LocationType.values)
PHONE_TYPES = {"voice", "text", "textphone", "fax", "video"}
# HSDS suggests these too; they map to the nearest type we offer.
PHONE_TYPE_ALIASES = {"cell": "voice", "mobile": "voice", "landline": "voice", "sms": "text"}

# HSDS `extent_type` names the format of `extent`; ours names the kind of area. Our own exports
# write our kind (national, region, radius, districts) so that a round trip keeps it. From other
# feeds: `text` extents are read as districts ("SE13, SE6") or a radius ("51.46, -0.01, 5") when
# they parse as one, else as a region; polygons (geojson, topojson, kml) become a named region
# (the polygon is kept in `extent` but search does not use it).
OUR_EXTENT_TYPES = {
    ServiceArea.NATIONAL,
    ServiceArea.REGION,
    ServiceArea.RADIUS,
    ServiceArea.DISTRICTS,
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

# What we read from each HSDS object. Anything else a feed sends is named once in the report's
# `ignored_fields`, so nothing is dropped silently.
KNOWN = {
    "service": {
        "id",
        "name",
        "alternate_name",
        "description",
        "url",
        "email",
        "status",
        "interpretation_services",
        "application_process",
        "fees_description",
        "fees",
        "wait_time",
        "accreditations",
        "licenses",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
        "alert",
        "assured_date",
        "assurer_email",
        "last_modified",
        "organization",
        "organization_id",
        "phones",
        "schedules",
        "service_areas",
        "service_at_locations",
        "languages",
        "cost_options",
        "contacts",
        "attributes",
    },
    "organization": {
        "id",
        "name",
        "alternate_name",
        "description",
        "email",
        "website",
        "logo",
        "uri",
        "parent_organization_id",
        "legal_status",
        "tax_status",
        "tax_id",
        "year_incorporated",
        "organization_identifiers",
    },
    "organization_identifier": {"id", "identifier_scheme", "identifier_type", "identifier"},
    "service_at_location": {
        "id",
        "description",
        "location",
        "location_id",
        "schedules",
        "service_id",
    },
    "location": {
        "id",
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
        "addresses",
        "accessibility",
        "organization_id",
        "attributes",
    },
    "address": {
        "id",
        "attention",
        "address_1",
        "address_2",
        "city",
        "region",
        "state_province",
        "postal_code",
        "country",
        "address_type",
        "location_id",
    },
    "accessibility": {
        "id",
        "description",
        "details",
        "url",
        "location_id",
        "accessibility",
        "attributes",
    },
    "phone": {"id", "number", "extension", "type", "description", "languages", "service_id"},
    "phone_language": {"id", "code", "name", "note", "phone_id"},
    "schedule": {
        "id",
        "freq",
        "interval",
        "byday",
        "bymonthday",
        "opens_at",
        "closes_at",
        "valid_from",
        "valid_to",
        "dtstart",
        "description",
        "notes",
        "attending_type",
        "schedule_link",
        "wkst",
        "service_id",
        "service_at_location_id",
        "attributes",
    },
    "service_area": {
        "attributes",
        "id",
        "name",
        "description",
        "extent",
        "extent_type",
        "uri",
        "service_id",
        "service_area",
    },
    "language": {"id", "code", "name", "note", "service_id"},
    "cost_option": {
        "id",
        "option",
        "amount",
        "currency",
        "amount_description",
        "valid_from",
        "valid_to",
        "service_id",
    },
    "contact": {"id", "name", "title", "department", "email", "service_id"},
    "attribute": {
        "id",
        "taxonomy_term",
        "taxonomy_term_id",
        "link_id",
        "link_type",
        "link_entity",
        "value",
    },
    "taxonomy_term": {
        "term",
        "id",
        "code",
        "name",
        "description",
        "parent_id",
        "taxonomy",
        "taxonomy_id",
        "taxonomy_detail",
        "term_uri",
        "language",
    },
    "taxonomy": {"id", "name", "description", "uri", "version"},
}
# Charity registers in the org-id.guide list; an identifier in one of them is our
# `charity_number`.
CHARITY_SCHEMES = {"GB-CHC", "GB-SC", "GB-NIC"}


@dataclass
class Origin:
    """Where a feed comes from. Every service imported keeps it (a ServiceOrigin row). With
    `full`, the feed lists all the source's services: those it imported before and no longer
    lists are retired (made inactive, never deleted)."""

    name: str
    url: str = ""
    source_id: uuid.UUID | None = None  # a FeedSource's id
    full: bool = False
    fetched_at: dt.datetime | None = None


def record_hash(record, origin_name):
    """A fingerprint of a record as the feed gave it, to see that it has not changed."""
    text = json.dumps([origin_name, record], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


# -- reading one object ----------------------------------------------------------------------


class Problems:
    """Errors and warnings for one service record, each with the path of the field."""

    def __init__(self):
        self.errors = []
        self.warnings = []


def _limit(model, name):
    """The database length limit of a model's text field, or our own for unlimited text."""
    return model._meta.get_field(name).max_length or TEXT_LIMIT


_url_validator = URLValidator()


@functools.lru_cache(maxsize=4096)
def _valid_url(value):
    """Whether a web address is valid as it stands (feeds repeat the same few many times)."""
    try:
        _url_validator(value)
    except ValidationError:
        return False
    return True


class Fields:
    """Reads and checks the values of one HSDS object, noting problems under its path."""

    def __init__(self, data, path, kind, problems, ignored):
        self.data = data
        self.path = path
        self.problems = problems
        for key, value in data.items():
            if key not in KNOWN[kind] and value not in (None, "", [], {}):
                ignored.add(f"{kind}.{key}")

    def where(self, name):
        return f"{self.path}.{name}" if self.path else name

    def error(self, name, message):
        self.problems.errors.append((self.where(name), message))

    def warn(self, name, message):
        self.problems.warnings.append((self.where(name), message))

    def raw(self, name):
        value = self.data.get(name)
        if isinstance(value, str) and not value.strip():
            return None
        return value

    def text(self, name, model, attr=None, required=False, limit=True):
        value = self.raw(name)
        if value is None:
            if required:
                self.error(name, "is required.")
            return ""
        if isinstance(value, (int, decimal.Decimal, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.error(name, "must be text.")
            return ""
        if looks_like_html(value):
            plain = html_to_text(value)
            if plain != value:
                self.warn(
                    name, "contained HTML; converted to plain text, keeping paragraphs and lines."
                )
                value = plain
        most = _limit(model, attr or name)
        if limit and len(value) > most:
            self.error(name, f"is {len(value)} characters long; the limit is {most}.")
        return value

    def _too_long(self, name, value, model, attr):
        """Whether an address is too long to store; if so it is left out with a warning."""
        most = _limit(model, attr or name)
        if len(value) > most:
            self.warn(
                name,
                f"is {len(value)} characters long, over the {most} we store; left out.",
            )
            return True
        return False

    def _visible(self, name, value):
        """`value` without the invisible characters a copy and paste leaves in addresses."""
        hidden = invisible_characters(value.strip())
        if hidden:
            value = without_invisible(value)
            self.warn(name, f"had invisible characters ({', '.join(hidden)}); removed: “{value}”.")
        return value.strip()

    def uuid(self, name, required=True):
        value = self.raw(name)
        if value is None:
            if required:
                self.error(name, "is required.")
            return None
        try:
            return uuid.UUID(str(value))
        except ValueError:
            self.error(name, f"“{value}” is not a UUID.")
            return None

    def choice(self, name, choices, default="", required=False):
        value = self.raw(name)
        if value is None:
            if required:
                self.error(name, "is required.")
            return default
        if value not in choices:
            self.error(name, f"“{value}” is not one of: {', '.join(sorted(choices))}.")
            return default
        return value

    def number(self, name, minimum=None, maximum=None, dropped=None):
        """A number in range; with `dropped` (what happens instead), a bad one is left out
        with a warning rather than refusing the record."""
        value = self.raw(name)
        if value is None:
            return None

        def bad(message):
            if dropped:
                self.warn(name, f"{message[:-1]}; left out, {dropped}.")
            else:
                self.error(name, message)

        if isinstance(value, bool):
            bad("must be a number.")
            return None
        try:
            number = decimal.Decimal(str(value).strip())
        except decimal.InvalidOperation:
            bad(f"“{value}” is not a number.")
            return None
        if not number.is_finite():
            bad(f"“{value}” is not a number.")
            return None
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            bad(f"{value} is outside the range {minimum} to {maximum}.")
            return None
        return number

    def integer(self, name, minimum=0, maximum=32767):
        number = self.number(name, minimum, maximum)
        if number is None:
            return None
        if number != number.to_integral_value():
            self.error(name, f"{number} is not a whole number.")
            return None
        return int(number)

    def date(self, name):
        value = self.raw(name)
        if value is None:
            return None
        text = str(value).strip()
        try:
            parsed = parse_date(text) or (parse_datetime(text) or None)
        except ValueError:
            parsed = None
        if parsed is None:
            self.error(name, f"“{value}” is not a date (use YYYY-MM-DD).")
            return None
        return parsed.date() if isinstance(parsed, dt.datetime) else parsed

    def time(self, name):
        value = self.raw(name)
        if value is None:
            return None
        try:
            parsed = parse_time(str(value).strip())
        except ValueError:
            parsed = None
        if parsed is None:
            self.error(name, f"“{value}” is not a time (use HH:MM or HH:MM:SS).")
            return None
        # Opening times are local wall-clock times here; an offset in a feed does not move them.
        return parsed.replace(tzinfo=None, microsecond=0)

    def email(self, name, model, attr=None):
        value = self._visible(name, self.text(name, model, attr, limit=False))
        if value:
            if self._too_long(name, value, model, attr):
                return ""
            try:
                validate_email(value)
            except ValidationError:
                self.warn(name, f"“{value}” is not an email address; left out.")
                return ""
        return value

    def url(self, name, model, attr=None):
        value = self._visible(name, self.text(name, model, attr, limit=False))
        if not value:
            return ""
        if self._too_long(name, value, model, attr):
            return ""
        if _valid_url(value):
            return value
        try:
            _url_validator(value)
        except ValidationError:
            fixed = "https://" + value
            if "://" not in value:
                try:
                    _url_validator(fixed)
                except ValidationError:
                    pass
                else:
                    self.warn(name, f"“{value}” had no scheme; stored as {fixed}.")
                    if len(fixed) <= _limit(model, attr or name):
                        return fixed
            self.warn(name, f"“{value}” is not a web address; left out.")
            return ""
        return value

    def objects(self, name):
        """A list of objects; anything else is an error."""
        value = self.data.get(name)
        if value in (None, ""):
            return []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.error(name, "must be a list of objects.")
            return []
        return value

    def object(self, name):
        value = self.data.get(name)
        if value in (None, ""):
            return None
        if not isinstance(value, dict):
            self.error(name, "must be an object.")
            return None
        return value


# -- building one service --------------------------------------------------------------------


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

    def build(self, data, index):
        """A `Built` record, or None after reporting why this record is skipped."""
        problems = Problems()
        record_id = data.get("id") if isinstance(data, dict) else None
        if not isinstance(data, dict):
            problems.errors.append(("", "is not an object; a feed lists service objects."))
            built = None
        else:
            built = self._service(data, index, problems)
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
            built.service_areas.append(
                self._area(item, f"service_areas[{i}]", i, service, problems)
            )
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
        free_option = derived_id("cost_option", service.pk, "free")
        our_free_option = False
        for i, item in enumerate(f.objects("cost_options")):
            if item.get("id") == free_option:
                our_free_option = True
                continue  # the "Free" option our exports add for `free`; the flag is below
            built.cost_options.append(self._cost(item, f"cost_options[{i}]", i, service, problems))
        for i, item in enumerate(f.objects("contacts")):
            built.contacts.append(self._contact(item, f"contacts[{i}]", i, service, problems))
        for i, item in enumerate(f.objects("attributes")):
            self._attribute(item, f"attributes[{i}]", built, problems)
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
            elif org_id is None:
                f.error("organization", "is required: give the organisation or its id.")
            elif not self.organization_exists(org_id):
                f.error("organization_id", f"organisation {org_id} is not in the feed or here.")
            service.organization_id = org_id
            return
        organization, parent = self.organization_row(data, "organization", problems)
        built.organization_parent = parent
        built.organization = organization
        service.organization_id = organization.id

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
        location.organization_id = built.service.organization_id
        if org_id is not None and org_id != built.service.organization_id:
            # Another organisation's place: linked at the end, once that organisation is in.
            location.organization_id = None
            built.location_organizations[location.pk] = org_id
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
        existing = next((entry for entry in built.locations if entry[0].pk == location.pk), None)
        if existing is None:
            built.locations.append((location, addresses, accessibility))
        return location

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
        extent = f.text("extent", ServiceArea)
        kind = str(f.raw("extent_type") or "text").lower()
        ours = self._local(f, "area_kind")
        if ours in OUR_EXTENT_TYPES:
            extent_type = ours
            if ours == ServiceArea.RADIUS and kind == "geojson":
                extent = _radius_from_geojson(extent) or extent
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
        )

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


# -- writing ---------------------------------------------------------------------------------

# Written by the importer for the search index (see Importer._index_records).
INDEX_FIELDS = ["open_24_7", "reaches_anywhere", "search_key"]
SERVICE_FIELDS = [
    "organization",
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
    "free",
    "accreditations",
    "licenses",
    "eligibility_description",
    "minimum_age",
    "maximum_age",
    "alert",
    "assured_date",
    "assurer_email",
    "last_modified",
]
ORGANIZATION_FIELDS = [
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
    "charity_number",
    "last_modified",
]
LOCATION_FIELDS = [
    "organization",
    "location_type",
    "name",
    "alternate_name",
    "description",
    "transportation",
    "url",
    "latitude",
    "longitude",
    "external_identifier",
    "external_identifier_type",
    "step_free",
    "accessible_toilet",
    "hearing_loop",
    "parking",
    "last_modified",
]
ORIGIN_FIELDS = ["source", "feed_name", "feed_url", "id_in_feed", "fetched_at", "content_hash"]
CHILD_MODELS = [
    Schedule,
    ServiceAtLocation,
    Phone,
    ServiceArea,
    ServiceLanguage,
    CostOption,
    Contact,
]


# -- raw bulk writes -------------------------------------------------------------------------
#
# Django's bulk_create compiles every value of every row through the ORM; for an import of a
# hundred thousand services that is most of the time spent writing. These write the same rows
# with one prepared statement (SQLite) or multi-row VALUES (PostgreSQL), converting only the
# values whose database form differs from the Python one. No signals are sent, as with
# bulk_create; auto_now fields are filled by the caller.

PLAIN_TYPES = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "EmailField",
    "FloatField",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
    "URLField",
}


def _converter(field):
    target = field.target_field if field.is_relation else field
    kind = target.get_internal_type()
    if kind in PLAIN_TYPES:
        return None
    if kind in ("DateField", "TimeField") and connection.vendor == "sqlite":
        return str  # what Django's SQLite backend stores for a date or a naive time
    if kind == "DateTimeField":
        # Most rows of a batch share the time of the import: convert each value once.
        return functools.lru_cache(maxsize=256)(
            lambda value: field.get_db_prep_save(value, connection)
        )
    if kind == "UUIDField":
        if connection.features.has_native_uuid_field:
            return None
        return lambda value: value.hex if isinstance(value, uuid.UUID) else value
    return lambda value: field.get_db_prep_save(value, connection)


def _columns(model):
    """(column, attname, converter) of every concrete field but an automatic primary key."""
    return [
        (field.column, field.attname, _converter(field))
        for field in model._meta.concrete_fields
        if not (field.primary_key and field.get_internal_type() in ("AutoField", "BigAutoField"))
    ]


def _rows(objects, columns):
    rows = []
    for obj in objects:
        row = []
        for _column, attname, convert in columns:
            value = getattr(obj, attname)
            row.append(value if convert is None or value is None else convert(value))
        rows.append(row)
    return rows


def fast_insert(model, objects, update=None):
    """Insert model instances; with `update` (field names), update those fields of rows whose
    id is already stored instead (an upsert by primary key).

    Plain inserts go to PostgreSQL with COPY, upserts through a staging table; on SQLite, rows
    go in multi-row statements as large as it allows (indexing.sqlite_insert)."""
    objects = list(objects)
    if not objects:
        return
    qn = connection.ops.quote_name
    columns = _columns(model)
    names = ", ".join(qn(column) for column, _a, _c in columns)
    table = qn(model._meta.db_table)
    rows = _rows(objects, columns)
    conflict = ""
    if update:
        sets = ", ".join(
            f"{qn(c)} = EXCLUDED.{qn(c)}" for c in (model._meta.get_field(n).column for n in update)
        )
        conflict = f" ON CONFLICT ({qn(model._meta.pk.column)}) DO UPDATE SET {sets}"
    if connection.vendor == "postgresql":
        if update:
            _copy_upsert(model, table, names, rows, conflict)
        else:
            indexing.copy_rows(f"COPY {table} ({names}) FROM STDIN", rows)
        return
    indexing.sqlite_insert(table, names, len(columns), rows, conflict)


def _copy_upsert(model, table, names, rows, conflict):
    """An upsert on PostgreSQL: the rows are copied into a temporary table shaped like the
    model's, then inserted from it in one statement. A multi-row INSERT would send every value
    as a parameter of a query text that the driver has to build anew each time."""
    qn = connection.ops.quote_name
    staging = qn(f"import_{model._meta.db_table}")
    with transaction.atomic(), connection.cursor() as cursor:
        # Dropped at commit, and at once below, so each call starts from an empty table.
        cursor.execute(
            f"CREATE TEMPORARY TABLE {staging} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP"
        )
        indexing.copy_rows(f"COPY {staging} ({names}) FROM STDIN", rows)
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM {staging}{conflict}"  # noqa: S608
        )
        cursor.execute(f"DROP TABLE {staging}")


def update_admin_search(model, ids):
    """Index these rows in Wagtail's search backends (what its post_save handler would do)."""
    from wagtail.search.backends import get_search_backends

    if not ids:
        return
    backends = list(get_search_backends(with_auto_update=True))
    if not backends:
        return
    objects = list(model.get_indexed_objects().filter(pk__in=ids))
    for backend in backends:
        backend.add_bulk(model, objects)


def stored_owners(model, pks):
    """(id, service id) of the stored rows of `model` with these ids."""
    if not pks:
        return []
    return list(model.objects.filter(pk__in=id_set(pks)).values_list("pk", "service_id"))


def fast_delete(model, column, ids):
    """Delete the rows of `model` whose `column` is one of `ids` (no signals, no cascades)."""
    field = model._meta.get_field(column.removesuffix("_id"))
    convert = _converter(field)
    values = [value if convert is None else convert(value) for value in ids]
    qn = connection.ops.quote_name
    if not values:
        return
    sql = f"DELETE FROM {qn(model._meta.db_table)} WHERE {qn(field.column)} "  # noqa: S608
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(sql + "= ANY(%s)", [values])  # one array parameter
            return
        # In as few statement shapes as inserts, for SQLite's cache of prepared statements.
        for size, starts in indexing.sqlite_pieces(len(values)):
            cursor.executemany(
                sql + f"IN ({', '.join(['%s'] * size)})",
                [values[first : first + size] for first in starts],
            )


@contextmanager
def _sqlite_settings():
    """On SQLite, while importing: no memory-mapped reads, and the page cache that indexing
    uses for its bulk writes kept for the whole import.

    An import writes pages all over the search index and reads few of them again, so
    mapping the file only grows the process by the size of the database (searches keep
    their mapping; see directory/signals.py); and a cache that shrank between batches would
    read the index's pages back for every batch."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA mmap_size")
        (mmap_size,) = cursor.fetchone() or (0,)
        cursor.execute("PRAGMA cache_size")
        (cache_size,) = cursor.fetchone()
        cursor.execute("PRAGMA mmap_size = 0")
        cursor.execute(f"PRAGMA cache_size = {-indexing.SQLITE_CACHE_KB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA mmap_size = {int(mmap_size)}")
            cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")


@contextmanager
def _batch_transaction():
    """One batch's transaction. On PostgreSQL its commit does not wait for the write-ahead
    log to reach the disk: a crash could lose the last batches written, never corrupt them,
    and the import, which can be run again, is not over until a commit that does wait (the
    final one of `Importer.run`, whose flush takes every batch before it too). Inside a
    caller's transaction (a dry run, say) the caller's commit is left as it is."""
    own = not connection.in_atomic_block
    with transaction.atomic():
        if own and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield


class Importer:
    """Reads service objects from an iterable and writes the good ones in batches."""

    def __init__(
        self,
        *,
        dry_run=False,
        batch_size=BATCH_SIZE,
        progress=None,
        geocode=True,
        term_definitions=None,
        organization_definitions=None,
        admin_search=True,
        origin=None,
    ):
        self.report = ImportReport(dry_run=dry_run)
        self.origin = origin
        self.listed = set()  # ids of every service the feed lists, imported or not
        self.dry_run = dry_run
        # Bulk writes send no signals, so Wagtail's own search (the admin's snippet search)
        # is brought up to date here, a batch at a time.
        self.admin_search = admin_search
        self.batch_size = batch_size
        self.progress = progress
        self.geocode = geocode
        self.known_terms = {}
        self.written_terms = {}  # term id -> the definition last written
        self.written_organizations = set()
        self.seen_organizations = set()
        self.pending_parents = {}  # organisation id -> parent id, set at the end
        self.pending_term_parents = {}
        self.pending_location_organizations = {}
        self.first_seen = {}  # service id -> index of the first record with it
        self.organization_seen_for = {}  # service id -> its organisation's id, as read
        # Organisations a feed lists on their own (a CSV package's organizations table), so
        # that those without services are kept too; read after the services.
        self.organization_definitions = organization_definitions or ()
        self.builder = ServiceBuilder(
            self.report,
            self.known_terms,
            self._organization_exists,
            self._term_exists,
            self._organization_of,
        )
        # Terms a CSV package defines in its own table are checked once, up front; a bad one
        # is left out, and services that use it are reported when they reach for it.
        for data in (term_definitions or {}).values():
            problems = Problems()
            self.builder._term(data, "taxonomy_term", SimpleNamespace(terms=[]), problems)
            for name, message in problems.errors:
                self.report.add("error", None, data.get("id"), name, message)

    def _organization_exists(self, pk):
        return (
            pk in self.written_organizations
            or pk in self.seen_organizations
            or Organization.objects.filter(pk=pk).exists()
        )

    def _organization_of(self, pk):
        if pk is None:
            return None
        if pk in self.organization_seen_for:
            return self.organization_seen_for[pk]
        return Service.objects.filter(pk=pk).values_list("organization_id", flat=True).first()

    def _term_exists(self, pk):
        return str(pk) in self.written_terms or TaxonomyTerm.objects.filter(pk=pk).exists()

    def run(self, records):
        """Import (index, service dict) pairs; returns the ImportReport."""
        with _sqlite_settings(), indexing.fewer_collections():
            self._run_all(records)
        return self.report

    def _run_all(self, records):
        if self.dry_run:
            # Everything is written and then rolled back, so a dry run meets every check a
            # real one would, database constraints included.
            with transaction.atomic():
                self._run(records)
                transaction.set_rollback(True)
        else:
            self._run(records)

    def _run(self, records):
        batch = []
        for index, record in records:
            data = self._upgrade(record, index)
            if isinstance(data, dict) and data.get("id"):
                with suppress(ValueError):
                    self.listed.add(uuid.UUID(str(data["id"])))
            built = self.builder.build(data, index)
            if built is not None:
                if self.origin is not None:
                    built.id_in_feed = str(record.get("id"))[:255]
                    built.content_hash = record_hash(record, self.origin.name)
                first = self.first_seen.setdefault(built.service.pk, index)
                if first != index:
                    self.report.add(
                        "warning",
                        index,
                        str(built.service.pk),
                        "id",
                        f"this id was already used by record {first}; this later copy replaces it.",
                    )
                batch.append(built)
                self.seen_organizations.add(built.service.organization_id)
                self.organization_seen_for[built.service.pk] = built.service.organization_id
            if len(batch) >= self.batch_size:
                self._write(batch)
                batch = []
            if self.progress:
                self.progress(index)
        if batch:
            self._write(batch)
        with transaction.atomic():
            self._write_unused_terms()
            self._write_organizations()
            self._finish()
            self._retire_missing()
            # Term and organisation links changed above; this also makes the commit a write,
            # which on PostgreSQL waits for the log and so for every batch before it.
            IndexVersion.bump()

    def _retire_missing(self):
        """After a full feed: the source's active services it no longer lists are made
        inactive (kept, with their history, and out of searches)."""
        if self.origin is None or not self.origin.full:
            return
        active = Service.objects.filter(
            origin__feed_name=self.origin.name, status=ServiceStatus.ACTIVE
        )
        missing = sorted(set(active.values_list("pk", flat=True)) - self.listed)
        if not missing:
            return
        now = timezone.now()
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            Service.objects.filter(pk__in=chunk).update(
                status=ServiceStatus.INACTIVE, last_modified=now
            )
        self.report.retired = [str(pk) for pk in missing]
        if not self.dry_run:
            indexing.index_services(missing)

    def _upgrade(self, data, index):
        """The record in the HSDS 3.0 shape: older ones are mapped (see versions.py)."""
        version = record_version(data)
        if self.report.version is None:
            self.report.version = version
        elif version != self.report.version:
            self.report.add(
                "warning",
                index,
                data.get("id"),
                "",
                f"this record is in the shape of {version}, the feed's first of "
                f"{self.report.version}; read as {version}.",
            )
        if version == HSDS_3:
            return data

        def warn(name, message):
            self.report.add("warning", index, data.get("id"), name, message)

        return Upgrade(version, self.report.ignored_fields, warn).service(data)

    def _write_unused_terms(self):
        """Terms the feed defines that no service uses (parents, say) are kept too."""
        for term_id, data in list(self.known_terms.items()):
            if self.written_terms.get(term_id) != data:
                self._write_term(data, None)
                self.written_terms[term_id] = data

    def _write_organizations(self):
        """Organisations the feed lists on their own that no service brought in."""
        rows = []
        now = timezone.now()
        for data in self.organization_definitions:
            record_id = data.get("id") if isinstance(data, dict) else None
            try:
                pk = uuid.UUID(str(record_id))
            except ValueError:
                pk = None
            if pk is not None and pk in self.written_organizations:
                continue
            problems = Problems()
            if isinstance(data, dict):
                organization, parent = self.builder.organization_row(data, "organization", problems)
            else:
                problems.errors.append(("organization", "is not an object."))
            for name, message in problems.warnings:
                self.report.add("warning", None, record_id, name, message)
            if problems.errors:
                for name, message in problems.errors:
                    self.report.add("error", None, record_id, name, message)
                continue
            organization.created_at = organization.last_modified = now
            rows.append(organization)
            if parent is not None:
                self.pending_parents[organization.pk] = parent
            self.written_organizations.add(organization.pk)
        for start in range(0, len(rows), self.batch_size):
            chunk = rows[start : start + self.batch_size]
            fast_insert(Organization, chunk, update=ORGANIZATION_FIELDS)
            if self.admin_search and not self.dry_run:
                update_admin_search(Organization, [row.pk for row in chunk])

    # A batch is one transaction; if the database refuses it, each record is retried in its
    # own, so a clash the checks could not see skips that record and nothing else.
    def _write(self, batch):
        terms = dict(self.written_terms)
        try:
            with _batch_transaction():
                counts = self._write_rows(batch, check_stored=False)
        except (IntegrityError, DataError):
            self.written_terms = terms
            for built in batch:
                terms = dict(self.written_terms)
                try:
                    with _batch_transaction():
                        counts = self._write_rows([built], check_stored=True)
                except (IntegrityError, DataError) as error:
                    self.written_terms = terms
                    self.report.add(
                        "error",
                        built.index,
                        str(built.service.pk),
                        "",
                        f"the database refused this record: {error}",
                    )
                    self.report.skipped += 1
                else:
                    self._count(counts)
        else:
            self._count(counts)

    def _count(self, counts):
        created, updated, organizations, unchanged = counts
        self.report.created += created
        self.report.updated += updated
        self.report.unchanged += unchanged
        self.written_organizations.update(organizations)

    def _write_rows(self, batch, check_stored):
        # A later copy of a service replaces an earlier one (reported when read). Organisations
        # are taken from every copy: a later one may name by id only the organisation an
        # earlier one gave in full.
        organizations = {b.organization.pk: b for b in batch if b.organization is not None}
        by_id = {}
        for built in batch:
            by_id[built.service.pk] = built
        unchanged = self._unchanged(by_id) if self.origin is not None else []
        for pk in unchanged:
            del by_id[pk]
        batch = list(by_id.values())
        ids = list(by_id)
        if not batch:
            return 0, 0, set(), len(unchanged)
        existing = dict(Service.objects.filter(pk__in=id_set(ids)).values_list("pk", "search_key"))
        self._check_clashes(batch, check_stored)
        self._write_terms(batch)

        for pk, built in organizations.items():
            if built.organization_parent is not None:
                self.pending_parents[pk] = built.organization_parent
        organizations = {pk: built.organization for pk, built in organizations.items()}
        locations = {}
        places_of = {}
        for built in batch:
            for location, addresses, accessibility in built.locations:
                locations[location.pk] = (location, addresses, accessibility)
                places_of[location.pk] = built
            self.pending_location_organizations.update(built.location_organizations)
        now = timezone.now()
        if organizations:
            for organization in organizations.values():
                organization.created_at = organization.last_modified = now
            fast_insert(Organization, organizations.values(), update=ORGANIZATION_FIELDS)
        if locations:
            for location, addresses, _x in locations.values():
                location.created_at = location.last_modified = now
                if self.geocode and not self._fill_coordinates(location, addresses):
                    built = places_of[location.pk]
                    self.report.add(
                        "warning",
                        built.index,
                        str(built.service.pk),
                        f"location {location.pk}",
                        "no coordinates, and its postcode or town was not found; the place is "
                        "kept but will not show in searches near a place.",
                    )
            fast_insert(
                Location, [entry[0] for entry in locations.values()], update=LOCATION_FIELDS
            )
            fast_delete(Address, "location_id", list(locations))
            fast_delete(LocationAccessibility, "location_id", list(locations))
            fast_insert(Address, [a for e in locations.values() for a in e[1]])
            fast_insert(LocationAccessibility, [a for e in locations.values() for a in e[2]])

        for built in batch:
            # The feed's own time where it gave one, so that re-exporting a feed gives it back
            # unchanged; otherwise the time of this import.
            built.service.created_at = now
            built.service.last_modified = built.last_modified or now
        # What the search index needs, from the rows in hand: the derived flags and search
        # keys are then written with the services instead of by updates afterwards.
        records, fresh = self._index_records(batch, existing, organizations, locations)
        fast_insert(
            Service,
            [built.service for built in batch],
            update=[*SERVICE_FIELDS, *INDEX_FIELDS],
        )
        # A new service has no rows to replace (one of its ids stored for another service
        # would make the insert below fail).
        stored = [pk for pk in ids if pk in existing]
        for model in CHILD_MODELS:
            fast_delete(model, "service_id", stored)
        through = Service.categories.through
        fast_delete(through, "service_id", stored)
        fast_insert(ServiceAtLocation, [r for b in batch for r in b.service_at_locations])
        fast_insert(Schedule, [r for b in batch for r in b.schedules])
        fast_insert(Phone, [r for b in batch for r in b.phones])
        fast_insert(ServiceArea, [r for b in batch for r in b.service_areas])
        fast_insert(ServiceLanguage, [r for b in batch for r in b.languages])
        fast_insert(CostOption, [r for b in batch for r in b.cost_options])
        fast_insert(Contact, [r for b in batch for r in b.contacts])
        fast_insert(
            through,
            [
                new_row(through, service_id=b.service.pk, taxonomyterm_id=term)
                for b in batch
                for term in b.term_ids
            ],
        )
        if not self.dry_run:
            # One call per batch: it writes the index in bulk.
            indexing.index_services(ids, records=records, fresh=fresh)
            if self.admin_search:
                update_admin_search(Service, ids)
                update_admin_search(Organization, list(organizations))
                update_admin_search(Location, list(locations))
        if self.origin is not None:
            fast_insert(
                ServiceOrigin,
                [self._origin_row(built) for built in batch],
                update=ORIGIN_FIELDS,
            )
        return len(ids) - len(existing), len(existing), set(organizations), len(unchanged)

    def _origin_row(self, built):
        return new_row(
            ServiceOrigin,
            service_id=built.service.pk,
            source_id=self.origin.source_id,
            feed_name=self.origin.name[:200],
            feed_url=self.origin.url[:2000],
            id_in_feed=built.id_in_feed,
            fetched_at=self.origin.fetched_at or timezone.now(),
            content_hash=built.content_hash,
        )

    def _unchanged(self, by_id):
        """Ids of services the feed gives exactly as when last imported from it; only when
        they were fetched is noted."""
        stored = ServiceOrigin.objects.filter(
            pk__in=id_set(list(by_id)), feed_name=self.origin.name
        ).values_list("pk", "content_hash")
        same = [pk for pk, digest in stored if digest and by_id[pk].content_hash == digest]
        if same:
            ServiceOrigin.objects.filter(pk__in=id_set(same)).update(
                fetched_at=self.origin.fetched_at or timezone.now()
            )
        return same

    def _index_records(self, batch, existing, organizations, locations):
        """indexing.ServiceRecord of each service of the batch, its derived flags set on the
        service and its search key on both (new services get theirs here); and the ids of the
        services indexed for the first time."""
        names = {pk: org.name for pk, org in organizations.items()}
        missing = {b.service.organization_id for b in batch} - set(names)
        if missing:
            names.update(
                Organization.objects.filter(pk__in=id_set(missing)).values_list("pk", "name")
            )
        records = {}
        for built in batch:
            service = built.service
            service.search_key = existing.get(service.pk)
            org_id = service.organization_id
            records[service.pk] = indexing.ServiceRecord.of(
                service,
                SimpleNamespace(pk=org_id, name=names[org_id]) if org_id in names else None,
                built.term_ids,
                built.schedules,
                built.service_areas,
                built.phones,
                [locations[sal.location_id][0] for sal in built.service_at_locations],
            )
        fresh = indexing.assign_keys(records, stored=False)
        for built in batch:
            record = records[built.service.pk]
            record.open_24_7, record.reaches_anywhere = record.derived_flags()
            built.service.open_24_7 = record.open_24_7
            built.service.reaches_anywhere = record.reaches_anywhere
            built.service.search_key = record.search_key
        return records, fresh

    def _check_clashes(self, batch, check_stored):
        """Child ids twice in this batch, and with `check_stored` ids that belong to another
        service already stored. A batch is written without the second check: such an id
        makes the database refuse the batch (primary keys are unique), and each record is
        then written on its own with the check, which names the id and its owner."""
        owners = {}
        for built in batch:
            for model, pk in built.child_ids():
                if model in (Location, Address, LocationAccessibility):
                    continue
                owner = owners.setdefault((model, pk), built.service.pk)
                if owner != built.service.pk:
                    raise IntegrityError(f"{model._meta.model_name} {pk} is in two services")
        services = {built.service.pk for built in batch}
        for model in CHILD_MODELS if check_stored else ():
            pks = [pk for (m, pk) in owners if m is model]
            for pk, service_id in stored_owners(model, pks):
                if service_id not in services:
                    raise IntegrityError(
                        f"{model._meta.model_name} {pk} belongs to another service ({service_id})."
                    )

    def _fill_coordinates(self, location, addresses):
        """Coordinates from the address where the feed gave none; False if they were needed
        and could not be found."""
        from core.geo import GeocodeError
        from directory.geocoding import coordinates_for

        if location.has_coordinates or location.location_type == LocationType.VIRTUAL:
            return True
        address = next(
            (a for a in addresses if a.address_type == LocationType.PHYSICAL),
            addresses[0] if addresses else None,
        )
        if address is None:
            return True
        try:
            location.latitude, location.longitude = coordinates_for(address)
        except GeocodeError:
            return False
        return True

    def _write_terms(self, batch):
        for built in batch:
            for data in built.terms:
                term_id = str(data["id"]) if data.get("id") else None
                if term_id is None or self.written_terms.get(term_id) == data:
                    continue
                self._write_term(data, built.index)
                self.written_terms[term_id] = data

    def _write_term(self, data, index):
        taxonomy = self._taxonomy_for(data, index)
        term_id = uuid.UUID(str(data["id"]))
        code = slugify(str(data.get("code") or data.get("name")))[:100] or "term"
        if TaxonomyTerm.objects.filter(taxonomy=taxonomy, code=code).exclude(pk=term_id).exists():
            new_code = f"{code[:91]}-{str(term_id)[:8]}"
            self.report.add(
                "warning",
                index,
                str(term_id),
                "taxonomy_term.code",
                f"code “{code}” is taken by another term in {taxonomy}; stored as {new_code}.",
            )
            code = new_code
        values = {
            "taxonomy": taxonomy,
            "code": code,
            "name": strip_tags(str(data.get("name") or "")),
            "description": strip_tags(str(data.get("description") or "")),
            "term_uri": data.get("term_uri") or "",
            "language": data.get("language") or "",
        }
        parent_id = uuid.UUID(str(data["parent_id"])) if data.get("parent_id") else None
        if parent_id is not None and parent_id != term_id and self._term_exists(parent_id):
            # Linked now, so that the services filed under the term are indexed under its
            # parent too; a parent further on in the feed is linked at the end (_finish).
            values["parent_id"] = parent_id
        elif parent_id is not None:
            self.pending_term_parents[term_id] = parent_id
        term = TaxonomyTerm.objects.filter(pk=term_id).first()
        if term is None:
            TaxonomyTerm.objects.create(id=term_id, **values)
        elif any(getattr(term, name) != value for name, value in values.items()):
            # Saving an unchanged term would reindex every service that uses it.
            for name, value in values.items():
                setattr(term, name, value)
            term.save()

    def _taxonomy_for(self, data, index):
        detail = data.get("taxonomy_detail") or {}
        taxonomy_id = detail.get("id") or data.get("taxonomy_id")
        name = detail.get("name") or data.get("taxonomy") or "Imported terms"
        if taxonomy_id:
            taxonomy = Taxonomy.objects.filter(pk=taxonomy_id).first()
            if taxonomy is not None:
                if detail and (taxonomy.name, taxonomy.uri, taxonomy.version) != (
                    detail.get("name"),
                    detail.get("uri") or "",
                    detail.get("version") or "",
                ):
                    same_name = Taxonomy.objects.filter(name=detail["name"]).exclude(pk=taxonomy.pk)
                    if not same_name.exists():
                        taxonomy.name = detail["name"]
                    taxonomy.description = detail.get("description") or ""
                    taxonomy.uri = detail.get("uri") or ""
                    taxonomy.version = detail.get("version") or ""
                    taxonomy.save()
                return taxonomy
        by_name = Taxonomy.objects.filter(name=name).first()
        if by_name is not None:
            if taxonomy_id:
                self.report.add(
                    "warning",
                    index,
                    str(data.get("id")),
                    "taxonomy_term.taxonomy_id",
                    f"taxonomy {taxonomy_id} is not known; the term joins the taxonomy "
                    f"named “{name}”.",
                )
            return by_name
        return Taxonomy.objects.create(
            id=uuid.UUID(str(taxonomy_id)) if taxonomy_id else uuid.uuid4(),
            name=name,
            description=detail.get("description") or "",
            uri=detail.get("uri") or "",
            version=detail.get("version") or "",
        )

    def _finish(self):
        """Links that could only be made once everything was read: parents of terms and orgs."""
        moved = []
        for term_id, parent_id in self.pending_term_parents.items():
            if parent_id != term_id and TaxonomyTerm.objects.filter(pk=parent_id).exists():
                if (
                    TaxonomyTerm.objects.filter(pk=term_id)
                    .exclude(parent_id=parent_id)
                    .update(parent_id=parent_id)
                ):
                    moved.append(term_id)
            else:
                self.report.add(
                    "warning",
                    None,
                    str(term_id),
                    "taxonomy_term.parent_id",
                    f"parent term {parent_id} is not in the feed or here; no parent set.",
                )
        if moved and not self.dry_run:
            # Their services were indexed without the new parents; a term's descendants'
            # services likewise.
            codes = TaxonomyTerm.objects.filter(pk__in=moved).values_list("code", flat=True)
            beneath = expand_categories(codes)
            filed = Service.objects.filter(categories__in=beneath).values_list("pk", flat=True)
            indexing.index_services(filed.distinct())
        for location_id, org_id in self.pending_location_organizations.items():
            if Organization.objects.filter(pk=org_id).exists():
                Location.objects.filter(pk=location_id).update(organization_id=org_id)
            else:
                self.report.add(
                    "warning",
                    None,
                    str(location_id),
                    "location.organization_id",
                    f"organisation {org_id} is not in the feed or here; the location is kept "
                    "without one.",
                )
        for org_id, parent_id in self.pending_parents.items():
            if Organization.objects.filter(pk=parent_id).exists():
                Organization.objects.filter(pk=org_id).update(parent_organization_id=parent_id)
            else:
                self.report.add(
                    "warning",
                    None,
                    str(org_id),
                    "organization.parent_organization_id",
                    f"parent organisation {parent_id} is not in the feed or here; not linked.",
                )
