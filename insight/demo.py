"""A year of generated activity for `manage.py load_demo`, so the insight charts have life; its
districts, kinds of request and shares are in insight/demo.yaml.

The months before last are aggregates only (bulk_create of `Figure`, `SearchCount` and
`SurveyTally` rows): no fictional person or request is written for them. The numbers follow
simple patterns a real network shows: more requests in winter, busier cities, most requests
matched, waits skewed with a long tail, searches daily with more on weekdays, and the
community groups' repeating events meeting where communities/demo.yaml puts them, their
places taken and their registers taken as communities/demo.py books and registers them, and
the directory growing each month to the services it lists now.

Last month and this month are the months the hourly refresh recomputes from the site's own
records, so for them the demo makes the records themselves, drawn the same way
(insight/demo_activity.py; the communities demo's events have met and been booked), and
computes their figures as the refresh does: refreshing changes them only as time passes.
Searches are counted by day as they happen, so this month's days so far have their counts.
"""

import calendar
import datetime as dt
import math
import random
from collections import defaultdict

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from communities import demo as communities_demo
from core.demo.data import read
from core.demo.registry import register
from core.geo.postcodes import normalise_district

from .areas import Locator
from .demo_activity import AGREED_TO_FEEDBACK, ANSWERED, Activity
from .figures import (
    CACHE_KEY,
    month_start,
    next_month,
    percentile,
    previous_month,
    refresh,
    services_by_district,
    shares,
)
from .models import Figure, SearchCount, SurveyTally

CONTENT = read("insight")


def _shares(rows):
    return [(row["name"], row["share"]) for row in rows]


DISTRICTS = [(row["district"], row["size"]) for row in CONTENT["districts"]]
KINDS = _shares(CONTENT["kinds"])
REQUESTERS = _shares(CONTENT["requesters"])
ANSWERS = {"helped": _shares(CONTENT["survey"]), "wellbeing": _shares(CONTENT["wellbeing"])}
# {survey: (questions, answers, share of the tasks done answered)}, as the records of last
# month and this month are answered (insight/demo_activity.py).
SURVEYS = {
    "helped": (
        ["supported", "needed", "ask_again"],
        ANSWERS["helped"],
        AGREED_TO_FEEDBACK * ANSWERED["helped"],
    ),
    "wellbeing": (
        ["wellbeing", "volunteer_supported"],
        ANSWERS["wellbeing"],
        ANSWERED["wellbeing"],
    ),
}
WHY = CONTENT["why"]
CATEGORIES = CONTENT["categories"]
MONTHS = CONTENT["months"]
# How much the directory grew a month, as a share of the services it lists now.
SERVICES_GROWTH = 0.02


def _split(rng, total, shares):
    counts = {name: 0 for name, _share in shares}
    names, weights = zip(*shares, strict=True)
    for name in rng.choices(names, weights, k=total):
        counts[name] += 1
    return counts


def _answers(rng, tasks):
    """{survey: {(question, answer): count}}: of the tasks done, a share answer each survey,
    and each of its questions is answered on its own."""
    answers = {}
    for survey, (questions, answer_shares, share) in SURVEYS.items():
        people = int(tasks * share)
        answers[survey] = {
            (question, answer): count
            for question in questions
            for answer, count in _split(rng, people, answer_shares).items()
        }
    return answers


def _district_month(rng, size, month):
    """Raw tallies for one district and month: counts, samples of waits, survey answers."""
    winter = 1 + 0.3 * math.cos((month.month - 1) / 12 * 2 * math.pi)
    requests = max(0, int(rng.gauss(14 * size * winter, 3)))
    matched = sum(rng.random() < 0.78 for _ in range(requests))
    offered = matched + sum(rng.random() < 0.6 for _ in range(requests - matched))
    unmatched = requests - matched
    withdrawn = sum(rng.random() < 0.3 for _ in range(unmatched))
    tasks = max(0, matched - rng.randint(0, 2))
    return {
        "requests": requests,
        "kinds": _split(rng, requests, KINDS),
        "by": _split(rng, requests, REQUESTERS),
        "requests_matched": matched,
        "requests_offered": offered,
        "requests_unmatched": unmatched,
        "ended": {"withdrawn": withdrawn, "expired": unmatched - withdrawn},
        "why": _split(rng, unmatched, [(w, 1 / (i + 1)) for i, w in enumerate(WHY)]),
        "first_offer": [rng.lognormvariate(0.8, 0.9) for _ in range(offered)],
        "acceptance": [rng.lognormvariate(2.0, 0.8) for _ in range(matched)],
        "tasks_closed": tasks,
        "volunteer_hours": sum(rng.choice([1, 1.5, 2, 2, 3, 4]) for _ in range(tasks)),
        "volunteers_active": int(30 * size + rng.randint(-2, 2)),
        "volunteers_current": int(26 * size + rng.randint(-3, 0)),
        "surveys": _answers(rng, tasks),
    }


def _events(rng, month):
    """(district, {measure: count}) for each repeating event of the communities demo in one
    month: a weekly one meets four or five times, a monthly one once; at each meeting a share
    of its places is taken, a few given back, and most groups take the register of who came,
    as communities/demo.py books and registers the dates the site holds."""
    days = calendar.monthrange(month.year, month.month)[1]
    for spec in communities_demo.EVENTS:
        if not spec["repeat"]:
            continue
        held = 1 if spec["repeat"] == "monthly" else 4 + (rng.random() < (days - 28) / 7)
        capacity = spec["capacity"] or 0
        counts = {"events_held": held, "places_offered": capacity * held, "places_booked": 0}
        for _meeting in range(held):
            taken = round(capacity * rng.uniform(*communities_demo.TAKEN))
            booked = taken - sum(rng.random() < communities_demo.CANCELLED for _ in range(taken))
            counts["places_booked"] += booked
            if booked and rng.random() < communities_demo.REGISTERED:
                counts["registers_taken"] = counts.get("registers_taken", 0) + 1
                counts["places_booked_registered"] = (
                    counts.get("places_booked_registered", 0) + booked
                )
                came = sum(rng.random() < communities_demo.CAME for _ in range(booked))
                counts["places_used"] = counts.get("places_used", 0) + came
        # The district a postcode is in (its outward code); an online event's is none.
        district = normalise_district(spec["postcode"].split(" ")[0])
        yield district, counts


def _joined(rng, current):
    """{district: [months since each service listed now joined the directory]}: it grew by
    about SERVICES_GROWTH of today's size a month, so joining dates are spread evenly over
    the 1 / SERVICES_GROWTH months before now."""
    return {
        district: [rng.uniform(0, 1 / SERVICES_GROWTH) for _ in range(listed)]
        for district, (listed, _stale) in sorted(current.items(), key=lambda item: str(item[0]))
    }


def _services(rng, current, joined, months_back):
    """{district: (services listed, services stale)} at the end of the month `months_back`
    months ago: the services listed now that had joined by then, each unchecked for a year
    about as often as now, a few points either way."""
    past = {}
    drift = rng.uniform(-0.05, 0.05)
    for district, ages in joined.items():
        listed, stale = current[district]
        then = sum(age > months_back for age in ages)
        share = min(1.0, max(0.0, (stale / listed if listed else 0) + drift))
        past[district] = (then, sum(rng.random() < share for _ in range(then)))
    return past


def _searches(rng, month, size, district, until=None, share_of_last=1.0):
    """A district's daily search counts for the month (up to and including `until`, whose
    count is for the share of the day gone)."""
    rows = []
    day = month
    last = until or next_month(month) - dt.timedelta(days=1)
    while day <= last:
        weekday = 1.3 if day.weekday() < 5 else 0.6
        share = share_of_last if day == last else 1.0
        total = max(0, int(rng.gauss(6 * size * weekday * share, 2 * share)))
        nothing = sum(rng.random() < 0.12 for _ in range(total))
        rows.append(SearchCount(day=day, district=district, searches=total, nothing_near=nothing))
        for category in CATEGORIES:
            picked = sum(rng.random() < 0.12 for _ in range(total))
            if picked:
                rows.append(
                    SearchCount(day=day, district=district, category=category, searches=picked)
                )
        day += dt.timedelta(days=1)
    return rows


def generate(today=None, seed=2026, services=None):
    """The Figure, SearchCount and SurveyTally rows for the twelve months before this one;
    with `services` ({district: (listed, stale)} of the directory now), the services listed
    and stale at the end of each of those months."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    this_month = month_start(today or timezone.localdate())
    months = []
    month = this_month
    for _ in range(MONTHS):
        month = previous_month(month)
        months.append(month)
    figures, searches, tallies = [], [], []
    locator = Locator()
    services = services or {}
    joined = _joined(random.Random(seed + 3), services)  # noqa: S311 - demo data
    for month in sorted(months):
        counts = defaultdict(float)
        samples = defaultdict(list)
        for district, size in DISTRICTS:
            raw = _district_month(rng, size, month)
            areas = locator.areas_of(district)
            month_searches = _searches(rng, month, size, district)
            searches += month_searches
            for kind, area in areas:
                for measure in (
                    "requests", "requests_matched", "requests_offered", "requests_unmatched",
                    "tasks_closed", "volunteer_hours", "volunteers_active", "volunteers_current",
                ):  # fmt: skip
                    counts[kind, area, measure, ""] += raw[measure]
                for name, value in raw["kinds"].items():
                    counts[kind, area, "requests", f"kind:{name}"] += value
                for name, value in raw["by"].items():
                    counts[kind, area, "requests", f"by:{name}"] += value
                for name, value in raw["ended"].items():
                    counts[kind, area, "requests_unmatched", f"ended:{name}"] += value
                for name, value in raw["why"].items():
                    counts[kind, area, "requests_unmatched", f"why:{name}"] += value
                for row in month_searches:
                    if row.category:
                        counts[kind, area, "searches", f"category:{row.category}"] += row.searches
                    else:
                        counts[kind, area, "searches", ""] += row.searches
                        counts[kind, area, "searches_nothing_near", ""] += row.nothing_near
                for survey, answers in raw["surveys"].items():
                    for (question, answer), value in answers.items():
                        counts[kind, area, f"survey_{survey}", f"{question}:{answer}"] += value
                samples[kind, area, "first_offer"] += raw["first_offer"]
                samples[kind, area, "acceptance"] += raw["acceptance"]
            for survey, answers in raw["surveys"].items():
                for (question, answer), value in answers.items():
                    tallies.append(
                        SurveyTally(
                            month=month,
                            district=district,
                            survey=survey,
                            question=question,
                            answer=answer,
                            count=value,
                        )
                    )
        for district, event_counts in _events(rng, month):
            for kind, area in locator.areas_of(district):
                for measure, value in event_counts.items():
                    counts[kind, area, measure, ""] += value
        months_back = (this_month.year - month.year) * 12 + this_month.month - month.month
        for district, (listed, stale) in _services(rng, services, joined, months_back).items():
            for kind, area in locator.areas_of(district):
                counts[kind, area, "services_listed", ""] += listed
                if stale:
                    counts[kind, area, "services_stale", ""] += stale
        month_figures = [
            Figure(
                month=month,
                area_kind=kind,
                area=area,
                measure=measure,
                breakdown=breakdown,
                value=value,
            )
            for (kind, area, measure, breakdown), value in counts.items()
        ]
        figures += month_figures + shares(month_figures)
        for (kind, area, name), values in samples.items():
            if values:
                for suffix, q in (("median", 50), ("p90", 90)):
                    figures.append(
                        Figure(
                            month=month,
                            area_kind=kind,
                            area=area,
                            measure=f"{name}_{suffix}",
                            value=percentile(values, q),
                        )
                    )
    return months, figures, searches, tallies


def searches_so_far(now, seed=2026):
    """The daily search counts of this month's days so far, today's for the hours gone."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    local = timezone.localtime(now)
    today = local.date()
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    share = (local - midnight).total_seconds() / 86400
    rows = []
    for district, size in DISTRICTS:
        rows += _searches(rng, month_start(today), size, district, today, share)
    return rows


def load(log, seed=2026):
    """Add a year of generated figures unless those months already have figures, and the
    records of last month and this month (when the volunteering demo is loaded) with their
    figures computed from them."""
    now = timezone.now()
    this_month = month_start(timezone.localdate(now))
    services = services_by_district(this_month, Locator())
    months, figures, searches, tallies = generate(timezone.localdate(now), seed, services)
    if Figure.objects.filter(month__in=months).exists():
        return
    recent = [previous_month(this_month), this_month]
    searches += searches_so_far(now, seed + 2)
    activity = Activity(CONTENT, DISTRICTS, KINDS, REQUESTERS, WHY, now, seed + 1)
    with transaction.atomic():
        Figure.objects.bulk_create(figures, batch_size=2000)
        SearchCount.objects.bulk_create(searches, batch_size=2000, ignore_conflicts=True)
        made = activity.make(recent, ANSWERS)
        if made:
            # The answers of those months are the ones their records' invitations had.
            tallies = [tally for tally in tallies if tally.month not in recent]
        SurveyTally.objects.bulk_create(tallies, batch_size=2000, ignore_conflicts=True)
        if made:
            for month in recent:
                refresh(month, now=now)
        transaction.on_commit(lambda: cache.delete(CACHE_KEY))
    log(f"Insight: a year of generated figures ({len(figures)} figures, {len(searches)} days)")
    if made:
        log(
            f"Insight: records for {recent[0]:%B} and {recent[1]:%B} "
            f"({made.volunteers} volunteers, {made.requests} help requests, "
            f"{made.answers} survey answers)"
        )


@register(order=60)
def demo_insight(context):
    """A year of figures for the insight dashboard."""
    load(context.log)
