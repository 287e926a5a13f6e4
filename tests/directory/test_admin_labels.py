"""Directory editors choose opening days from tick boxes, not RRULE codes, and enter UK
addresses."""

import pytest
from django.urls import reverse

from directory.admin_forms import WeekdaysWidget
from directory.roles import ensure_group

pytestmark = pytest.mark.django_db


def test_opening_days_are_ticked_and_stored_as_hsds_byday():
    widget = WeekdaysWidget()
    html = widget.render("schedules-0-byday", "1MO", attrs={"id": "id_days"})
    assert 'value="MO" checked' in html and "Monday" in html
    assert '<option value="1" selected>' in html
    assert "MO,TU,WE" not in html
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    data.setlist("d", ["MO", "WE"])
    assert widget.value_from_datadict(data, {}, "d") == "MO,WE"
    data["d_week"] = "-1"
    data.setlist("d", ["FR"])
    assert widget.value_from_datadict(data, {}, "d") == "-1FR"
    data["d_week"] = "<script>"
    assert widget.value_from_datadict(data, {}, "d") == "FR"


def test_the_service_and_location_forms_speak_plainly(client, django_user_model, taxonomy):
    from tests.directory import factories

    organisation = factories.OrganizationFactory()
    user = django_user_model.objects.create_user("ed", "ed@example.org", "pw")
    ensure_group()
    organisation.editors.add(user)
    client.force_login(user)
    service_form = client.get(reverse("wagtailsnippets_directory_service:add")).content.decode()
    assert "Wednesday" in service_form and "Which week" in service_form
    assert "MO,TU,WE,TH,FR,SA,SU" not in service_form
    location_form = client.get(reverse("wagtailsnippets_directory_location:add")).content.decode()
    assert "Postcode" in location_form or "postcode" in location_form
    assert "Region" not in location_form and "State province" not in location_form
