"""Request handling for the directory pages: parse, call one function, hand to the template."""

import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.db.models import Case, Prefetch, Q, Value, When
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from core.geo import describe_point, map_points
from core.geo.forms import KM_PER_MILE, RADIUS_MILES
from core.page_cache import site_cached, skip
from core.paging import query_without_page
from core.submissions import ALREADY_RECEIVED, once
from core.throttle import limit_posts
from directory import notifications
from directory.forms import FeedbackForm, SearchForm
from directory.helplines import DEFAULT_LIMIT, open_helplines
from directory.jsonld import service_jsonld
from directory.models import Address, Funding, Service, ServiceAtLocation
from directory.schedules import is_open_at, other_times, weekly_summary
from directory.search import search
from directory.signals import search_made
from directory.widening import widen


def _result_cards(ids):
    """{pk: service} with what a search result shows: its organisation, first phone, hours
    (for "open now") and places (for the map)."""
    services = (
        Service.objects.filter(pk__in=ids)
        .select_related("organization")
        .prefetch_related(
            "phones",
            "schedules",
            Prefetch(
                "service_at_locations",
                queryset=ServiceAtLocation.objects.select_related("location"),
            ),
        )
    )
    return {service.pk: service for service in services}


def _service_in_full(service_id):
    """The service with everything its own page shows, or None."""
    addresses = Address.objects.order_by("sort_order")
    places = ServiceAtLocation.objects.select_related("location").prefetch_related(
        Prefetch("location__addresses", queryset=addresses), "location__accessibility"
    )
    return (
        Service.objects.filter(pk=service_id)
        .select_related("organization")
        .prefetch_related(
            "categories",
            "phones",
            "languages",
            "schedules",
            Prefetch("service_at_locations", queryset=places),
        )
        .first()
    )


def _funding(service):
    """The service's own funding, then its organisation's; a row given to both, once."""
    own = Case(When(service_id=service.pk, then=Value(0)), default=Value(1))
    given = Q(service_id=service.pk) | Q(organization_id=service.organization_id)
    return list(Funding.objects.filter(given).annotate(own=own).order_by("own", "sort_order", "pk"))


def search_page(request, page):
    return page.render(request, context_overrides=search_context(request, page))


def service_page(request, page, service_id):
    return page.render(
        request,
        context_overrides=service_context(request, page, service_id),
        template="directory/service_page.html",
    )


def search_context(request, page):
    """Everything the search page shows for the query string in the request."""
    form = SearchForm(request.GET or None)
    context = {"form": form, "searched": bool(request.GET)}
    if request.GET and form.is_valid():
        query = form.to_query()
        results = search(query)
        counted = search_made.send(sender=SearchForm, query=query, results=results)
        if any(answer for _receiver, answer in counted):
            skip(request)  # the next visitor's same search must reach the counters too
        services = _result_cards(results.ids)
        now = timezone.localtime()
        rows = []
        for hit in results.hits:
            service = services.get(hit.service_id)
            if service is None:
                continue
            rows.append(
                {
                    "service": service,
                    "hit": hit,
                    "miles": hit.distance_km / KM_PER_MILE if hit.distance_km is not None else None,
                    "open_now": is_open_at(service.schedules.all(), now),
                    "url": page.service_url(service, request),
                }
            )
        context.update(
            query=query,
            results=results,
            rows=rows,
            place=form.place,
            place_label=_place_label(form.place),
            filters_on=_filters_on(query),
            facets=_facet_rows(form, results),
            base_query=query_without_page(request),
            map_points=_map_points(rows, form.place),
            talk_now=_talk_now(request, page, query, results),
            widen=(
                []
                if results.total
                else widen(
                    request.GET,
                    query,
                    radius_miles=form.cleaned_data.get("radius") or 5,
                    radius_choices=RADIUS_MILES,
                    km_per_mile=KM_PER_MILE,
                )
            ),
        )
    else:
        context["suggestions"] = getattr(form, "suggestions", [])
    context["map_tiles"] = settings.DIRECTORY_MAP_TILES
    return context


def _place_label(place):
    """What the results are near, in words: a point from "use my location" is named by its
    district and area ("Lewisham (SE13)"), never shown as raw coordinates."""
    if place is None:
        return ""
    if place.kind != "coordinates":
        return place.label
    nearby = describe_point(place.latitude, place.longitude)
    return nearby.label if nearby else _("your location")


def _filters_on(query):
    """How many of the 'More filters' narrow the search."""
    return sum(
        (
            len(query.categories),
            bool(query.languages),
            query.age is not None,
            query.open_now,
            query.open_24_7,
            query.free,
            len(query.accessibility),
            query.reaches_anywhere,
        )
    )


def _helplines_open_now(query, limit=DEFAULT_LIMIT):
    """open_helplines for this minute, kept with the site shell: the same words, types of
    help and languages give the same helplines wherever the search was made, and opening
    times are whole minutes, so the minute's first second answers for all of it."""
    minute = timezone.localtime().replace(second=0, microsecond=0)
    asked = (query.text, tuple(query.categories), tuple(query.languages)) if query else None
    digest = hashlib.sha256(repr((minute.isoformat(), asked, limit)).encode()).hexdigest()
    return site_cached(
        "helplines",
        digest,
        compute=lambda: open_helplines(query, moment=minute, limit=limit),
    )


def _talk_now(request, page, query, results):
    """Helplines open now: those for what was asked, above the first page of results; every
    one open now when nothing was found."""
    if results.total and query.page > 1:
        return []
    helplines = _helplines_open_now(query) if results.total else _helplines_open_now(None, 5)
    return [
        {"helpline": helpline, "url": page.service_url(helpline.service, request)}
        for helpline in helplines
    ]


def _facet_rows(form, results):
    selected = set(form.cleaned_data.get("category") or ())
    return [
        {
            "code": code,
            "label": label,
            "count": results.facets.get(code, 0),
            "selected": code in selected,
        }
        for code, label in form.fields["category"].choices
    ]


def _map_points(rows, place):
    """A marker for each service at its first location with coordinates."""
    points = []
    for row in rows:
        for sal in row["service"].service_at_locations.all():
            location = sal.location
            if location.has_coordinates:
                points.append(
                    (location.latitude, location.longitude, row["service"].name, row["url"])
                )
                break
    return map_points(points, place)


def service_context(request, page, service_id):
    service = _service_in_full(service_id)
    if service is None or service.status == "defunct":
        raise Http404(_("This service is not in the directory."))
    schedules = list(service.schedules.all())
    today = timezone.localdate()
    return {
        "service": service,
        "required_documents": list(service.required_documents.all()),
        "funding": _funding(service),
        "open_now": is_open_at(schedules, timezone.localtime()),
        "today": today,
        "week": weekly_summary(schedules, today),
        "other_times": other_times(schedules, today),
        "timetables": list(dict.fromkeys(s.schedule_link for s in schedules if s.schedule_link)),
        "closures": [s for s in schedules if s.closed],
        "stale": service.is_stale(),
        "jsonld": json.dumps(service_jsonld(service, request, page), ensure_ascii=False),
        "feedback_form": FeedbackForm(),
        "feedback_url": page.service_url(service, request) + "feedback/",
    }


@limit_posts("service_feedback")
def feedback_response(request, page, service_id):
    service = Service.objects.filter(pk=service_id).first()
    if service is None:
        raise Http404(_("This service is not in the directory."))
    service_url = page.service_url(service, request)
    if request.method != "POST":
        return redirect(service_url + "#feedback")
    form = FeedbackForm(request.POST)
    if form.is_valid():

        def save():
            feedback = form.save(commit=False)
            feedback.service = service
            feedback.save()
            notifications.feedback_received(feedback)
            return service_url

        _url, saved = once(form.submission_key(f"feedback:{service.pk}"), save)
        if saved:
            messages.success(
                request,
                _("Thank you. We have passed your message to the people who run this service."),
            )
        else:
            messages.info(request, ALREADY_RECEIVED)
        return redirect(service_url)
    context = service_context(request, page, service_id)
    context["feedback_form"] = form
    return page.render(request, context_overrides=context, template="directory/service_page.html")


# The directory page's URLs (core.pages.RoutedPageMixin): the search, and a page per service.
DIRECTORY_PAGE_ROUTES = [
    path("", search_page, name="search"),
    path("<uuid:service_id>/", service_page, name="service"),
    path("<uuid:service_id>/feedback/", feedback_response, name="feedback"),
]
