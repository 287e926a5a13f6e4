"""Finding and booking a community event in a real browser, in English and in Urdu."""

import re

import pytest
from django.core import mail
from django.utils import translation
from playwright.sync_api import expect

from communities.models import Booking

pytestmark = pytest.mark.django_db(transaction=True)


def test_find_an_event_near_a_postcode_and_book_it(demo_site, live_server, page, assert_accessible):
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="What's on").click()
    expect(page.get_by_role("heading", level=1, name="What's on")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Near").fill("EC1A 1BB")
    page.get_by_label("Distance").select_option("1")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"/en/events/\?near=EC1A"))
    expect(
        page.get_by_role("heading", level=2, name=re.compile("events? near EC1A 1BB"))
    ).to_be_visible()
    listing = page.locator(".event-list")
    expect(listing).to_contain_text("less than 0.1 miles")
    # In-person events elsewhere are left out; online ones can be joined from anywhere.
    expect(listing).not_to_contain_text("The Library of Birmingham")
    expect(listing.locator(".tag--remote").first).to_be_visible()
    expect(page.locator("#results-map")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Barbican Death Café").first.click()
    expect(page.get_by_role("heading", level=2, name="Book a place")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("radio").first.check()
    page.get_by_label("Your name").fill("Noor Ahmed")
    page.get_by_label("Your email address").fill("noor@example.com")
    page.get_by_role("button", name="Book", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Your booking")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Noor Ahmed, you have a place")
    assert_accessible(page)

    booking = Booking.objects.get(email="noor@example.com")
    assert booking.status == "confirmed"
    assert [m.to for m in mail.outbox] == [["noor@example.com"]]
    cancel_link = next(line for line in mail.outbox[0].body.splitlines() if "/booking/" in line)
    page.goto(live_server.url + "/" + cancel_link.split("://", 1)[1].split("/", 1)[1])
    page.get_by_role("button", name="Cancel my booking").click()
    expect(page.get_by_role("status")).to_contain_text("Your booking is cancelled")
    booking.refresh_from_db()
    assert booking.status == "cancelled"

    page.goto(f"{live_server.url}/en/events/calendar/")
    expect(page.get_by_role("table")).to_contain_text("Monday")
    assert_accessible(page)


def test_events_in_urdu_right_to_left_and_without_javascript(
    demo_site, live_server, page, no_js_page, assert_accessible
):
    with translation.override("ur"):
        search = translation.gettext("Search")
        near = translation.gettext("Near")
    page.goto(f"{live_server.url}/ur/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    # The events page's Urdu title, from the demo's translation of it.
    page.get_by_role("navigation").get_by_role("link", name="کیا ہو رہا ہے").click()
    page.get_by_label(near).fill("SE13")
    page.get_by_role("button", name=search, exact=True).click()
    # The demo's Urdu translation of "Remembrance gathering".
    expect(page.locator(".event-list")).to_contain_text("یاد کی محفل")
    assert_accessible(page)
    page.goto(f"{live_server.url}/ur/events/calendar/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert_accessible(page)

    # Without JavaScript the form, the list and the calendar are plain HTML; the map stays
    # out of the way. (axe-core needs scripts, so it runs on the pages above.)
    no_js_page.goto(f"{live_server.url}/en/events/")
    no_js_page.get_by_label("Near").fill("Leeds")
    no_js_page.get_by_role("button", name="Search", exact=True).click()
    expect(no_js_page.locator(".event-list")).to_contain_text("Leeds Central Library")
    expect(no_js_page.locator("#results-map")).to_be_hidden()
    no_js_page.get_by_role("link", name="See the month as a calendar").click()
    expect(no_js_page.get_by_role("table")).to_be_visible()
