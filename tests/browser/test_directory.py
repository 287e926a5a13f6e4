"""Finding help in a real browser: search near a postcode, read a service, in English and Urdu."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_find_bereavement_support_near_a_postcode(demo_site, live_server, page, assert_accessible):
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Find help near you"
    ).click()
    expect(page.get_by_label("What are you looking for?")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("What are you looking for?").fill("bereavement")
    page.get_by_label("Near").fill("SE13")
    page.get_by_label("Distance").select_option("5")
    page.get_by_role("button", name="Search", exact=True).click()

    expect(page).to_have_url(re.compile(r"/en/find-help/\?q=bereavement&near=SE13"))
    heading = page.get_by_role("heading", level=2, name=re.compile("services near SE13"))
    expect(heading).to_be_visible()
    first = page.locator(".result").first
    expect(first).to_contain_text("miles")
    # National helplines are listed too, marked as reachable from anywhere.
    expect(page.locator(".tag--remote").first).to_be_visible()
    expect(page.locator("#results-map")).to_be_visible()
    assert_accessible(page)

    first.get_by_role("heading").get_by_role("link").click()
    expect(page.get_by_role("heading", level=2, name="How to contact them")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Monday")
    assert_accessible(page)


def test_unknown_postcode_is_explained(demo_site, live_server, page, assert_accessible):
    page.goto(f"{live_server.url}/en/find-help/?near=ZZ99+9ZZ")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("There is a problem")
    expect(alert).to_contain_text("We could not find")
    expect(page.get_by_label("Near")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)


def test_search_works_without_javascript(demo_site, live_server, no_js_page):
    no_js_page.goto(f"{live_server.url}/en/find-help/")
    no_js_page.get_by_label("Near").fill("Leeds")
    no_js_page.get_by_role("button", name="Search", exact=True).click()
    expect(
        no_js_page.get_by_role("heading", level=2, name=re.compile("near Leeds"))
    ).to_be_visible()
    expect(no_js_page.locator(".result").first).to_contain_text("Leeds")
    # The map and "use my location" need JavaScript and stay out of the way without it.
    expect(no_js_page.locator("#results-map")).to_be_hidden()
    expect(no_js_page.get_by_role("button", name="Use my location")).to_be_hidden()


def test_urdu_search_page_reads_right_to_left(demo_site, live_server, page, assert_accessible):
    page.goto(f"{live_server.url}/ur/find-help/?near=Leeds")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator(".result").first).to_be_visible()
    form_box = page.locator(".search-form").bounding_box()
    results_box = page.locator(".results").bounding_box()
    assert form_box["x"] > results_box["x"], "the form should sit on the right in RTL"
    assert_accessible(page)
