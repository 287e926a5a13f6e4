"""Stories in other languages: translations where they exist, the original, marked, elsewhere."""

import re

import pytest

from stories.models import StoryPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def urdu_index(story_index, locales, translate_page):
    return translate_page(story_index, locales["ur"], "کہانیاں")


def test_urdu_index_lists_translations_and_marks_untranslated_stories(
    make_story, urdu_index, locales, translate_page, client
):
    translated = make_story(title="The night nurse", tags=["hospice"])
    urdu = translate_page(translated, locales["ur"], "رات کی نرس")
    untranslated = make_story(title="Walking the dog", tags=["hospice"])

    response = client.get(urdu_index.url)
    html = response.content.decode()
    assert '<html lang="ur" dir="rtl">' in html
    items = {item.page.pk: item for item in response.context["stories"]}
    assert set(items) == {urdu.pk, untranslated.pk}
    assert items[urdu.pk].lang is None
    assert (items[untranslated.pk].lang, items[untranslated.pk].bidi) == ("en", False)
    assert re.search(
        r'<div lang="en" dir="ltr">\s*<h3 class="story-card__title">'
        rf'<a href="{untranslated.url}" hreflang="en">Walking the dog</a>',
        html,
    )
    assert "رات کی نرس" in html


def test_urdu_story_page_is_rtl_with_hreflang_and_localised_related_stories(
    make_story, urdu_index, locales, translate_page, client
):
    story = make_story(title="The night nurse", tags=["hospice"])
    urdu = translate_page(story, locales["ur"], "رات کی نرس")
    other = make_story(title="Walking the dog", tags=["hospice"])

    response = client.get(urdu.url)
    html = response.content.decode()
    assert '<html lang="ur" dir="rtl">' in html
    assert f'<link rel="alternate" hreflang="en" href="http://localhost{story.url}">' in html
    assert f'<link rel="alternate" hreflang="ur" href="http://localhost{urdu.url}">' in html
    # The page is in the visitor's language: no "not translated" notice.
    assert "notice--untranslated" not in html
    related = response.context["related_stories"]
    assert [(item.page.pk, item.lang) for item in related] == [(other.pk, "en")]


@pytest.mark.parametrize(("code", "direction"), [("ur", "rtl"), ("pl", "ltr")])
def test_untranslated_story_is_shown_in_english_and_marked(
    make_story, story_index, client, locales, code, direction
):
    # With no home page in the visitor's language, the original tree is served in their
    # language's interface.
    story = make_story(title="Walking the dog")
    response = client.get(f"/{code}/stories/{story.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{code}" dir="{direction}">' in html
    assert "notice--untranslated" in html
    # The notice is in the visitor's language.
    assert "This page has not been translated yet" not in html
    assert re.search(r'<div class="content" lang="en" dir="ltr">', html)


def test_story_translation_through_wagtail_localize_keeps_consent_untranslated(
    make_story, story_index, locales, django_capture_on_commit_callbacks
):
    from core.demo.site import translate

    story = make_story(
        title="The night nurse", storyteller_name="Asha", content_note="Mentions a death."
    )
    with django_capture_on_commit_callbacks(execute=True):
        translate(story_index, locales["pl"], {"Stories": "Historie"})
        polish = translate(
            story,
            locales["pl"],
            {"The night nurse": "Nocna pielęgniarka", "Mentions a death.": "Wspomina o śmierci."},
        )
    polish = StoryPage.objects.get(pk=polish.pk)
    assert polish.live and polish.title == "Nocna pielęgniarka"
    assert polish.content_note == "Wspomina o śmierci."
    assert polish.storyteller_name == "Asha"
    assert polish.consent_to_publish


def test_each_language_has_its_own_feed(make_story, urdu_index, locales, translate_page, client):
    story = make_story(title="The night nurse")
    translate_page(story, locales["ur"], "رات کی نرس")
    make_story(title="Walking the dog")
    feed = client.get(urdu_index.url + "feed/").content.decode()
    assert "<language>ur</language>" in feed
    assert "رات کی نرس" in feed
    assert "Walking the dog" not in feed
