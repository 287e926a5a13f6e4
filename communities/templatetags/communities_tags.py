"""Formatting for community events: when an occurrence is, and how an event repeats."""

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from communities import views
from communities.recurrence import monthly_week
from core.dates import uk_date, weekday_in_sentence

register = template.Library()


@register.filter
def when(occurrence):
    """'Tuesday 8 December 2026, 19:00 to 21:00' in the event's own time zone."""
    start = timezone.localtime(occurrence.start, occurrence.event.zone)
    end = timezone.localtime(occurrence.end, occurrence.event.zone)
    return _("%(date)s, %(start)s to %(end)s") % {
        "date": uk_date(start, weekday=True),
        "start": date_format(start, "H:i"),
        "end": date_format(end, "H:i"),
    }


@register.filter
def repeat_summary(event):
    """How often an event happens, in words."""
    weekday = weekday_in_sentence(event.start_date.weekday())
    if event.repeat == "weekly":
        if event.repeat_interval and event.repeat_interval > 1:
            return _("Every %(count)s weeks on %(weekday)s") % {
                "count": event.repeat_interval,
                "weekday": weekday,
            }
        return _("Every week on %(weekday)s") % {"weekday": weekday}
    if event.repeat == "monthly":
        ordinals = {
            1: _("first"),
            2: _("second"),
            3: _("third"),
            4: _("fourth"),
            -1: _("last"),
        }
        return _("Every month on the %(ordinal)s %(weekday)s") % {
            "ordinal": ordinals[monthly_week(event)],
            "weekday": weekday,
        }
    return _("Once")


@register.filter
def occurrence_rows(occurrences):
    return views.occurrence_rows(occurrences)
