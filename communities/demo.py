"""Demo community groups and events across London and other cities (no network needed), from
communities/demo.yaml."""

import datetime as dt

from django.utils import timezone
from django.utils.text import slugify

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
from communities.recurrence import next_occurrences
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
    today = timezone.localdate()
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
    created = 0
    accessibility = CONTENT["event_accessibility"]
    for spec in EVENTS:
        group, title, online = groups[spec["group"]], spec["title"], spec["online"]
        start_date = today + dt.timedelta(days=spec["in_days"])
        event = EventPage(
            title=title,
            summary=f"{title}: {group.summary}",
            event_type=spec["type"],
            language=spec["language"],
            start_date=start_date,
            start_time=_time(spec["start"]),
            end_time=_time(spec["end"]),
            repeat=spec["repeat"],
            monthly_week=spec["monthly_week"],
            repeat_count=spec["repeat_count"],
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
            event.exceptions.add(EventException(date=start_date + dt.timedelta(weeks=2)))
        group.add_child(instance=event)
        publish(event)
        if title in FULL:
            _fill(event)
        created += 1
    translated = ensure_group_translations(index, translate, locales)
    translated += ensure_event_translations(index, translate, locales)
    log(
        f"Communities: {len(groups)} groups, {created} events; "
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
