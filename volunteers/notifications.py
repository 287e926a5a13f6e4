"""Emails to volunteers and coordinators, sent as background tasks in the reader's language.

No email carries a help-seeker's contact details: offers say only the type of help, the
area and the time, and the volunteer who accepts sees the details on their dashboard, where
each view is logged.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import DBSCheck, HelpRequest, Offer, SafeguardingConcern, TrainingRecord, Volunteer


def _send(volunteer, subject, template, context):
    if not volunteer.user.email:
        return 0
    with translation.override(volunteer.language or settings.LANGUAGE_CODE):
        context = {**context, "volunteer": volunteer, "site_url": settings.SITE_URL}
        return send_mail(
            subject=str(subject()),
            message=render_to_string(template, context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[volunteer.user.email],
        )


def coordinator_emails(codenames=("coordinate",)):
    """Addresses of active people holding any of these volunteers permissions."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    users = users.filter(
        Q(is_superuser=True)
        | Q(
            groups__permissions__codename__in=codenames,
            groups__permissions__content_type__app_label="volunteers",
        )
        | Q(
            user_permissions__codename__in=codenames,
            user_permissions__content_type__app_label="volunteers",
        )
    )
    return sorted(set(users.values_list("email", flat=True)))


@task()
def send_offer_email(offer_pk):
    offer = Offer.objects.select_related("request__task_type", "volunteer__user").get(pk=offer_pk)
    return _send(
        offer.volunteer,
        lambda: (
            _("Can you help? %(task)s near %(area)s")
            % {"task": str(offer.request.task_type), "area": offer.request.area}
        ),
        "volunteers/email/offer.txt",
        {"offer": offer, "help_request": offer.request},
    )


@task()
def send_accepted_email(offer_pk):
    offer = Offer.objects.select_related("request__task_type", "volunteer__user").get(pk=offer_pk)
    return _send(
        offer.volunteer,
        lambda: (
            _("Thank you: you have accepted request %(ref)s") % {"ref": offer.request.reference}
        ),
        "volunteers/email/accepted.txt",
        {"offer": offer, "help_request": offer.request},
    )


@task()
def send_verification_email(volunteer_pk, url):
    volunteer = Volunteer.objects.select_related("user").get(pk=volunteer_pk)
    return _send(
        volunteer,
        lambda: _("Confirm your email address to volunteer"),
        "volunteers/email/verify.txt",
        {"url": url},
    )


@task()
def send_approved_email(volunteer_pk):
    """Tell a volunteer they are approved and will be offered requests."""
    volunteer = Volunteer.objects.select_related("user").get(pk=volunteer_pk)
    url = settings.SITE_URL + reverse("volunteers:dashboard")
    return _send(
        volunteer,
        lambda: _("You are approved to volunteer"),
        "volunteers/email/approved.txt",
        {"url": url},
    )


@task()
def send_signup_email(volunteer_pk):
    """Tell the coordinators someone has signed up to volunteer (no contact details)."""
    volunteer = Volunteer.objects.get(pk=volunteer_pk)
    recipients = coordinator_emails()
    if not recipients:
        return 0
    url = settings.SITE_URL + reverse(
        "wagtailsnippets_volunteers_volunteer:edit", args=[volunteer.pk]
    )
    # In the site's language, not the applicant's.
    with translation.override(settings.LANGUAGE_CODE):
        return send_mail(
            subject=_("New volunteer sign-up: %(name)s") % {"name": volunteer.display_name},
            message=render_to_string(
                "volunteers/email/signed_up.txt", {"volunteer": volunteer, "url": url}
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )


@task()
def send_concern_email(concern_pk):
    """Tell every coordinator and safeguarding handler at once, with a link to the concern;
    what happened stays in the admin, not in the email."""
    concern = SafeguardingConcern.objects.select_related("request").get(pk=concern_pk)
    recipients = coordinator_emails(("coordinate", "handle_safeguardingconcern"))
    if not recipients:
        return 0
    url = settings.SITE_URL + reverse(
        "wagtailsnippets_volunteers_safeguardingconcern:inspect", args=[concern.pk]
    )
    return send_mail(
        subject=_("Safeguarding concern raised"),
        message=render_to_string("volunteers/email/concern.txt", {"concern": concern, "url": url}),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )


@task()
def send_expiry_warnings():
    """Warn volunteers whose training or DBS check expires within its renewal window."""
    today = timezone.localdate()
    sent = 0
    records = TrainingRecord.objects.select_related("volunteer__user", "module").filter(
        expires_on__gte=today
    )
    for record in records:
        if (record.expires_on - today).days <= record.module.renewal_warning_days:
            sent += _send(
                record.volunteer,
                lambda record=record: (
                    _("Your %(module)s training expires soon") % {"module": record.module.name}
                ),
                "volunteers/email/expiry.txt",
                {"name": record.module.name, "expires_on": record.expires_on},
            )
    for check in DBSCheck.objects.select_related("volunteer__user").filter(
        recheck_due__gte=today, recheck_due__lte=today + timezone.timedelta(days=42)
    ):
        sent += _send(
            check.volunteer,
            lambda: _("Your DBS check is due for renewal soon"),
            "volunteers/email/expiry.txt",
            {"name": _("DBS check"), "expires_on": check.recheck_due},
        )
    return sent


@task()
def send_task_reminders(now=None):
    """Remind each accepted volunteer the day before their task; once per offer.

    Every accepted task starting tomorrow (local time) is claimed by a conditional UPDATE
    on `reminded_at`, so a second run, or two runs at once, send nothing twice. The email
    names the type of help, the area and the time, and links to the dashboard; how to
    reach the person stays there.
    """
    # `now` comes as an ISO 8601 string, as task arguments must be JSON.
    now = timezone.localtime(dt.datetime.fromisoformat(now) if now else timezone.now())
    tomorrow, day_after = (
        timezone.make_aware(dt.datetime.combine(now.date() + dt.timedelta(days=n), dt.time.min))
        for n in (1, 2)
    )
    due = Offer.objects.filter(
        status=Offer.Status.ACCEPTED,
        reminded_at__isnull=True,
        request__status=HelpRequest.Status.ACCEPTED,
        request__accepted_volunteer=F("volunteer"),
        request__starts_at__gte=tomorrow,
        request__starts_at__lt=day_after,
    )
    sent = 0
    for offer_pk in list(due.values_list("pk", flat=True)):
        if not Offer.objects.filter(pk=offer_pk, reminded_at__isnull=True).update(reminded_at=now):
            continue  # another run claimed it
        offer = Offer.objects.select_related("request__task_type", "volunteer__user").get(
            pk=offer_pk
        )
        sent += _send(
            offer.volunteer,
            lambda offer=offer: (
                _("Reminder: %(task)s tomorrow near %(area)s")
                % {"task": str(offer.request.task_type), "area": offer.request.area}
            ),
            "volunteers/email/reminder.txt",
            {"offer": offer, "help_request": offer.request},
        )
    return sent


@task()
def send_handed_back_email(request_pk, volunteer_pk):
    """Tell every coordinator that a volunteer who stood down left a task open again."""
    help_request = HelpRequest.objects.select_related("task_type").get(pk=request_pk)
    volunteer = Volunteer.objects.get(pk=volunteer_pk)
    recipients = coordinator_emails()
    if not recipients:
        return 0
    return send_mail(
        subject=_("Request %(ref)s was handed back") % {"ref": help_request.reference},
        message=render_to_string(
            "volunteers/email/handed_back.txt",
            {
                "help_request": help_request,
                "volunteer": volunteer,
                "site_url": settings.SITE_URL,
            },
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )


def offer_made(offer_pk):
    send_offer_email.enqueue(offer_pk)


def offer_accepted(offer_pk):
    send_accepted_email.enqueue(offer_pk)


def handed_back(request_pk, volunteer_pk):
    send_handed_back_email.enqueue(request_pk, volunteer_pk)
