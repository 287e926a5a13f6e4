"""The question every search engine answers, and the shape of its answer."""

import dataclasses
import datetime as dt
import uuid
from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone

from directory.search.text import query_terms

DEFAULT_RADIUS_KM = 10.0
MAX_RADIUS_KM = 200.0
PAGE_SIZE = 20
ACCESSIBILITY_FEATURES = ("step_free", "accessible_toilet", "hearing_loop", "parking")


@dataclass(frozen=True)
class ScheduleFilter:
    """Opening times one schedule of the service must match, all of those given (the UK
    profile's day, start_time and end_time): open on `day` (MO ... SU, named in the
    schedule's days), opening at or after `opens_from`, closing at or before `closes_by`.
    Schedules marked closed never match."""

    day: str = ""
    opens_from: dt.time | None = None
    closes_by: dt.time | None = None


@dataclass(frozen=True)
class SearchQuery:
    """A validated directory search. Build it with `directory.forms.SearchForm` or the API.

    `latitude`/`longitude` come from geocoding the place the person typed (once, before the
    engine is asked); `district` is that place's postcode district, if known, for services
    that cover a list of districts.
    """

    text: str = ""
    latitude: float | None = None
    longitude: float | None = None
    radius_km: float = DEFAULT_RADIUS_KM
    district: str = ""
    categories: tuple[str, ...] = ()  # taxonomy term codes; a parent term includes its children
    languages: tuple[str, ...] = ()  # ISO 639 codes; a service must offer one of them
    open_now: bool = False
    open_24_7: bool = False
    free: bool = False
    age: int | None = None
    # The UK profile's age filters: the service's stated minimum age is at least
    # `minimum_age`, its stated maximum age at most `maximum_age` (no stated age: no match).
    minimum_age: int | None = None
    maximum_age: int | None = None
    schedule: ScheduleFilter | None = None
    accessibility: tuple[str, ...] = ()  # all of these features at a local location
    reaches_anywhere: bool = False  # only services that can be reached from anywhere
    include_remote: bool = True  # list 'reachable from anywhere' services after local ones
    modified_after: dt.datetime | None = None  # on or after, as HSDS means it
    organization_id: uuid.UUID | None = None
    now: dt.datetime | None = None  # for 'open now'; the current time when None
    page: int = 1
    page_size: int = PAGE_SIZE
    # The terms searched instead of the typed ones: set by `search` when the typed terms find
    # nothing and a misspelling is corrected (`respelled`).
    spelled: tuple[str, ...] | None = None

    @property
    def near(self):
        return self.latitude is not None and self.longitude is not None

    @cached_property
    def terms(self):
        """The query's search terms: as typed (`text.query_terms`), or `spelled`."""
        if self.spelled is not None:
            return list(self.spelled)
        return [term for term, _word in query_terms(self.text)]

    def respelled(self):
        """This query with each term no service holds read as the nearest one some service
        does (`directory.search.spelling`), or None when no term changes."""
        from directory.search.spelling import correct

        if self.spelled is not None:
            return None
        typed = query_terms(self.text)
        terms = [term for term, _word in typed]
        corrected = correct(terms, [word for _term, word in typed])
        if corrected == terms:
            return None
        return dataclasses.replace(self, spelled=tuple(corrected))

    @property
    def today(self):
        """The local date the search is made on (`now`'s, when given)."""
        return timezone.localdate(self.now) if self.now else timezone.localdate()

    @property
    def offset(self):
        return (self.page - 1) * self.page_size


@dataclass(frozen=True)
class Hit:
    service_id: uuid.UUID
    distance_km: float | None = None  # to the nearest location, when searching near a place
    remote: bool = False  # listed because it can be reached from anywhere, not for distance
    score: float = 0.0  # text relevance: the sum of each query term's best field weight


@dataclass
class SearchResults:
    """One page of hits, in order, with the total and category counts for the whole result."""

    hits: list[Hit]
    total: int
    facets: dict[str, int] = field(default_factory=dict)  # term code -> matching services
    query: SearchQuery | None = None

    @property
    def ids(self):
        return [hit.service_id for hit in self.hits]

    @property
    def pages(self):
        size = self.query.page_size if self.query else PAGE_SIZE
        return max(1, -(-self.total // size))
