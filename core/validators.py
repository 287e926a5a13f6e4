"""Checks on text, names and dates that every public form and the API share."""

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Dates far enough either side of today for anything the site deals in, and far enough from
# the ends of what Python and the databases can hold that date arithmetic never overflows.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2199, 12, 31)
# Formatting characters that reorder how text is shown (and can disguise it), besides the
# control characters: the bidirectional embeddings, overrides and isolates.
DIRECTION_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ALLOWED_CONTROLS = frozenset("\t\n\r")

CONTROL_CHARACTERS = _(
    "This contains characters that cannot be used, such as invisible control characters. "
    "Please type it again."
)
DATE_OUT_OF_RANGE = _("Enter a date between %(earliest)s and %(latest)s.")


def has_control_characters(text):
    return any(
        (unicodedata.category(ch) == "Cc" and ch not in ALLOWED_CONTROLS)
        or ch in DIRECTION_OVERRIDES
        or unicodedata.category(ch) == "Cs"
        for ch in text
    )


def refuse_control_characters(value):
    """Refuse NUL (which PostgreSQL cannot store), other control characters and direction
    overrides; tabs and line breaks are text."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(CONTROL_CHARACTERS, code="control_characters")


def date_in_range(value):
    """Refuse a date too far in the past or future for the site (and its arithmetic)."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(
            DATE_OUT_OF_RANGE,
            code="date_out_of_range",
            params={"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()},
        )


# Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they can make
# a stored name read differently from what it holds ("‮nimdA" shows as "Admin‬").
BIDI_CONTROLS = re.compile(f"[{''.join(sorted(DIRECTION_OVERRIDES))}]")
# Characters that show nothing on their own: controls and format characters (zero-width
# joiners, marks), separators, unassigned and private-use code points, lone combining marks.
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"}
# Letters and symbols that are drawn as blank space: the Hangul fillers and the blank braille
# pattern, often used to make a name look empty.
BLANK_LOOKING = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}


def strip_bidi_controls(value):
    """The text without bidirectional embedding, override and isolate characters."""
    return BIDI_CONTROLS.sub("", value)


def has_visible_characters(value):
    """True if the text has at least one character that is drawn as something."""
    return any(
        unicodedata.category(char) not in INVISIBLE_CATEGORIES and char not in BLANK_LOOKING
        for char in value
    )


def validate_visible_name(value):
    """Refuse a name made only of characters that cannot be seen."""
    if value and not has_visible_characters(value):
        raise ValidationError(
            _("This name has no letters that can be seen. Please type the name again."),
            code="invisible_name",
        )
