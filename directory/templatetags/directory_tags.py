"""Formatting for the directory's pages."""

from django import template
from django.utils.dates import WEEKDAYS
from django.utils.formats import number_format, time_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, npgettext, pgettext

from core.dates import uk_date, weekday_in_sentence
from core.recurrence import parse_byday, parse_monthdays
from directory.schedules import ALL_DAY_CLOSE, ALL_DAY_OPEN, start_matters, starts_on

register = template.Library()


@register.filter
def weekday_name(index):
    """The weekday's name on its own, as a table's heading: capitalised in every language
    (within a sentence, core.dates.weekday_in_sentence)."""
    return WEEKDAYS[index]


@register.filter
def period(value):
    """'9:00 to 17:00', or 'Open 24 hours' for a whole-day period."""
    opens, closes = value
    if opens == ALL_DAY_OPEN and closes == ALL_DAY_CLOSE:
        return _("Open 24 hours")
    return _("%(opens)s to %(closes)s") % {
        "opens": time_format(opens, "H:i"),
        "closes": time_format(closes, "H:i"),
    }


@register.filter
def miles(value):
    """A distance in miles, to one decimal place, worded for the visitor's language."""
    if value is None:
        return ""
    if value < 0.1:
        return _("less than 0.1 miles")
    rounded = round(value, 1)
    if rounded == int(rounded):
        count = int(rounded)
        return ngettext("%(miles)s mile", "%(miles)s miles", count) % {
            "miles": number_format(count)
        }
    # Plural rules are for whole numbers; a decimal distance has its own message.
    return pgettext("distance with a decimal fraction", "%(miles)s miles") % {
        "miles": number_format(rounded, decimal_pos=1)
    }


@register.filter
def term_name(term):
    return term.display_name


REPEATS = "how often an opening time repeats"
NTH_WEEKDAY = {
    1: gettext_lazy("the first %(day)s"),
    2: gettext_lazy("the second %(day)s"),
    3: gettext_lazy("the third %(day)s"),
    4: gettext_lazy("the fourth %(day)s"),
    5: gettext_lazy("the fifth %(day)s"),
    -1: gettext_lazy("the last %(day)s"),
}


def _weekday_words(ordinal, index):
    day = weekday_in_sentence(index)
    if ordinal is None:
        return day
    if ordinal in NTH_WEEKDAY:
        return NTH_WEEKDAY[ordinal] % {"day": day}
    return _("%(day)s, week %(number)s from the end of the month") % {
        "day": day,
        "number": -ordinal,
    }


def _month_day_words(day):
    if day > 0:
        return _("day %(number)s") % {"number": day}
    if day == -1:
        return _("the last day")
    return _("day %(number)s from the end of the month") % {"number": -day}


@register.filter
def repeats(schedule, today):
    """An opening rule in a sentence: 'Every 2 weeks on Tuesday, starting on 5 January 2027:
    10:00 to 12:00', 'Every month on day 1 and the last day: 18:00 to 20:00'. The start is
    named when it matters on `today` (directory.schedules.start_matters)."""
    interval = schedule.interval or 1
    if schedule.freq == "MONTHLY":
        how_often = npgettext(REPEATS, "Every month", "Every %(count)s months", interval)
        days = [_month_day_words(day) for day in parse_monthdays(schedule.bymonthday)]
    else:
        how_often = npgettext(REPEATS, "Every week", "Every %(count)s weeks", interval)
        days = []
    days = [_weekday_words(*part) for part in parse_byday(schedule.byday)] + days
    words = how_often % {"count": interval}
    if days:
        words = _("%(how_often)s on %(days)s") % {
            "how_often": words,
            "days": get_text_list(days, _("and")),
        }
    if start_matters(schedule, today):
        words = _("%(rule)s, starting on %(date)s") % {
            "rule": words,
            "date": uk_date(starts_on(schedule)),
        }
    if schedule.opens_at and schedule.closes_at:
        words = _("%(rule)s: %(period)s") % {
            "rule": words,
            "period": period((schedule.opens_at, schedule.closes_at)),
        }
    return words
