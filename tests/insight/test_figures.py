"""Figures computed from real records: requests, matching times, endings, volunteers, areas."""

import datetime as dt
import io

import pytest
from django.utils import timezone

from insight import figures
from insight.areas import DISTRICT, EVERYWHERE
from insight.models import Figure, SearchCount
from insight.publish import publish
from insight.report import Report
from insight.searches import record_search
from tests.insight.conftest import at
from tests.pages import publish as _published
from tests.volunteers.factories import DBSCheckFactory, TrainingRecordFactory, VolunteerFactory

pytestmark = pytest.mark.django_db

LEEDS = (53.7984, -1.5456)


def value(month, kind, area, measure, breakdown=""):
    row = Figure.objects.filter(
        month=month, area_kind=kind, area=area, measure=measure, breakdown=breakdown
    ).first()
    return row.value if row else None


def offer(help_request, after_hours, volunteer):
    from volunteers.models import Offer

    return Offer.objects.create(
        request=help_request,
        volunteer=volunteer,
        offered_at=help_request.created_at + dt.timedelta(hours=after_hours),
        expires_at=help_request.created_at + dt.timedelta(hours=after_hours + 12),
    )


def test_requests_counted_by_kind_who_asked_and_area(gazetteer, last_month, make_request):
    make_request(at(last_month, 3), task="Shopping")
    make_request(at(last_month, 4), task="Shopping", requested_by="carer")
    make_request(
        at(last_month, 5), task="A lift", area="LS1", latitude=LEEDS[0], longitude=LEEDS[1]
    )
    make_request(at(figures.next_month(last_month), 1))  # next month: not counted here

    figures.refresh(last_month)

    assert value(last_month, "all", "", "requests") == 3
    assert value(last_month, "all", "", "requests", "kind:Shopping") == 2
    assert value(last_month, "all", "", "requests", "by:carer") == 1
    assert value(last_month, "district", "SE13", "requests") == 2
    assert value(last_month, "authority", "Lewisham", "requests") == 2
    assert value(last_month, "district", "LS1", "requests") == 1
    assert value(last_month, "authority", "Leeds", "requests") == 1


def test_a_place_name_is_placed_in_the_nearest_district(gazetteer, last_month, make_request):
    make_request(at(last_month, 3), area="Leeds", latitude=LEEDS[0], longitude=LEEDS[1])
    figures.refresh(last_month)
    assert value(last_month, "district", "LS1", "requests") == 1


def test_matching_times_and_share_matched(gazetteer, last_month, make_request):
    volunteer = VolunteerFactory()
    from volunteers.models import HelpRequest

    for hours in range(1, 11):  # offered after 1..10 hours, accepted two hours later
        help_request = make_request(at(last_month, 2))
        offer(help_request, hours, volunteer)
        HelpRequest.objects.filter(pk=help_request.pk).update(
            status="closed",
            accepted_volunteer=volunteer,
            accepted_at=help_request.created_at + dt.timedelta(hours=hours + 2),
        )
    never = make_request(at(last_month, 2))
    HelpRequest.objects.filter(pk=never.pk).update(
        no_match_reason=[["qualified", 4], ["in_reach", 0], ["free", 0]]
    )

    figures.refresh(last_month)

    assert value(last_month, "all", "", "requests") == 11
    assert value(last_month, "all", "", "requests_matched") == 10
    assert value(last_month, "all", "", "share_matched") == pytest.approx(100 * 10 / 11)
    assert value(last_month, "all", "", "first_offer_median") == 5
    assert value(last_month, "all", "", "first_offer_p90") == 9
    assert value(last_month, "all", "", "acceptance_median") == 7
    assert value(last_month, "all", "", "acceptance_p90") == 11
    # The unmatched request's time has passed: it expired, nobody being within reach.
    assert value(last_month, "all", "", "requests_unmatched", "ended:expired") == 1
    assert value(last_month, "all", "", "requests_unmatched", "why:no_one_in_reach") == 1


def test_withdrawn_requests_end_unmatched(gazetteer, last_month, make_request):
    make_request(at(last_month, 2), status="withdrawn")
    figures.refresh(last_month)
    assert value(last_month, "all", "", "requests_unmatched", "ended:withdrawn") == 1


def test_volunteers_active_and_current(gazetteer, db):
    month = figures.month_start(timezone.localdate())
    current = VolunteerFactory()
    DBSCheckFactory(volunteer=current)
    TrainingRecordFactory(volunteer=current)
    lapsed = VolunteerFactory()
    DBSCheckFactory(volunteer=lapsed)
    TrainingRecordFactory(
        volunteer=lapsed,
        completed_on=timezone.localdate() - dt.timedelta(days=800),
        expires_on=timezone.localdate() - dt.timedelta(days=60),
    )
    VolunteerFactory(status="paused")

    figures.refresh(month)

    assert value(month, "all", "", "volunteers_active") == 2
    assert value(month, "all", "", "volunteers_current") == 1
    assert value(month, "district", "SE13", "volunteers_active") == 2


def test_searches_roll_up_from_daily_counts(gazetteer, last_month):
    for _ in range(3):
        record_search(51.4600, -0.0140, ["bereavement-counselling"], day=last_month)
    record_search(51.4600, -0.0140, [], nothing_near=True, day=last_month + dt.timedelta(days=3))

    assert SearchCount.objects.get(day=last_month, category="").searches == 3
    figures.refresh(last_month)

    assert value(last_month, "district", "SE13", "searches") == 4
    assert value(last_month, "district", "SE13", "searches_nothing_near") == 1
    assert value(last_month, "all", "", "searches", "category:bereavement-counselling") == 3


def test_a_search_from_a_known_district_is_counted_there_without_reading_every_district(
    gazetteer, last_month
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The searcher's place was found in the gazetteer as SE13; its point lies nearer SE6.
    with CaptureQueriesContext(connection) as queries:
        record_search(51.4400, -0.0200, [], district="se13", day=last_month)
    assert SearchCount.objects.get(day=last_month, category="").district == "SE13"
    assert not [q["sql"] for q in queries if "core_postcodedistrict" in q["sql"]]


def test_a_search_from_a_place_without_a_district_is_counted_in_the_nearest(gazetteer, last_month):
    record_search(51.4600, -0.0140, [], district="", day=last_month)
    assert SearchCount.objects.get(day=last_month, category="").district == "SE13"


def test_refresh_replaces_a_month_whole(gazetteer, last_month, make_request):
    make_request(at(last_month, 2))
    figures.refresh(last_month)
    make_request(at(last_month, 3))
    figures.refresh(last_month)
    assert value(last_month, "all", "", "requests") == 2
    assert (
        Figure.objects.filter(
            month=last_month, measure="requests", area_kind="all", breakdown=""
        ).count()
        == 1
    )


def test_a_district_loaded_from_the_ons_postcode_directory_counts_under_its_authority(tmp_path):
    from django.core.management import call_command

    from insight.areas import AUTHORITY, OTHER_AUTHORITY, Locator

    assert Locator().authority_of("ZE1") == OTHER_AUTHORITY  # not a sample district
    onspd = tmp_path / "onspd.csv"
    onspd.write_text(
        "pcds,oslaua,lat,long\nZE1 0AA,S12000027,60.154,-1.149\nSE13 5AA,E09000006,51.456,-0.012\n"
    )
    call_command("load_gazetteer", str(onspd), stdout=io.StringIO())
    locator = Locator()
    assert locator.authority_of("ZE1") == "Shetland Islands"
    # The loaded directory wins over the shipped sample table (here deliberately Bromley).
    assert (AUTHORITY, "Bromley") in locator.areas("SE13")


@pytest.mark.django_db
def test_a_report_of_districts_with_none_chosen_shows_the_four_with_most_requests():
    months = [dt.date(2026, 9, 1), dt.date(2026, 10, 1)]
    requests = {"SE13": (3, 4), "SE4": (9, 0), "LS1": (2, 5), "M1": (7, 0), "BS1": (1, 1)}
    for area, values in requests.items():
        for month, value in zip(months, values, strict=True):
            Figure.objects.create(
                month=month, area_kind=DISTRICT, area=area, measure="requests", value=value
            )
    # Other measures and breakdowns do not count towards "most requests".
    Figure.objects.create(
        month=months[0], area_kind=DISTRICT, area="BS1", measure="volunteers_active", value=99
    )
    Figure.objects.create(
        month=months[0],
        area_kind=DISTRICT,
        area="BS1",
        measure="requests",
        breakdown="carer",
        value=50,
    )
    # A month outside the report does not count either.
    Figure.objects.create(
        month=dt.date(2026, 8, 1), area_kind=DISTRICT, area="BS1", measure="requests", value=40
    )
    # SE4 9, M1 7, LS1 7 and SE13 7 tie-broken by name, BS1 2 left out.
    assert Report(months, DISTRICT).areas == ["SE4", "LS1", "M1", "SE13"]


@pytest.mark.django_db
def test_a_report_of_districts_without_requests_shows_the_first_four_by_name():
    month = dt.date(2026, 9, 1)
    for area in ("SE4", "M1", "LS1", "SE13", "BS1"):
        Figure.objects.create(
            month=month, area_kind=DISTRICT, area=area, measure="volunteers_active", value=6
        )
    assert Report([month], DISTRICT).areas == ["BS1", "LS1", "M1", "SE13"]


def test_tasks_closed_and_hours_given_count_in_the_month_they_closed(
    gazetteer, last_month, make_request
):
    from volunteers.models import HelpRequest

    volunteer = VolunteerFactory()
    closings = [(at(last_month, 5), 2), (at(last_month, 20), 1.5), (timezone.now(), 3)]
    for closed_at, hours in closings:
        help_request = make_request(at(last_month, 1))
        HelpRequest.objects.filter(pk=help_request.pk).update(
            status="closed",
            accepted_volunteer=volunteer,
            accepted_at=help_request.created_at,
            closed_at=closed_at,
            hours=hours,
        )

    figures.refresh(last_month)

    assert value(last_month, "all", "", "tasks_closed") == 2
    assert value(last_month, "all", "", "volunteer_hours") == 3.5
    assert value(last_month, "district", "SE13", "volunteer_hours") == 3.5
    assert value(last_month, "authority", "Lewisham", "tasks_closed") == 2


def test_services_listed_and_stale_by_area(gazetteer, db):
    from tests.directory.factories import ServiceFactory

    month = figures.month_start(timezone.localdate())
    lewisham = (51.4600, -0.0140)
    ServiceFactory(at=[lewisham, (51.4615, -0.0106)])  # checked lately, two places: counted once
    ServiceFactory(at=[lewisham], assured_date=timezone.localdate() - dt.timedelta(days=800))
    ServiceFactory(at=[LEEDS], assured_date=None)
    ServiceFactory()  # no location: in no area

    figures.refresh(month)

    assert value(month, "district", "SE13", "services_listed") == 2
    assert value(month, "district", "SE13", "services_stale") == 1
    assert value(month, "authority", "Leeds", "services_listed") == 1
    assert value(month, "authority", "Leeds", "services_stale") == 1
    assert value(month, "all", "", "services_listed") == 3


@pytest.fixture
def held_last_month(last_month, home):
    """A group in Hackney (E8) and its event for 12 held on the 10th of last month."""
    from tests.communities import factories

    groups = _published(factories.GroupIndexPageFactory(parent=home, slug="groups"))
    group = _published(factories.CommunityGroupPageFactory(parent=groups))
    event = _published(
        factories.EventPageFactory(parent=group, start_date=last_month.replace(day=10), capacity=12)
    )
    return group, event


def test_events_held_and_places_booked_by_area(gazetteer, last_month, held_last_month):
    from communities.models import OccurrenceSeats
    from communities.recurrence import occurrences
    from tests.communities import factories

    group, event = held_last_month
    start, end = figures.month_bounds(last_month)
    (held,) = occurrences(event, start, end)
    OccurrenceSeats.objects.create(event=event, starts_at=held.start, booked=7)
    # An event still to come this month has not been held.
    _published(
        factories.EventPageFactory(
            parent=group, start_date=timezone.localdate() + dt.timedelta(days=40)
        )
    )

    figures.refresh(last_month)

    assert value(last_month, "district", "E8", "events_held") == 1
    assert value(last_month, "district", "E8", "places_booked") == 7
    assert value(last_month, "authority", "Hackney", "places_offered") == 12
    assert value(last_month, "all", "", "events_held") == 1


def test_places_used_come_from_the_registers_taken(gazetteer, last_month, held_last_month):
    # Two dates last month, 8 and 5 places booked; the first date's register says 6 came,
    # the second has no register: its places are booked, not known to be used.
    from communities.models import OccurrenceSeats
    from communities.recurrence import occurrences
    from tests.communities import factories

    group, event = held_last_month
    other = _published(
        factories.EventPageFactory(parent=group, start_date=last_month.replace(day=17), capacity=12)
    )
    start, end = figures.month_bounds(last_month)
    (first,) = occurrences(event, start, end)
    (second,) = occurrences(other, start, end)
    OccurrenceSeats.objects.create(event=event, starts_at=first.start, booked=8, attended=6)
    OccurrenceSeats.objects.create(event=other, starts_at=second.start, booked=5)

    figures.refresh(last_month)

    for kind, area in [("district", "E8"), ("authority", "Hackney"), ("all", "")]:
        assert value(last_month, kind, area, "events_held") == 2
        assert value(last_month, kind, area, "places_booked") == 13
        assert value(last_month, kind, area, "registers_taken") == 1
        assert value(last_month, kind, area, "places_booked_registered") == 8
        assert value(last_month, kind, area, "places_used") == 6
        assert value(last_month, kind, area, "share_used") == 75
    # Over a period the share is worked out from the sums, and shown only on 10 or more
    # places booked (insight.publish), as every share is.
    report = Report([last_month])
    assert report.period(EVERYWHERE, "places_used") == publish("places_used", 6)
    assert report.period(EVERYWHERE, "share_used").suppressed  # 8 places booked: too few
    assert report.period(EVERYWHERE, "share_matched").suppressed  # no requests at all


def test_an_event_in_several_languages_is_held_once(
    gazetteer, last_month, held_last_month, locales
):
    # A translation of an event's page, and the alias that keeps a language in step, are the
    # same gatherings in other words: its dates, places and bookings are counted once.
    from communities.models import EventPage, OccurrenceSeats
    from communities.recurrence import occurrences

    _group, event = held_last_month
    _published(event.copy_for_translation(locales["pl"], copy_parents=True))
    event.copy_for_translation(locales["cy"], copy_parents=True, alias=True)
    assert EventPage.objects.live().count() == 3
    start, end = figures.month_bounds(last_month)
    (held,) = occurrences(event, start, end)
    OccurrenceSeats.objects.create(event=event, starts_at=held.start, booked=7)

    figures.refresh(last_month)

    assert value(last_month, "all", "", "events_held") == 1
    assert value(last_month, "all", "", "places_offered") == 12
    assert value(last_month, "district", "E8", "places_booked") == 7
