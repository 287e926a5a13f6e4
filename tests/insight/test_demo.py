"""The demo year: aggregates only, quick to load, and the charts have something to show."""

import datetime as dt
import statistics
import time
from collections import defaultdict

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from communities.retention import remove_past_bookings_task
from insight import demo
from insight.areas import EVERYWHERE
from insight.figures import month_start, previous_month, refresh_recent_task
from insight.forms import month_back, months_between
from insight.models import Figure, SearchCount
from insight.report import Report
from insight.surveys import send_invitations
from volunteers.models import HelpRequest, Offer, Volunteer
from volunteers.panels import COORDINATOR_PANELS

pytestmark = pytest.mark.django_db


def test_a_year_of_figures_loads_quickly_once(home, client):
    started = time.perf_counter()
    demo.load(print)
    assert time.perf_counter() - started < 20
    months = set(Figure.objects.values_list("month", flat=True))
    assert len(months) == 12
    assert SearchCount.objects.filter(category="").count() >= 365 * len(demo.DISTRICTS) - 31 * len(
        demo.DISTRICTS
    )
    count = Figure.objects.count()
    demo.load(print)
    assert Figure.objects.count() == count

    with translation.override("en"):
        html = client.get(
            reverse("insight:impact"), {"area_kind": "authority", "area": "Lewisham, Leeds"}
        ).content.decode()
    assert html.count("<svg") >= 10
    assert "<rect" in html
    assert '<th scope="col">Lewisham</th>' in html


def test_the_demo_year_has_answers_to_both_surveys_question_by_question(db):
    months, figures, _searches, tallies = demo.generate()
    whole_site = [f for f in figures if f.area_kind == "all"]
    for survey, questions in (
        ("helped", {"supported", "needed", "ask_again"}),
        ("wellbeing", {"wellbeing", "volunteer_supported"}),
    ):
        for month in months:
            answered = {
                f.breakdown.split(":")[0]
                for f in whole_site
                if f.month == month and f.measure == f"survey_{survey}" and f.value
            }
            assert answered == questions, (survey, month)
        # The tallies the figures rest on are kept too, as the surveys keep them.
        assert {t.question for t in tallies if t.survey == survey} == questions
    # Each question is answered on its own: the answers are not copied from one to another.
    by_question = {}
    for f in whole_site:
        if f.measure == "survey_helped":
            question, answer = f.breakdown.split(":")
            by_question.setdefault(question, {})[f.month, answer] = f.value
    assert by_question["supported"] != by_question["needed"] != by_question["ask_again"]


HEADLINES = ("requests", "share_matched", "volunteers_active")


def _whole_site(measures):
    rows = Figure.objects.filter(area_kind="all", area="", breakdown="", measure__in=measures)
    return {(row.month, row.measure): row.value for row in rows}


def test_the_hourly_refresh_keeps_the_demo_months_it_recomputes(demo_site):
    # `make run` starts the scheduler, whose hourly job recomputes last month and this month
    # from the site's records: the demo's records for those months are at the scale of the
    # generated months before them, so the charts do not drop at their recent end.
    this_month = month_start(timezone.localdate())
    last_month = previous_month(this_month)
    before = _whole_site(HEADLINES)
    refresh_recent_task.enqueue()  # as the scheduler enqueues it (run at once in tests)
    after = _whole_site(HEADLINES)
    earlier = {
        measure: [v for (month, m), v in after.items() if m == measure and month < last_month]
        for measure in HEADLINES
    }
    assert len(earlier["requests"]) == demo.MONTHS - 1
    # The band. Requests follow the seasons (the generator's winter peak is 1.3 times the
    # mean, summer's trough 0.7), so last month is held within the earlier months' own range,
    # widened by a quarter. Share matched and active volunteers do not follow the seasons:
    # within 10 points of the earlier share, and 15% of the earlier number of volunteers.
    low, high = min(earlier["requests"]), max(earlier["requests"])
    assert 0.75 * low <= after.get((last_month, "requests"), 0) <= 1.25 * high, after
    share = statistics.mean(earlier["share_matched"])
    assert abs(after.get((last_month, "share_matched"), 0) - share) <= 10, after
    volunteers = statistics.mean(earlier["volunteers_active"])
    for month in (last_month, this_month):
        assert abs(after.get((month, "volunteers_active"), 0) - volunteers) <= 0.15 * volunteers
    # This month has only had its days so far: no more requests than a whole month's.
    assert after.get((this_month, "requests"), 0) <= 1.25 * high
    # The refresh changes the recent months only a little.
    for key in ((last_month, "requests"), (last_month, "volunteers_active")):
        assert abs(after[key] - before[key]) <= 0.05 * before[key], (key, before[key], after[key])


def test_the_demo_records_leave_a_small_queue_honour_consent_and_load_once(demo_site):
    # What needs a coordinator's attention stays a handful, as on a real site.
    for panel in COORDINATOR_PANELS:
        queryset, _row = panel(None).rows()
        assert queryset.count() <= 12, panel.name
    # Only someone who agreed, and gave an address, is marked as invited to the survey.
    invited = HelpRequest.objects.filter(feedback_invited_at__isnull=False)
    assert invited.exists()
    assert not invited.filter(Q(may_ask_feedback=False) | Q(contact__email="")).exists()
    # The generated records are not due an invitation, so the scheduler does not mail their
    # hundreds of people: what it sends is the wellbeing check of the demo's own finished task.
    assert send_invitations() <= 1
    # Loading again adds nothing.
    counts = (Volunteer.objects.count(), HelpRequest.objects.count(), Offer.objects.count())
    demo.load(print)
    assert counts == (Volunteer.objects.count(), HelpRequest.objects.count(), Offer.objects.count())


# What a living site counts every month, whole site: requests and what became of them,
# volunteers, directory searches, community events and their places, and survey answers
# (summed over their questions and answers).
LIVING = (
    "requests",
    "requests_matched",
    "requests_offered",
    "requests_unmatched",
    "tasks_closed",
    "volunteer_hours",
    "volunteers_active",
    "volunteers_current",
    "searches",
    "searches_nothing_near",
    "events_held",
    "places_booked",
    "places_offered",
    "registers_taken",
    "places_used",
    "services_listed",
    "services_stale",
    "survey_helped",
    "survey_wellbeing",
)


def _missing(months):
    """(month, measure) of each series of LIVING with nothing in a month, whole site."""
    totals = defaultdict(float)
    for month, measure, value in Figure.objects.filter(
        area_kind="all", month__in=months, measure__in=LIVING
    ).values_list("month", "measure", "value"):
        totals[month, measure] += value
    return [(f"{month:%Y-%m}", m) for month in months for m in LIVING if not totals[month, m]]


def test_every_series_of_a_living_site_has_figures_in_every_month_of_the_demo_year(demo_site):
    # The year the public page and the dashboard show by default ends with this month. Its
    # last two months are counted from the site's own records (events that took place,
    # places booked at them, answers to the surveys), the months before from the generated
    # aggregates: no series may drop to nothing where the two meet. This month has had only
    # its days so far, so it is held to it once two of them have passed.
    now = timezone.localtime()
    this_month = month_start(now.date())
    months = months_between(month_back(this_month, 11), this_month)
    if now - timezone.make_aware(dt.datetime.combine(this_month, dt.time.min)) < dt.timedelta(2):
        months.remove(this_month)
    assert _missing(months) == []
    # The directory grew to the services it lists now: never fewer listed than a month before.
    listed = list(
        Figure.objects.filter(area_kind="all", measure="services_listed", month__in=months)
        .order_by("month")
        .values_list("value", flat=True)
    )
    assert listed == sorted(listed) and listed[0] < listed[-1]
    # The scheduler's jobs keep them so: the hourly refresh recounts the two months from the
    # records, after the nightly job has removed the names of people booked at past dates.
    remove_past_bookings_task.enqueue()
    refresh_recent_task.enqueue()
    assert _missing(months) == []
    # The published figures of the last two months show events, places and answers, as
    # those of the months before do, and events count in the same places.
    last_month = previous_month(this_month)
    held = {
        month: set(
            Figure.objects.filter(
                month=month, area_kind="district", measure="events_held", value__gt=0
            ).values_list("area", flat=True)
        )
        for month in (previous_month(last_month), last_month)
    }
    assert held[last_month] == held[previous_month(last_month)] != set()
    report = Report([last_month, this_month])
    for measure in ("events_held", "places_booked", "places_offered", "places_used", "share_used"):
        assert report.period(EVERYWHERE, measure).value != 0, measure
    for survey in ("helped", "wellbeing"):
        answers = [
            report.monthly(EVERYWHERE, month, f"survey_{survey}", breakdown)
            for month in (last_month, this_month)
            for breakdown in report.breakdowns(f"survey_{survey}", "")
        ]
        assert any(answer.value != 0 for answer in answers), survey
