"""Reading a story and filtering the library in a real browser, in English and in Urdu."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from stories.models import StoryPage

pytestmark = pytest.mark.django_db(transaction=True)


def test_read_a_story_and_filter_the_library_in_english(
    demo_site, live_server, page, no_js_page, assert_accessible
):
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Stories").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stories")
    # Featured stories come first.
    expect(page.locator(".story-card").first).to_contain_text("Featured")
    assert_accessible(page)

    page.get_by_label("Told by").select_option("bereaved")
    page.get_by_role("button", name="Show stories").click()
    expect(page).to_have_url(re.compile(r"/en/stories/\?topic=&role=bereaved"))
    expect(page.get_by_role("heading", level=2, name=re.compile("stories found"))).to_be_visible()
    page.get_by_role("link", name="After a sudden death").click()

    # The content note comes first; the story waits until the reader chooses to go on.
    note = page.get_by_role("complementary", name="Content note")
    expect(note).to_contain_text("This story mentions suicide.")
    expect(page.locator("#story-body")).to_be_hidden()
    assert_accessible(page)
    page.get_by_text("Read the story", exact=True).click()
    expect(page.locator("#story-body")).to_be_visible()
    assert note.bounding_box()["y"] < page.locator("#story-body").bounding_box()["y"]
    # Without JavaScript too.
    no_js_page.goto(page.url)
    expect(no_js_page.locator("#story-body")).to_be_hidden()
    no_js_page.get_by_text("Read the story", exact=True).click()
    expect(no_js_page.locator("#story-body")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Related stories")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Guides and resources"
    ).click()
    page.get_by_label("For", exact=True).select_option("carers")
    page.get_by_label("Format").select_option("pdf")
    page.get_by_role("button", name="Show resources").click()
    expect(page.get_by_role("heading", level=2, name="1 resource")).to_be_visible()
    expect(page.locator(".resource__title")).to_have_text(["Caring for someone at home"])
    assert_accessible(page)

    page.get_by_role("link", name="Caring for someone at home").click()
    download = page.get_by_role("link", name=re.compile("^PDF, English"))
    expect(download).to_be_visible()
    expect(page.locator(".download__meta").first).to_contain_text(re.compile(r"PDF, \d"))
    assert_accessible(page)

    # Sharing a story works without JavaScript and says what happens next.
    no_js_page.goto(f"{live_server.url}/en/stories/share/")
    no_js_page.get_by_role("button", name="Send my story").click()
    expect(no_js_page.get_by_role("alert")).to_contain_text("There is a problem")
    no_js_page.get_by_label("A title for your story").fill("The library van")
    no_js_page.get_by_label("Your story", exact=True).fill(
        "After my wife died the mobile library still came every Tuesday. The driver "
        "brought her favourite books back to me and we talked about her for a while."
    )
    no_js_page.get_by_label("Volunteer", exact=True).check()
    no_js_page.get_by_label("Publish my story anonymously").check()
    no_js_page.get_by_label(re.compile("I agree that this story can be published")).check()
    no_js_page.get_by_role("button", name="Send my story").click()
    expect(no_js_page.get_by_role("heading", level=1)).to_have_text(
        "Thank you for sharing your story"
    )
    expect(no_js_page.get_by_role("heading", level=2, name="What happens next")).to_be_visible()
    story = StoryPage.objects.get(title="The library van")
    assert not story.live and story.storyteller_name == "" and story.role == "volunteer"

    page.goto(no_js_page.url)
    assert_accessible(page)
    page.goto(f"{live_server.url}/en/stories/share/")
    assert_accessible(page)


def test_urdu_story_and_library_read_right_to_left(demo_site, live_server, page, assert_accessible):
    page.goto(f"{live_server.url}/ur/stories/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("کہانیاں")
    # An untranslated story keeps its own language and direction inside the RTL page.
    untranslated = page.locator('.story-card div[lang="en"]').first
    expect(untranslated).to_have_attribute("dir", "ltr")
    assert untranslated.evaluate("el => getComputedStyle(el).direction") == "ltr"
    assert_accessible(page)

    page.get_by_role("link", name="رات کی نرس").click()
    expect(page.locator("html")).to_have_attribute("lang", "ur")
    expect(page.get_by_role("heading", level=1)).to_have_text("رات کی نرس")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # The quotation's border sits on the right, where a right-to-left reader starts.
    quote = page.locator(".quote").first
    assert quote.evaluate("el => getComputedStyle(el).borderRightWidth") == "5px"
    expect(page.locator('link[rel="alternate"][hreflang="en"]')).to_have_count(1)
    assert_accessible(page)

    page.goto(f"{live_server.url}/ur/guides/")
    with translation.override("ur"):
        language_label, show = gettext("Language"), gettext("Show resources")
    filters = page.locator("form.filter-form")
    filters.get_by_label(language_label, exact=True).select_option("ur")
    filters.get_by_role("button", name=show).click()
    expect(page).to_have_url(re.compile(r"/ur/guides/\?.*language=ur"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    # The guides translated into Urdu, in the library's order.
    expect(page.locator(".resource__title")).to_have_count(3)
    expect(page.locator(".resource__title").nth(1)).to_contain_text("بچوں سے موت")
    assert_accessible(page)

    page.goto(f"{live_server.url}/ur/stories/share/")
    expect(page.locator("form.share-form")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/ur/search/?q=grief")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
