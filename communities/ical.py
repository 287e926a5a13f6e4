"""iCalendar (RFC 5545) feeds: all events, one group's, or one event ("add to my calendar").

Each event is one VEVENT with DTSTART/DTEND in its own time zone (TZID, with the VTIMEZONE
the calendar needs), and a repeating event carries its RRULE and EXDATEs, so calendar apps
show every future date and keep times right across summer time.
"""

import datetime as dt

import icalendar
from django.utils import timezone
from django.utils.html import strip_tags

from communities.recurrence import exception_dates, rule_parts

PRODID = "-//Compassionate Communities//Community events//EN"
# How far ahead the VTIMEZONE's summer-time changes are listed for an event that repeats for
# ever (icalendar lists each change as an RDATE, so the definition needs an end).
OPEN_ENDED_YEARS = 50


def _vevent(event, request, now):
    duration = event.duration or dt.timedelta(hours=1)
    start = dt.datetime.combine(event.start_date, event.start_time, tzinfo=event.zone)
    vevent = icalendar.Event()
    vevent.add("uid", f"event-{event.pk}@{request.get_host().split(':')[0]}")
    vevent.add("dtstamp", now)
    vevent.add("last-modified", (event.last_published_at or now).astimezone(dt.UTC))
    vevent.add("summary", event.title)
    description = event.summary
    if event.description:
        description += "\n\n" + strip_tags(event.description)
    vevent.add("description", description)
    vevent.add("dtstart", start)
    vevent.add("dtend", start + duration)
    url = request.build_absolute_uri(event.url)
    vevent.add("url", url)
    where = ", ".join(part for part in (event.venue_name, event.address, event.postcode) if part)
    if event.online_link_public():
        where = f"{where} / {event.online_url}" if where else event.online_url
    elif event.online and not where:
        where = url
    if where:
        vevent.add("location", where.replace("\r\n", ", ").replace("\n", ", "))
    if event.latitude is not None:
        vevent.add("geo", (event.latitude, event.longitude))
    parts = rule_parts(event)
    if parts:
        vevent.add("rrule", {key.lower(): value for key, value in parts.items()})
        skip = sorted(exception_dates(event))
        if skip:
            vevent.add(
                "exdate",
                [dt.datetime.combine(day, event.start_time, tzinfo=event.zone) for day in skip],
            )
    return vevent


def calendar(events, request, name):
    """The bytes of a VCALENDAR holding `events`."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    now = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    events = list(events)
    for event in events:
        cal.add_component(_vevent(event, request, now))
    if events:
        cal.add_missing_timezones(*timezone_range(events, now.date()))
    return cal.to_ical()


def timezone_range(events, today):
    """(first, last) dates the VTIMEZONEs must cover: every date of every event in the feed.

    icalendar's default (1970 to 2038) would leave out the summer-time changes of events
    that repeat past 2038, and lists fifty years of changes nobody needs before them.
    """
    first = min(event.start_date for event in events) - dt.timedelta(days=1)
    ends = [event.last_ends_at for event in events]
    if any(end is None for end in ends):
        last = today.replace(year=today.year + OPEN_ENDED_YEARS, day=1)
    else:
        last = max(end.date() for end in ends) + dt.timedelta(days=2)
    return first, max(last, first + dt.timedelta(days=2))
