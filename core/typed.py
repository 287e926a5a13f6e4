"""Text as people type or paste it into a field that holds a code: a postcode, a place, a
phone number."""

import unicodedata


def plain(text):
    """The text with compatibility forms made plain (full-width letters and digits), the
    invisible format characters dropped (the direction marks and isolates that text copied
    from a right-to-left message carries, zero-width spaces, a byte-order mark), and every
    script's digits as 0-9 (an Urdu, Arabic or Bengali keyboard's)."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(_digit(ch) for ch in text if unicodedata.category(ch) != "Cf")


def _digit(ch):
    value = None if ch.isascii() else unicodedata.decimal(ch, None)
    return ch if value is None else str(value)
