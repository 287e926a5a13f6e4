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


def test_language_names_things_to_bring_and_notes_read_right_on_an_urdu_page(client, pages):
    import datetime as dt

    from directory.models import RequiredDocument

    service = pages["service"]
    for code, name in (("en", "English"), ("ar", "Arabic"), ("so", "Somali")):
        factories.ServiceLanguageFactory(service=service, code=code, name=name)
    RequiredDocument.objects.create(service=service, document="Proof of address, NHS number")
    factories.ScheduleFactory(
        service=service,
        closed=True,
        valid_from=dt.date(2026, 12, 25),
        valid_to=dt.date(2026, 12, 26),
        description="Closed on Christmas Day and Boxing Day.",
    )
    html = client.get(f"{pages['urdu'].url}{service.pk}/").content.decode()
    # Language names in the reader's language, whatever the feed called them.
    for urdu in ("انگریزی", "عربی"):
        assert f"<li>{urdu}</li>" in html
    assert "<li>English</li>" not in html and "<li>Arabic</li>" not in html
    # A thing to bring is the service's own English words: the whole item reads left to right.
    assert re.search(r'<li[^>]*lang="en"[^>]*dir="ltr"[^>]*>\s*Proof of address', html)
    # A closure's note is said once, with the dates it belongs to.
    assert html.count("Closed on Christmas Day and Boxing Day.") == 1


def test_language_names_follow_the_reader_in_every_list():
    from communities.models import LANGUAGE_CHOICES
    from core.languages import language_name
    from volunteers.forms import language_choices

    with translation.override("cy"):
        assert str(language_name("en")) == "Saesneg"
        assert str(language_name("so")) == "Somalieg"
        assert str(language_name("tlh", default="Klingon")) == "Klingon"
        assert dict(language_choices())["en"] == "Saesneg"
        assert dict(language_choices())["bsl"] != "British Sign Language"
        assert str(dict(LANGUAGE_CHOICES)["en"]) == "Saesneg"
