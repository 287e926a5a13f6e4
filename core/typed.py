"""Text as people type or paste it: into a field that holds a code or an address (a postcode,
a place, a phone number, an email or web address), or into a search box on whatever keyboard
they have (`fold`)."""

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
    return without_format(unicodedata.normalize("NFKC", text)).translate(DIGITS)


# Unicode's invisible format characters (Cf: direction marks and isolates, zero-width spaces
# and joiners, a byte-order mark, soft hyphens, tag characters), for str.translate to drop.
FORMAT_CHARACTERS = {
    code: None
    for code in [*range(128, 0x10000), *range(0xE0000, 0xE0080)]
    if unicodedata.category(chr(code)) == "Cf"
}


def without_format(text):
    """The text without its invisible format characters (`FORMAT_CHARACTERS`)."""
    return text if text.isascii() else text.translate(FORMAT_CHARACTERS)


# Format characters (Cf: zero-width space and joiners, byte-order marks, direction marks, soft
# hyphens), control characters and every kind of space: none belongs in an email address or
# web address, and a copy and paste leaves them there unseen.
_INVISIBLE_CATEGORIES = ("Cf", "Zs", "Zl", "Zp", "Cc")


def _invisible(char):
    return unicodedata.category(char) in _INVISIBLE_CATEGORIES or char.isspace()


def invisible_characters(value):
    """The invisible characters in `value`, named by code point ("U+200E"), in order of first
    appearance."""
    if value.isascii() and value.isprintable() and " " not in value:
        return []  # of ASCII, only the space and the control characters are invisible
    return list(dict.fromkeys(f"U+{ord(char):04X}" for char in value if _invisible(char)))


def without_invisible(value):
    """`value` without the characters `invisible_characters` names."""
    return "".join(char for char in value if not _invisible(char))


# Letters that Arabic and Urdu (and Persian) write differently and keyboards mix up: Urdu
# typed on an Arabic keyboard, as many phones offer, has Arabic's yeh, kaf and heh for Urdu's
# (ديكه for دیکھ). Each is folded to one letter, as Lucene's Persian and Arabic normalisers do;
# the kashida that stretches a word is dropped.
ARABIC_SCRIPT_VARIANTS = {
    "\u064a": "\u06cc",  # ARABIC LETTER YEH -> FARSI YEH (Urdu's choti ye)
    "\u0649": "\u06cc",  # ALEF MAKSURA
    "\u0643": "\u06a9",  # ARABIC LETTER KAF -> KEHEH (Urdu's kaf)
    "\u0647": "\u06c1",  # ARABIC LETTER HEH -> HEH GOAL (Urdu's choti he)
    "\u06be": "\u06c1",  # HEH DOACHASHMEE (Urdu's do-chashmi he, written ه in Arabic)
    "\u06d5": "\u06c1",  # AE
    "\u0640": None,  # TATWEEL
}

# Latin letters that carry a stroke or are ligatures, which no decomposition turns into their
# plain letters and which a keyboard without them types as those ("zaloba" for "żałoba"), as
# Lucene's ASCII folding reads them. Case-folded text has only the small letters.
LATIN_LETTERS = {
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "ø": "o",
    "ħ": "h",
    "ŧ": "t",
    "ı": "i",
    "ŀ": "l",
    "æ": "ae",
    "œ": "oe",
    "þ": "th",
}

_FOLDED = str.maketrans(ARABIC_SCRIPT_VARIANTS | LATIN_LETTERS | DIGITS | FORMAT_CHARACTERS)


def fold(text):
    """`text` as a search matches it, whatever keyboard typed it: case-folded, accents and
    vowel signs removed, Latin letters with a stroke as their plain letters (`LATIN_LETTERS`),
    the Arabic-script letters keyboards mix up made one (`ARABIC_SCRIPT_VARIANTS`), every
    script's digits as 0-9, and the invisible marks a paste leaves (`FORMAT_CHARACTERS`)
    dropped."""
    folded = text.casefold()
    if folded.isascii():  # nothing to decompose or strip: most text, and much faster
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.translate(_FOLDED)
