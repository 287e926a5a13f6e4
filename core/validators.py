"""Validators shared by the public forms."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they can make
# a stored name read differently from what it holds ("‮nimdA" shows as "Admin‬").
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
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
