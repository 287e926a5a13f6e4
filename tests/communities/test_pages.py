"""The page tree, every page model's factory, and what the public pages show."""

import datetime as dt
import json

import pytest
from django.apps import apps
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from communities.models import (
    CommunityGroupPage,
    EventIndexPage,
    EventPage,
    GroupIndexPage,
)
from core.models import HomePage
from tests.communities import factories

pytestmark = pytest.mark.django_db


def test_every_page_model_has_a_factory():
    page_models = [
        model
        for model in apps.get_app_config("communities").get_models()
        if issubclass(model, Page)
    ]
    factory_models = {
        getattr(factories, name)._meta.model
        for name in dir(factories)
        if name.endswith("PageFactory")
    }
    assert page_models
    assert set(page_models) <= factory_models


class TestPageTree(WagtailPageTestCase):
    def test_tree(self):
        self.assertAllowedParentPageTypes(GroupIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(EventIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(CommunityGroupPage, {GroupIndexPage})
        self.assertAllowedParentPageTypes(EventPage, {CommunityGroupPage})
        self.assertAllowedSubpageTypes(GroupIndexPage, {CommunityGroupPage})
        self.assertAllowedSubpageTypes(CommunityGroupPage, {EventPage})
        self.assertAllowedSubpageTypes(EventPage, set())
        self.assertAllowedSubpageTypes(EventIndexPage, set())


def test_pages_render_and_are_routable(client, group, make_event, events_page, groups_index):
    event = make_event(title="Hackney Death Café", repeat="weekly", repeat_count=4)
    for page, text in [
        (groups_index, "Hackney Death Café"),
        (group, "Hackney Death Café"),
        (event, "Book a place"),
        (events_page, "Hackney Death Café"),
    ]:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert text in response.content.decode()
    response = client.get(events_page.url + "calendar/")
    assert response.status_code == 200
    assert '<th scope="col">Monday</th>' in response.content.decode()


def test_a_groups_phone_links_to_what_dials_it(client, make_group):
    # Typed as "+44 (0)...", the number is kept and shown as people in the UK dial it.
    group = make_group(title="Leeds Grief Walk", contact_phone="+44 (0)113 496 0000")
    assert group.contact_phone == "0113 496 0000"
    html = client.get(group.url).content.decode()
    assert 'href="tel:01134960000"' in html and ">0113 496 0000</a>" in html


def test_event_page_has_schema_org_event_json_ld(client, make_event):
    event = make_event(title="Walk and talk", capacity=10, free=True, language="bn")
    html = client.get(event.url).content.decode()
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    data = json.loads(html[start : html.index("</script>", start)])
    assert data["@type"] == "Event"
    assert data["name"] == "Walk and talk"
    assert data["startDate"].startswith(str(event.start_date))
    assert data["location"]["@type"] == "Place"
    assert data["location"]["address"]["postalCode"] == "E8"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["remainingAttendeeCapacity"] == 10
    assert data["inLanguage"] == "bn"
    assert data["offers"]["price"] == "0"


def test_online_link_is_hidden_from_the_public_when_the_group_wants(client, make_event):
    private = make_event(postcode="", online=True, online_url="https://meet.example/secret-room")
    html = client.get(private.url).content.decode()
    assert "secret-room" not in html
    assert "the link is sent to people who book" in html
    public = make_event(
        postcode="",
        online=True,
        online_url="https://meet.example/open-room",
        online_link_for_booked_only=False,
    )
    assert "open-room" in client.get(public.url).content.decode()


def test_calendar_month_lists_occurrences_on_their_days(client, make_event, events_page):
    start = dt.date.today().replace(day=1) + dt.timedelta(days=40)
    start = start.replace(day=3)
    make_event(title="Monthly remembrance", start_date=start, repeat="monthly", repeat_count=3)
    response = client.get(events_page.url + f"calendar/?month={start:%Y-%m}")
    html = response.content.decode()
    assert html.count("Monthly remembrance") == 1
    assert "<caption>" in html
    html = client.get(events_page.url + "calendar/?month=nonsense").content.decode()
    assert "<table" in html


def test_groups_in_another_language_list_every_group_and_its_events(
    client,
    locales,
    groups_index,
    make_group,
    make_event,
    translate_page,
    django_capture_on_commit_callbacks,
):
    from core.demo.site import translate

    lewisham = make_group(title="Lewisham Faith Communities", summary="Remembrance together.")
    leeds = make_group(title="Leeds Walkers")
    make_event(parent=lewisham, title="Remembrance gathering")
    urdu_index = translate_page(groups_index, locales["ur"], "کمیونٹی گروپس")
    # Through wagtail-localize, as editors (and the demo) translate; it publishes when the
    # transaction commits. The copy does not share the original's editors group.
    with django_capture_on_commit_callbacks(execute=True):
        translate(
            lewisham, locales["ur"], {"Lewisham Faith Communities": "لیوشم کی مذہبی برادریاں"}
        )
    urdu_lewisham = lewisham.get_translation(locales["ur"]).specific
    assert urdu_lewisham.live
    assert urdu_lewisham.editors_group_id is None

    html = client.get(urdu_index.url).content.decode()
    assert "لیوشم کی مذہبی برادریاں" in html
    assert "Leeds Walkers" in html
    assert f'href="{leeds.url}" hreflang="en"' in html
    assert "Lewisham Faith Communities" not in html

    # The translated group page lists (and its feed holds) the original group's events.
    assert "Remembrance gathering" in client.get(urdu_lewisham.url).content.decode()
    feed = client.get(urdu_lewisham.url + "calendar.ics").content.decode()
    assert "SUMMARY:Remembrance gathering" in feed


def test_private_events_stay_out_of_listings_and_feeds(client, group, make_event, events_page):
    from wagtail.models import PageViewRestriction

    make_event(title="Open café")
    private = make_event(title="Members-only circle")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    listing = client.get(events_page.url).content.decode()
    assert "Open café" in listing
    assert "Members-only circle" not in listing
    for page in (events_page, group):
        feed = client.get(page.url + "calendar.ics").content.decode()
        assert "Open café" in feed
        assert "Members-only circle" not in feed
    assert "Members-only circle" not in client.get(group.url).content.decode()


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01"])
@pytest.mark.parametrize("field", ["date_from", "date_to"])
def test_far_dates_are_refused_with_a_message_in_the_visitors_language(
    client, events_page, field, date
):
    response = client.get(events_page.url, {field: date})
    assert response.status_code == 200
    assert "Enter a date between 1900-01-01 and 2199-12-31." in response.content.decode()
    welsh = client.get("/cy" + events_page.url[3:], {field: date})
    assert welsh.status_code in (200, 404)


@pytest.mark.parametrize("text", ["bereave\x00ment", "\u202ecaf\u00e9", "tea\x1b[31m"])
def test_control_characters_in_a_place_are_refused_with_a_message(client, events_page, text):
    response = client.get(events_page.url, {"near": text})
    assert response.status_code == 200
    assert "invisible control characters" in response.content.decode()
