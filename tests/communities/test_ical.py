"""iCalendar feeds, parsed back with the icalendar library."""

import datetime as dt
import zoneinfo

import icalendar
import pytest
from dateutil.rrule import rrulestr

from communities.models import EventException

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def test_event_feed_has_rrule_exdate_tzid_and_vtimezone(client, make_event):
    start = dt.date.today() + dt.timedelta(days=9)
    event = make_event(
        title="Walk and talk",
        start_date=start,
        repeat="monthly",
        repeat_count=6,
        online=True,
        online_url="https://meet.example/private",
    )
    skipped = start + dt.timedelta(weeks=4) if start.day <= 21 else None
    skipped_date = None
    from communities.recurrence import occurrences

    dates = occurrences(
        event,
        dt.datetime.combine(start, dt.time.min, tzinfo=LONDON),
        dt.datetime.combine(start + dt.timedelta(days=400), dt.time.min, tzinfo=LONDON),
    )
    skipped_date = dates[2].start.date()
    EventException.objects.create(event=event, date=skipped_date)
    del skipped

    cal = parse(client.get(event.url + "calendar.ics"))
    assert cal["VERSION"] == "2.0"
    vevents = cal.walk("VEVENT")
    assert len(vevents) == 1
    vevent = vevents[0]
    assert str(vevent["SUMMARY"]) == "Walk and talk"
    dtstart = vevent.decoded("DTSTART")
    assert dtstart == dt.datetime.combine(start, dt.time(19), tzinfo=LONDON)
    assert vevent["DTSTART"].params["TZID"] == "Europe/London"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    assert vevent["RRULE"]["FREQ"] == ["MONTHLY"]
    assert vevent["RRULE"]["COUNT"] == [6]
    exdates = [d.dt for d in vevent["EXDATE"].dts]
    assert exdates == [dt.datetime.combine(skipped_date, dt.time(19), tzinfo=LONDON)]
    # The private joining link is not in the public feed.
    assert "meet.example" not in response_text(client, event)
    # Expanded by a second implementation, the rule gives the same dates as ours.
    rule = rrulestr(vevent["RRULE"].to_ical().decode(), dtstart=dtstart)
    theirs = [d for d in rule if d.date() not in {skipped_date}]
    ours = [o.start for o in dates if o.start.date() != skipped_date]
    assert theirs == ours


def response_text(client, event):
    return client.get(event.url + "calendar.ics").content.decode()


def test_all_events_and_group_feeds(client, make_event, make_group, events_page, group):
    make_event(title="Death Café")
    other = make_group(title="Leeds walkers")
    make_event(parent=other, title="Leeds walk", postcode="LS1 4AP")
    everything = parse(client.get(events_page.url + "calendar.ics"))
    assert sorted(str(e["SUMMARY"]) for e in everything.walk("VEVENT")) == [
        "Death Café",
        "Leeds walk",
    ]
    uids = [str(e["UID"]) for e in everything.walk("VEVENT")]
    assert len(set(uids)) == 2
    one_group = parse(client.get(other.url + "calendar.ics"))
    assert [str(e["SUMMARY"]) for e in one_group.walk("VEVENT")] == ["Leeds walk"]
    assert "LS1 4AP" in str(one_group.walk("VEVENT")[0]["LOCATION"])


def summer_time_starts(vtimezone):
    """The years in which the VTIMEZONE's summer time (its DAYLIGHT observance) begins."""
    years = set()
    for sub in vtimezone.walk("DAYLIGHT"):
        years.add(sub.decoded("DTSTART").year)
        rdates = sub.get("RDATE", [])
        for rdate in rdates if isinstance(rdates, list) else [rdates]:
            years.update(d.dt.year for d in rdate.dts)
    return years


def test_vtimezone_covers_every_date_of_the_feed(client, make_event):
    """The feed's own VTIMEZONE lists summer time for every year its events happen in."""
    start = dt.date.today() + dt.timedelta(days=5)
    event = make_event(
        title="Monthly circle",
        start_date=start,
        repeat="monthly",
        repeat_until=dt.date(2040, 12, 31),
    )
    cal = parse(client.get(event.url + "calendar.ics"))
    [vtimezone] = cal.walk("VTIMEZONE")
    years = summer_time_starts(vtimezone)
    assert set(range(start.year + 1, 2041)) <= years
    # It starts with the events, not in 1970.
    onsets = [sub.decoded("DTSTART") for sub in vtimezone.subcomponents]
    assert min(onsets).year == start.year

    make_event(title="Weekly walk", start_date=start, repeat="weekly")  # repeats for ever
    group_feed = parse(client.get(event.get_parent().url + "calendar.ics"))
    years = summer_time_starts(group_feed.walk("VTIMEZONE")[0])
    assert dt.date.today().year + 40 in years
