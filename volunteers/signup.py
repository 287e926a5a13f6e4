"""Creating volunteers and help requests, verifying email, and raising concerns."""

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from core.links import absolute

from . import notifications, safeguarding
from .contact import record_consent
from .models import (
    HelpRequest,
    HelpSeekerContact,
    Volunteer,
    WeeklyAvailability,
)

VERIFY_SALT = "volunteers.verify-email"
VERIFY_MAX_AGE = 7 * 24 * 3600


class EmailTaken(Exception):
    """Someone signed up with this email address in the meantime."""


def sign_up(data, terms):
    """A new applicant with an account, consent to the terms, and a verification email."""
    area, latitude, longitude = data["home_area"]
    with transaction.atomic():
        try:
            with transaction.atomic():
                user = get_user_model().objects.create_user(
                    username=data["email"], email=data["email"], password=data["password"]
                )
        except IntegrityError:
            raise EmailTaken from None
        volunteer = Volunteer.objects.create(
            user=user,
            display_name=data["display_name"],
            home_area=area,
            latitude=latitude,
            longitude=longitude,
            travel_radius_km=data["travel_radius_km"],
            languages=" ".join(data["languages"]),
            language=translation.get_language() or "en",
        )
        volunteer.skills.add(*data["skills"])
        WeeklyAvailability.objects.bulk_create(
            WeeklyAvailability(volunteer=volunteer, weekday=day, starts=starts, ends=ends)
            for day, starts, ends in data["availability"]
        )
        volunteer.terms_consents.create(terms=terms)
    token = signing.dumps(volunteer.pk, salt=VERIFY_SALT)
    url = absolute(reverse("volunteers:verify", args=[token]))
    notifications.send_verification_email.enqueue(volunteer.pk, url)
    notifications.send_signup_email.enqueue(volunteer.pk)
    return volunteer


def verify(token):
    """The volunteer a verification link was sent to, now verified; None if the link is bad."""
    try:
        pk = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.BadSignature:
        return None
    Volunteer.objects.filter(pk=pk, email_verified_at__isnull=True).update(
        email_verified_at=timezone.now()
    )
    return Volunteer.objects.filter(pk=pk).first()


def create_help_request(data, recorded_by=None, channel=None):
    """The request, the contact details kept apart, and the consent record, all or nothing.

    `channel` is how consent was given: on the website (the default, or on someone's behalf
    when a carer or professional asks), or by phone when a coordinator takes the request.
    """
    area, latitude, longitude = data["place"]
    with transaction.atomic():
        help_request = HelpRequest.objects.create(
            task_type=data["task_type"],
            requested_by=data["requested_by"],
            area=area,
            latitude=latitude,
            longitude=longitude,
            radius_km=data["task_type"].default_radius_km,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            language=data["language"],
            may_ask_feedback=bool(data.get("feedback") and data.get("email")),
        )
        HelpSeekerContact.objects.create(
            request=help_request,
            name=data["name"],
            phone=data["phone"],
            email=data["email"],
            address=data["address"],
            notes=data["notes"],
        )
        channel = channel or ("web" if data["requested_by"] == "self" else "on_behalf")
        record_consent(help_request, channel, recorded_by=recorded_by, role=data["requested_by"])
    return help_request


def raise_concern(volunteer, help_request, details):
    """A concern raised by a volunteer, about one of their tasks or none."""
    return safeguarding.raise_concern(
        details, raised_by=volunteer.user, volunteer=volunteer, help_request=help_request
    )
