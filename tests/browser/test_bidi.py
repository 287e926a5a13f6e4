"""What an Urdu or Arabic reader sees of a phone number, a postcode and an address: the
characters in the order they are laid out on the screen, left to right, must read as the
number itself, not with its groups swapped ("0408 7946 020")."""

import re

import pytest

from tests.directory import factories

pytestmark = pytest.mark.django_db(transaction=True)

# The text of an element as laid out: each character's box, top to bottom, left to right.
SEEN = """(element) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    const boxes = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < node.data.length; i++) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const box = range.getBoundingClientRect();
            if (box.width > 0 && node.data[i].trim()) {
                boxes.push([Math.round(box.top), box.left, node.data[i]]);
            }
        }
    }
    boxes.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    return boxes.map((b) => b[2]).join("");
}"""


@pytest.fixture
def service_pages(home, locales, translate_page):
    directory = factories.DirectoryPageFactory(parent=home)
    directory.save_revision().publish()
    location = factories.LocationFactory(name="Lewisham Centre", latitude=51.46, longitude=-0.01)
    factories.AddressFactory(
        location=location, address_1="184 High Street", city="London", postal_code="SE13 6LG"
    )
    service = factories.ServiceFactory(
        organization=location.organization, name="Lewisham Counselling", at=[location]
    )
    factories.PhoneFactory(service=service, number="020 7946 0408")
    return {
        code: f"{translate_page(directory, locales[code], title).url}{service.pk}/"
        for code, title in [("ur", "مدد تلاش کریں"), ("ar", "ابحث عن مساعدة")]
    }


@pytest.mark.parametrize("code", ["ur", "ar"])
def test_a_right_to_left_reader_sees_the_number_as_written(
    live_server, phone_page, service_pages, code
):
    phone_page.goto(live_server.url + service_pages[code])
    assert phone_page.locator("html").get_attribute("dir") == "rtl"
    number = phone_page.locator(".contact-list a[href^='tel:']").first
    assert number.evaluate(SEEN) == "02079460408"
    address = phone_page.locator("address").first
    seen = address.evaluate(SEEN)
    assert seen.startswith("184HighStreet"), seen
    assert seen.endswith("SE136LG"), seen


@pytest.mark.parametrize("code", ["ur", "ar"])
def test_the_services_own_english_lists_fit_a_phone_and_read_as_written(
    live_server, phone_page, service_pages, code
):
    from directory.models import Funding, RequiredDocument, Service

    service = Service.objects.get(name="Lewisham Counselling")
    RequiredDocument.objects.create(service=service, document="Proof of address, NHS number")
    Funding.objects.create(service=service, source="NHS South East London — 020 3049 3000")
    phone_page.goto(live_server.url + service_pages[code])
    # An English item's bullet sits on its left; the list must leave it room on a phone.
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width}px wide on a 360px phone"
    funder = phone_page.locator("li", has_text="NHS South East London")
    assert funder.evaluate(SEEN) == "NHSSouthEastLondon—02030493000"
    assert phone_page.locator("li", has_text="Proof of address").get_attribute("dir") == "ltr"


def test_wagtails_english_reads_in_its_own_order_in_the_urdu_admin(live_server, page, home, about):
    """Wagtail has no Urdu catalogue: its English, in an admin laid out right to left, keeps
    its numbers and punctuation in their places (core.untranslated)."""
    from django.contrib.auth import get_user_model
    from wagtail.users.models import UserProfile

    from tests.core.factories import StandardPageFactory

    StandardPageFactory(parent=about, title="Our team").save_revision().publish()
    StandardPageFactory(parent=about, title="Our history").save_revision().publish()
    editor = get_user_model().objects.create_superuser("urdu-editor", "e@example.org", "pw-7-Ur!")
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "ur"
    profile.save()

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "urdu-editor")
    page.fill("#id_password", "pw-7-Ur!")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/admin/pages/{about.pk}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    header = page.locator("th", has_text=re.compile(r"\d of \d")).first
    assert "1-2of2pages" in header.evaluate(SEEN)
