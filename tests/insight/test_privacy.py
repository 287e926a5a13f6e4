"""Nothing that identifies a help-seeker reaches a figure, a chart, a download or a page."""

import csv
import io
import json

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from insight import figures
from tests.insight.conftest import at
from tests.volunteers.factories import VolunteerFactory
from volunteers.models import HelpRequest, HelpSeekerContact, SafeguardingConcern

pytestmark = pytest.mark.django_db

MARKERS = {
    "name": "Zebedee Quillfeather",
    "phone": "07700 918273",
    "email": "quill.marker@example.org",
    "address": "17 Marigoldmarker Lane",
    "notes": "Notesmarker: the side gate sticks",
    "outcome": "Outcomemarker: went well",
    "concern": "Concernmarker: worried about the stairs",
    "area": "Hamletmarker",
}


@pytest.fixture
def seeded(home, gazetteer, last_month, make_request):
    """Twelve ordinary requests in Lewisham and one lone request, marked, in Cardiff."""
    for day in range(1, 13):
        make_request(at(last_month, day))
    lone = make_request(
        at(last_month, 9, 3),
        task="Sitting with someone",
        requested_by="carer",
        area=MARKERS["area"],
        latitude=51.4816,
        longitude=-3.1791,
        language="cy",
        no_match_reason=[["qualified", 0]],
        may_ask_feedback=True,
    )
    HelpSeekerContact.objects.update_or_create(
        request=lone,
        defaults={
            "name": MARKERS["name"],
            "phone": MARKERS["phone"],
            "email": MARKERS["email"],
            "address": MARKERS["address"],
            "notes": MARKERS["notes"],
        },
    )
    volunteer = VolunteerFactory()
    HelpRequest.objects.filter(pk=lone.pk).update(
        status="closed",
        accepted_volunteer=volunteer,
        accepted_at=lone.created_at,
        closed_at=lone.created_at,
        outcome=MARKERS["outcome"],
        hours=3,
    )
    SafeguardingConcern.objects.create(
        volunteer=volunteer, request=lone, details=MARKERS["concern"]
    )
    figures.refresh(last_month)
    lone.refresh_from_db()
    return lone


def _text(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def everything_published(client, month):
    """Every page, chart, table and download of the app, for every kind of area."""
    texts = []
    m = month.strftime("%Y-%m")
    filters = [
        {},
        {"month_from": m, "month_to": m},
        {"month_from": m, "month_to": m, "area_kind": "district"},
        {"month_from": m, "month_to": m, "area_kind": "district", "area": "CF10"},
        {"month_from": m, "month_to": m, "area_kind": "authority", "area": "Cardiff"},
    ]
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            names = ["impact", "download_csv", "download_json"]
            for name in names:
                for params in filters:
                    response = client.get(reverse(f"insight:{name}"), params)
                    assert response.status_code == 200, (name, params)
                    texts.append(_text(response))
            texts.append(_text(client.get(reverse("insight:data_dictionary"))))
    for params in filters:
        texts.append(_text(client.get(reverse("insight_dashboard"), params)))
    return texts


def test_no_marker_of_a_help_seeker_is_published(seeded, last_month, client, commissioner):
    client.force_login(commissioner)
    texts = everything_published(client, last_month)
    assert len(texts) > 90
    markers = [*MARKERS.values(), seeded.reference, "07700", "quill", "Marigold"]
    for text in texts:
        for marker in markers:
            assert marker.lower() not in text.lower(), marker


def test_a_lone_request_in_a_small_area_is_not_visible(seeded, last_month, client):
    with translation.override("en"):
        csv_text = _text(client.get(reverse("insight:download_csv")))
        json_data = json.loads(_text(client.get(reverse("insight:download_json"))))
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    cardiff = [r for r in rows if r["area"] in {"CF10", "Cardiff"}]
    assert cardiff, "the lone request's areas are in the download"
    for row in cardiff:
        # Every figure of its areas is either 0 or withheld: never 1, 2, 3 or 4, nor its hours.
        assert row["value"] in {"", "0"}, row
        if row["value"] == "":
            assert row["note"] in {"fewer than 5", "not shown (too few)"}
    for figure in json_data["figures"]:
        if figure["area"] in {"CF10", "Cardiff"}:
            assert figure["value"] in (None, 0)
    # The whole-site total moves in steps of 5: 13 requests are shown as 15, as 12 or 14 would.
    total = next(
        r
        for r in rows
        if r["area_type"] == "all" and r["measure"] == "requests" and not r["breakdown"]
    )
    assert total["value"] == "15"


def test_the_lone_request_is_withheld_on_the_page(seeded, last_month, client):
    m = last_month.strftime("%Y-%m")
    with translation.override("en"):
        html = _text(
            client.get(
                reverse("insight:impact"),
                {"month_from": m, "month_to": m, "area_kind": "district", "area": "CF10"},
            )
        )
    assert '<th scope="col">CF10</th>' in html
    assert ">1</td>" not in html and ">3</td>" not in html
    assert ">fewer than 5</td>" in html
