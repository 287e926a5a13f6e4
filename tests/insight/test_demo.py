"""The demo year: aggregates only, quick to load, and the charts have something to show."""

import time

import pytest
from django.urls import reverse
from django.utils import translation

from insight import demo
from insight.models import Figure, SearchCount

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
