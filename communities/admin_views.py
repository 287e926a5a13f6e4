"""The admin's list of bookings: a group's editors see the bookings for their own events only."""

import datetime as dt

from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.permission_policies.pages import PagePermissionPolicy

from communities.models import Booking, EventPage


def editable_events(user):
    """The events this person may change: their group's, or all for moderators."""
    pages = PagePermissionPolicy().instances_user_has_any_permission_for(user, ["change"])
    return EventPage.objects.filter(pk__in=pages.values("pk"))


def bookings(request):
    since = timezone.now() - dt.timedelta(days=1)
    rows = (
        Booking.objects.filter(event__in=editable_events(request.user), starts_at__gte=since)
        .exclude(status=Booking.Status.CANCELLED)
        .select_related("event")
        .order_by("starts_at", "event__title", "status", "created_at")
    )
    return TemplateResponse(
        request,
        "communities/admin/bookings.html",
        {"bookings": rows, "title": _("Bookings")},
    )
