"""On a phone: a header that leaves the screen to the page, a menu that opens without
JavaScript, and no page that scrolls sideways; on a desktop, a home page that uses the width.

Each test loads the demo once and walks several languages and pages: loading it takes time.
"""

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.django_db(transaction=True),
]

LANGUAGES = ["en", "ur", "ar"]
PHONES = [(390, 844), (320, 568)]
# Everything above the page's own content: the help-now bar and the header.
HEADER_BOTTOM = "document.querySelector('.site-header').getBoundingClientRect().bottom"
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture
def phone(browser):
    """A phone; each test sets the screen size."""
    context = browser.new_context(is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def no_js_phone(browser):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 320, "height": 568}, is_mobile=True
    )
    page = context.new_page()
    page.javascript_disabled = True  # read by assert_accessible
    yield page
    context.close()


def main_menu(page):
    """The main navigation, by the name it has in the page's language."""
    return page.get_by_role(
        "navigation", name=page.locator(".site-nav").get_attribute("aria-label")
    )


def story_url(language):
    """A story in the language, or None where no story is translated into it."""
    from stories.models import StoryPage

    story = StoryPage.objects.live().filter(locale__language_code=language).first()
    return story.url if story is not None else None


def test_on_a_phone_the_header_is_small_its_menus_open_and_no_page_scrolls_sideways(
    demo_site, live_server, phone, no_js_phone, assert_accessible
):
    figures = []
    for language in LANGUAGES:
        for width, height in PHONES:
            phone.set_viewport_size({"width": width, "height": height})
            phone.goto(f"{live_server.url}/{language}/")
            bottom = phone.evaluate(HEADER_BOTTOM)
            figures.append(f"{language} {width}x{height}: {bottom:.0f}px ({bottom / height:.0%})")
            assert bottom / height < 0.2, figures[-1]
            # The menu is folded away and the search for support starts on the first screen.
            expect(main_menu(phone)).to_be_hidden()
            assert phone.get_by_role("search").bounding_box()["y"] < height, figures[-1]
        assert_accessible(phone)
    print("Header height on phones:", "; ".join(figures))

    phone.set_viewport_size({"width": 320, "height": 568})
    for language in LANGUAGES:
        urls = {
            "home": f"/{language}/",
            "search near a postcode": f"/{language}/find-help/?q=&near=SE13+6LH",
            "story": story_url(language),
            "events calendar": f"/{language}/events/calendar/",
        }
        for name, url in urls.items():
            if url is None:
                continue
            response = phone.goto(live_server.url + url)
            assert response.status == 200, (name, url, response.status)
            overflow = phone.evaluate(OVERFLOW)
            assert overflow <= 0, f"{name} ({url}) scrolls sideways by {overflow}px at 320px"
            if language == "en" and name == "events calendar":
                assert_accessible(phone)

    # The menus open without JavaScript.
    page = no_js_phone
    page.goto(f"{live_server.url}/en/")
    menu = page.locator(".header-menu--main > summary")
    languages = page.locator(".header-menu--languages > summary")
    expect(menu).to_have_text("Menu")
    expect(main_menu(page)).to_be_hidden()

    menu.click()
    expect(main_menu(page).get_by_role("link", name="Stories")).to_be_visible()
    expect(page.get_by_role("link", name="Search", exact=True)).to_be_visible()

    # One panel at a time: opening the languages closes the menu.
    languages.click()
    expect(main_menu(page)).to_be_hidden()
    page.get_by_role("navigation", name="Language").get_by_role("link", name="اردو").click()
    expect(page).to_have_url(f"{live_server.url}/ur/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    # With JavaScript, Escape closes an open menu and gives focus back to its button.
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(f"{live_server.url}/en/")
    button = phone.locator(".header-menu--main > summary")
    button.focus()
    phone.keyboard.press("Enter")
    expect(phone.locator(".header-menu--main")).to_have_attribute("open", "")
    # The open menu, audited here: axe-core cannot run where JavaScript is off.
    assert_accessible(phone)
    phone.keyboard.press("Tab")
    phone.keyboard.press("Escape")
    expect(phone.locator(".header-menu--main")).not_to_have_attribute("open", "")
    expect(button).to_be_focused()


def test_on_a_desktop_the_home_page_uses_the_width(
    demo_site, live_server, page, no_js_page, assert_accessible
):
    for language in ("en", "ar"):
        page.goto(f"{live_server.url}/{language}/")
        # The menu and the languages are bars, not buttons.
        expect(main_menu(page).get_by_role("link").first).to_be_visible()
        expect(page.locator(".header-menu > summary").first).to_be_hidden()
        main = page.locator("main").bounding_box()
        for selector in (".home-hero", ".home-cards--actions", ".home-cards--features"):
            box = page.locator(selector).bounding_box()
            assert box["width"] > 0.9 * (main["width"] - 48), (language, selector, box, main)
        # The actions side by side, and an illustration beside the search.
        actions = page.locator(".home-cards--actions > li").all()
        assert len(actions) == 3
        assert len({round(card.bounding_box()["y"]) for card in actions}) == 1
        expect(page.locator(".home-hero__illustration")).to_be_visible()
        assert_accessible(page)

    # Without JavaScript the bars show too.
    no_js_page.goto(f"{live_server.url}/en/")
    expect(main_menu(no_js_page).get_by_role("link", name="Stories")).to_be_visible()
    expect(
        no_js_page.get_by_role("navigation", name="Language").get_by_role("link", name="Cymraeg")
    ).to_be_visible()
