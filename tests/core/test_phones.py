"""Phone numbers as people type them, and the tel: links that dial them (core.phones)."""

import pytest

from core.phones import phone_number, tel_uri


@pytest.mark.parametrize(
    ("number", "uri"),
    [
        ("0808 808 1677", "tel:08088081677"),
        ("020 7946 0000", "tel:02079460000"),
        # The international form with the trunk 0 in brackets, as many feeds write it.
        ("+44 (0)20 7946 0000", "tel:02079460000"),
        ("+44 20 7946 0000", "tel:02079460000"),
        # Short numbers are dialled as written.
        ("116 123", "tel:116123"),
        ("999", "tel:999"),
        ("111", "tel:111"),
        # A number outside the UK, in its international form.
        ("+33 1 23 45 67 89", "tel:+33123456789"),
        ("+1 (202) 555-0143", "tel:+12025550143"),
        # Typed with an Urdu, Arabic or Bengali keyboard's digits, or pasted with marks.
        ("۰۲۰ ۷۹۴۶ ۰۰۰۰", "tel:02079460000"),
        ("٠٨٠٨ ٨٠٨ ١٦٧٧", "tel:08088081677"),
        ("০৮০৮ ৮০৮ ১৬৭৭", "tel:08088081677"),
        ("\u200e0808 808 1677\u200f", "tel:08088081677"),
        ("0808 808 1677 (free)", "tel:08088081677"),
        ("0113 496 0000 x23", "tel:01134960000"),  # the extension is asked for on the line
        # As feeds write them: two numbers, or words around one.
        ("0113 496 0000 / 07700 900123", "tel:01134960000"),
        ("Freephone 0800 138 0990, local number 01482 240133", "tel:08001380990"),
        ("07700 900982", "tel:07700900982"),  # a number kept for drama, not in service
    ],
)
def test_a_number_links_to_what_dials_it(number, uri):
    assert tel_uri(number) == uri


def test_a_text_without_a_number_has_no_link():
    assert tel_uri("") is None
    assert tel_uri("ask at reception") is None
    assert tel_uri("Room 12") is None  # digits, but not a number to dial


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("07700900123", "07700 900123"),
        ("07700 900 123", "07700 900123"),
        ("+44 7700 900123", "07700 900123"),
        ("+44 (0)20 7946 0000", "020 7946 0000"),
        ("\u200e۰۷۷۰۰ ۹۰۰۱۲۳", "07700 900123"),  # Urdu digits, pasted with a direction mark
        ("٠٢٠٧٩٤٦٠٠٠٠", "020 7946 0000"),
        ("+33 1 23 45 67 89", "+33 1 23 45 67 89"),
        ("0113 496 0000 ext 23", "0113 496 0000 x23"),
    ],
)
def test_a_typed_number_is_kept_in_the_form_people_dial(typed, kept):
    assert phone_number(typed) == kept


@pytest.mark.parametrize("typed", ["12", "077", "hello", "+", "07700 900123 ext", "٠٧", "1" * 20])
def test_what_is_not_a_phone_number_is_refused(typed):
    with pytest.raises(ValueError) as refused:
        phone_number(typed)
    assert typed not in str(refused.value)  # a help-seeker's number never reaches a log
