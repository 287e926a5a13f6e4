"""Reading and checking the values of one HSDS object.

`Fields` reads one object (a service, a phone, an address...) value by value: text is
trimmed and HTML made plain, addresses lose invisible characters, numbers, dates and times
are parsed, each against the limits of the model field it goes to. A value that can be
repaired is, and one that cannot is dropped, each with a warning naming its path
(`service_at_locations[0].location.addresses[1].postal_code`); a value the record cannot do
without is an error, which skips the record. `KNOWN` lists what is read of each kind of
object: anything else a feed sends is named once in the report's `ignored_fields`.
"""

import datetime as dt
import decimal
import functools
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.dateparse import parse_date, parse_datetime, parse_time

from core.typed import invisible_characters, without_invisible
from directory.hsds.cleaning import html_to_text, looks_like_html
from directory.hsds.schema_fields import known

# Text fields without a database limit still get one: a 50,000-character description is a
# broken export, not something to show a grieving person.
TEXT_LIMIT = 50_000

# What we read from each HSDS object (declared in `directory.hsds.schema_fields`). Anything
# else a feed sends is named once in the report's `ignored_fields`, so nothing is dropped
# silently.
KNOWN = known()

# -- reading one object ----------------------------------------------------------------------


class Problems:
    """Errors and warnings for one service record, each with the path of the field."""

    def __init__(self):
        self.errors = []
        self.warnings = []
        # Paths whose problems are reported under another: a record the feed lists twice.
        self.elsewhere = []


@functools.cache
def _limit(model, name):
    """The database length limit of a model's text field, or our own for unlimited text."""
    return model._meta.get_field(name).max_length or TEXT_LIMIT


_url_validator = URLValidator()


@functools.lru_cache(maxsize=4096)
def _valid_url(value):
    """Whether a web address is valid as it stands (feeds repeat the same few many times)."""
    try:
        _url_validator(value)
    except ValidationError:
        return False
    return True


class Fields:
    """Reads and checks the values of one HSDS object, noting problems under its path."""

    def __init__(self, data, path, kind, problems, ignored):
        self.data = data
        self.path = path
        self.problems = problems
        for key in data.keys() - KNOWN[kind]:
            if data[key] not in (None, "", [], {}):
                ignored.add(f"{kind}.{key}")

    def where(self, name):
        return f"{self.path}.{name}" if self.path else name

    def error(self, name, message):
        self.problems.errors.append((self.where(name), message))

    def warn(self, name, message):
        self.problems.warnings.append((self.where(name), message))

    def raw(self, name):
        value = self.data.get(name)
        if isinstance(value, str) and not value.strip():
            return None
        return value

    def text(self, name, model, attr=None, required=False, limit=True):
        value = self.raw(name)
        if value is None:
            if required:
                self.error(name, "is required.")
            return ""
        if isinstance(value, (int, decimal.Decimal, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.error(name, "must be text.")
            return ""
        if looks_like_html(value):
            plain = html_to_text(value)
            if plain != value:
                self.warn(
                    name, "contained HTML; converted to plain text, keeping paragraphs and lines."
                )
                value = plain
        most = _limit(model, attr or name)
        if limit and len(value) > most:
            self.error(name, f"is {len(value)} characters long; the limit is {most}.")
        return value

    def _too_long(self, name, value, model, attr):
        """Whether an address is too long to store; if so it is left out with a warning."""
        most = _limit(model, attr or name)
        if len(value) > most:
            self.warn(
                name,
                f"is {len(value)} characters long, over the {most} we store; left out.",
            )
            return True
        return False

    def _visible(self, name, value):
        """`value` without the invisible characters a copy and paste leaves in addresses."""
        hidden = invisible_characters(value.strip())
        if hidden:
            value = without_invisible(value)
            self.warn(name, f"had invisible characters ({', '.join(hidden)}); removed: “{value}”.")
        return value.strip()

    def uuid(self, name, required=True):
        value = self.raw(name)
        if value is None:
            if required:
                self.error(name, "is required.")
            return None
        try:
            return uuid.UUID(str(value))
        except ValueError:
            self.error(name, f"“{value}” is not a UUID.")
            return None

    def choice(self, name, choices, default="", required=False):
        value = self.raw(name)
        if value is None:
            if required:
                self.error(name, "is required.")
            return default
        if value not in choices:
            self.error(name, f"“{value}” is not one of: {', '.join(sorted(choices))}.")
            return default
        return value

    def number(self, name, minimum=None, maximum=None, dropped=None):
        """A number in range; with `dropped` (what happens instead), a bad one is left out
        with a warning rather than refusing the record."""
        value = self.raw(name)
        if value is None:
            return None

        def bad(message):
            if dropped:
                self.warn(name, f"{message[:-1]}; left out, {dropped}.")
            else:
                self.error(name, message)

        if isinstance(value, bool):
            bad("must be a number.")
            return None
        try:
            number = decimal.Decimal(str(value).strip())
        except decimal.InvalidOperation:
            bad(f"“{value}” is not a number.")
            return None
        if not number.is_finite():
            bad(f"“{value}” is not a number.")
            return None
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            bad(f"{value} is outside the range {minimum} to {maximum}.")
            return None
        return number

    def integer(self, name, minimum=0, maximum=32767):
        number = self.number(name, minimum, maximum)
        if number is None:
            return None
        if number != number.to_integral_value():
            self.error(name, f"{number} is not a whole number.")
            return None
        return int(number)

    def date(self, name):
        value = self.raw(name)
        if value is None:
            return None
        text = str(value).strip()
        try:
            parsed = parse_date(text) or (parse_datetime(text) or None)
        except ValueError:
            parsed = None
        if parsed is None:
            self.error(name, f"“{value}” is not a date (use YYYY-MM-DD).")
            return None
        return parsed.date() if isinstance(parsed, dt.datetime) else parsed

    def time(self, name):
        value = self.raw(name)
        if value is None:
            return None
        try:
            parsed = parse_time(str(value).strip())
        except ValueError:
            parsed = None
        if parsed is None:
            self.error(name, f"“{value}” is not a time (use HH:MM or HH:MM:SS).")
            return None
        # Opening times are local wall-clock times here; an offset in a feed does not move them.
        return parsed.replace(tzinfo=None, microsecond=0)

    def email(self, name, model, attr=None):
        value = self._visible(name, self.text(name, model, attr, limit=False))
        if value:
            if self._too_long(name, value, model, attr):
                return ""
            try:
                validate_email(value)
            except ValidationError:
                self.warn(name, f"“{value}” is not an email address; left out.")
                return ""
        return value

    def url(self, name, model, attr=None):
        value = self._visible(name, self.text(name, model, attr, limit=False))
        if not value:
            return ""
        if self._too_long(name, value, model, attr):
            return ""
        if _valid_url(value):
            return value
        try:
            _url_validator(value)
        except ValidationError:
            fixed = "https://" + value
            if "://" not in value:
                try:
                    _url_validator(fixed)
                except ValidationError:
                    pass
                else:
                    self.warn(name, f"“{value}” had no scheme; stored as {fixed}.")
                    if len(fixed) <= _limit(model, attr or name):
                        return fixed
            self.warn(name, f"“{value}” is not a web address; left out.")
            return ""
        return value

    def objects(self, name):
        """A list of objects; anything else is an error."""
        value = self.data.get(name)
        if value in (None, ""):
            return []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.error(name, "must be a list of objects.")
            return []
        return value

    def object(self, name):
        value = self.data.get(name)
        if value in (None, ""):
            return None
        if not isinstance(value, dict):
            self.error(name, "must be an object.")
            return None
        return value
