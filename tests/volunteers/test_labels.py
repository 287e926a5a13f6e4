"""Staff read labels, not codes: no raw True/False or reason codes, statuses capitalised,
languages chosen by name, British dates."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.volunteers.factories import (
    DBSCheckFactory,
    HelpRequestFactory,
    TrainingRecordFactory,
    VolunteerFactory,
)
from volunteers import contact

pytestmark = pytest.mark.django_db


def cells(html):
    """The text of the list's table only (not the filters, whose values are codes)."""
    start = html.find('<table class="listing')
    return html[start : html.find("</table>", start)]


def test_lists_show_labels_not_codes(client, coordinator):
    help_request = HelpRequestFactory()
    contact.reveal_contact(help_request, None, coordinator)
    contact.withdraw_consent(help_request)
    with pytest.raises(contact.ContactRefused):
        contact.reveal_contact(help_request, None, coordinator)
    log = cells(client.get(reverse("wagtailsnippets_volunteers_accesslog:list")).content.decode())
    assert "Refused: consent withdrawn" in log and "Shown to a coordinator" in log
    assert "no_consent" not in log and "True" not in log and "False" not in log
    assert ">Yes<" in log.replace(" ", "").replace("\n", "") or "Yes" in log

    DBSCheckFactory(volunteer=VolunteerFactory())
    checks = cells(client.get(reverse("wagtailsnippets_volunteers_dbscheck:list")).content.decode())
    assert "True" not in checks and "False" not in checks and "Yes" in checks

    HelpRequestFactory()
    requests = cells(
        client.get(reverse("wagtailsnippets_volunteers_helprequest:list")).content.decode()
    )
    assert "Waiting for a volunteer" in requests and "Withdrawn" in requests


def test_dates_are_british(client, coordinator):
    TrainingRecordFactory(expires_on=dt.date(2027, 3, 4))
    listing = client.get(reverse("wagtailsnippets_volunteers_trainingrecord:list")).content.decode()
    assert "March 4, 2027" not in listing and "Mar. 4, 2027" not in listing
    assert "4 March 2027" in listing or "04/03/2027" in listing


def test_languages_are_chosen_by_name(client, coordinator):
    volunteer = VolunteerFactory(languages="en")
    url = reverse("wagtailsnippets_volunteers_volunteer:edit", args=[volunteer.pk])
    form = client.get(url).content.decode()
    assert 'type="checkbox" name="languages" value="pl"' in form and "Polish" in form
    assert "Language codes separated by spaces" not in form
    response = client.post(
        url,
        {
            "display_name": volunteer.display_name,
            "status": "active",
            "home_area": "SE13",
            "travel_radius_km": "5",
            "max_active_tasks": "2",
            "rest_hours": "24",
            "language": "cy",
            "languages": ["en", "pl"],
            "skills": "",
        },
    )
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.languages == "en pl" and volunteer.language == "cy"
