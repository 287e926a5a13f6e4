"""The register: after a date has met, the group's editors mark which of the people booked came.

A place booked is not a place used. The register records, for each confirmed booking of a
date that has started, whether the person came (`Booking.attended`), and the number who came
on the date's counter (`OccurrenceSeats.attended`, None until a register is taken). The
bookings, names and all, are removed a while after the date (communities.retention); the
number stays, and is what the insight figures count as places used.

A register can be taken, and corrected, from the start of the date until its bookings are
removed. Every change happens with the date's counter row locked, like a booking, so two
editors saving the same register at once leave it as the last one saved, never half of each.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Booking, OccurrenceSeats
from communities.recurrence import occurrence_at
from core.localization import original


class RegisterError(Exception):
    """A register that cannot be saved; `message` says why in plain words."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def open_since(now=None):
    """The earliest start of a date whose register can still be taken: its bookings are kept
    until COMMUNITY_BOOKING_RETENTION_DAYS after it."""
    now = now or timezone.now()
    return now - dt.timedelta(days=settings.COMMUNITY_BOOKING_RETENTION_DAYS)


def dates_to_register(events, now=None):
    """The dates of `events` that have started, have had places booked, and whose register
    can still be taken or corrected, newest first (OccurrenceSeats, with the event)."""
    now = now or timezone.now()
    return (
        OccurrenceSeats.objects.filter(
            event__in=events, starts_at__lte=now, starts_at__gte=open_since(now), booked__gt=0
        )
        .select_related("event")
        .order_by("-starts_at", "event__title")
    )


def people_booked(event, starts_at):
    """The confirmed bookings of one date, the people the register lists, by name."""
    return Booking.objects.filter(
        event=original(event), starts_at=starts_at, status=Booking.Status.CONFIRMED
    ).order_by("name", "pk")


def check_open(event, starts_at, now=None):
    """Raise RegisterError unless the register of the date starting at `starts_at` can be
    taken now."""
    now = now or timezone.now()
    if occurrence_at(original(event).specific, starts_at) is None:
        raise RegisterError(_("The event does not happen at that time."))
    if starts_at > now:
        raise RegisterError(_("The register can be taken once the date has started."))
    if starts_at < open_since(now):
        raise RegisterError(
            _("The bookings for this date have been removed, so its register cannot be changed.")
        )


def record(event, starts_at, came, now=None):
    """Save the register of one date: the confirmed bookings whose ids are in `came` came,
    the others did not. Returns the date's OccurrenceSeats, its `attended` set.

    Saving the same register twice gives the same result. An id that is not a confirmed
    booking of the date (a place cancelled since the list was shown) is refused whole.
    """
    event = original(event).specific
    check_open(event, starts_at, now)
    came = set(came)
    with transaction.atomic():
        seats = (
            OccurrenceSeats.objects.select_for_update()
            .filter(event=event, starts_at=starts_at)
            .first()
        )
        booked = set(people_booked(event, starts_at).values_list("pk", flat=True))
        if seats is None or not booked:
            raise RegisterError(_("Nobody has a place booked on this date."))
        if not came <= booked:
            raise RegisterError(
                _(
                    "Someone on the register no longer has a place on this date. "
                    "Look at the list again and save it."
                )
            )
        Booking.objects.filter(pk__in=came).update(attended=True)
        Booking.objects.filter(pk__in=booked - came).update(attended=False)
        seats.attended = len(came)
        seats.save(update_fields=["attended"])
    return seats
