"""A year of generated activity for `manage.py load_demo`, so the insight charts have life; its
districts, kinds of request and shares are in insight/demo.yaml.

The months before last are aggregates only (bulk_create of `Figure`, `SearchCount` and
`SurveyTally` rows): no fictional person or request is written for them. The numbers follow
simple patterns a real network shows: more requests in winter, busier cities, most requests
matched, waits skewed with a long tail, searches daily with more on weekdays.

Last month and this month are the months the hourly refresh recomputes from the site's own
records, so for them the demo makes the records themselves, drawn the same way
(insight/demo_activity.py), and computes their figures as the refresh does: refreshing
changes them only as time passes.
"""

import datetime as dt
import math
import random
from collections import defaultdict

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from core.demo.data import read
from core.demo.registry import register

from .areas import Locator
from .demo_activity import Activity
from .figures import CACHE_KEY, month_start, next_month, percentile, previous_month, refresh
from .models import Figure, SearchCount, SurveyTally

CONTENT = read("insight")


def _shares(rows):
    return [(row["name"], row["share"]) for row in rows]


DISTRICTS = [(row["district"], row["size"]) for row in CONTENT["districts"]]
KINDS = _shares(CONTENT["kinds"])
REQUESTERS = _shares(CONTENT["requesters"])
SURVEYS = {
    "helped": (["supported", "needed", "ask_again"], _shares(CONTENT["survey"]), 0.35),
    "wellbeing": (["wellbeing", "volunteer_supported"], _shares(CONTENT["wellbeing"]), 0.3),
}
WHY = CONTENT["why"]
CATEGORIES = CONTENT["categories"]
MONTHS = CONTENT["months"]


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
    for survey, (questions, shares, share) in SURVEYS.items():
        people = int(tasks * share)
        answers[survey] = {
            (question, answer): count
            for question in questions
            for answer, count in _split(rng, people, shares).items()
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
        "events_held": rng.randint(1, 4),
        "places_booked": rng.randint(8, 30),
        "places_offered": rng.randint(30, 45),
        "surveys": _answers(rng, tasks),
    }


def _searches(rng, month, size, district):
    rows = []
    day = month
    while day < next_month(month):
        weekday = 1.3 if day.weekday() < 5 else 0.6
        total = max(0, int(rng.gauss(6 * size * weekday, 2)))
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


def generate(today=None, seed=2026):
    """The Figure, SearchCount and SurveyTally rows for the twelve months before this one."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    this_month = month_start(today or timezone.localdate())
    months = []
    month = this_month
    for _ in range(MONTHS):
        month = previous_month(month)
        months.append(month)
    figures, searches, tallies = [], [], []
    locator = Locator()
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
                    "events_held", "places_booked", "places_offered",
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
        for (kind, area, measure, breakdown), value in counts.items():
            figures.append(
                Figure(
                    month=month,
                    area_kind=kind,
                    area=area,
                    measure=measure,
                    breakdown=breakdown,
                    value=value,
                )
            )
            if measure == "requests" and not breakdown and value:
                matched = counts[kind, area, "requests_matched", ""]
                figures.append(
                    Figure(
                        month=month,
                        area_kind=kind,
                        area=area,
                        measure="share_matched",
                        value=100 * matched / value,
                    )
                )
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


def load(log, seed=2026):
    """Add a year of generated figures unless those months already have figures, and the
    records of last month and this month (when the volunteering demo is loaded) with their
    figures computed from them."""
    now = timezone.now()
    months, figures, searches, tallies = generate(timezone.localdate(now), seed)
    if Figure.objects.filter(month__in=months).exists():
        return
    this_month = month_start(timezone.localdate(now))
    recent = [previous_month(this_month), this_month]
    activity = Activity(CONTENT, DISTRICTS, KINDS, REQUESTERS, WHY, now, seed + 1)
    with transaction.atomic():
        Figure.objects.bulk_create(figures, batch_size=2000)
        SearchCount.objects.bulk_create(searches, batch_size=2000, ignore_conflicts=True)
        SurveyTally.objects.bulk_create(tallies, batch_size=2000, ignore_conflicts=True)
        made = activity.make(recent)
        if made:
            for month in recent:
                refresh(month, now=now)
        transaction.on_commit(lambda: cache.delete(CACHE_KEY))
    log(f"Insight: a year of generated figures ({len(figures)} figures, {len(searches)} days)")
    if made:
        log(
            f"Insight: records for {recent[0]:%B} and {recent[1]:%B} "
            f"({made.volunteers} volunteers, {made.requests} help requests)"
        )


@register(order=60)
def demo_insight(context):
    """A year of figures for the insight dashboard."""
    load(context.log)
