"""core.geo.forms: the place and distance fields every search form shares."""

import pytest

from communities.forms import EventSearchForm
from core.geo import GeocodeError
from core.geo.forms import KM_PER_MILE, NearPlaceMixin
from directory.forms import SearchForm

pytestmark = pytest.mark.django_db


def test_both_searches_take_the_place_fields_from_core_geo():
    for form_class in (SearchForm, EventSearchForm):
        assert issubclass(form_class, NearPlaceMixin)
        for name in ("near", "radius"):
            assert form_class.base_fields[name] is NearPlaceMixin.base_fields[name]


def test_the_directory_form_keeps_its_field_order():
    assert list(SearchForm().fields)[:4] == ["q", "near", "radius", "category"]
    assert list(EventSearchForm().fields)[:3] == ["near", "radius", "date_from"]


def test_no_place_means_no_distance_and_the_default_radius():
    form = SearchForm({"q": "grief"})
    assert form.is_valid(), form.errors
    assert form.place is None
    assert form.cleaned_data["near"] == ""
    assert form.radius_km() == pytest.approx(5 * KM_PER_MILE)
    assert form.to_query().latitude is None


def test_an_unknown_place_is_an_error_on_the_near_field(monkeypatch):
    def refuse(text):
        raise GeocodeError("We could not find that place.", suggestions=["Leeds"])

    monkeypatch.setattr("core.geo.forms.geocode", refuse)
    form = EventSearchForm({"near": "Nowhere", "radius": "10"})
    assert not form.is_valid()
    assert form.errors["near"] == ["We could not find that place."]
    assert form.suggestions == ["Leeds"]
