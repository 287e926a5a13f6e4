"""Finding help on a phone, in a real browser: the results start on the first screen after a
search (with and without JavaScript), helplines open now come first, and "use my location"
says what it found, or that it could not."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

PHONES = [
    pytest.param({"width": 390, "height": 844}, id="390x844"),
    pytest.param({"width": 320, "height": 568}, id="320x568"),
]


def _context(browser, viewport, **options):
    return browser.new_context(
        viewport=viewport, device_scale_factor=2, is_mobile=True, has_touch=True, **options
    )


def _top(page, selector):
    """Where the top of the first element matching `selector` is, from the top of the screen."""
    return page.eval_on_selector(selector, "el => el.getBoundingClientRect().top")


def _search(page, live_server):
    # No words: every helpline qualifies, and the demo's 24-hour line is open whatever the
    # time of the run (a daytime line alone would make the test depend on the clock).
    page.goto(f"{live_server.url}/en/find-help/")
    page.get_by_label("Near").fill("SE13")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", level=2, name=re.compile("near SE13"))).to_be_attached()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("viewport", PHONES)
def test_after_a_search_the_results_start_on_the_first_screen(
    demo_site, live_server, browser, viewport, javascript
):
    context = _context(browser, viewport, java_script_enabled=javascript)
    page = context.new_page()
    try:
        _search(page, live_server)
        height = viewport["height"]
        heading = _top(page, "#results-title")
        assert -1 <= heading < height / 3, f"the results heading is at {heading}px"
        # What to do next is on that screen too: a helpline open now, or the first result.
        first = min(_top(page, ".talk-now li"), _top(page, ".result"))
        assert first < height - 44, f"the first helpline or result starts at {first}px"
        # Helplines open now come before the list.
        assert _top(page, ".talk-now") < _top(page, ".result-list")
        # And the form is still there, a link away.
        page.get_by_role("link", name="Change search").click()
        expect(page.get_by_role("textbox", name="Near")).to_be_in_viewport()
    finally:
        context.close()


def test_a_shared_results_link_shows_the_results_on_the_first_screen(
    demo_site, live_server, browser
):
    context = _context(browser, {"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/en/find-help/?q=bereavement&near=SE13")
        assert _top(page, "#results-title") < 844 - 44
    finally:
        context.close()


def test_refused_location_is_said_on_the_page(demo_site, live_server, browser, assert_accessible):
    # No permission granted: the browser refuses, as when a person says no.
    context = _context(browser, {"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/en/find-help/")
        page.get_by_role("button", name="Use my location").click()
        status = page.get_by_role("status").filter(has_text="location")
        expect(status).to_contain_text("You did not let this site use your location")
        expect(status).to_be_visible()
        expect(page.get_by_role("textbox", name="Near")).to_be_focused()
        assert page.url.endswith("/en/find-help/")  # nothing was searched
        assert_accessible(page)
    finally:
        context.close()


def test_found_location_is_named_by_its_district(demo_site, live_server, browser):
    context = _context(
        browser,
        {"width": 390, "height": 844},
        geolocation={"latitude": 51.4610, "longitude": -0.0110},
        permissions=["geolocation"],
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/en/find-help/")
        page.get_by_role("button", name="Use my location").click()
        heading = page.get_by_role("heading", level=2, name=re.compile("near Lewisham \\(SE13\\)"))
        expect(heading).to_be_visible()
        expect(heading).not_to_contain_text("51.46")
    finally:
        context.close()
