"""Text as people type or paste it into fields that hold codes and addresses (core.typed), and
the public form fields built on it."""

import pytest

from core.forms import EmailAddressField
from core.typed import fold, invisible_characters, plain, without_invisible


@pytest.mark.parametrize(
    ("typed", "plain_text"),
    [
        ("\u200eSE13 6AA\u200f", "SE13 6AA"),
        ("SE۱۳", "SE13"),
        ("ＳＥ１３", "SE13"),
        ("০৮০৮", "0808"),
        ("Lewisham", "Lewisham"),
    ],
)
def test_a_typed_code_is_made_plain(typed, plain_text):
    assert plain(typed) == plain_text


def test_the_invisible_characters_of_a_pasted_address_are_named_and_dropped():
    pasted = "\u200ebea@example.org\u200b\ufeff "
    assert invisible_characters(pasted) == ["U+200E", "U+200B", "U+FEFF", "U+0020"]
    assert without_invisible(pasted) == "bea@example.org"
    assert invisible_characters("bea@example.org") == []


@pytest.mark.parametrize(
    "pasted",
    [
        "\u200fbea@example.org\u200e",  # copied from a right-to-left message
        "bea@example.org\u200b",  # a zero-width space after it
        "\ufeffbea@example.org",  # a byte-order mark before it
        " bea@example.org\u00a0",  # a non-breaking space after it
    ],
)
def test_an_email_address_pasted_with_invisible_characters_is_accepted(pasted):
    assert EmailAddressField().clean(pasted) == "bea@example.org"


def test_an_email_address_that_is_wrong_where_it_shows_is_still_refused():
    with pytest.raises(Exception, match="correct format|valid email"):
        EmailAddressField().clean("\u200ebea@example")


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Żałoba", "zaloba"),  # a stroke, which no decomposition removes, and accents
        ("ŁÓDŹ", "lodz"),
        ("Søren Ærø", "soren aero"),
        ("Café", "cafe"),
        ("ديكه", "دیکہ"),  # Urdu's دیکھ typed on an Arabic keyboard: one with it
        ("دیکھ", "دیکہ"),
        ("كِتَاب", "کتاب"),  # vowel signs dropped
        ("مـــرحبا", "مرحبا"),  # the kashida that stretches a word
        ("٠٧٧٠٠ ۹۰۰۱۲۳", "07700 900123"),  # Arabic-Indic and Urdu digits
        ("\u200fرات\u200e", "رات"),  # direction marks pasted from a right-to-left message
        ("żało\u00adba", "zaloba"),  # a soft hyphen from a web page's word breaking
        ("grief", "grief"),
    ],
)
def test_search_text_is_read_whatever_keyboard_typed_it(typed, folded):
    assert fold(typed) == folded
