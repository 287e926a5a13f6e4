"""Open now counts an opening rule only from its start date to its end date: on the service
page (directory.schedules) and in search (directory.search.opening, partly in SQL) alike."""

import datetime as dt
import zoneinfo

import pytest

from directory.schedules import is_open_at
from directory.search import SearchQuery, search
from tests.directory import factories
from tests.directory.conftest import ENGINES, engine_holding

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
# Tuesday 8 December 2026, the second Tuesday of its month.
TUESDAY_MORNING = dt.datetime(2026, 12, 8, 10, 30, tzinfo=LONDON)

# Every row opens on Tuesdays from 10:00 to 12:00; they differ in their dates.
RULES = {
    "started": {"dtstart": dt.date(2026, 11, 3)},
    "starts today": {"dtstart": dt.date(2026, 12, 8)},
    "in force": {"valid_from": dt.date(2026, 12, 1), "valid_to": dt.date(2026, 12, 31)},
    "starts next month": {"dtstart": dt.date(2027, 1, 5)},
    "starts later this week": {"interval": 2, "dtstart": dt.date(2026, 12, 10)},
    "monthly from next month": {"freq": "MONTHLY", "byday": "2TU", "dtstart": dt.date(2027, 1, 1)},
    "in force from tomorrow": {"valid_from": dt.date(2026, 12, 9)},
    "ended yesterday": {"valid_to": dt.date(2026, 12, 7)},
}
OPEN = {"started", "starts today", "in force"}


@pytest.fixture
def dated(taxonomy):
    services = {}
    for name, dates in RULES.items():
        service = factories.ServiceFactory(name=name)
        fields = {"byday": "TU", "opens_at": dt.time(10), "closes_at": dt.time(12)}
        factories.ScheduleFactory(service=service, **(fields | dates))
        service.refresh_from_db()
        services[name] = service
    return services


@pytest.fixture(params=ENGINES)
def dated_engine(request, dated):
    return engine_holding(request, dated.values())


def test_the_service_page_counts_a_rule_only_between_its_dates(dated):
    open_now = {
        name
        for name, service in dated.items()
        if is_open_at(service.schedules.all(), TUESDAY_MORNING)
    }
    assert open_now == OPEN


def test_search_counts_a_rule_only_between_its_dates(dated, dated_engine):
    results = search(SearchQuery(open_now=True, now=TUESDAY_MORNING, page_size=50), dated_engine)
    by_id = {service.pk: name for name, service in dated.items()}
    assert {by_id[hit.service_id] for hit in results.hits} == OPEN
