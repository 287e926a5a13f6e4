"""One contract for every search engine: the same query gets the same results.

Runs against the database engine and, through the `engine` fixture, against every other
engine the project has (see tests/directory/conftest.py).
"""

import datetime as dt
import zoneinfo

import pytest

from directory.search import ScheduleFilter, SearchQuery, search
from tests.directory import factories
from tests.directory.conftest import ENGINES, LEWISHAM, engine_holding

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


def names(results, corpus):
    by_id = {service.pk: key for key, service in corpus.items()}
    return [by_id[hit.service_id] for hit in results.hits]


def near_lewisham(**kwargs):
    return SearchQuery(latitude=LEWISHAM[0], longitude=LEWISHAM[1], district="SE13", **kwargs)


def test_text_is_ranked_by_field_weight_and_inactive_services_are_hidden(engine, corpus):
    results = search(SearchQuery(text="bereavement counselling"), engine)
    # Name matches (weight 4 per term) beat category matches (weight 2 per term).
    assert names(results, corpus) == ["counselling", "helpline"]
    scores = [hit.score for hit in results.hits]
    if engine.name == "database":  # the sum of each term's best field weight
        assert scores == [8.0, 4.0]
    else:  # the server's own relevance (BM25), with the same field weights
        assert scores[0] > scores[1] > 0
    assert results.total == 2


def test_every_query_word_must_match_and_words_are_stemmed(engine, corpus):
    assert names(search(SearchQuery(text="grief groups"), engine), corpus) == ["children"]
    assert names(search(SearchQuery(text="Grieving ADULTS"), engine), corpus) == ["counselling"]
    assert search(SearchQuery(text="grief zebra"), engine).total == 0
    # Stop words alone ask nothing: everything active is listed, by name.
    assert search(SearchQuery(text="the and of"), engine).total == 6


def test_near_a_place_lists_local_services_by_distance_then_those_that_cover_it(engine, corpus):
    results = search(near_lewisham(radius_km=5), engine)
    assert names(results, corpus) == ["counselling", "children", "helpline", "district"]
    local, remote = results.hits[:2], results.hits[2:]
    assert local[0].distance_km == pytest.approx(0.0, abs=0.01)
    assert local[1].distance_km == pytest.approx(2.23, abs=0.05)
    assert not any(hit.remote for hit in local)
    assert all(hit.remote and hit.distance_km is None for hit in remote)


def test_radius_decides_who_is_near(engine, corpus):
    assert "carers" not in names(search(near_lewisham(radius_km=10), engine), corpus)
    assert "carers" in names(search(near_lewisham(radius_km=15), engine), corpus)


def test_services_that_cover_a_district_appear_only_there(engine, corpus):
    leeds = SearchQuery(latitude=53.7965, longitude=-1.5478, district="LS1", radius_km=5)
    assert names(search(leeds, engine), corpus) == ["hospice", "helpline"]


def test_remote_services_can_be_left_out_or_asked_for_alone(engine, corpus):
    assert names(search(near_lewisham(include_remote=False), engine), corpus) == [
        "counselling",
        "children",
    ]
    assert names(search(near_lewisham(reaches_anywhere=True), engine), corpus) == ["helpline"]
    assert names(search(SearchQuery(reaches_anywhere=True), engine), corpus) == ["helpline"]


def test_text_and_place_together(engine, corpus):
    # Local services by distance, then those that cover the place, best match first: the
    # helpline has "grief" in its name, the district's befriending only the synonym that
    # "bereavement" gives it (as the counselling service, which says "grieving", has).
    results = search(near_lewisham(text="grief", radius_km=5), engine)
    assert names(results, corpus) == ["counselling", "children", "helpline", "district"]
    scores = [hit.score for hit in results.hits[2:]]
    if engine.name == "database":  # the sum of each term's best field weight
        assert scores == [4.0, 1.0]
    else:  # the server's own relevance (BM25), with the same field weights
        assert scores[0] > scores[1] > 0


def test_facets_count_every_match_and_roll_up_to_parent_terms(engine, corpus):
    results = search(near_lewisham(radius_km=5), engine)
    assert results.facets["bereavement-counselling"] == 2  # counselling, helpline
    assert results.facets["childrens-grief"] == 1
    assert results.facets["bereavement"] == 3  # the parent counts each service once
    assert results.facets["befriending"] == 1
    assert "hospice" not in results.facets


def test_category_filter_includes_child_terms_and_keeps_facets_for_other_choices(engine, corpus):
    results = search(SearchQuery(categories=("bereavement",)), engine)
    assert set(names(results, corpus)) == {"counselling", "children", "helpline"}
    assert results.facets["hospice"] == 1  # still offered as another choice


def test_language_age_and_cost_filters(engine, corpus):
    assert names(search(SearchQuery(languages=("ur",)), engine), corpus) == ["counselling"]
    assert names(search(SearchQuery(languages=("pl", "ur")), engine), corpus) == [
        "carers",
        "counselling",
    ]
    for_a_ten_year_old = set(names(search(SearchQuery(age=10), engine), corpus))
    assert "children" in for_a_ten_year_old and "counselling" not in for_a_ten_year_old
    assert "carers" not in names(search(SearchQuery(free=True), engine), corpus)


def test_open_24_7_and_open_now(engine, corpus):
    assert names(search(SearchQuery(open_24_7=True), engine), corpus) == ["hospice"]
    monday_morning = dt.datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)
    assert set(names(search(SearchQuery(open_now=True, now=monday_morning), engine), corpus)) == {
        "counselling",
        "hospice",
    }
    first_saturday = dt.datetime(2026, 12, 5, 11, 0, tzinfo=LONDON)
    assert set(names(search(SearchQuery(open_now=True, now=first_saturday), engine), corpus)) == {
        "children",
        "hospice",
    }
    second_saturday = dt.datetime(2026, 12, 12, 11, 0, tzinfo=LONDON)
    assert names(search(SearchQuery(open_now=True, now=second_saturday), engine), corpus) == [
        "hospice"
    ]


def test_pages_split_the_same_ordered_list(engine, corpus):
    everything = search(SearchQuery(page_size=50), engine)
    assert everything.total == 6
    first = search(SearchQuery(page_size=4, page=1), engine)
    second = search(SearchQuery(page_size=4, page=2), engine)
    assert first.total == second.total == 6
    assert first.ids + second.ids == everything.ids
    assert second.pages == 2


def test_district_text_is_matched_literally(engine, corpus):
    for district in ("SE1(", "SE1.", "S.13"):
        query = SearchQuery(
            latitude=LEWISHAM[0], longitude=LEWISHAM[1], district=district, radius_km=1
        )
        assert "district" not in names(search(query, engine), corpus)


def answer(results, corpus):
    """What both engines must agree on: the services in order, the total and the facets."""
    return names(results, corpus), results.total, results.facets


def test_uk_profile_age_filters_use_the_stated_ages(engine, corpus):
    at_least_5 = search(SearchQuery(minimum_age=5), engine)
    assert answer(at_least_5, corpus) == (
        ["children", "counselling"],
        2,
        {"bereavement": 2, "bereavement-counselling": 1, "childrens-grief": 1},
    )
    assert names(search(SearchQuery(minimum_age=10), engine), corpus) == ["counselling"]
    # A service that states no age has none to compare: it is left out.
    assert names(search(SearchQuery(maximum_age=16), engine), corpus) == ["children"]
    assert search(SearchQuery(maximum_age=15), engine).total == 0
    both = search(SearchQuery(minimum_age=5, maximum_age=16), engine)
    assert answer(both, corpus) == (["children"], 1, {"bereavement": 1, "childrens-grief": 1})
    near = search(near_lewisham(radius_km=5, minimum_age=10), engine)
    assert answer(near, corpus) == (
        ["counselling"],
        1,
        {"bereavement": 1, "bereavement-counselling": 1},
    )
    assert near.hits[0].distance_km == pytest.approx(0.0, abs=0.01)
    # "grief" finds the counselling service through the synonym list ("grieving"), after
    # the service with the word itself.
    text = search(SearchQuery(text="grief", minimum_age=5), engine)
    assert answer(text, corpus) == (
        ["children", "counselling"],
        2,
        {"bereavement": 2, "bereavement-counselling": 1, "childrens-grief": 1},
    )


def test_schedule_filter_needs_one_schedule_to_match_day_and_times(engine, corpus):
    def found(**kwargs):
        return names(search(SearchQuery(schedule=ScheduleFilter(**kwargs)), engine), corpus)

    saturday = search(SearchQuery(schedule=ScheduleFilter(day="SA")), engine)
    # 1SA, the first Saturday of the month, is on a Saturday.
    assert answer(saturday, corpus) == (
        ["children", "hospice"],
        2,
        {"bereavement": 1, "childrens-grief": 1, "end-of-life-care": 1, "hospice": 1},
    )
    assert found(day="MO") == ["hospice", "counselling"]
    assert found(day="MO", opens_from=dt.time(8)) == ["counselling"]
    assert found(opens_from=dt.time(9, 0, 1)) == ["children"]
    assert found(closes_by=dt.time(12)) == ["children"]
    assert found(closes_by=dt.time(11, 59, 59)) == []
    assert found(day="SA", opens_from=dt.time(11)) == []
    assert found(day="SU", closes_by=dt.time(23, 59)) == ["hospice"]
    # Day and times come from the same schedule: the Saturday group closes by 17:00, but
    # on no weekday; the weekday services open on Monday, but not before 17:00 on one.
    assert found(day="MO", closes_by=dt.time(12)) == []


def test_schedule_filter_near_a_place_and_with_other_filters(engine, corpus):
    saturday = ScheduleFilter(day="SA")
    near = search(near_lewisham(radius_km=5, schedule=saturday), engine)
    assert answer(near, corpus) == (["children"], 1, {"bereavement": 1, "childrens-grief": 1})
    assert near.hits[0].distance_km == pytest.approx(2.23, abs=0.05)
    assert search(near_lewisham(radius_km=5, schedule=saturday, maximum_age=4), engine).total == 0
    monday_morning = dt.datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)
    open_monday = SearchQuery(open_now=True, now=monday_morning, schedule=saturday)
    assert names(search(open_monday, engine), corpus) == ["hospice"]
    listing = SearchQuery(categories=("hospice",), schedule=ScheduleFilter(day="MO"))
    assert answer(search(listing, engine), corpus)[:2] == (["hospice"], 1)


def test_uk_profile_filters_page_exactly(engine, corpus):
    every_day = ScheduleFilter(opens_from=dt.time(0))
    everything = search(SearchQuery(schedule=every_day, page_size=10), engine)
    assert names(everything, corpus) == ["children", "hospice", "counselling"]
    pages = [search(SearchQuery(schedule=every_day, page_size=2, page=n), engine) for n in (1, 2)]
    assert [len(page.hits) for page in pages] == [2, 1]
    assert [page.total for page in pages] == [3, 3]
    assert pages[0].ids + pages[1].ids == everything.ids
    assert all(page.facets == everything.facets for page in pages)


@pytest.fixture
def closures(taxonomy):
    """A service open on Sundays, another closed on Sundays (a row marked closed) and open
    on weekdays, and one whose last Friday of the month is its only day."""
    services = {
        "sundays": factories.ServiceFactory(name="Sunday Café", at=[LEWISHAM]),
        "closed_sundays": factories.ServiceFactory(name="Weekday Drop-in", at=[LEWISHAM]),
        "last_friday": factories.ServiceFactory(name="Last Friday Group", at=[LEWISHAM]),
    }
    factories.ScheduleFactory(service=services["sundays"], byday="SU", opens_at=dt.time(14))
    factories.ScheduleFactory(service=services["closed_sundays"], byday="MO,TU")
    factories.ScheduleFactory(
        service=services["closed_sundays"],
        byday="SU",
        opens_at=None,
        closes_at=None,
        closed=True,
        valid_from=dt.date(2026, 12, 1),
        valid_to=dt.date(2026, 12, 31),
    )
    factories.ScheduleFactory(
        service=services["last_friday"], freq="MONTHLY", byday="-1FR", closes_at=dt.time(16)
    )
    for one in services.values():
        one.refresh_from_db()
    return services


@pytest.fixture(params=ENGINES)
def closures_engine(request, closures):
    return engine_holding(request, closures.values())


def test_schedule_filter_skips_closed_rows_and_reads_monthly_days(closures_engine, closures):
    def found(**kwargs):
        query = SearchQuery(schedule=ScheduleFilter(**kwargs))
        return names(search(query, closures_engine), closures)

    assert found(day="SU") == ["sundays"]
    assert found(day="FR") == ["last_friday"]
    assert found(day="FR", closes_by=dt.time(16)) == ["last_friday"]
    assert found(day="MO", closes_by=dt.time(16)) == []
    assert found(opens_from=dt.time(14)) == ["sundays"]
    assert found(day="TU") == ["closed_sundays"]


@pytest.fixture
def ended_hours(taxonomy):
    """A service whose Wednesday hours ended last month, and one whose Wednesday hours run
    until the end of next month."""
    today = dt.date.today()
    services = {
        "ended": factories.ServiceFactory(name="Former Wednesday Group", at=[LEWISHAM]),
        "running": factories.ServiceFactory(name="Wednesday Group", at=[LEWISHAM]),
    }
    factories.ScheduleFactory(
        service=services["ended"], byday="WE", valid_to=today - dt.timedelta(days=30)
    )
    factories.ScheduleFactory(
        service=services["running"], byday="WE", valid_to=today + dt.timedelta(days=60)
    )
    for one in services.values():
        one.refresh_from_db()
    return services


@pytest.fixture(params=ENGINES)
def ended_hours_engine(request, ended_hours):
    return engine_holding(request, ended_hours.values())


def test_schedule_filter_leaves_out_hours_that_have_ended(ended_hours_engine, ended_hours):
    results = search(SearchQuery(schedule=ScheduleFilter(day="WE")), ended_hours_engine)
    assert names(results, ended_hours) == ["running"]
    assert results.total == 1
