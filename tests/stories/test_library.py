"""The resource library: its filters, languages and formats, downloads, and translations."""

import re

import pytest

from stories.listing import ResourceFilters, resources
from tests.pages import publish
from tests.stories import factories

pytestmark = pytest.mark.django_db


def text_of(response):
    # Inline isolation marks (<bdi>) do not break words; other tags do.
    html = re.sub(r"</?bdi>", "", response.content.decode())
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def titles(response):
    return [listing.item.page.title for listing in response.context["resources"]]


@pytest.fixture
def shelf(make_resource):
    """Four guides across topics, audiences, formats and languages."""
    return {
        "dies": make_resource(
            title="What to do when someone dies",
            tags=["after a death"],
            formats=[
                {"format": "pdf", "language": "en"},
                {"format": "easy_read", "language": "en"},
            ],
        ),
        "children": make_resource(
            title="Talking to children about death",
            audience="children",
            tags=["grief", "children"],
            formats=[{"format": "pdf", "language": "pl"}],
        ),
        "planning": make_resource(
            title="Planning ahead",
            tags=["planning ahead"],
            formats=[
                {"format": "bsl", "language": "en", "document": None, "url": "https://v.example/1"}
            ],
        ),
        "caring": make_resource(title="Caring at home", audience="carers", tags=["caring"]),
    }


def test_every_resource_is_listed_with_its_formats_and_languages(shelf, library, client):
    response = client.get(library.url)
    assert titles(response) == [
        "Caring at home",
        "Planning ahead",
        "Talking to children about death",
        "What to do when someone dies",
    ]
    listing = {item.item.page.title: item for item in response.context["resources"]}
    assert listing["What to do when someone dies"].formats == ("Web page", "Easy read", "PDF")
    assert [code for code, *_ in listing["Talking to children about death"].languages] == [
        "en",
        "pl",
    ]
    assert "4 resources" in text_of(response)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("topic=grief", ["Talking to children about death"]),
        ("audience=carers", ["Caring at home"]),
        ("format=pdf", ["Talking to children about death", "What to do when someone dies"]),
        ("format=bsl", ["Planning ahead"]),
        (
            "format=web",
            [
                "Caring at home",
                "Planning ahead",
                "Talking to children about death",
                "What to do when someone dies",
            ],
        ),
        ("language=pl", ["Talking to children about death"]),
        ("language=pl&format=pdf&audience=children", ["Talking to children about death"]),
        ("language=pl&audience=carers", []),
    ],
)
def test_the_library_filters(shelf, library, client, query, expected):
    response = client.get(f"{library.url}?{query}")
    assert titles(response) == expected
    if not expected:
        assert "No resources match these filters yet." in text_of(response)


def test_a_translation_counts_for_the_language_filter(shelf, library, locales, translate_page):
    translate_page(library, locales["ur"], "وسائل")
    translate_page(shelf["dies"], locales["ur"], "جب کسی کی موت ہو جائے تو کیا کریں")
    found = resources(library, ResourceFilters(language="ur"))
    assert [listing.item.page.title for listing in found] == ["What to do when someone dies"]
    assert [code for code, *_ in found[0].languages] == ["en", "ur"]


def test_bad_filter_values_are_explained_and_do_not_filter(shelf, library, client):
    response = client.get(f"{library.url}?audience=aliens&format=<b>")
    assert response.status_code == 200
    assert "There is a problem" in text_of(response)
    assert "Select a valid choice." in text_of(response)
    assert len(titles(response)) == 4
    assert "<b>" not in response.content.decode().split("<main", 1)[1]


def test_urdu_library_shows_translations_and_marks_the_originals(
    shelf, library, locales, translate_page, client
):
    urdu_library = translate_page(library, locales["ur"], "وسائل")
    urdu = translate_page(shelf["dies"], locales["ur"], "جب کسی کی موت ہو جائے تو کیا کریں")
    response = client.get(urdu_library.url)
    html = response.content.decode()
    assert '<html lang="ur" dir="rtl">' in html
    items = {listing.item.page.pk: listing.item for listing in response.context["resources"]}
    assert items[urdu.pk].lang is None
    assert items[shelf["caring"].pk].lang == "en"
    # The untranslated guide keeps its own language and direction inside the RTL page.
    assert re.search(r'<div lang="en" dir="ltr">\s*<h3 class="resource__title"><a href="/en/', html)
    # Both the translation and the original are offered from the original's listing.
    assert f'href="{urdu.url}" hreflang="ur"' in html


def test_resource_page_offers_downloads_with_size_and_type(shelf, client):
    response = client.get(shelf["dies"].url)
    text = text_of(response).replace("\xa0", " ")
    assert "Other formats and languages" in text
    assert "PDF, English (PDF, 2.0 KB)" in text
    assert "Easy read, English (PDF, 2.0 KB)" in text
    bsl = text_of(client.get(shelf["planning"].url))
    assert "British Sign Language video, English (opens another website)" in bsl


def test_translated_resource_page_links_its_languages_with_hreflang(
    shelf, library, locales, translate_page, client
):
    translate_page(library, locales["pl"], "Poradniki")
    polish = translate_page(shelf["children"], locales["pl"], "Jak rozmawiać z dziećmi o śmierci")
    html = client.get(polish.url).content.decode()
    assert '<html lang="pl" dir="ltr">' in html
    assert (
        f'<link rel="alternate" hreflang="en" href="http://localhost{shelf["children"].url}">'
        in html
    )
    assert "Przeczytaj w innym języku" in html
    assert f'href="{shelf["children"].url}" lang="en" hreflang="en">English</a>' in html
    english = client.get(shelf["children"].url).content.decode()
    assert f'href="{polish.url}" lang="pl" hreflang="pl">polski</a>' in english


def test_document_block_in_a_guide_shows_size_and_type(library, client):
    document = factories.DocumentFactory(title="Checklist")
    page = factories.ResourcePageFactory(
        parent=library, body=[("download", {"document": document, "title": ""})]
    )
    publish(page)
    text = text_of(client.get(page.url))
    assert "Checklist (PDF, 2.0 KB)" in text.replace("\xa0", " ")


def test_the_library_reads_the_same_number_of_queries_however_long_it_is(
    shelf, make_resource, library, client
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(library.url)  # warm the site-root cache
    with CaptureQueriesContext(connection) as four:
        client.get(library.url)
    for n in range(4):
        make_resource(title=f"More {n}", formats=[{"format": "pdf", "language": "en"}])
    with CaptureQueriesContext(connection) as eight:
        response = client.get(library.url)
    assert len(response.context["resources"]) == 8
    assert len(eight.captured_queries) == len(four.captured_queries)


def test_a_page_kept_in_another_language_untranslated_does_not_count_as_translated(
    shelf, library, locales, django_capture_on_commit_callbacks
):
    from core.demo.site import translate
    from core.localization import synchronise_locales

    synchronise_locales()  # every guide now also exists, untranslated, in every language
    with django_capture_on_commit_callbacks(execute=True):
        translate(
            shelf["dies"],
            locales["ur"],
            {"What to do when someone dies": "جب کسی کی موت ہو جائے تو کیا کریں"},
        )
    found = resources(library, ResourceFilters(language="ur"))
    assert [listing.item.page.title for listing in found] == ["What to do when someone dies"]
    assert [code for code, *_ in found[0].languages] == ["en", "ur"]
    caring = resources(library, ResourceFilters(audience="carers"))[0]
    assert [code for code, *_ in caring.languages] == ["en"]
