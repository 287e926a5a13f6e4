"""Phone numbers as people type them, and the tel: links that dial them, read by
libphonenumber (the `phonenumbers` package) in the UK's numbering plan.

A number is read whatever digits it was typed with (an Urdu, Arabic or Bengali keyboard's as
well as 0-9), with or without invisible marks pasted around it, and in any of the forms in
use: "020 7946 0000", "+44 (0)20 7946 0000", "+44 20 7946 0000". A UK number is kept, and
linked, in the national form people dial; a number abroad in its international form.
"""

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

from core.typed import plain

REGION = "GB"
UK_CODE = 44


def _parse(text):
    try:
        return phonenumbers.parse(plain(text or ""), REGION)
    except NumberParseException:
        return None


def phone_number(text):
    """A typed phone number as it is kept: "07700 900123", "0113 496 0000 x23",
    "+33 1 23 45 67 89". Raises ValueError for text that cannot be a phone number (too short
    or long, letters in it)."""
    parsed = _parse(text)
    if parsed is None or not phonenumbers.is_possible_number(parsed):
        raise ValueError("not a phone number")  # never the number: it may reach a log
    national = parsed.country_code == UK_CODE
    return phonenumbers.format_number(
        parsed, PhoneNumberFormat.NATIONAL if national else PhoneNumberFormat.INTERNATIONAL
    )


def tel_uri(number):
    """The tel: URI that dials a number as written, or None when the text holds none.

    A UK number is dialled in its national form ("tel:02079460000", also for "+44 (0)20 ..."),
    a number abroad in its international one ("tel:+33123456789"); of a text holding more
    than one ("0113 496 0000 or 07700 900123") or words too ("Freephone 0800 138 0990"), the
    first number. A short number (116 123, 999), or one libphonenumber does not know, written
    alone is dialled as written, digits only. An extension is left for the caller to ask for."""
    typed = plain(number or "").strip()
    for match in phonenumbers.PhoneNumberMatcher(typed, REGION):
        found = match.number
        found.extension = None
        if found.country_code == UK_CODE:
            formatted = phonenumbers.format_number(found, PhoneNumberFormat.NATIONAL)
            return "tel:" + phonenumbers.normalize_digits_only(formatted)
        return "tel:" + phonenumbers.format_number(found, PhoneNumberFormat.E164)
    digits = phonenumbers.normalize_digits_only(typed)
    if not digits or not _WRITTEN_ALONE.fullmatch(typed):
        return None
    return "tel:" + ("+" if typed.startswith("+") else "") + digits


# A number written on its own: digits with the spaces, brackets, dashes and dots that group
# them, and a leading +.
_WRITTEN_ALONE = re.compile(r"\+?[\d\s().-]+")
