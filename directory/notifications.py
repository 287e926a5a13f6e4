"""Emails from the directory: feedback to an organisation's editors, stale-data reminders."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django_tasks import task

from directory.models import ServiceFeedback

logger = logging.getLogger(__name__)


def editor_emails(organization):
    emails = [user.email for user in organization.editors.filter(is_active=True) if user.email]
    if not emails and organization.email:
        emails = [organization.email]
    return emails


@task()
def send_feedback_email(feedback_id):
    feedback = ServiceFeedback.objects.select_related("service__organization").get(pk=feedback_id)
    recipients = editor_emails(feedback.service.organization)
    if not recipients:
        logger.warning(
            "Feedback %s has no one to go to: no editors or organisation email", feedback.pk
        )
        return 0
    context = {
        "feedback": feedback,
        "service": feedback.service,
        "admin_url": settings.SITE_URL,
    }
    return send_mail(
        subject=_("Feedback about %(service)s") % {"service": feedback.service.name},
        message=render_to_string("directory/email/feedback.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )


def feedback_received(feedback):
    send_feedback_email.enqueue(feedback.pk)
