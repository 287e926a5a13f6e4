"""The open Open Referral API (HSDS 3.0, UK profile), mounted at /api/hsds/.

Read-only and public, as the UK profile requires: no keys, and `Access-Control-Allow-Origin: *`
on every response (django-cors-headers answers preflight requests). It publishes active
services and what they link to, never editors, feedback or people's data. Searches go through
`directory.search.search`, so the API answers exactly as the site's search page does.
Parameters are typed query schemas; bad input gets HTTP 400 with `{"detail": "..."}`; an
unknown id, 404 with the same shape.

Search parameters, all combined with AND: text (or HSDS's `search`), taxonomy_term_id,
taxonomy_id, organization_id, modified_after (on or after; ISO 8601, UK time when no offset),
postcode with proximity in metres (the UK profile's units), or our lat/lon with radius in
kilometres, language, age, free and open_now; and the UK profile's minimum_age (services whose
stated minimum age is at least this), maximum_age (at most this), day (MO ... SU or the name),
start_time and end_time (a schedule on that day opening at or after, closing at or before).
Every one of them, the UK profile's included, is a field of the one SearchQuery the search
engine answers: /services asks it for the page shown alone, with the total and nothing
filtered afterwards. /service_at_locations lists places one by one, nearest first
(`directory.search.locations`): it reads the matching services only as far as the page needs,
and the engine counts the total.
Error messages follow the request's Accept-Language. Lists are HSDS `Page`s of at most 1,000
items (a larger `per_page` is served as 1,000, never refused); `size` is the number of items on
the page, as the UK profile defines it.

For harvesters: HEAD is answered as GET without the body; responses are gzip-compressed for
clients that accept it; every JSON answer carries an `ETag` (of its content) and a
`Last-Modified` (the latest change to any service or organisation), and a conditional request
that matches gets 304. The whole published directory is also at /api/hsds/download/
(services.json, services.ndjson, datapackage.zip), rewritten on a schedule. The OpenAPI
document names the API's base URL as its server, with paths relative to it.
"""

import dataclasses
import datetime as dt
import functools
import math
import uuid
from typing import Annotated, TypeVar

from django.db.models import Max, QuerySet
from django.http import FileResponse, JsonResponse
from django.urls import URLPattern, path, re_path, reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import HttpError, ValidationError
from ninja.pagination import PaginationBase, paginate
from pydantic import AfterValidator, BeforeValidator, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from core.geo import GeocodeError, geocode
from core.recurrence import WEEKDAYS
from core.validators import (
    CONTROL_CHARACTERS,
    DATE_OUT_OF_RANGE,
    EARLIEST_DATE,
    LATEST_DATE,
    has_control_characters,
)
from directory.hsds import exporter
from directory.hsds.serialize import (
    hsds_datetime,
    organization_to_hsds,
    organizations_queryset,
    service_at_location_to_hsds,
    service_at_locations_queryset,
    service_to_hsds,
    services_queryset,
    taxonomy_term_to_hsds,
    taxonomy_terms_queryset,
    taxonomy_to_hsds,
)
from directory.models import (
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from directory.models.service import ServiceStatus
from directory.search import ScheduleFilter, SearchQuery, search
from directory.search.locations import LocatedIds
from directory.search.query import DEFAULT_RADIUS_KM, MAX_RADIUS_KM

HSDS_VERSION = "3.0"
PROFILE_URL = "https://open-referral-uk-profile.readthedocs.io/en/latest/"
ORUK_SCHEMA = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 1000
# Far beyond the last page of any list here, and small enough that the offset it asks for
# fits every database's integers.
MAX_PAGE = 10000
MAX_AGE = 130
MAX_PROXIMITY_M = int(MAX_RADIUS_KM * 1000)
# Fields HSDS publishes that name a person on our side: whoever last verified the service.
PRIVATE_FIELDS = frozenset({"assurer_email"})

api = NinjaAPI(
    title="Compassionate Communities directory (Open Referral UK)",
    version=HSDS_VERSION,
    description=(
        "Services for people living with dying, death and bereavement, in Open Referral "
        "HSDS 3.0 with the UK profile. Open to all; no key needed."
    ),
    urls_namespace="hsds",
)


def _schema_response(name, page=False):
    """OpenAPI text that points at the UK profile's schema for a response."""
    schema = {"$ref": ORUK_SCHEMA + name}
    if page:
        schema = {"type": "object", "properties": {"contents": {"type": "array", "items": schema}}}
    return {"responses": {200: {"content": {"application/json": {"schema": schema}}}}}


# Errors: one shape, {"detail": "..."}, in the request's language.

# The error type of the parameters' own validators, whose message is the whole answer.
BAD_PARAMETER = "bad_parameter"
OUT_OF_BOUNDS = {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}


def _refuse(message):
    """Refuse a parameter with our own words (already in the request's language)."""
    return PydanticCustomError(BAD_PARAMETER, "{message}", {"message": str(message)})


def _out_of_bounds(name, low):
    """What a number outside its bounds is told; None where pydantic's words will do."""
    if name == "page":
        if low:
            return _("page must be 1 or more.")
        return _("page must be at most %(max)s.") % {"max": MAX_PAGE}
    if name in ("lat", "lon"):
        return _("lat must be between -90 and 90, and lon between -180 and 180.")
    if name == "proximity":
        return _("proximity is in metres and must be more than 0 and at most %(max)s.") % {
            "max": MAX_PROXIMITY_M
        }
    if name == "radius":
        return _("radius is in kilometres and must be more than 0 and at most %(max)s.") % {
            "max": f"{MAX_RADIUS_KM:g}"
        }
    if name == "age":
        return _("age must be between 0 and %(max)s.") % {"max": MAX_AGE}
    if name in ("minimum_age", "maximum_age"):
        return _("%(name)s must be between 0 and %(max)s.") % {"name": name, "max": MAX_AGE}
    return None


def _message(error):
    name = ".".join(str(part) for part in error.get("loc", ()) if part != "query")
    kind = error.get("type")
    if kind == BAD_PARAMETER:
        return error["msg"]
    if kind in ("uuid_parsing", "uuid_type"):
        return _("%(name)s must be a UUID, such as %(example)s.") % {
            "name": name,
            "example": uuid.UUID(int=0),
        }
    if kind in OUT_OF_BOUNDS:
        message = _out_of_bounds(name, low=kind.startswith("greater"))
        if message:
            return message
    return _("%(parameter)s is not a valid value (%(detail)s).") % {
        "parameter": name,
        "detail": error.get("msg", ""),
    }


@api.exception_handler(ValidationError)
def _invalid_parameters(request, exc):
    messages = dict.fromkeys(_message(error) for error in exc.errors)
    return api.create_response(request, {"detail": "; ".join(messages)}, status=400)


@api.exception_handler(GeocodeError)
def _unknown_place(request, exc):
    body = {"detail": str(exc.message), "suggestions": list(exc.suggestions)}
    return api.create_response(request, body, status=400)


def _public(data):
    """The same JSON without fields that name people on our side."""
    if isinstance(data, dict):
        return {key: _public(value) for key, value in data.items() if key not in PRIVATE_FIELDS}
    if isinstance(data, list):
        return [_public(item) for item in data]
    return data


def _get_or_404(queryset, pk, what):
    try:
        found = queryset.filter(pk=uuid.UUID(pk)).first()
    except ValueError:
        raise HttpError(404, _("Not found: that is not a valid id.")) from None
    if found is None:
        raise HttpError(404, _("No %(what)s has the id %(id)s.") % {"what": what, "id": pk})
    return found


# Parameter types: each parses and checks one parameter, so that views get typed values.


def _text(value):
    """Text parameters refuse NUL (PostgreSQL cannot compare it), control characters and
    direction overrides, as the site's forms do."""
    if has_control_characters(value):
        raise ValueError(str(CONTROL_CHARACTERS))
    return value


def _blank_is_none(value):
    """A parameter given empty (`?day=`) is a filter not given."""
    return None if value == "" else value


def _datetime(value, info: ValidationInfo):
    """An ISO 8601 date or date-time; a time without offset is UK local time."""
    try:
        parsed = parse_datetime(value)
        if parsed is None and (day := parse_date(value)) is not None:
            parsed = dt.datetime.combine(day, dt.time())
    except ValueError:
        parsed = None
    if parsed is None:
        raise _refuse(
            _("%(name)s must be an ISO 8601 date or date-time, such as 2025-01-31T09:00:00Z.")
            % {"name": info.field_name}
        )
    if not EARLIEST_DATE <= parsed.date() <= LATEST_DATE:
        limits = {"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()}
        raise _refuse(f"{info.field_name}: {DATE_OUT_OF_RANGE % limits}")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


DAY_NAMES = dict(
    zip(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
        WEEKDAYS,
        strict=True,
    )
)


def _day(value):
    """MO ... SU, or the day's name in English, as its two-letter code."""
    text = value.strip().lower()
    code = DAY_NAMES.get(text) or (text.upper() if text.upper() in WEEKDAYS else None)
    if code is None:
        raise _refuse(
            _("day must be one of %(codes)s, or the day's name in English, such as monday.")
            % {"codes": ", ".join(WEEKDAYS)}
        )
    return code


def _time(value, info: ValidationInfo):
    try:
        parsed = parse_time(value.strip())
    except ValueError:
        parsed = None
    if parsed is None:
        raise _refuse(
            _("%(name)s must be a time such as 09:30 or 17:00:00.") % {"name": info.field_name}
        )
    return parsed.replace(tzinfo=None)


T = TypeVar("T")
Text = Annotated[str, AfterValidator(_text)]
DateTime = Annotated[str, AfterValidator(_datetime)]
Day = Annotated[str, AfterValidator(_day)]
Time = Annotated[str, AfterValidator(_time)]
# A filter that may be left out, or given empty (`?day=`): None either way.
Filter = Annotated[T | None, BeforeValidator(_blank_is_none)]


# Pages


def _clamped(per_page):
    # A harvester asking for more than we serve gets the most we do, not an error.
    return min(max(per_page, 1), MAX_PER_PAGE)


class HSDSPagination(PaginationBase):
    """The HSDS 3.0 `Page` of the items a view returns: any sequence that can be counted and
    sliced, a queryset or a `Listing`. `size` is the number of items on this page."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        per_page: Annotated[int, AfterValidator(_clamped)] = DEFAULT_PER_PAGE

    Output = None
    items_attribute = "contents"

    def paginate_queryset(self, queryset, pagination, request, **params):
        page, per_page = pagination.page, pagination.per_page
        start = (page - 1) * per_page
        contents = list(queryset[start : start + per_page])
        total = self._items_count(queryset)
        total_pages = max(1, math.ceil(total / per_page))
        return {
            "total_items": total,
            "total_pages": total_pages,
            "page_number": page,
            "size": len(contents),
            "first_page": page == 1,
            "last_page": page >= total_pages,
            "empty": not contents,
            "contents": contents,
        }


class Listing:
    """Items that are turned into HSDS a page at a time: `to_hsds` gets the slice the
    paginator asks for (of a queryset, a list, or a `SearchIds`) and returns its JSON."""

    def __init__(self, items, to_hsds):
        self.items, self.to_hsds = items, to_hsds

    def __len__(self):
        return self.items.count() if isinstance(self.items, QuerySet) else len(self.items)

    def __getitem__(self, window):
        return _public(self.to_hsds(list(self.items[window])))


class SearchIds:
    """The ids of every service a search finds, in order, asked of the engine a page at a
    time (the paginator's slices always start on a page boundary)."""

    def __init__(self, query):
        self.query, self.total = query, None

    def __getitem__(self, window):
        size = window.stop - window.start
        page = dataclasses.replace(self.query, page=window.start // size + 1, page_size=size)
        results = search(page)
        self.total = results.total
        return results.ids

    def __len__(self):
        if self.total is None:
            self[0:1]
        return self.total


# Searching services


class ServiceFilters(Schema):
    text: Text = ""
    search: Text = ""  # the name HSDS gives the text parameter
    taxonomy_term_id: Filter[uuid.UUID] = None
    taxonomy_id: Filter[uuid.UUID] = None
    organization_id: Filter[uuid.UUID] = None
    modified_after: Filter[DateTime] = None  # on or after
    postcode: Filter[Text] = None
    # metres, as in the UK profile
    proximity: float | None = Field(None, gt=0, le=MAX_PROXIMITY_M, allow_inf_nan=False)
    lat: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False)
    lon: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False)
    radius: float | None = Field(None, gt=0, le=MAX_RADIUS_KM, allow_inf_nan=False)  # km
    language: Filter[Text] = None
    age: int | None = Field(None, ge=0, le=MAX_AGE)
    free: bool = False
    open_now: bool = False
    # The UK profile's filters: ages as the service states them, and opening times, where
    # one schedule must match every one of day, start_time and end_time given.
    # services whose minimum age is at least this, and whose maximum age is at most this
    minimum_age: float | None = Field(None, ge=0, le=MAX_AGE, allow_inf_nan=False)
    maximum_age: float | None = Field(None, ge=0, le=MAX_AGE, allow_inf_nan=False)
    day: Filter[Day] = None  # MO ... SU, or monday ... sunday
    start_time: Filter[Time] = None  # opens at or after this (HH:MM)
    end_time: Filter[Time] = None  # closes at or before this (HH:MM)

    @model_validator(mode="after")
    def _one_place(self):
        has_coordinates = self.lat is not None or self.lon is not None
        if self.postcode and has_coordinates:
            raise _refuse(_("Give either postcode or lat and lon, not both."))
        if has_coordinates and (self.lat is None or self.lon is None):
            raise _refuse(_("Give both lat and lon."))
        if self.proximity is not None and self.radius is not None:
            raise _refuse(_("Give either proximity (metres) or radius (kilometres), not both."))
        if (self.proximity is not None or self.radius is not None) and not (
            self.postcode or has_coordinates
        ):
            raise _refuse(
                _("proximity and radius need a postcode, or lat and lon, to measure from.")
            )
        return self


class Detail(Schema):
    minimal: bool = False
    full: bool = False

    @model_validator(mode="after")
    def _one_detail(self):
        if self.minimal and self.full:
            raise _refuse(_("Give either minimal or full, not both."))
        return self


class NoMatches(Exception):
    """The filters name something that does not exist, so nothing can match."""


def _place(filters):
    """(latitude, longitude, district) for the point the filters give, or Nones."""
    if filters.lat is not None:
        return filters.lat, filters.lon, ""
    if filters.postcode:
        place = geocode(filters.postcode)
        return place.latitude, place.longitude, place.district
    return None, None, ""


def _radius_km(filters):
    if filters.proximity is not None:
        return filters.proximity / 1000
    return filters.radius if filters.radius is not None else DEFAULT_RADIUS_KM


def _categories(filters):
    """Term codes for the taxonomy filters; both given means the term, if it is in the taxonomy."""
    term = None
    if filters.taxonomy_term_id:
        term = TaxonomyTerm.objects.filter(pk=filters.taxonomy_term_id).first()
        if term is None:
            raise NoMatches
    if term is not None:
        if filters.taxonomy_id is not None and term.taxonomy_id != filters.taxonomy_id:
            raise NoMatches
        return (term.code,)
    if filters.taxonomy_id is not None:
        codes = tuple(
            TaxonomyTerm.objects.filter(taxonomy_id=filters.taxonomy_id).values_list(
                "code", flat=True
            )
        )
        if not codes:
            raise NoMatches
        return codes
    return ()


def _schedule(filters):
    """The opening times one schedule must match, or None when no day or time is given."""
    if not (filters.day or filters.start_time or filters.end_time):
        return None
    return ScheduleFilter(
        day=filters.day or "", opens_from=filters.start_time, closes_by=filters.end_time
    )


def _search_query(filters):
    """The SearchQuery the filters ask for; raises GeocodeError or NoMatches."""
    latitude, longitude, district = _place(filters)
    return SearchQuery(
        text=(filters.text or filters.search).strip(),
        latitude=latitude,
        longitude=longitude,
        radius_km=_radius_km(filters),
        district=district,
        categories=_categories(filters),
        languages=(filters.language.strip().lower(),) if filters.language else (),
        open_now=filters.open_now,
        free=filters.free,
        age=filters.age,
        # Stated ages are whole years: "at least 4.5" is at least 5, "at most 4.5" at most 4.
        minimum_age=None if filters.minimum_age is None else math.ceil(filters.minimum_age),
        maximum_age=None if filters.maximum_age is None else math.floor(filters.maximum_age),
        schedule=_schedule(filters),
        modified_after=filters.modified_after,
        organization_id=filters.organization_id,
    )


def _active(queryset):
    # Engines answer from an index that can lag a status change by a moment.
    return queryset.filter(status=ServiceStatus.ACTIVE)


# Endpoints


@api.get("/", summary="About this API")
def about(request):
    """The HSDS version and profile this API follows, and where its OpenAPI document is."""
    return {
        "version": HSDS_VERSION,
        "profile": PROFILE_URL,
        "openapi_url": request.build_absolute_uri(reverse("hsds:openapi-json")),
    }


def _services_to_hsds(ids, minimal=False, full=False):
    """HSDS for the active services among the ids, in the ids' order."""
    queryset = _active(Service.objects.filter(pk__in=ids))
    if minimal:
        rows = dict(queryset.values_list("pk", "last_modified"))
        return [
            {"id": str(pk), "last_modified": hsds_datetime(rows[pk])} for pk in ids if pk in rows
        ]
    queryset = services_queryset(queryset) if full else queryset.select_related("organization")
    by_id = {service.pk: service for service in queryset}
    return [service_to_hsds(by_id[pk], full=full) for pk in ids if pk in by_id]


@api.get(
    "/services",
    summary="Search services",
    openapi_extra=_schema_response("compiled/service_list.json", page=True),
)
@paginate(HSDSPagination)
def list_services(request, filters: Query[ServiceFilters], detail: Query[Detail]):
    """Active services matching every filter given, in the order the site's search lists them."""
    try:
        query = _search_query(filters)
    except NoMatches:
        return []
    return Listing(
        SearchIds(query),
        functools.partial(_services_to_hsds, minimal=detail.minimal, full=detail.full),
    )


@api.get(
    "/services/{id}",
    summary="One service, fully nested",
    openapi_extra=_schema_response("compiled/service.json"),
)
def get_service(request, id: str):
    service = _get_or_404(services_queryset(_active(Service.objects.all())), id, _("service"))
    return _public(service_to_hsds(service, full=True))


def _service_at_locations_to_hsds(ids, full=False):
    """HSDS for the service-at-locations among the ids whose service is active, in order."""
    queryset = service_at_locations_queryset(
        ServiceAtLocation.objects.filter(pk__in=ids, service__status=ServiceStatus.ACTIVE),
        full=full,
    )
    by_id = {sal.pk: sal for sal in queryset}
    return [service_at_location_to_hsds(by_id[pk], full=full) for pk in ids if pk in by_id]


@api.get(
    "/service_at_locations",
    summary="Search services at their locations",
    openapi_extra=_schema_response("compiled/service_at_location_list.json", page=True),
)
@paginate(HSDSPagination)
def list_service_at_locations(request, filters: Query[ServiceFilters], full: bool = False):
    """Where matching services are delivered; near a point, the nearest places first."""
    try:
        query = _search_query(filters)
    except NoMatches:
        return []
    # Only the hits the page needs are read; the total is counted by the engine.
    located = LocatedIds(query)
    return Listing(located, functools.partial(_service_at_locations_to_hsds, full=full))


@api.get(
    "/service_at_locations/{id}",
    summary="One service at a location, fully nested",
    openapi_extra=_schema_response("compiled/service_at_location.json"),
)
def get_service_at_location(request, id: str):
    queryset = service_at_locations_queryset(
        ServiceAtLocation.objects.filter(service__status=ServiceStatus.ACTIVE)
    )
    sal = _get_or_404(queryset, id, _("service at location"))
    return _public(service_at_location_to_hsds(sal))


class TextFilter(Schema):
    text: Text = ""
    search: Text = ""

    def named(self, queryset):
        """The queryset narrowed to names containing the text, if any is given."""
        if text := (self.text or self.search).strip():
            return queryset.filter(name__icontains=text)
        return queryset


@api.get(
    "/taxonomies",
    summary="Taxonomies",
    openapi_extra=_schema_response("taxonomy.json", page=True),
)
@paginate(HSDSPagination)
def list_taxonomies(request, filters: Query[TextFilter]):
    taxonomies = filters.named(Taxonomy.objects.all())
    return Listing(taxonomies, lambda page: [taxonomy_to_hsds(t) for t in page])


@api.get(
    "/taxonomies/{id}",
    summary="One taxonomy, with its terms",
    openapi_extra=_schema_response("taxonomy.json"),
)
def get_taxonomy(request, id: str):
    queryset = Taxonomy.objects.prefetch_related("terms__taxonomy")
    return taxonomy_to_hsds(_get_or_404(queryset, id, _("taxonomy")), terms=True)


class TermFilters(TextFilter):
    taxonomy_id: Filter[uuid.UUID] = None
    parent_id: Filter[uuid.UUID] = None
    top_only: bool = False


@api.get(
    "/taxonomy_terms",
    summary="Taxonomy terms",
    openapi_extra=_schema_response("taxonomy_term.json", page=True),
)
@paginate(HSDSPagination)
def list_taxonomy_terms(request, filters: Query[TermFilters]):
    terms = filters.named(taxonomy_terms_queryset())
    if filters.taxonomy_id:
        terms = terms.filter(taxonomy_id=filters.taxonomy_id)
    if filters.parent_id:
        terms = terms.filter(parent_id=filters.parent_id)
    if filters.top_only:
        terms = terms.filter(parent__isnull=True)
    return Listing(terms, lambda page: [taxonomy_term_to_hsds(term) for term in page])


@api.get(
    "/taxonomy_terms/{id}",
    summary="One taxonomy term",
    openapi_extra=_schema_response("taxonomy_term.json"),
)
def get_taxonomy_term(request, id: str):
    return taxonomy_term_to_hsds(_get_or_404(taxonomy_terms_queryset(), id, _("taxonomy term")))


def _published_organizations():
    """Organisations with at least one active service: those the directory lists."""
    active = Service.objects.filter(status=ServiceStatus.ACTIVE)
    return Organization.objects.filter(pk__in=active.values("organization_id"))


@api.get(
    "/organizations",
    summary="Organisations",
    openapi_extra=_schema_response("compiled/organization_list.json", page=True),
)
@paginate(HSDSPagination)
def list_organizations(
    request, filters: Query[TextFilter], full: bool = False, full_service: bool = False
):
    """Organisations with active services; `full` nests their services and places, and
    `full_service` each service in full, as on /organizations/{id}."""
    nested = full or full_service
    organizations = filters.named(_published_organizations())
    if nested:
        organizations = _nested_organizations(organizations)

    def to_hsds(page):
        contents = [organization_to_hsds(org, nested=nested) for org in page]
        if full_service:
            _with_full_services(page, contents)
        return contents

    return Listing(organizations, to_hsds)


def _with_full_services(organizations, contents):
    """Each organisation's services in full, in one query for the page."""
    pks = [org.pk for org in organizations]
    services = services_queryset(_active(Service.objects.filter(organization_id__in=pks)))
    by_org = {}
    for service in services:
        by_org.setdefault(service.organization_id, []).append(
            service_to_hsds(service, full=True, with_organization=False)
        )
    for org, data in zip(organizations, contents, strict=True):
        data["services"] = by_org.get(org.pk, [])


def _nested_organizations(queryset):
    active = Service.objects.filter(status=ServiceStatus.ACTIVE)
    return organizations_queryset(
        queryset,
        services=active,
        locations=Location.objects.filter(
            service_at_locations__service__in=active.values("pk")
        ).distinct(),
    )


@api.get(
    "/organizations/{id}",
    summary="One organisation, with its services",
    openapi_extra=_schema_response("compiled/organization.json"),
)
def get_organization(request, id: str, full_service: bool = False):
    org = _get_or_404(_nested_organizations(_published_organizations()), id, _("organisation"))
    data = organization_to_hsds(org, nested=True)
    if full_service:
        services = services_queryset(_active(org.services.all()))
        data["services"] = [
            service_to_hsds(s, full=True, with_organization=False) for s in services
        ]
    return _public(data)


# What harvesters get on every URL of the API, beside the CORS headers that
# django-cors-headers adds (settings: CORS_URLS_REGEX).


def _last_change():
    """When any published record last changed: the Last-Modified of every answer."""
    latest = [
        model.objects.aggregate(latest=Max("last_modified"))["latest"]
        for model in (Service, Organization)
    ]
    latest = [value for value in latest if value is not None]
    return max(latest) if latest else None


def _conditional(view):
    """ETag and Last-Modified on a 200 JSON answer, and 304 when the client has it already."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or response.streaming or response.has_header("ETag"):
            return response
        changed = _last_change()
        if changed is not None:
            response["Last-Modified"] = http_date(changed.timestamp())
        set_response_etag(response)
        return get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=int(changed.timestamp()) if changed is not None else None,
            response=response,
        )

    return wrapped


def _for_harvesters(view):
    """HEAD answered as GET without the body, gzip for clients that accept it, and
    conditional requests; the header the UK profile asks for on every response."""
    compressed = gzip_page(_conditional(view))

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        head = request.method == "HEAD"
        if head:
            # HEAD is GET without the body: the same status and headers.
            request.method = "GET"
        try:
            response = compressed(request, *args, **kwargs)
        finally:
            if head:
                request.method = "HEAD"
        if head and not response.streaming:
            length = len(response.content)
            response.content = b""
            response["Content-Length"] = str(length)
        # The UK profile asks for this on every response, whether or not the request came
        # from another origin (django-cors-headers answers only those that say so).
        response.headers.setdefault("Access-Control-Allow-Origin", "*")
        # LocaleMiddleware answers a 404 outside the language prefixes with a redirect to
        # /en/..., which Wagtail's catch-all always matches; an API must say 404. Naming this
        # module, whose URLs have no language prefix, as the request's URLconf tells it so.
        request.urlconf = __name__
        return response

    return wrapped


def _not_found(request, *args, **kwargs):
    return JsonResponse({"detail": f"Not found: {request.path}"}, status=404)


def _openapi_json(request, *args, **kwargs):
    """The OpenAPI document with this API's base URL as its server and paths relative to it,
    so that a validator joining the two reaches each endpoint."""
    document = api.get_openapi_schema(path_prefix="")
    document["servers"] = [{"url": request.build_absolute_uri(reverse("hsds:about")).rstrip("/")}]
    return JsonResponse(document)


def download(request, name):
    """A bulk download of the whole published directory (see directory.hsds.exporter)."""
    if name not in exporter.DOWNLOADS:
        return _not_found(request)
    path = exporter.download_dir() / name
    if not path.exists():
        message = _("This download has not been written yet; try again later.")
        return JsonResponse({"detail": message}, status=404)
    response = FileResponse(open(path, "rb"), content_type=exporter.DOWNLOADS[name])  # noqa: SIM115
    response["Last-Modified"] = http_date(path.stat().st_mtime)
    return response


def _harvester_urls(ninja_api):
    patterns, app_name, namespace = ninja_api.urls
    views = {"openapi-json": _openapi_json}
    wrapped = [
        URLPattern(
            p.pattern, _for_harvesters(views.get(p.name, p.callback)), p.default_args, p.name
        )
        for p in patterns
    ]
    wrapped.append(path("download/<str:name>", _for_harvesters(download), name="download"))
    wrapped.append(re_path(r"^.*$", _for_harvesters(_not_found), name="not-found"))
    return wrapped, app_name, namespace


urls = _harvester_urls(api)
urlpatterns = [path("api/hsds/", urls)]
