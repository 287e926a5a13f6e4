"""core.demo.data: each app keeps its demo content in its own data file, `<app>/demo.yaml`."""

import pytest
from django.conf import settings
from wagtail.rich_text import RichText

from core.demo import data

APPS = ("core", "directory", "stories", "communities", "volunteers", "insight")


def _mappings(value):
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _mappings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _mappings(item)


@pytest.mark.parametrize("package", APPS)
def test_translations_in_a_data_file_are_in_the_site_languages(package):
    content = data.read(package)
    languages = {code for code, _name in settings.LANGUAGES}
    segments = [mapping for mapping in _mappings(content) if "en" in mapping]
    for segment in segments:
        assert set(segment) <= languages, segment
        assert all(isinstance(text, str) and text for text in segment.values()), segment
    if package != "insight":  # figures only, nothing to translate
        assert any(len(segment) > 1 for segment in segments)


def test_segments_become_translations_by_language_in_the_order_they_appear():
    segments = [
        {"en": "About us", "cy": "Amdanom ni", "ur": "ہمارے بارے میں"},
        {"en": "What we believe", "cy": "Yr hyn rydym yn ei gredu", "pl": "W co wierzymy"},
    ]
    translations = data.by_language(segments)
    assert list(translations) == ["cy", "ur", "pl"]
    assert translations["cy"] == {
        "About us": "Amdanom ni",
        "What we believe": "Yr hyn rydym yn ei gredu",
    }
    assert translations["pl"] == {"What we believe": "W co wierzymy"}


def test_a_data_file_body_becomes_a_stream_with_rich_text_paragraphs():
    body = [
        {"heading": {"text": "Who we work with", "level": "h2"}},
        {"paragraph": "<p>Hospices and neighbours.</p>"},
    ]
    (heading, paragraph) = data.stream(body)
    assert heading == ("heading", {"text": "Who we work with", "level": "h2"})
    assert paragraph[0] == "paragraph" and isinstance(paragraph[1], RichText)
    assert paragraph[1].source == "<p>Hospices and neighbours.</p>"
