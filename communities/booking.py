"""Booking a place at one occurrence of an event, the waiting list, and cancelling.

Places are counted per occurrence (each date of a weekly group is its own gathering, with
its own room and its own people), in one OccurrenceSeats row per occurrence. Every change to
that counter happens with the row locked (SELECT ... FOR UPDATE) and a conditional
UPDATE ... SET booked = booked + 1 WHERE booked < capacity, so two people booking the last
place at the same moment can never both get it; the one who loses goes on the waiting list.
"""

import datetime as dt

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from communities import notifications
from communities.models import Booking, OccurrenceSeats
from communities.recurrence import occurrence_at
from core.localization import original

TOKEN_SALT = "communities.booking"  # noqa: S105 (a namespace for signatures, not a secret)
# A booking's link keeps working until this long after the date booked, then stops, so an
# old email (or a browser's history) no longer opens a page with the booker's name on it.
LINK_VALID_AFTER = dt.timedelta(days=7)


class BookingError(Exception):
    """A booking that cannot be made; `message` says why in plain words."""

    def __init__(self, message, field=None):
        super().__init__(str(message))
        self.message = message
        self.field = field


def _email_check(booking_id, email):
    """A digest binding the link to the booking's email address without revealing it."""
    return salted_hmac(TOKEN_SALT, f"{booking_id}:{email}").hexdigest()[:24]


def booking_token(booking):
    """A signed "payload/signature" naming the booking, for the link in its emails.

    The payload (readable by anyone who sees the link, in a server's access log for example)
    holds the booking's id and a digest of its email address, never the address itself.
    Wagtail serves page paths made of letters, digits, "_" and "-" only, so the signer's ":"
    separator becomes a "/" between two path segments.
    """
    payload = {"b": booking.pk, "k": _email_check(booking.pk, booking.email)}
    return signing.Signer(salt=TOKEN_SALT).sign_object(payload).replace(":", "/")


def booking_from_token(token):
    """The booking a signed link names, or None if the link was altered or is not ours."""
    try:
        data = signing.Signer(salt=TOKEN_SALT).unsign_object(token.replace("/", ":"))
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    booking = Booking.objects.select_related("event").filter(pk=data.get("b")).first()
    if booking is None or not constant_time_compare(
        str(data.get("k", "")), _email_check(booking.pk, booking.email)
    ):
        return None
    return booking


def link_expired(booking, now=None):
    """Whether the booking's emailed link has stopped working (a week after the date)."""
    return (now or timezone.now()) > booking.starts_at + LINK_VALID_AFTER


def places_left(event, starts_at):
    return places_left_at(event, [starts_at])[starts_at]


def places_left_at(event, starts):
    """Places left at each of the occurrences starting at `starts`, by start, in one query
    (None for each when the event has no limit)."""
    event = original(event)
    if event.capacity is None:
        return dict.fromkeys(starts)
    booked = dict(
        OccurrenceSeats.objects.filter(event=event, starts_at__in=starts).values_list(
            "starts_at", "booked"
        )
    )
    return {start: max(0, event.capacity - booked.get(start, 0)) for start in starts}


def book(event, starts_at, name, email, language="en", now=None):
    """Book a place at the occurrence starting at `starts_at`, or join its waiting list.

    `event` may be the page in any language: the places are the original event's.
    """
    now = now or timezone.now()
    event = original(event).specific
    if not event.bookable:
        raise BookingError(_("This event does not take bookings."))
    occurrence = occurrence_at(event, starts_at)
    if occurrence is None:
        raise BookingError(_("The event does not happen at that time."), field="starts_at")
    if occurrence.start <= now:
        raise BookingError(_("This event has already started, so it cannot be booked."))
    starts_at = occurrence.key
    email = email.strip().lower()
    try:
        with transaction.atomic():
            OccurrenceSeats.objects.get_or_create(event=event, starts_at=starts_at)
            seats = OccurrenceSeats.objects.select_for_update().get(
                event=event, starts_at=starts_at
            )
            taken = (
                OccurrenceSeats.objects.filter(pk=seats.pk, booked__lt=event.capacity).update(
                    booked=F("booked") + 1
                )
                == 1
            )
            booking = Booking.objects.create(
                event=event,
                starts_at=starts_at,
                name=name.strip(),
                email=email,
                language=language,
                status=Booking.Status.CONFIRMED if taken else Booking.Status.WAITING,
            )
    except IntegrityError as error:
        raise BookingError(
            _("You have already booked this date. Look for the email we sent you."),
            field="email",
        ) from error
    transaction.on_commit(lambda: notifications.booking_made(booking))
    return booking


def cancel(booking, now=None):
    """Cancel a booking; a freed place goes to the first person on the waiting list."""
    now = now or timezone.now()
    promoted = None
    with transaction.atomic():
        seats = (
            OccurrenceSeats.objects.select_for_update()
            .filter(event_id=booking.event_id, starts_at=booking.starts_at)
            .first()
        )
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status == Booking.Status.CANCELLED:
            return booking, None
        was_confirmed = booking.status == Booking.Status.CONFIRMED
        was_there = booking.attended
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = now
        booking.attended = None  # a cancelled place is not on the register
        booking.save(update_fields=["status", "cancelled_at", "attended"])
        if was_there and seats is not None:
            # Cancelled after the register marked them as there: the place was not used.
            OccurrenceSeats.objects.filter(pk=seats.pk).update(attended=F("attended") - 1)
        if was_confirmed and seats is not None:
            promoted = (
                Booking.objects.select_for_update()
                .filter(
                    event_id=booking.event_id,
                    starts_at=booking.starts_at,
                    status=Booking.Status.WAITING,
                )
                .order_by("created_at", "pk")
                .first()
            )
            if promoted is not None and booking.starts_at > now:
                # The place passes straight on: the counter does not change.
                promoted.status = Booking.Status.CONFIRMED
                promoted.save(update_fields=["status"])
            else:
                promoted = None
                OccurrenceSeats.objects.filter(pk=seats.pk).update(booked=F("booked") - 1)
    if promoted is not None:
        transaction.on_commit(lambda: notifications.place_offered(promoted))
    return booking, promoted
