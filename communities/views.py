"""Request handling for the events pages: parse, call one function, hand to the template."""

import calendar as pycalendar
import datetime as dt
import json

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path, re_path
from django.utils import timezone, translation
from django.utils.dates import WEEKDAYS
from django.views.decorators.cache import never_cache
from wagtail.models import Page, Site

from communities import ical
from communities.booking import (
    BookingError,
    book,
    booking_from_token,
    cancel,
    link_expired,
    places_left_at,
)
from communities.event_search import EventQuery, find, upcoming_for_group
from communities.forms import BookingForm, EventSearchForm
from communities.jsonld import event_jsonld
from communities.models import Booking, EventType
from communities.recurrence import next_occurrences
from core.geo import map_points
from core.geo.forms import KM_PER_MILE
from core.localization import original
from core.navigation import localized_items
from core.paging import query_without_page
from core.robots import noindex
from core.submissions import ALREADY_RECEIVED, once
from core.throttle import limit_posts

PAGE_SIZE = 20
BOOKABLE_AHEAD = 6


def occurrence_rows(occurrences):
    """Occurrences for a list, each with its event's page in the visitor's language (its
    translation, else its alias there), marked with its content's language if not theirs,
    and its group; in a fixed number of queries however many there are."""
    occurrences = list(occurrences)
    items = localized_items(occurrence.event for occurrence in occurrences)
    events = [item.page.specific for item in items]
    parent_paths = {event.path[: -Page.steplen] for event in events}
    groups = {group.path: group for group in Page.objects.filter(path__in=parent_paths)}
    return [
        {
            "occurrence": occurrence,
            "event": event,
            "group": groups.get(event.path[: -Page.steplen]),
            "type": EventType(event.event_type).label,
            "miles": occurrence.distance_km / KM_PER_MILE
            if occurrence.distance_km is not None
            else None,
            "url": event.url,
            "lang": item.lang,
            "bidi": item.bidi,
        }
        for occurrence, item, event in zip(occurrences, items, events, strict=True)
    ]


def _map_points(rows, place):
    """A marker for each event with a place, once however often it occurs."""
    points, seen = [], set()
    for row in rows:
        event = row["event"]
        if event.latitude is None or event.pk in seen:
            continue
        seen.add(event.pk)
        points.append((event.latitude, event.longitude, event.title, None))
    return map_points(points, place)


def events_listing(request, page):
    return page.render(request, context_overrides=listing_context(request, page))


def events_month(request, page):
    return page.render(
        request,
        context_overrides=month_context(request, page),
        template="communities/event_calendar.html",
    )


def group_page(request, page):
    # A translated group page lists the events of the original, which hang from it.
    return page.render(
        request, context_overrides={"occurrences": upcoming_for_group(original(page))}
    )


def event_page(request, page):
    return page.render(request, context_overrides=event_context(request, page))


def listing_context(request, page):
    """Upcoming occurrences for the filters in the query string, a page at a time."""
    form = EventSearchForm(request.GET or {})
    context = {"form": form, "map_tiles": settings.DIRECTORY_MAP_TILES}
    if not form.is_valid():
        context["suggestions"] = form.suggestions
        return context
    occurrences = find(form.to_query())
    paginator = Paginator(occurrences, PAGE_SIZE)
    current = paginator.get_page(form.cleaned_data.get("page") or 1)
    rows = occurrence_rows(current.object_list)
    context.update(
        rows=rows,
        total=paginator.count,
        place=form.place,
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
        query={"page": current.number, "offset": current.start_index() - 1 if rows else 0},
        results={"pages": paginator.num_pages},
        base_query=query_without_page(request),
        map_points=_map_points(rows, form.place),
        calendar_url=page.url + page.reverse_subpage("month"),
        ics_url=page.url + "calendar.ics",
    )
    return context


def _month(request):
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-"))
        first = dt.date(year, month, 1)
    except (ValueError, TypeError):
        first = today.replace(day=1)
    if not 2000 <= first.year <= 2100:
        first = today.replace(day=1)
    return first


def month_context(request, page):
    """A month of occurrences laid out as weeks of days, for an HTML table."""
    first = _month(request)
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(weeks[0][0], dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(weeks[-1][-1] + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    by_day = {}
    for row in occurrence_rows(find(EventQuery(start=start, end=end))):
        by_day.setdefault(row["occurrence"].start.astimezone(zone).date(), []).append(row)
    previous = first - relativedelta(months=1)
    following = first + relativedelta(months=1)
    return {
        "month": first,
        "weekdays": [WEEKDAYS[i] for i in range(7)],
        "weeks": [
            [
                {"date": day, "in_month": day.month == first.month, "rows": by_day.get(day, [])}
                for day in week
            ]
            for week in weeks
        ],
        "today": timezone.localdate(),
        "previous_month": previous.strftime("%Y-%m"),
        "next_month": following.strftime("%Y-%m"),
        "list_url": page.url,
    }


def _upcoming(event):
    return next_occurrences(event, timezone.now(), limit=BOOKABLE_AHEAD)


def event_context(request, event, form=None):
    """The event's next dates, places left on each, and the booking form."""
    upcoming = _upcoming(event)
    left = places_left_at(event, [o.key for o in upcoming]) if event.bookable else {}
    dates = [{"occurrence": o, "places_left": left.get(o.key)} for o in upcoming]
    first = dates[0] if dates else None
    jsonld = event_jsonld(
        event,
        first["occurrence"] if first else None,
        request,
        places_left=first["places_left"] if first else None,
    )
    return {
        "group": event.get_parent().specific,
        "event_type": EventType(event.event_type).label,
        "dates": dates,
        "booking_form": form or (BookingForm(occurrences=upcoming) if event.bookable else None),
        "jsonld": json.dumps(jsonld, ensure_ascii=False).replace("</", "<\\/"),
        "calendar_url": event.url + "calendar.ics",
        "show_online_link": event.online_link_public(),
    }


@limit_posts("book_event")
def book_response(request, event):
    if request.method != "POST" or not event.bookable:
        return redirect(event.url)
    form = BookingForm(request.POST, occurrences=_upcoming(event))
    if form.is_valid():
        occurrence = form.cleaned_data["starts_at"]

        def save():
            booking = book(
                event,
                occurrence.key,
                form.cleaned_data["name"],
                form.cleaned_data["email"],
                language=translation.get_language(),
            )
            return event.url + event.reverse_subpage("booking", args=[booking.token()])

        try:
            url, saved = once(form.submission_key(f"booking:{event.pk}"), save)
        except BookingError as error:
            form.add_error("email" if error.field == "email" else None, error.message)
        else:
            if not saved:
                messages.info(request, ALREADY_RECEIVED)
            return redirect(url)
    return event.render(
        request,
        context_overrides=event_context(request, event, form=form),
        template="communities/event_page.html",
    )


@never_cache
@noindex
@limit_posts("booking_link")
def booking_response(request, event, token):
    """A person's own booking, from the signed link in their email: see it, or cancel it."""
    booking = booking_from_token(token)
    # Bookings are recorded against the original event, whichever language's page took them.
    event_id = original(event).pk
    if booking is None or booking.event_id != event_id or link_expired(booking):
        expired = booking is not None and booking.event_id == event_id
        response = event.render(
            request,
            context_overrides={"page": event, "invalid": not expired, "expired": expired},
            template="communities/booking.html",
        )
        response.status_code = 410 if expired else 404
        return response
    promoted = None
    if request.method == "POST" and request.POST.get("action") == "cancel":
        booking, promoted = cancel(booking)
    context = {
        "page": event,
        "booking": booking,
        "starts": booking.local_start,
        "just_cancelled": request.method == "POST",
        "show_online_link": event.online and booking.status == Booking.Status.CONFIRMED,
        "calendar_url": event.url + "calendar.ics",
        "promoted": promoted is not None,
    }
    response = event.render(request, context_overrides=context, template="communities/booking.html")
    # The page holds a private link: keep it out of other sites' referrers ("same-origin",
    # not "no-referrer", which makes browsers send "Origin: null" and fail the CSRF check of
    # the cancel form). never_cache keeps it out of caches.
    response["Referrer-Policy"] = "same-origin"
    return response


# The pages' URLs (core.pages.RoutedPageMixin).
GROUP_ROUTES = [path("", group_page, name="group")]
EVENT_ROUTES = [
    path("", event_page, name="event"),
    path("book/", book_response, name="book"),
    re_path(r"^booking/(?P<token>[\w\-]+/[\w\-]+)/$", booking_response, name="booking"),
]
EVENT_INDEX_ROUTES = [
    path("", events_listing, name="listing"),
    path("calendar/", events_month, name="month"),
]


def calendar_feed(request, page_path):
    """<page url>calendar.ics: the iCalendar feed of a page that has calendar_events()."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    components = [component for component in page_path.split("/") if component]
    page = site.root_page.localized.specific.route(request, components).page.specific
    events = getattr(page, "calendar_events", None)
    if events is None or not page.live or page.get_view_restrictions().exists():
        raise Http404
    return calendar_response(request, events(), f"{page.slug}.ics", page.title)


def calendar_response(request, events, filename, name):
    response = HttpResponse(
        ical.calendar(events, request, name), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
