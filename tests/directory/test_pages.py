"""The public directory pages: search (list, no JavaScript needed), service pages, feedback."""

import json
import re
import uuid

import pytest
from django.core import mail
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase

from core.models import HomePage, StandardPage
from directory.models import DirectoryPage, ServiceFeedback
from tests.core.factories import HomePageFactory
from tests.directory import factories
from tests.directory.conftest import LEWISHAM

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory_page(home):
    page = factories.DirectoryPageFactory(parent=home)
    page.save_revision().publish()
    return page


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


class DirectoryPageTreeTests(WagtailPageTestCase):
    def test_directory_page_lives_under_the_home_page_and_has_no_children(self):
        self.assertAllowedParentPageTypes(DirectoryPage, {HomePage})
        self.assertAllowedSubpageTypes(DirectoryPage, set())
        self.assertCanNotCreateAt(StandardPage, DirectoryPage)

    def test_directory_page_renders(self):
        home = HomePageFactory(parent=Page.get_first_root_node())
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
        )
        page = factories.DirectoryPageFactory(parent=home)
        self.assertPageIsRenderable(page)


def test_search_without_a_query_shows_the_form(directory_page, client):
    response = client.get(directory_page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="search"' in html
    assert '<label for="id_near">Near</label>' in html
    assert "results-title" not in html


def test_search_near_a_postcode_lists_services_by_distance(
    directory_page, corpus, gazetteer, client
):
    response = client.get(directory_page.url, {"q": "", "near": "SE13", "radius": 5})
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    assert "4 services near SE13" in text
    first = html.index("Lewisham Bereavement Counselling")
    second = html.index("Deptford Children&#x27;s Grief Group")
    assert first < second
    assert "1.5 miles" in text  # Deptford is 2.46 km from the SE13 centre in the gazetteer
    assert "Phone, online or covers your area" in text  # the national helpline
    # Shareable: the result URL carries the whole query, and service links work.
    service = corpus["counselling"]
    assert f'href="{directory_page.url}{service.pk}/"' in html


def test_a_postcode_pasted_from_a_right_to_left_message_finds_the_same_services(
    directory_page, corpus, gazetteer, client
):
    # An Urdu message carries direction marks around the postcode, and its digits as typed.
    response = client.get(directory_page.url, {"near": "\u200fSE۱۳\u200e", "radius": 5})
    assert response.status_code == 200
    assert "4 services near SE13" in text_of(response)


def test_a_search_without_a_distance_shows_the_distance_it_used(
    directory_page, corpus, gazetteer, client
):
    html = client.get(directory_page.url, {"near": "SE13"}).content.decode()
    selected = re.findall(r'<option value="(\d+)"[^>]*selected', html)
    assert selected == ["5"]  # the default radius, not the first option the browser would show


def test_filters_and_pagination_keep_the_query(directory_page, corpus, client):
    response = client.get(directory_page.url, {"q": "grief", "free": "on"})
    text = text_of(response)
    assert "Deptford Children" in text and "Croydon Carers" not in text
    page_one = client.get(directory_page.url, {"category": "bereavement"})
    assert "3 services found" in text_of(page_one)


def test_pagination_links(directory_page, taxonomy, client):
    with factories.indexed_at_the_end():
        for n in range(23):
            factories.ServiceFactory(name=f"Grief service {n:02d}")
    first = client.get(directory_page.url, {"q": "grief"}).content.decode()
    assert "Page 1 of 2" in first
    assert 'href="?q=grief&amp;page=2#results" rel="next"' in first
    second = client.get(directory_page.url, {"q": "grief", "page": 2}).content.decode()
    assert "Grief service 22" in second and "Grief service 00" not in second
    assert '<ol class="result-list" start="21">' in second


@pytest.mark.parametrize(
    ("near", "message"),
    [
        ("ZZ99 9ZZ", "We could not find"),
        ("100, 0", "Latitude must be between -90 and 90"),
        ("Qwertyuiopville", "We could not find"),
    ],
)
def test_places_that_cannot_be_found_get_a_clear_message(
    directory_page, corpus, gazetteer, client, near, message
):
    response = client.get(directory_page.url, {"near": near})
    assert response.status_code == 200
    text = text_of(response)
    assert "There is a problem" in text
    assert message in text
    assert "results-title" not in response.content.decode()


def test_ambiguous_place_offers_suggestions(directory_page, corpus, client):
    response = client.get(directory_page.url, {"near": "Newport"})
    html = response.content.decode()
    assert "Did you mean:" in html
    assert "?near=Newport%2C" in html


def test_script_in_the_query_is_shown_as_text(directory_page, corpus, client):
    response = client.get(directory_page.url, {"q": "<script>alert(1)</script>"})
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_overlong_and_impossible_values_are_refused(directory_page, corpus, client):
    long = client.get(directory_page.url, {"q": "grief " * 100})
    assert "Ensure this value has at most 200 characters" in text_of(long)
    age = client.get(directory_page.url, {"age": "-4"})
    assert "There is a problem" in text_of(age)
    radius = client.get(directory_page.url, {"radius": "5000"})
    assert "There is a problem" in text_of(radius)


def test_service_page_shows_what_a_person_needs(directory_page, corpus, client):
    service = corpus["counselling"]
    response = client.get(f"{directory_page.url}{service.pk}/")
    assert response.status_code == 200
    text = text_of(response)
    for expected in (
        "Lewisham Bereavement Counselling",
        "What it is",
        "Ages 18 and over.",
        "When it is open",
        "Monday 09:00 to 17:00",
        "Sunday Closed",
        "Details last checked on",
        "Is something wrong with this page?",
    ):
        assert expected in text, expected
    html = response.content.decode()
    jsonld = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    assert jsonld["@type"] == "Service"
    assert jsonld["name"] == service.name
    assert jsonld["hoursAvailable"][0]["opens"] == "09:00"
    place = jsonld["availableChannel"][0]["serviceLocation"]
    assert place["geo"]["latitude"] == pytest.approx(LEWISHAM[0])


def test_stale_services_say_so_and_closed_ones_are_gone(directory_page, corpus, client):
    import datetime as dt

    service = corpus["counselling"]
    service.assured_date = dt.date(2020, 1, 1)
    service.save()
    text = text_of(client.get(f"{directory_page.url}{service.pk}/"))
    assert "Details last checked on 1 January 2020." in text
    assert "may be out of date" in text
    assert client.get(f"{directory_page.url}{corpus['closed'].pk}/").status_code == 404
    unknown = "00000000-0000-0000-0000-000000000000"
    assert client.get(f"{directory_page.url}{unknown}/").status_code == 404


def test_feedback_reaches_the_organisations_editors(
    directory_page, corpus, client, django_user_model
):
    service = corpus["carers"]
    editor = django_user_model.objects.create_user("editor", "editor@carers.example", "x")
    service.organization.editors.add(editor)
    url = f"{directory_page.url}{service.pk}/feedback/"
    response = client.post(
        url, {"kind": "closed", "message": "It closed in <b>March</b>.", "email": ""}
    )
    assert response.status_code == 302
    feedback = ServiceFeedback.objects.get()
    assert feedback.service == service and feedback.kind == "closed"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["editor@carers.example"]
    assert "It closed in <b>March</b>." in mail.outbox[0].body
    assert service.name in mail.outbox[0].subject
    page = client.get(response["Location"])
    assert "Thank you" in text_of(page)


def test_feedback_bad_input_saves_nothing(directory_page, corpus, client):
    url = f"{directory_page.url}{corpus['carers'].pk}/feedback/"
    missing = client.post(url, {"kind": "edit", "message": ""})
    assert missing.status_code == 200
    assert "Tell us what is wrong" in text_of(missing)
    robot = client.post(url, {"kind": "edit", "message": "Buy now", "website": "spam.example"})
    assert robot.status_code == 200
    assert "Something went wrong" in text_of(robot)
    wrong_kind = client.post(url, {"kind": "nonsense", "message": "x"})
    assert "Select a valid choice" in text_of(wrong_kind)
    assert ServiceFeedback.objects.count() == 0
    assert len(mail.outbox) == 0


def test_feedback_sent_too_often_is_refused_and_saves_nothing(
    directory_page, corpus, client, settings
):
    settings.FORM_RATE_LIMITS = {**settings.FORM_RATE_LIMITS, "service_feedback": "2/h"}
    url = f"{directory_page.url}{corpus['carers'].pk}/feedback/"
    for _attempt in range(2):
        client.post(url, {"kind": "edit", "message": ""})
    response = client.post(url, {"kind": "closed", "message": "It closed in March."})
    assert response.status_code == 429
    assert "Too many tries" in response.content.decode()
    assert ServiceFeedback.objects.count() == 0
    assert len(mail.outbox) == 0


def test_the_feedback_form_has_the_shared_honeypot(directory_page, corpus, client):
    html = client.get(f"{directory_page.url}{corpus['carers'].pk}/").content.decode()
    assert '<div class="honeypot" aria-hidden="true">' in html
    assert 'autocomplete="off"' in html


@pytest.mark.parametrize("token", [True, False], ids=["token", "no token"])
def test_feedback_sent_twice_is_passed_on_once(directory_page, corpus, client, token):
    url = f"{directory_page.url}{corpus['carers'].pk}/feedback/"
    form = {
        "kind": "edit",
        "message": "The phone number has changed.",
        "email": "",
        "submission": str(uuid.uuid4()) if token else "",
    }
    first = client.post(url, form, follow=True)
    second = client.post(url, form, follow=True)
    assert ServiceFeedback.objects.count() == 1
    assert len(mail.outbox) <= 1
    assert first.redirect_chain == second.redirect_chain
    assert "We had already received this form from you" in text_of(second)


@pytest.mark.parametrize(
    "near", ["Lewisham", "lewisham", "London Borough of Lewisham", "Catford", "deptford"]
)
def test_boroughs_and_areas_people_name_are_understood(
    directory_page, corpus, gazetteer, client, near
):
    text = text_of(client.get(directory_page.url, {"near": near, "radius": 3}))
    assert "There is a problem" not in text
    assert "Lewisham Bereavement Counselling" in text
    assert "Leeds Hospice" not in text


def test_a_named_area_finds_services_covering_its_district(
    directory_page, corpus, gazetteer, client
):
    # Catford is SE6, one of the districts the befriending service covers.
    text = text_of(client.get(directory_page.url, {"near": "Catford", "radius": 1}))
    assert "SE13 Befriending" in text
