"""Checks on text and dates that every public form and the API share."""

import datetime as dt
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
