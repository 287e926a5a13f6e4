"""Demo community groups and events across London and other cities (no network needed), from
communities/demo.yaml.

The groups have been meeting for a while: a repeating event's first date is before the
start of last month (from the date demo.yaml gives on, its dates are as many as it says), and
the places at the dates it has already met were booked, through the booking rules, before
each took place, and most dates' registers of who came were taken after them. So the
insight figures of the months they count from the site's own records, last month and this
month, have events held, places taken and places used (insight/figures.py).
"""

import datetime as dt
import random

from dateutil.relativedelta import relativedelta
from dateutil.relativedelta import weekday as nth_weekday
from django.utils import timezone
from django.utils.text import slugify

from communities import attendance
from communities.booking import book, cancel
from communities.models import (
    Booking,
    CommunityGroupPage,
    EventException,
    EventIndexPage,
    EventPage,
    GroupIndexPage,
    OccurrenceSeats,
)
from communities.permissions import ensure_group_editors, ensure_moderation
from communities.recurrence import next_occurrences, occurrences, week_of_month
from core.demo.data import by_language, read
from core.demo.registry import register
from core.localization import is_translated, publish

CONTENT = read("communities")
PAGE_TRANSLATIONS = by_language(CONTENT["page_translations"])
GROUPS = CONTENT["groups"]
ACCESSIBILITY = CONTENT["accessibility"]
GROUP_TRANSLATIONS = {
    title: by_language(segments) for title, segments in CONTENT["group_translations"].items()
}
EVENTS = CONTENT["events"]
FULL = set(CONTENT["full"])
EVENT_TRANSLATIONS = CONTENT["event_translations"]


def _time(text):
    return dt.time.fromisoformat(text)


# Of the places at a date an event has met, the share taken (drawn for each date), and the
# share of bookings cancelled before the day, giving the place back.
TAKEN = (0.35, 1.0)
CANCELLED = 0.08
# Of the dates met, the share whose register the group took; of the people booked, the share
# who came.
REGISTERED = 0.85
CAME = 0.85


def _earlier(start, spec, times):
    """The date of the repeating event `times` weeks or months before `start`, by its rule."""
    if spec["repeat"] == "weekly":
        return start - dt.timedelta(weeks=times)
    week = spec["monthly_week"] or monthly_week_of(start)
    day = 1 if week > 0 else 31
    return start + relativedelta(months=-times, day=day, weekday=nth_weekday(start.weekday(), week))


def monthly_week_of(day):
    week = week_of_month(day)
    return -1 if week == 5 else week


def first_date(spec, upcoming, since):
    """(first date, times met before `upcoming`): a repeating event has met on its rule since
    before `since`; a one-off is held on `upcoming`."""
    if not spec["repeat"]:
        return upcoming, 0
    times = held = 0
    while True:
        first = _earlier(upcoming, spec, times)
        held += first < upcoming  # a monthly rule's date may fall before it in its month
        if first < since:
            return first, held
        times += 1


# Days no group meets: Christmas Day, Boxing Day and New Year's Day.
HOLIDAYS = [(12, 25), (12, 26), (1, 1)]


def after_holidays(day):
    """`day`, or the first day after it that is not a holiday (a one-off event's date)."""
    while (day.month, day.day) in HOLIDAYS:
        day += dt.timedelta(days=1)
    return day


def holidays_off(event, today):
    """The dates in the coming year that the repeating `event` would meet on a holiday, left
    out as real groups leave them out (the dates already given as exceptions aside)."""
    if not event.repeat:
        return []
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    days = {o.start.date() for o in occurrences(event, start, start + dt.timedelta(days=366))}
    taken = {exception.date for exception in event.exceptions.all()}
    return sorted(day for day in days if (day.month, day.day) in HOLIDAYS and day not in taken)


def book_past_dates(event, rng, since, now):
    """Places taken at each date the event has met from `since` until `now`, booked before
    the day through the booking rules (a cancelled place given back), the bookers fictional."""
    if not event.bookable:
        return 0
    made = []
    for occurrence in occurrences(event, since, now):
        wanted = round(event.capacity * rng.uniform(*TAKEN))
        for n in range(wanted):
            booked_at = occurrence.start - dt.timedelta(hours=rng.uniform(2, 14 * 24))
            booking = book(
                event,
                occurrence.key,
                f"Demo booker {n + 1}",
                f"demo-{event.pk}-{occurrence.key:%Y%m%d}-{n}@example.com",
                now=booked_at,
            )
            booking.created_at = booked_at
            made.append(booking)
            if rng.random() < CANCELLED:
                cancel(booking, now=booked_at + (occurrence.start - booked_at) / 2)
        if rng.random() < REGISTERED:
            people = list(
                attendance.people_booked(event, occurrence.key).values_list("pk", flat=True)
            )
            came = [pk for pk in people if rng.random() < CAME]
            if people:
                attendance.record(event, occurrence.key, came, now=occurrence.end)
    Booking.objects.bulk_update(made, ["created_at"])
    return len(made)


def ensure_pages(home, translate, locales):
    """The groups index and the events page under the English home page, translated."""
    groups = GroupIndexPage.objects.filter(locale=home.locale).first()
    if groups is None:
        groups = GroupIndexPage(**CONTENT["groups_page"], show_in_menus=True)
        home.add_child(instance=groups)
        publish(groups)
    events = EventIndexPage.objects.filter(locale=home.locale).first()
    if events is None:
        events = EventIndexPage(**CONTENT["events_page"], show_in_menus=True)
        home.add_child(instance=events)
        publish(events)
    for page in (groups, events):
        for code, strings in PAGE_TRANSLATIONS.items():
            if not is_translated(page, locales[code]):
                translate(page, locales[code], strings)
    ensure_moderation(groups)
    return groups, events


def _fill(event, count=1):
    """Book every place at the first `count` occurrences, and put one person on the list."""
    for occurrence in next_occurrences(event, timezone.now(), limit=count):
        OccurrenceSeats.objects.update_or_create(
            event=event, starts_at=occurrence.key, defaults={"booked": event.capacity}
        )
        for n in range(event.capacity + 1):
            Booking.objects.get_or_create(
                event=event,
                starts_at=occurrence.key,
                email=f"demo-{event.pk}-{n}@example.com",
                defaults={
                    "name": f"Demo booker {n + 1}",
                    "status": Booking.Status.CONFIRMED
                    if n < event.capacity
                    else Booking.Status.WAITING,
                },
            )


def load(log, home, translate, locales):
    """Create the demo groups and events unless they are there already."""
    index, _events_page = ensure_pages(home, translate, locales)
    if CommunityGroupPage.objects.child_of(index).exists():
        translated = ensure_group_translations(index, translate, locales)
        translated += ensure_event_translations(index, translate, locales)
        log(
            "Communities: demo groups already loaded"
            + (f"; translations: {', '.join(translated)}" if translated else "")
        )
        return 0
    now = timezone.now()
    today = timezone.localdate(now)
    last_month = today.replace(day=1) - relativedelta(months=1)
    since = timezone.make_aware(dt.datetime.combine(last_month, dt.time.min))
    rng = random.Random(2026)  # noqa: S311 - reproducible demo data, not security
    groups = {}
    for spec in GROUPS:
        group = CommunityGroupPage(
            **spec,
            contact_email=CONTENT["group_email"].format(slug=slugify(spec["title"])),
            accessibility=ACCESSIBILITY,
        )
        index.add_child(instance=group)
        publish(group)
        ensure_group_editors(group)
        groups[group.title] = group
    created = booked = 0
    accessibility = CONTENT["event_accessibility"]
    for spec in EVENTS:
        group, title, online = groups[spec["group"]], spec["title"], spec["online"]
        upcoming = today + dt.timedelta(days=spec["in_days"])
        if not spec["repeat"]:
            upcoming = after_holidays(upcoming)
        start_date, held = first_date(spec, upcoming, last_month)
        week = spec["monthly_week"]
        if spec["repeat"] == "monthly" and week is None:
            # The week of the month of the date demo.yaml gives, whatever the first date's.
            week = monthly_week_of(upcoming)
            week = None if monthly_week_of(start_date) == week else week
        event = EventPage(
            title=title,
            summary=f"{title}: {group.summary}",
            event_type=spec["type"],
            language=spec["language"],
            start_date=start_date,
            start_time=_time(spec["start"]),
            end_time=_time(spec["end"]),
            repeat=spec["repeat"],
            monthly_week=week,
            repeat_count=spec["repeat_count"] and spec["repeat_count"] + held,
            postcode=spec["postcode"],
            venue_name=spec["venue"],
            online=online,
            online_url=CONTENT["online_url"].format(slug=slugify(title)) if online else "",
            capacity=spec["capacity"],
            free=not spec["cost"],
            cost=spec["cost"],
            accessibility=accessibility["online" if online else "in_person"],
        )
        if spec["repeat"] == "weekly":
            # A bank-holiday week off, as real groups have.
            event.exceptions.add(EventException(date=upcoming + dt.timedelta(weeks=2)))
        for day in holidays_off(event, today):
            event.exceptions.add(EventException(date=day))
        group.add_child(instance=event)
        publish(event)
        if title in FULL:
            _fill(event)
        booked += book_past_dates(event, rng, since, now)
        created += 1
    translated = ensure_group_translations(index, translate, locales)
    translated += ensure_event_translations(index, translate, locales)
    log(
        f"Communities: {len(groups)} groups, {created} events, {booked} places booked at "
        f"dates already held; "
        f"translations: {', '.join(translated) or 'none'}"
    )
    return created


def ensure_event_translations(index, translate, locales):
    """Translate the demo events listed in EVENT_TRANSLATIONS where not done yet."""
    done = []
    events = {event.title: event for event in EventPage.objects.descendant_of(index)}
    for title, languages in EVENT_TRANSLATIONS.items():
        event = events.get(title)
        if event is None:
            continue
        for code, translation in languages.items():
            if code not in locales or is_translated(event, locales[code]):
                continue
            # Translated under its group's page in that language (a translation, or the
            # alias that keeps the language in step): never a second copy of the group.
            if event.get_parent().has_translation(locales[code]):
                translated_title = translation["title"]
                strings = {
                    title: translated_title,
                    event.summary: f"{translated_title}: {translation['group_summary']}",
                }
                translate(event, locales[code], strings)
                done.append(f"{event.slug} ({code})")
    return done


def ensure_group_translations(index, translate, locales):
    """Translate the demo groups listed in GROUP_TRANSLATIONS where not done yet."""
    done = []
    groups = {group.title: group for group in CommunityGroupPage.objects.child_of(index)}
    for title, languages in GROUP_TRANSLATIONS.items():
        group = groups.get(title)
        if group is None:
            continue
        for code, strings in languages.items():
            if code in locales and not is_translated(group, locales[code]):
                translate(group, locales[code], strings)
                done.append(f"{group.slug} ({code})")
    return done


@register(order=40)
def demo_communities(context):
    """Groups, events and bookings, with the pages that list them."""
    load(context.log, context.home, context.translate, context.locales)
