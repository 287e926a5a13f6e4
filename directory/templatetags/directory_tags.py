"""Formatting for the directory's pages."""

from django import template
from django.utils.formats import number_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from directory.schedules import ALL_DAY_CLOSE, ALL_DAY_OPEN

register = template.Library()


@register.filter
def weekday_name(index):
    from django.utils.dates import WEEKDAYS

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
