"""Right-to-left pages: numbers, postcodes, addresses, emails and links read as written, and
English content is marked as English, whatever the page's direction."""

import re

import pytest
from django.utils import translation

from directory import forms
from tests.directory import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(home, locales, translate_page, taxonomy):
    directory = factories.DirectoryPageFactory(parent=home)
    directory.save_revision().publish()
    urdu = translate_page(directory, locales["ur"], "مدد تلاش کریں")
    location = factories.LocationFactory(name="Lewisham Centre", latitude=51.46, longitude=-0.01)
    factories.AddressFactory(
        location=location, address_1="184 High Street", city="London", postal_code="SE13 6LG"
    )
    service = factories.ServiceFactory(
        organization=location.organization,
        name="Lewisham Bereavement Counselling",
        description="Counselling for adults. Free.",
        email="help@example.org",
        url="https://example.org/counselling",
        at=[location],
    )
    factories.PhoneFactory(service=service, number="020 7946 0408")
    return {"urdu": urdu, "service": service}


def isolated(html, text):
    """True if `text` sits directly in an element marked left to right."""
    pattern = r'<(?:bdi|span|a|address|p|h1|h3|li)\b[^>]*\bdir="ltr"[^>]*>\s*' + re.escape(text)
    return re.search(pattern, html) is not None


@pytest.mark.parametrize("language", ["ur", "ar"])
def test_numbers_and_english_are_isolated_on_a_right_to_left_service_page(
    client, pages, language, locales, translate_page
):
    page = pages["urdu"]
    if language == "ar":
        page = translate_page(pages["urdu"].get_translation(locales["en"]), locales["ar"], "مساعدة")
    html = client.get(f"{page.url}{pages['service'].pk}/").content.decode()
    assert 'dir="rtl"' in html
    for text in ["020 7946 0408", "help@example.org", "SE13 6LG"]:
        assert isolated(html, text), text
    # The service's own words are English: marked so, and so laid out left to right.
    assert re.search(r'<h1[^>]*lang="en"[^>]*dir="ltr"[^>]*>Lewisham Bereavement', html)
    assert re.search(r'<address[^>]*lang="en"[^>]*dir="ltr"', html)
    # Numbers in a link are never written the local way.
    assert "mlat=51.46&amp;mlon=-0.01" in html


def test_english_pages_carry_no_extra_marks(client, pages):
    english = pages["urdu"].get_translation(pages["urdu"].locale.get_default())
    html = client.get(f"{english.url}{pages['service'].pk}/").content.decode()
    assert 'lang="en" dir="ltr"' not in html.split("<main", 1)[1]


@pytest.mark.parametrize("language", ["pl", "ar", "cy"])
def test_map_links_keep_a_decimal_point_where_the_language_uses_a_comma(
    client, pages, language, locales, translate_page
):
    english = pages["urdu"].get_translation(locales["en"])
    page = translate_page(english, locales[language], "Pomoc")
    html = client.get(f"{page.url}{pages['service'].pk}/").content.decode()
    assert "mlat=51.46&amp;mlon=-0.01#map=16/51.46/-0.01" in html


@pytest.mark.parametrize("language", ["cy", "pl", "ur"])
def test_distance_choices_are_worded_in_the_visitor_language(language):
    with translation.override(language):
        labels = [str(label) for _value, label in forms.SearchForm().fields["radius"].choices]
    with translation.override("en"):
        english = [str(label) for _value, label in forms.SearchForm().fields["radius"].choices]
    assert labels and all(a != b for a, b in zip(labels, english, strict=True) if b), labels
