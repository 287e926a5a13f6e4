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
