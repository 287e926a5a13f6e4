"""Dates in running text, written as a native reader of each language expects.

A day and month read "4 December 2026" in English, but Polish (and other languages with
cases) puts the month after a day in the genitive, "4 grudnia 2026": Django's "E" format
gives that form (its "alt. month" names, the nominative elsewhere), "F" the nominative.

Weekday names mid-sentence follow each language's rule: English, German and Welsh write
them with a capital ("Dydd Mawrth"), most European languages in lower case ("wtorek",
"mardi"), as CLDR's format names do; scripts without case are left alone. Django's own
translations give the names capitalised, as for the start of a line or a table's heading.
"""

from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.translation import get_language

# Languages whose weekday names are written in lower case within a sentence (CLDR).
LOWER_CASE_WEEKDAYS = frozenset(
    {
        "bg",
        "ca",
        "cs",
        "da",
        "es",
        "et",
        "eu",
        "fi",
        "fr",
        "gl",
        "hr",
        "hu",
        "it",
        "lt",
        "lv",
        "mk",
        "nb",
        "nl",
        "nn",
        "no",
        "pl",
        "pt",
        "ro",
        "ru",
        "sk",
        "sl",
        "sr",
        "sv",
        "uk",
    }
)


def weekdays_in_lower_case(language=None):
    """Whether `language` (the active one by default) writes weekdays in lower case."""
    code = (language or get_language() or "en").lower().replace("_", "-")
    return code.split("-")[0] in LOWER_CASE_WEEKDAYS


def weekday_in_sentence(index):
    """The weekday (0 is Monday) as written mid-sentence in the active language."""
    name = str(WEEKDAYS[index])
    return name.lower() if weekdays_in_lower_case() else name


def uk_date(value, weekday=False, time=False, year=True):
    """A day, month and year for running text: "4 December 2026", "4 grudnia 2026"; with
    `weekday`, "Friday 4 December 2026" ("piątek 4 grudnia 2026"); with `time`, ", 19:00";
    without `year`, "4 December" for a date in the coming days."""
    if value is None or value == "":
        return ""
    text = date_format(value, "j E Y" if year else "j E")
    if weekday:
        text = f"{weekday_in_sentence(value.weekday())} {text}"
    if time:
        text = f"{text}, {date_format(value, 'H:i')}"
    return text
