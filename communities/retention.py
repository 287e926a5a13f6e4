"""How long a booker's name and email address are kept: until a while after the date booked.

The count of places taken at each past date stays (OccurrenceSeats); the people go.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from communities.models import Booking


def remove_past_bookings(now=None):
    """Delete bookings for dates more than COMMUNITY_BOOKING_RETENTION_DAYS ago; how many."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.COMMUNITY_BOOKING_RETENTION_DAYS)
    deleted, _by_model = Booking.objects.filter(starts_at__lt=cutoff).delete()
    return deleted


@task()
def remove_past_bookings_task():
    """The scheduled job (SCHEDULE["remove_past_bookings"]): `remove_past_bookings` as a task."""
    return remove_past_bookings()
