"""Staff enter every HSDS part of an opening time in the admin, in words: how often it
repeats, the day of the month, the date it starts and a link to a timetable. What they save
is what the service page and the HSDS API show."""

import datetime as dt
import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.users.models import UserProfile

from directory.models import Schedule
from directory.roles import ensure_group
from tests.directory import factories

pytestmark = pytest.mark.django_db


def form_values(html):
    """The values a browser would post from the admin edit form, as a dict of lists."""
    form = BeautifulSoup(html, "html.parser").find("form", id="w-editor-form") or BeautifulSoup(
        html, "html.parser"
    ).find("form", method="post")
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or "__prefix__" in name or field.find_parent("template"):
            continue
        if field.name == "select":
            chosen = [
                o.get("value", o.text) for o in field.find_all("option") if o.has_attr("selected")
            ]
            if not chosen and not field.has_attr("multiple"):
                first = field.find("option")
                chosen = [first.get("value", first.text)] if first else []
            data.setdefault(name, []).extend(chosen)
        elif field.name == "textarea":
            data.setdefault(name, []).append(field.text)
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
        elif field.get("type") not in ("submit", "button", "file"):
            data.setdefault(name, []).append(field.get("value", ""))
    return data


@pytest.fixture
def editor(client, django_user_model, taxonomy):
    organisation = factories.OrganizationFactory(name="Lewisham Hospice")
    user = django_user_model.objects.create_user("ed", "ed@example.org", "pw")
    ensure_group()
    organisation.editors.add(user)
    client.force_login(user)
    return user


@pytest.fixture
def schedule(editor):
    service = factories.ServiceFactory(
        organization=editor.directory_organizations.get(), name="Tuesday drop-in"
    )
    return factories.ScheduleFactory(
        service=service, byday="TU", opens_at=dt.time(10), closes_at=dt.time(12)
    )


def edit_url(service):
    return reverse("wagtailsnippets_directory_service:edit", args=[service.pk])


def post_schedule(client, schedule, **changes):
    """Post the service's edit form as the browser would, with the first opening time
    changed (a list value stands for several ticked boxes)."""
    url = edit_url(schedule.service)
    data = form_values(client.get(url).content.decode())
    for field, value in changes.items():
        data[f"schedules-0-{field}"] = value if isinstance(value, list) else [value]
    return client.post(url, data)


def in_welsh(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "cy"
    profile.save()


def test_the_form_offers_each_field_in_words(client, schedule):
    html = client.get(edit_url(schedule.service)).content.decode()
    for words in (
        "Repeats every",
        "Day of the month",
        "Last day of the month",
        "Starts on",
        "Link to timetable",
    ):
        assert words in html, words
    assert 'name="schedules-0-interval"' in html
    assert 'name="schedules-0-bymonthday"' in html
    assert 'name="schedules-0-dtstart"' in html
    assert 'name="schedules-0-schedule_link"' in html


def test_staff_save_every_other_tuesday_from_a_date_with_a_timetable(client, schedule):
    response = post_schedule(
        client,
        schedule,
        interval="2",
        dtstart="05/01/2027",
        schedule_link="https://hospice.example/timetable",
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    schedule.refresh_from_db()
    assert schedule.interval == 2
    assert schedule.dtstart == dt.date(2027, 1, 5)
    assert schedule.schedule_link == "https://hospice.example/timetable"


def test_staff_save_the_first_and_last_day_of_the_month(client, schedule):
    response = post_schedule(client, schedule, freq="MONTHLY", byday=[], bymonthday=["1", "-1"])
    assert response.status_code == 302, response.content.decode()[:3000]
    schedule.refresh_from_db()
    assert (schedule.freq, schedule.byday, schedule.bymonthday) == ("MONTHLY", "", "1,-1")
    html = client.get(edit_url(schedule.service)).content.decode()
    assert re.search(r'value="-1"[^>]*checked', html)


@pytest.mark.parametrize(
    ("changes", "field", "welsh"),
    [
        ({"interval": "0"}, "interval", "Rhowch pa mor aml y mae’n ailadrodd"),
        ({"interval": "two"}, "interval", "Rhowch pa mor aml y mae’n ailadrodd"),
        (
            {"freq": "MONTHLY", "bymonthday": ["32"]},
            "bymonthday",
            "Dewiswch ddyddiau’r mis o 1 i 31",
        ),
        (
            {"bymonthday": ["15"]},
            "bymonthday",
            "Mae dyddiau’r mis ar gyfer amser sy’n ailadrodd bob mis",
        ),
        ({"dtstart": "31/02/2027"}, "dtstart", "Rhowch ddyddiad go iawn"),
        ({"interval": "2", "dtstart": ""}, "dtstart", "Rhowch ddyddiad yr agoriad cyntaf"),
        ({"schedule_link": "the timetable"}, "schedule_link", "Rhowch ddolen yn y fformat cywir"),
    ],
)
def test_a_wrong_value_is_explained_in_the_readers_language_and_nothing_is_saved(
    client, editor, schedule, changes, field, welsh
):
    in_welsh(editor)
    before = Schedule.objects.values().get(pk=schedule.pk)
    response = post_schedule(client, schedule, **changes)
    assert response.status_code == 200
    html = response.content.decode()
    assert welsh in html
    assert Schedule.objects.values().get(pk=schedule.pk) == before


def test_what_staff_save_reaches_the_service_page_and_the_api(client, home, schedule):
    directory_page = factories.DirectoryPageFactory(parent=home)
    directory_page.save_revision().publish()
    post_schedule(
        client,
        schedule,
        interval="2",
        dtstart="05/01/2027",
        schedule_link="https://hospice.example/timetable",
    )
    factories.ScheduleFactory(
        service=schedule.service,
        freq="MONTHLY",
        byday="",
        bymonthday="1,-1",
        opens_at=dt.time(18),
        closes_at=dt.time(20),
    )
    client.logout()
    page = client.get(f"{directory_page.url}{schedule.service.pk}/").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "Every 2 weeks on Tuesday, starting on 5 January 2027: 10:00 to 12:00" in text
    assert "Every month on day 1 and the last day: 18:00 to 20:00" in text
    # An every-other-week time is not in the table of every week's hours.
    assert "Tuesday Closed" in text
    assert 'href="https://hospice.example/timetable"' in page

    api = client.get(f"/api/hsds/services/{schedule.service.pk}").json()
    rows = {row["id"]: row for row in api["schedules"]}
    fortnightly = rows[str(schedule.pk)]
    assert fortnightly["interval"] == 2
    assert fortnightly["dtstart"] == "2027-01-05"
    assert fortnightly["byday"] == "TU"
    assert fortnightly["schedule_link"] == "https://hospice.example/timetable"
    monthly = next(row for row in rows.values() if row["freq"] == "MONTHLY")
    assert monthly["bymonthday"] == "1,-1"
