"""Emails to people who book: confirmation, waiting list, a place freed up. In their language."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from communities.models import Booking
from core.links import absolute


def _send(booking_id, template, subject):
    booking = Booking.objects.select_related("event").get(pk=booking_id)
    with translation.override(booking.language):
        # The event's page in the booker's language (its translation or alias), if any.
        event = booking.event.localized.specific
        event_url = absolute(event.get_url())
        context = {
            "booking": booking,
            "event": event,
            "starts": booking.local_start,
            "booking_url": event_url + event.reverse_subpage("booking", args=[booking.token()]),
            "event_url": event_url,
            "calendar_url": event_url + "calendar.ics",
            "online_url": event.online_url if event.online else "",
        }
        return send_mail(
            subject=subject() % {"event": event.title},
            message=render_to_string(template, context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[booking.email],
        )


@task()
def send_booking_email(booking_id):
    """Confirmation of a place, or of a place on the waiting list."""
    status = Booking.objects.values_list("status", flat=True).get(pk=booking_id)
    if status == Booking.Status.CONFIRMED:
        return _send(
            booking_id,
            "communities/email/booking_confirmed.txt",
            lambda: _("Your place at %(event)s"),
        )
    return _send(
        booking_id,
        "communities/email/booking_waiting.txt",
        lambda: _("You are on the waiting list for %(event)s"),
    )


@task()
def send_place_offered_email(booking_id):
    """A place came free and is now theirs."""
    return _send(
        booking_id,
        "communities/email/place_offered.txt",
        lambda: _("A place has come free for you at %(event)s"),
    )


def booking_made(booking):
    send_booking_email.enqueue(booking.pk)


def place_offered(booking):
    send_place_offered_email.enqueue(booking.pk)
