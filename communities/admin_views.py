"""The admin's list of bookings and the registers of who came: a group's editors see their own
events only."""

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.permission_policies.pages import PagePermissionPolicy

from communities import attendance
from communities.admin_forms import RegisterForm
from communities.models import Booking, EventPage
from core.dates import uk_date

# How a date is named in the register's URL: its start in UTC.
DATE_IN_URL = "%Y%m%dT%H%MZ"


def editable_events(user):
    """The events this person may change: their group's, or all for moderators."""
    pages = PagePermissionPolicy().instances_user_has_any_permission_for(user, ["change"])
    return EventPage.objects.filter(pk__in=pages.values("pk"))


def date_in_url(starts_at):
    return starts_at.astimezone(dt.UTC).strftime(DATE_IN_URL)


def bookings(request):
    now = timezone.now()
    events = editable_events(request.user)
    # Dates that have not ended, those under way included: an event ends on the day it
    # starts (EventPage.clean), so none that started over a day ago is still on.
    rows = [
        booking
        for booking in Booking.objects.filter(
            event__in=events, starts_at__gte=now - dt.timedelta(days=1)
        )
        .exclude(status=Booking.Status.CANCELLED)
        .select_related("event")
        .order_by("starts_at", "event__title", "status", "created_at")
        if booking.starts_at + (booking.event.duration or dt.timedelta(0)) > now
    ]
    registers = [
        (seats, seats.starts_at.astimezone(seats.event.zone), date_in_url(seats.starts_at))
        for seats in attendance.dates_to_register(events, now)
    ]
    return TemplateResponse(
        request,
        "communities/admin/bookings.html",
        {"bookings": rows, "registers": registers, "title": _("Bookings")},
    )


def register(request, event_id, starts):
    """The register of one date of an event: who of the people booked came."""
    event = get_object_or_404(editable_events(request.user), pk=event_id)
    try:
        starts_at = dt.datetime.strptime(starts, DATE_IN_URL).replace(tzinfo=dt.UTC)
    except ValueError as error:
        raise Http404 from error
    try:
        attendance.check_open(event, starts_at)
    except attendance.RegisterError as error:
        messages.error(request, error.message)
        return redirect("communities_bookings")
    people = list(attendance.people_booked(event, starts_at))
    form = RegisterForm(request.POST or None, bookings=people)
    if request.method == "POST" and form.is_valid():
        try:
            seats = attendance.record(event, starts_at, form.cleaned_data["came"])
        except attendance.RegisterError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("The register for %(event)s on %(date)s is saved: %(came)s of %(booked)s came.")
                % {
                    "event": event.title,
                    "date": uk_date(starts_at.astimezone(event.zone), weekday=True, time=True),
                    "came": seats.attended,
                    "booked": len(people),
                },
            )
            return redirect("communities_bookings")
    title = _("Who came to %(event)s") % {"event": event.title}
    return TemplateResponse(
        request,
        "communities/admin/register.html",
        {
            "form": form,
            "event": event,
            "starts": starts_at.astimezone(event.zone),
            "people": people,
            "title": title,
            "taken": any(person.attended is not None for person in people),
        },
        status=400 if form.errors else 200,
    )
