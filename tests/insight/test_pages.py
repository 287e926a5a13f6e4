"""The public "Our impact" page, the downloads, the admin dashboard, and bad filters."""

import csv
import io
import json

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from insight import figures
from tests.insight.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def some_figures(gazetteer, last_month, make_request):
    for day in range(1, 13):
        make_request(at(last_month, day))
    make_request(at(last_month, 2), area="LS1", latitude=53.7984, longitude=-1.5456)
    figures.refresh(last_month)
    return last_month


def url(name, language="en"):
    with translation.override(language):
        return reverse(f"insight:{name}")


def body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_impact_page_in_every_language(home, some_figures, client, language):
    response = client.get(url("impact", language))
    assert response.status_code == 200
    html = body(response)
    assert f'lang="{language}"' in html
    assert "<svg" in html and "<table" in html
    if language != "en":
        assert "Our impact" not in html  # the heading is translated


def test_counts_are_rounded_and_small_areas_withheld(home, some_figures, client):
    month = some_figures.strftime("%Y-%m")
    html = body(
        client.get(url("impact"), {"month_from": month, "month_to": month, "area_kind": "district"})
    )
    # SE13 had 12 requests (shown as 10); LS1 had one (shown as "fewer than 5").
    assert '<th scope="col">SE13</th>' in html
    assert '<th scope="col">LS1</th>' in html
    assert ">10</td>" in html
    assert ">fewer than 5</td>" in html
    assert ">12<" not in html and ">13<" not in html


def test_csv_and_json_downloads_stream_published_figures(home, some_figures, client):
    month = some_figures.strftime("%Y-%m")
    response = client.get(url("download_csv"), {"month_from": month, "month_to": month})
    assert response.status_code == 200 and response.streaming
    rows = list(csv.DictReader(io.StringIO(body(response))))
    total = next(
        r
        for r in rows
        if r["area_type"] == "all" and r["measure"] == "requests" and not r["breakdown"]
    )
    assert total["value"] == "15"  # 13 rounded to the nearest 5
    leeds = next(
        r for r in rows if r["area"] == "LS1" and r["measure"] == "requests" and not r["breakdown"]
    )
    assert leeds["value"] == "" and leeds["note"] == "fewer than 5"

    data = json.loads(body(client.get(url("download_json"))))
    assert "creativecommons.org/licenses/by/4.0" in data["licence"]["url"]
    assert "requests" in data["dictionary"]
    assert any(f["area"] == "SE13" and f["value"] == 10 for f in data["figures"])


def test_data_dictionary_lists_every_measure(home, client):
    html = body(client.get(url("data_dictionary")))
    from insight.measures import MEASURES

    for measure in MEASURES:
        assert f"<code>{measure.code}</code>" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"month_from": "2999-01"}, "That month is in the future"),
        ({"month_to": "2026-13"}, "Enter a month as year and month"),
        ({"area_kind": "authority", "area": "Atlantis"}, "We have no figures for an area called"),
        ({"month_from": "1926-01", "month_to": "2026-01"}, "Choose a month from 2000 onwards"),
        ({"month_from": "2010-01", "month_to": "2026-01"}, "Choose at most 36 months"),
        ({"month_from": "2026-05", "month_to": "2026-01"}, "must not be after the last month"),
        ({"area_kind": "planet"}, "Select a valid choice"),
    ],
)
def test_impossible_filters_get_a_clear_message(home, some_figures, client, params, message):
    response = client.get(url("impact"), params)
    assert response.status_code == 400
    assert message in body(response)
    csv_response = client.get(url("download_csv"), params)
    assert csv_response.status_code == 400
    assert message in body(csv_response)
    json_response = client.get(url("download_json"), params)
    assert json_response.status_code == 400
    assert json_response.json()["error"]


def test_the_message_is_translated(home, some_figures, client):
    response = client.get(url("impact", "cy"), {"month_from": "2999-01"})
    assert response.status_code == 400
    assert "That month is in the future" not in body(response)
    assert 'class="error-summary"' in body(response)


def test_the_dashboard_is_for_coordinators_and_commissioners(
    home, some_figures, client, commissioner, django_user_model
):
    dashboard = reverse("insight_dashboard")
    assert client.get(dashboard).status_code == 302  # to the sign-in page
    editor = django_user_model.objects.create_user("editor", "e@example.org", "pw-123456789")
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get(dashboard).status_code == 403
    client.force_login(commissioner)
    response = client.get(dashboard, {"area_kind": "authority", "area": "lewisham, Leeds"})
    assert response.status_code == 200
    html = body(response)
    assert '<th scope="col">Lewisham</th>' in html and '<th scope="col">Leeds</th>' in html
    assert "Hours from asking to an offer" in html


def test_a_coordinator_sees_the_dashboard(home, some_figures, client, django_user_model):
    from django.contrib.auth.models import Group

    from volunteers.roles import COORDINATORS, ensure_groups

    ensure_groups()
    user = django_user_model.objects.create_user("coord", "co@example.org", "pw-123456789")
    user.groups.add(Group.objects.get(name=COORDINATORS))
    client.force_login(user)
    assert client.get(reverse("insight_dashboard")).status_code == 200


def test_the_page_works_with_no_figures_at_all(home, client):
    response = client.get(url("impact"))
    assert response.status_code == 200
    assert "No figures for this selection yet." in body(response)
    assert timezone.localdate()  # nothing computed, nothing shown


@pytest.mark.parametrize("language", ["en", "ur"])
def test_every_page_links_to_the_figures_in_its_footer(home, client, language):
    html = client.get(f"/{language}/").content.decode()
    footer = html[html.index('class="site-footer"') :]
    assert f'href="{url("impact", language)}"' in footer


def test_the_filters_follow_the_sites_form_pattern(home, some_figures, client):
    """Each label above its box with no colon, the hint tied to its box, and a mistake
    shown at the field it is about as well as in the summary (as every public form)."""
    html = body(client.get(url("impact")))
    assert '<label for="id_month_from">From month</label>' in html
    assert '<p class="hint" id="id_area_helptext">' in html
    assert 'aria-describedby="id_area_helptext"' in html
    wrong = body(client.get(url("impact"), {"month_from": "2999-01"}))
    assert 'class="field field--error"' in wrong
    assert 'id="id_month_from_error"' in wrong


def _chart_section(html, slug):
    start = html.index(f'id="{slug}-heading"')
    return html[start : html.index("</section>", start)]


def test_a_summary_of_one_area_is_a_table_without_a_picture(home, some_figures, client):
    """A summary draws each measure to its own scale so that areas can be compared: with
    one area every bar would be full length and say nothing, so only the table is shown."""
    summary = _chart_section(body(client.get(url("impact"))), "summary")
    assert "<table" in summary
    assert "<svg" not in summary


def test_a_summary_of_areas_side_by_side_is_drawn():
    from django.template.loader import render_to_string

    from insight.publish import Published
    from insight.report import Chart

    rows = [("Help requests", [Published(40, "40"), Published(10, "10")])]
    chart = Chart("summary", "At a glance", "", "Figure", ["Lewisham", "Leeds"], rows, True)
    html = render_to_string("insight/includes/chart.html", {"chart": chart})
    assert "<svg" in html and "<table" in html
    alone = Chart(
        "summary",
        "At a glance",
        "",
        "Figure",
        ["Lewisham"],
        [rows[0][:1] + ([rows[0][1][0]],)],
        True,
    )
    assert "<svg" not in render_to_string("insight/includes/chart.html", {"chart": alone})
