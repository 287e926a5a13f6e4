"""Site search: pages in the visitor's language, and directory services for the same words."""

import re
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings

from tests.core.factories import StandardPageFactory
from tests.directory.conftest import corpus, taxonomy  # noqa: F401 - fixtures
from tests.pages import publish

pytestmark = pytest.mark.django_db


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def pages(home, make_story, make_resource):
    return {
        "story": make_story(title="Grief after the hospice", summary="Grief came in waves."),
        "resource": make_resource(title="Grief and young people", summary="Grief in children."),
        "standard": publish(
            StandardPageFactory(parent=home, title="Our grief cafés", introduction="Grief cafés.")
        ),
        "unrelated": make_story(title="Walking the dog", summary="A neighbour helped."),
    }


def result_titles(response):
    return {page.title for page in response.context["results"]}


def test_search_finds_stories_resources_and_pages(pages, client):
    response = client.get("/en/search/?q=grief")
    assert response.status_code == 200
    # The story index matches too: its introduction speaks of grief.
    assert result_titles(response) == {
        "Grief after the hospice",
        "Grief and young people",
        "Our grief cafés",
        "Stories",
    }
    text = text_of(response)
    assert "4 pages about ‘grief’" in text
    assert "Story" in text and "Resource" in text and "Standard page" in text


def test_search_keeps_to_the_visitors_language(pages, story_index, locales, translate_page, client):
    translate_page(story_index, locales["ur"], "کہانیاں")
    urdu = translate_page(pages["story"], locales["ur"], "ہاسپیس کے بعد غم grief")
    response = client.get("/ur/search/?q=grief")
    results = list(response.context["results"])
    assert urdu.pk in [page.pk for page in results]
    assert {page.locale.language_code for page in results} == {"ur"}
    # Words in Urdu are found too.
    by_urdu_word = client.get("/ur/search/?q=ہاسپیس")
    assert [page.pk for page in by_urdu_word.context["results"]] == [urdu.pk]
    assert '<html lang="ur" dir="rtl">' in response.content.decode()


def test_services_are_offered_alongside(pages, corpus, directory_page, client):  # noqa: F811
    response = client.get("/en/search/?q=bereavement")
    text = text_of(response)
    assert "Services matching ‘bereavement’" in text
    services = response.context["services"]
    assert services and services[0][0].name == "Lewisham Bereavement Counselling"
    assert services[0][1].startswith(directory_page.url)
    assert response.context["directory_url"] == f"{directory_page.url}?q=bereavement&near="


def test_services_near_a_place_and_an_unknown_place(pages, corpus, directory_page, client):  # noqa: F811
    from core.geo.sample import load_sample_districts

    load_sample_districts()
    response = client.get("/en/search/?q=grief&near=Leeds")
    assert "near Leeds" in text_of(response)
    unknown = client.get("/en/search/?q=grief&near=ZZ99+9ZZ")
    assert unknown.status_code == 200
    assert unknown.context["services_error"]
    assert unknown.context["services"] == []
    # Pages are still found when the place is not.
    assert "Grief after the hospice" in result_titles(unknown)


def test_empty_and_hostile_queries(pages, client):
    assert not client.get("/en/search/").context["searched"]
    response = client.get("/en/search/?q=<script>alert(1)</script>")
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert "No pages match these words." in text_of(response)


def _elasticsearch_reachable():
    url = django_settings.ELASTICSEARCH_URL
    if not url:
        return False
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 9200), timeout=2):
            return True
    except OSError:
        return False


@pytest.mark.skipif(
    not _elasticsearch_reachable(),
    reason=(
        "Wagtail's elasticsearch8 backend needs a real Elasticsearch cluster (it relies on "
        "copy_to, which no installable emulator implements); set ELASTICSEARCH_URL to run it."
    ),
)
def test_search_on_elasticsearch(pages, client, settings):
    from django.core.management import call_command

    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch8",
            "URLS": [settings.ELASTICSEARCH_URL],
            "INDEX": "test_stories_pages",
        }
    }
    call_command("update_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    response = client.get("/en/search/?q=grief")
    assert {"Grief after the hospice", "Grief and young people", "Our grief cafés"} <= (
        result_titles(response)
    )


def test_consent_records_and_editors_notes_are_not_searchable(make_story, client):
    story = make_story(
        title="A quiet story",
        consent_how="signed form kept by Zebedee Łukasiewicz",
        editorial_notes="Called Zebedee about anonymising",
    )
    for name in ("Zebedee", "Łukasiewicz", "Lukasiewicz"):
        response = client.get("/en/search/", {"q": name})
        assert list(response.context["results"]) == []
    assert "lukasiewicz" not in story.folded_search_text()


def test_words_typed_on_another_keyboard_find_the_page(
    pages, story_index, locales, translate_page, client
):
    """Urdu typed on an Arabic keyboard (ي ك ه for Urdu's ی ک ہ), Polish typed without its
    letters (ł, ż, ę) and Arabic typed on a Persian keyboard each find the page written as it
    should be, on either database; every word must still match."""
    translate_page(story_index, locales["ur"], "کہانیاں")
    urdu = translate_page(pages["story"], locales["ur"], "رات کی نرس اور ہاسپیس")
    translate_page(story_index, locales["pl"], "Historie")
    polish = translate_page(pages["story"], locales["pl"], "Nocna pielęgniarka i żałoba")
    translate_page(story_index, locales["ar"], "قصص")
    arabic = translate_page(pages["story"], locales["ar"], "الحياة بعد الفقد")

    def found(language, text):
        response = client.get(f"/{language}/search/", {"q": text})
        assert response.status_code == 200
        return [page.pk for page in response.context["results"]]

    assert found("ur", "رات کی نرس") == [urdu.pk]
    assert found("ur", "رات كي نرس") == [urdu.pk]
    assert found("ur", "هاسپيس") == [urdu.pk]
    assert found("ur", "رات كي دوست") == []
    # Pasted from a right-to-left message, with its direction marks; a soft hyphen from a
    # web page's word breaking.
    assert found("ur", "\u200fرات کی نرس\u200e") == [urdu.pk]
    assert found("pl", "żało\u00adba") == [polish.pk]
    assert found("pl", "zaloba") == [polish.pk]
    assert found("pl", "Nocna pielegniarka") == [polish.pk]
    assert found("pl", "żałoba") == [polish.pk]
    assert found("pl", "zaloba kawiarnia") == []
    # Search syntax and stop words around a folded word are read as words, not as syntax.
    for text in ('żałoba" OR (*', "żałoba -", "the żałoba", "żałoba AND NEAR(x", "ł"):
        found("pl", text)
    assert found("ar", "الحياة") == [arabic.pk]
    assert found("ar", "الحیاة") == [arabic.pk]
    # The English page gains nothing to search by.
    assert pages["unrelated"].folded_search_text() == ""


def test_every_page_type_is_searched_folded():
    from wagtail.models import Page, get_page_models

    from core.page_search import FOLDED_FIELD

    ours = [model for model in get_page_models() if model is not Page]
    assert len(ours) >= 11
    for model in ours:
        assert FOLDED_FIELD in [field.field_name for field in model.get_search_fields()], model
