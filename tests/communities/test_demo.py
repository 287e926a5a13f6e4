"""The communities demo: groups in several cities, events of every kind, safe to run twice."""

import datetime as dt
from unittest import mock

import pytest
from django.db import models
from django.utils import timezone, translation

from communities import demo
from communities.booking import places_left
from communities.models import CommunityGroupPage, EventIndexPage, EventPage, GroupIndexPage
from communities.recurrence import next_occurrences
from core.demo.site import translate
from core.localization import ensure_locales, synchronise_locales
from core.models import HomePage


@pytest.mark.django_db(transaction=True)
def test_demo_groups_and_events(demo_site):
    # `demo_site` is what load_demo built once for this test worker; loading the groups
    # again adds nothing.
    home = HomePage.objects.get(locale__language_code="en")
    locales = synchronise_locales()
    messages = []
    assert demo.load(messages.append, home, translate, locales) == 0
    assert messages[-1] == "Communities: demo groups already loaded"

    assert GroupIndexPage.objects.count() == len(locales)
    assert set(EventIndexPage.objects.values_list("locale__language_code", flat=True)) == set(
        locales
    )
    groups = CommunityGroupPage.objects.live().filter(locale=home.locale)
    assert groups.count() == len(demo.GROUPS) >= 6
    assert all(group.editors_group_id for group in groups)
    # Some groups are translated, into the languages their members speak, and some events.
    translated = CommunityGroupPage.objects.live().exclude(locale=home.locale).filter(alias_of=None)
    assert sorted(translated.values_list("locale__language_code", flat=True)) == sorted(
        code for languages in demo.GROUP_TRANSLATIONS.values() for code in languages
    )
    urdu = translated.get(locale__language_code="ur")
    assert urdu.title == "لیوشم کی مذہبی برادریاں ایک ساتھ"
    assert urdu.area == "لیوشم، جنوب مشرقی لندن"
    translated_events = EventPage.objects.live().exclude(locale=home.locale).filter(alias_of=None)
    assert sorted(translated_events.values_list("locale__language_code", flat=True)) == sorted(
        code for languages in demo.EVENT_TRANSLATIONS.values() for code in languages
    )
    assert set(translated_events.values_list("locale__language_code", flat=True)) == set(
        locales
    ) - {"en"}
    polish = translated_events.get(title="Grupa wsparcia w żałobie po polsku")
    assert polish.summary.startswith("Grupa wsparcia w żałobie po polsku: Grupa wsparcia")
    events = list(EventPage.objects.live().filter(locale=home.locale))
    assert len(events) == len(demo.EVENTS) >= 36
    assert sum(1 for e in events if e.repeat) >= 10
    assert sum(1 for e in events if e.online) >= 3
    assert {e.postcode.split()[0][:2] for e in events if e.postcode} >= {
        "EC",
        "E8",
        "M1",
        "B1",
        "LS",
        "BS",
        "CF",
    }
    full = [e for e in events if e.title in demo.FULL]
    assert len(full) >= 4
    for event in full:
        first = next_occurrences(event, timezone.now(), limit=1)[0]
        assert places_left(event, first.key) == 0
    occurrences = sum(
        len(next_occurrences(e, timezone.now(), limit=100, horizon_days=90)) for e in events
    )
    assert occurrences > 60


@pytest.mark.django_db(transaction=True)
def test_demo_groups_have_met_and_booked_and_still_list_what_is_to_come(demo_site, client):
    from dateutil.relativedelta import relativedelta

    from communities.models import Booking, OccurrenceSeats
    from communities.recurrence import occurrences
    from communities.views import PAGE_SIZE

    now = timezone.now()
    last_month = timezone.localdate().replace(day=1) - relativedelta(months=1)
    since = timezone.make_aware(dt.datetime.combine(last_month, dt.time.min))
    events = {e.title: e for e in EventPage.originals().live()}
    specs = {spec["title"]: spec for spec in demo.EVENTS}
    met = 0
    for title, spec in specs.items():
        event = events[title]
        if not spec["repeat"]:
            assert event.first_starts_at > now, title
            continue
        # A repeating group has met since before last month.
        assert event.first_starts_at < since, title
        held = occurrences(event, since, now)
        assert held, title
        met += len(held)
    assert met >= 40
    assert counted_wrongly(loaded_on()) == []
    # No group meets on Christmas Day, Boxing Day or New Year's Day.
    on_holidays = [
        (event.title, occurrence.start.date())
        for event in EventPage.originals().live()
        for occurrence in occurrences(event, now, now + dt.timedelta(days=366))
        if (occurrence.start.month, occurrence.start.day) in [(12, 25), (12, 26), (1, 1)]
    ]
    assert on_holidays == []
    # The places at the dates held were booked before each began, through the booking rules:
    # the counter of places taken agrees with the bookings kept.
    past = Booking.objects.filter(starts_at__lt=now)
    assert past.count() >= 100
    assert not past.filter(created_at__gte=models.F("starts_at")).exists()
    assert past.filter(status=Booking.Status.CANCELLED).exists()
    for seats in OccurrenceSeats.objects.filter(starts_at__lt=now):
        confirmed = past.filter(
            event=seats.event, starts_at=seats.starts_at, status=Booking.Status.CONFIRMED
        ).count()
        assert seats.booked == confirmed <= seats.event.capacity
        # The register, where taken, marks each of them as there or not, and counts those who
        # came; where not taken, nobody is marked.
        marked = past.filter(event=seats.event, starts_at=seats.starts_at, attended__isnull=False)
        if seats.attended is None:
            assert not marked.exists()
        else:
            assert marked.count() == confirmed
            assert marked.filter(attended=True).count() == seats.attended
    registers = OccurrenceSeats.objects.filter(starts_at__lt=now, booked__gt=0)
    taken = registers.filter(attended__isnull=False).count()
    assert 0.6 * registers.count() <= taken < registers.count()
    # What's on and each group's page list what is to come, never a date that has passed.
    with translation.override("en"):
        rows = client.get(EventIndexPage.objects.get(locale__language_code="en").url).context[
            "rows"
        ]
        assert len(rows) == PAGE_SIZE
        assert all(row["occurrence"].start >= now for row in rows)
        for group in CommunityGroupPage.objects.live().filter(locale__language_code="en"):
            listed = client.get(group.url).context["occurrences"]
            assert listed, group.title
            assert all(occurrence.start >= now for occurrence in listed)


def loaded_on():
    """The day the communities demo was loaded on: that of its first group's publication,
    which follows the loader's one reading of the clock by the making of one page (a demo
    whose events are published after midnight was still loaded on the day before)."""
    first = CommunityGroupPage.objects.filter(alias_of=None).order_by("first_published_at")
    return timezone.localdate(first.values_list("first_published_at", flat=True)[0])


def counted_wrongly(loaded):
    """The repeating events of a limited number of dates that, from the date demo.yaml gives
    (counted from `loaded`) on, have other than as many as it says, less the weeks they miss."""
    from communities.recurrence import occurrences

    wrong = []
    for event in EventPage.originals().filter(repeat_count__isnull=False):
        spec = next(spec for spec in demo.EVENTS if spec["title"] == event.title)
        given = loaded + dt.timedelta(days=spec["in_days"])
        start = timezone.make_aware(dt.datetime.combine(given, dt.time.min))
        dates = occurrences(event, start, start + dt.timedelta(days=800))
        if len(dates) != spec["repeat_count"] - len(event.exceptions.all()):
            wrong.append((event.title, len(dates)))
    return wrong


@pytest.mark.django_db(transaction=True)
def test_a_demo_loaded_across_midnight_counts_its_dates_from_the_day_it_began(
    home, locales, gazetteer
):
    """The demo reads the clock once: loaded from just before midnight until after it, its
    events are published on the next day, and their dates are still counted from the first."""
    from freezegun import freeze_time

    eve = dt.datetime(2026, 12, 5, 23, 59, 58, tzinfo=timezone.get_current_timezone())
    published = demo.publish

    def publish(page):
        if isinstance(page, EventPage):
            clock.move_to(eve + dt.timedelta(seconds=5))
        published(page)

    # The groups and events alone: their translations and the aliases that keep the other
    # languages in step read no clock of their own, and would take most of the time.
    with freeze_time(eve) as clock, mock.patch.object(demo, "publish", publish):
        demo.load(lambda message: None, home, lambda page, locale, strings: None, ensure_locales())
    assert timezone.localdate(EventPage.objects.order_by("pk").first().first_published_at) == (
        eve.date() + dt.timedelta(days=1)
    )
    assert loaded_on() == eve.date()
    assert EventPage.originals().filter(repeat_count__isnull=False).count() >= 3
    assert counted_wrongly(loaded_on()) == []
    # Counted from the day the events were published (as this suite once did), some are not.
    assert counted_wrongly(eve.date() + dt.timedelta(days=1))
