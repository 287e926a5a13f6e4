"""Interface text that Urdu or Arabic has no translation for is shown in English that keeps
its own order in a right-to-left page (core.untranslated); everything else is untouched."""

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import trans_real

from core.untranslated import LRM, reads_left_to_right

# Wagtail's own strings, which it has no Urdu catalogue for (nor has this project).
SEARCH_ALL = "Search all pages…"
CONFIGURE = "Configure a site now"
LISTING_HEADER = (
    "{% load i18n %}{% blocktranslate trimmed with start_index=1 end_index=6 items_count=6 "
    "model_name='pages' %}{{ start_index }}-{{ end_index }} of {{ items_count }} "
    "{{ model_name }}{% endblocktranslate %}"
)


def test_django_still_adds_the_default_language_as_the_fallback_the_way_this_wraps():
    translation_object = trans_real.translation("ur")
    assert translation_object._fallback.language() == "en"
    assert trans_real.DjangoTranslation._add_fallback.__module__ == "core.untranslated"


@pytest.mark.parametrize(
    ("code", "message"),
    # Wagtail translates that one into Arabic: an Arabic miss is a string nobody translated.
    [("ur", SEARCH_ALL), ("ar", "No catalogue holds this sentence.")],
)
def test_an_untranslated_string_keeps_its_closing_punctuation_in_right_to_left_pages(code, message):
    with translation.override(code):
        assert translation.gettext(message) == message + LRM
        assert str(translation.gettext_lazy(message)) == message + LRM


def test_an_untranslated_string_that_starts_with_a_number_keeps_its_order():
    with translation.override("ur"):
        assert Template(LISTING_HEADER).render(Context()) == f"{LRM}1-6 of 6 pages{LRM}"
    with translation.override("en"):
        assert Template(LISTING_HEADER).render(Context()) == "1-6 of 6 pages"


def test_plurals_and_messages_with_a_context_are_marked_too():
    with translation.override("ur"):
        assert translation.ngettext("%(n)s snippet", "%(n)s snippets", 3) == (
            f"{LRM}%(n)s snippets{LRM}"
        )
        assert translation.pgettext("an untranslated context", CONFIGURE) == CONFIGURE + LRM
        assert translation.npgettext("an untranslated context", "one box", "%d boxes", 2) == (
            f"{LRM}%d boxes{LRM}"
        )


def test_a_translated_string_is_left_as_its_translation():
    with translation.override("ur"):
        title = translation.gettext("Title")
    assert title and LRM not in title
    assert title != "Title"


@pytest.mark.parametrize("code", ["en", "cy", "pl", "bn"])
def test_left_to_right_languages_are_untouched(code):
    with translation.override(code):
        assert LRM not in translation.gettext(SEARCH_ALL)
        assert LRM not in Template(LISTING_HEADER).render(Context())


@pytest.mark.parametrize(
    "text",
    ["https://guide.wagtail.org/en-latest/", "/admin/pages/", "%d/%m/%Y", "%(count)s", "42", ""],
)
def test_what_is_not_prose_is_left_as_it_is(text):
    assert reads_left_to_right(text) == text


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("(optional)", f"{LRM}(optional){LRM}"),
        ("%(count)s pages", f"{LRM}%(count)s pages{LRM}"),
        ("Page %(page_num)s of %(total_pages)s", f"Page %(page_num)s of %(total_pages)s{LRM}"),
        ("%.1f km", f"{LRM}%.1f km{LRM}"),
    ],
)
def test_prose_is_marked_whatever_it_starts_with(text, marked):
    assert reads_left_to_right(text) == marked


def test_marks_are_added_once():
    once = reads_left_to_right("1 of 2")
    assert reads_left_to_right(once) == once == f"{LRM}1 of 2{LRM}"
