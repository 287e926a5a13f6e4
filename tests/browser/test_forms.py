"""Public forms on a phone, as GOV.UK's patterns have them: after a failed send the error
summary has focus (without JavaScript too) and the title starts "Error:", and every box to
type in or choose from is at least 44px tall with text of 16px or more."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
BOXES = (
    "input[type=text], input[type=email], input[type=tel], input[type=password], "
    "input[type=number], input[type=date], input[type=time], input[type=search], "
    "select, textarea"
)
FORMS = [
    "/en/ask-for-help/",
    "/en/volunteer/sign-up/",
    "/en/volunteer/sign-in/",
]


@pytest.fixture
def phone_without_js(browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.javascript_disabled = True  # read by assert_accessible
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    yield page
    context.close()


def test_focus_lands_on_the_error_summary_without_javascript(
    demo_site, live_server, phone_without_js
):
    page = phone_without_js
    page.goto(f"{live_server.url}/en/ask-for-help/")
    page.get_by_role("button", name="Send the request").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Choose the kind of help needed")
    assert page.title().startswith("Error: ")
    # The summary's links lead to the fields they name.
    link = summary.get_by_role("link", name="Enter the postcode")
    assert link.get_attribute("href") == "#id_place"


def test_every_box_is_44px_tall_with_16px_text_on_a_phone(
    demo_site, live_server, phone, assert_accessible
):
    from directory.models import DirectoryPage

    directory = DirectoryPage.objects.live().get(locale__language_code="en")
    for path in [*FORMS, directory.url]:
        phone.goto(f"{live_server.url}{path}")
        boxes = phone.locator(BOXES)
        sizes = boxes.evaluate_all(
            """boxes => boxes.filter(box => box.offsetParent !== null).map(box => [
                box.name, box.getBoundingClientRect().height,
                parseFloat(getComputedStyle(box).fontSize)])"""
        )
        assert sizes, f"no boxes on {path}"
        small = [(name, h, f) for name, h, f in sizes if h < 44 or f < 16]
        assert not small, f"{path}: {small}"
    # And after errors, with the summary focused, the page is still accessible.
    phone.goto(f"{live_server.url}/en/ask-for-help/")
    phone.get_by_role("button", name="Send the request").click()
    expect(phone.locator(".error-summary")).to_be_focused()
    assert_accessible(phone)


# Words with the tallest and deepest letters of each right-to-left or Indic script shipped.
TALL_WORDS = {
    "ur": "ٹھیک لیکن بچّے ہاسپیس ڈھونڈیں",
    "ar": "مُقَدِّمو الرِّعايةِ إِلى",
    "bn": "শোক পরামর্শ কৃষ্ণ দ্রুত",
}


@pytest.mark.parametrize("code", sorted(TALL_WORDS))
def test_words_typed_into_a_box_keep_the_height_their_letters_need(
    demo_site, live_server, phone, code
):
    """Nastaliq's letters reach far above and below the line: an Urdu box one line of Latin
    text tall cut the tail off "کی" as it was typed. Every box's line is as tall as the
    words of its language typed into it (measured with the box's own font)."""
    for path in [*FORMS, "/en/search/"]:
        phone.goto(f"{live_server.url}/{code}/{path.removeprefix('/en/')}")
        cut = phone.locator("input[type=text], input[type=search], textarea").evaluate_all(
            """(boxes, words) => boxes.filter(box => box.offsetParent !== null).map(box => {
                const style = getComputedStyle(box);
                const context = document.createElement("canvas").getContext("2d");
                context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
                const seen = context.measureText(words);
                const needed = seen.actualBoundingBoxAscent + seen.actualBoundingBoxDescent;
                return [box.name, parseFloat(style.lineHeight), Math.ceil(needed)];
            }).filter(([name, line, needed]) => line < needed)""",
            TALL_WORDS[code],
        )
        assert cut == [], f"{code} {path}: {cut}"
