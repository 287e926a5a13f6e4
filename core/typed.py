"""Text as people type or paste it into a field that holds a code or an address: a postcode,
a place, a phone number, an email or web address."""

import unicodedata

# Every living script's decimal digits as 0-9 (an Urdu, Arabic or Bengali keyboard's), for
# str.translate. Those beyond the Basic Multilingual Plane are historic scripts' and
# mathematical styles (which compatibility normalisation already reads as 0-9).
DIGITS = {
    code: str(unicodedata.decimal(chr(code)))
    for code in range(128, 0x10000)
    if unicodedata.category(chr(code)) == "Nd"
}


def plain(text):
    """The text with compatibility forms made plain (full-width letters and digits), the
    invisible format characters dropped (the direction marks and isolates that text copied
    from a right-to-left message carries, zero-width spaces, a byte-order mark), and every
    script's digits as 0-9 (`DIGITS`)."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf").translate(DIGITS)


# Format characters (Cf: zero-width space and joiners, byte-order marks, direction marks, soft
# hyphens), control characters and every kind of space: none belongs in an email address or
# web address, and a copy and paste leaves them there unseen.
_INVISIBLE_CATEGORIES = ("Cf", "Zs", "Zl", "Zp", "Cc")


def _invisible(char):
    return unicodedata.category(char) in _INVISIBLE_CATEGORIES or char.isspace()


def invisible_characters(value):
    """The invisible characters in `value`, as U+XXXX names, in order of first appearance."""
    if value.isascii() and value.isprintable() and " " not in value:
        return []  # of ASCII, only the space and the control characters are invisible
    return list(dict.fromkeys(f"U+{ord(char):04X}" for char in value if _invisible(char)))


def without_invisible(value):
    """`value` without the characters `invisible_characters` names."""
    return "".join(char for char in value if not _invisible(char))
