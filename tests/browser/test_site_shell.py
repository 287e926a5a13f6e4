"""What a person sees on the home page, in English and in a right-to-left language."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_english_home_page(demo_site, live_server, page, assert_accessible):
    page.goto(f"{live_server.url}/en/")

    expect(page).to_have_title(re.compile("Nobody should face dying, death or grief alone"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Nobody should face dying, death or grief alone"
    )
    help_now = page.get_by_role("complementary", name="Need help now?")
    expect(help_now).to_contain_text(
        "Call 999 in an emergency; Samaritans 116 123, free, 24 hours."
    )
    expect(help_now.get_by_role("link", name="116 123")).to_have_attribute("href", "tel:116123")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link")).to_have_text(
        [
            "Find help near you",
            "About us",
            "Stories",
            "Guides and resources",
            "Community groups",
            "What's on",
            "Get or give practical help",
        ]
    )
    expect(
        page.get_by_role("navigation", name="About this website").get_by_role("link")
    ).to_have_text(["Accessibility statement", "Privacy notice", "Our impact"])

    # The first Tab reaches the skip link, which is then visible and moves focus to the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    assert_accessible(page)


def test_urdu_home_page_reads_right_to_left(demo_site, live_server, page, assert_accessible):
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="اردو").click()

    expect(page).to_have_url(f"{live_server.url}/ur/")
    expect(page.locator("html")).to_have_attribute("lang", "ur")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "کسی کو بھی موت کے قریب ہونے، موت یا غم کا سامنا اکیلے نہیں کرنا چاہیے"
    )
    expect(page.locator(".language-switcher [aria-current=true]")).to_have_text("اردو")
    # The interface is in Urdu, not English.
    expect(page.locator("body")).not_to_contain_text("Skip to main content")
    expect(page.locator("body")).not_to_contain_text("Need help now?")
    # Right to left: the site name sits to the right of the main navigation.
    name_box = page.locator(".site-header__name").bounding_box()
    nav_box = page.locator(".site-nav").bounding_box()
    assert name_box["x"] > nav_box["x"]

    assert_accessible(page)


def test_arabic_menu_marks_untranslated_pages_and_not_found_is_accessible(
    demo_site, live_server, page, assert_accessible
):
    page.goto(f"{live_server.url}/ar/")
    privacy = page.get_by_role("navigation").get_by_role("link", name="Privacy notice")
    expect(privacy).to_have_attribute("lang", "en")
    expect(privacy).to_have_attribute("dir", "ltr")
    privacy.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice")

    page.goto(f"{live_server.url}/ar/no-such-page/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("الصفحة غير موجودة")
    expect(page.get_by_role("complementary")).to_contain_text("116 123")
    assert_accessible(page)


def test_language_switch_works_without_javascript(demo_site, live_server, no_js_page):
    no_js_page.goto(f"{live_server.url}/en/about-us/")
    no_js_page.get_by_role("link", name="Cymraeg").click()
    expect(no_js_page).to_have_url(f"{live_server.url}/cy/about-us/")
    expect(no_js_page.locator("html")).to_have_attribute("lang", "cy")
    expect(no_js_page.get_by_role("heading", level=1)).to_have_text("Amdanom ni")


@pytest.mark.parametrize("language", ["en", "ur"])
def test_fits_a_phone_screen(demo_site, live_server, phone_page, assert_accessible, language):
    phone_page.goto(f"{live_server.url}/{language}/")
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px on a phone"
    expect(phone_page.get_by_role("heading", level=1)).to_be_in_viewport()
    assert_accessible(phone_page)
