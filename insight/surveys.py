"""Outcome measures: three questions for the person helped, a wellbeing check for volunteers.

After a request closes, the person who asked is invited once, by email in their language,
if they agreed to it on the form (`volunteers.contact.feedback_address` gives the address
and logs that it did). After a task, the volunteer gets a two-question wellbeing check.
An answer only adds one to `SurveyTally` for the invitation's month and district; the
answer itself is not stored, and nothing links the tally to a request or a person.
"""

import datetime as dt

from django import forms
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_tasks import task

from core.robots import noindex
from volunteers.contact import feedback_address
from volunteers.models import HelpRequest, Offer

from .areas import Locator
from .figures import month_start
from .models import SurveyInvitation, SurveyTally

ANSWER_CHOICES = [
    ("yes", gettext_lazy("Yes")),
    ("partly", gettext_lazy("Partly")),
    ("no", gettext_lazy("No")),
]
QUESTIONS = {
    SurveyInvitation.Survey.HELPED: [
        ("supported", gettext_lazy("Did you feel supported?")),
        ("needed", gettext_lazy("Was the help what you needed?")),
        ("ask_again", gettext_lazy("Would you ask again?")),
    ],
    SurveyInvitation.Survey.WELLBEING: [
        ("wellbeing", gettext_lazy("Are you feeling all right after this task?")),
        ("volunteer_supported", gettext_lazy("Did you feel supported by the coordinators?")),
    ],
}
# Requests closed longer ago than this are not invited (their details may soon be removed).
INVITE_WITHIN_DAYS = 14


class SurveyForm(forms.Form):
    def __init__(self, survey, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in QUESTIONS[survey]:
            self.fields[code] = forms.ChoiceField(
                label=label,
                choices=ANSWER_CHOICES,
                widget=forms.RadioSelect,
                required=False,
            )


def _link(invitation):
    with translation.override(invitation.language):
        return settings.SITE_URL + reverse("insight:survey", args=[invitation.token])


def _send(invitation, address, template, subject):
    with translation.override(invitation.language):
        send_mail(
            subject=str(subject),
            message=render_to_string(template, {"url": _link(invitation)}),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[address],
        )


def _language(code):
    known = {language for language, _name in settings.LANGUAGES}
    return code if code in known else settings.LANGUAGE_CODE


def send_invitations(now=None):
    """Invite everyone due an invitation who has not had one; returns how many were sent.

    They are taken in random order, so that the invitations' own order says nothing about
    which request or task each belongs to.
    """
    now = now or timezone.now()
    since = now - dt.timedelta(days=INVITE_WITHIN_DAYS)
    locator, sent = Locator(), 0
    requests = HelpRequest.objects.filter(
        status=HelpRequest.Status.CLOSED,
        closed_at__gte=since,
        may_ask_feedback=True,
        redacted_at__isnull=True,
        feedback_invited_at__isnull=True,
    ).order_by("?")
    for help_request in requests:
        sent += invite_request(help_request, locator, now) is not None
    offers = (
        Offer.objects.filter(
            status=Offer.Status.COMPLETED,
            request__closed_at__gte=since,
            wellbeing_invited_at__isnull=True,
        )
        .select_related("request", "volunteer__user")
        .order_by("?")
    )
    for offer in offers:
        sent += invite_volunteer(offer, locator, now) is not None
    return sent


def invite_request(help_request, locator=None, now=None):
    """Send the person helped their invitation, once; the invitation, or None if none went."""
    invitation = _invite(
        HelpRequest,
        help_request.pk,
        "feedback_invited_at",
        now,
        locator,
        help_request,
        SurveyInvitation.Survey.HELPED,
        help_request.language,
    )
    address = invitation and feedback_address(help_request)
    if not address:
        return None
    _send(
        invitation,
        address,
        "insight/email/survey_helped.txt",
        gettext_lazy("Three questions about the help you had"),
    )
    return invitation


def invite_volunteer(offer, locator=None, now=None):
    """Send a volunteer the wellbeing check for a finished task, once (or None)."""
    invitation = _invite(
        Offer,
        offer.pk,
        "wellbeing_invited_at",
        now,
        locator,
        offer.request,
        SurveyInvitation.Survey.WELLBEING,
        offer.volunteer.language,
    )
    if not (invitation and offer.volunteer.user.email):
        return None
    _send(
        invitation,
        offer.volunteer.user.email,
        "insight/email/survey_wellbeing.txt",
        gettext_lazy("How are you after your task?"),
    )
    return invitation


def _invite(model, pk, mark, now, locator, help_request, survey, language):
    """A new invitation, or None when the request or task is marked invited already (by
    this run or another: the mark is taken by one conditional update)."""
    locator = locator or Locator()
    district = locator.district(help_request.area, help_request.latitude, help_request.longitude)
    with transaction.atomic():
        claimed = model.objects.filter(pk=pk, **{f"{mark}__isnull": True}).update(
            **{mark: now or timezone.now()}
        )
        if not claimed:
            return None
        return SurveyInvitation.objects.create(
            survey=survey,
            language=_language(language),
            month=month_start(timezone.localtime(help_request.closed_at).date()),
            district=district,
        )


@task()
def send_invitations_task():
    return send_invitations()


def record_answers(invitation, answers):
    """Count the answers once for the invitation's month and district; False if answered."""
    with transaction.atomic():
        if not SurveyInvitation.objects.filter(pk=invitation.pk, answered=False).update(
            answered=True
        ):
            return False
        for question, answer in answers.items():
            if not answer:
                continue
            key = {
                "month": invitation.month,
                "district": invitation.district,
                "survey": invitation.survey,
                "question": question,
                "answer": answer,
            }
            tally, _created = SurveyTally.objects.select_for_update().get_or_create(**key)
            SurveyTally.objects.filter(pk=tally.pk).update(count=F("count") + 1)
    return True


@never_cache
@noindex
def answer_view(request, token):
    invitation = SurveyInvitation.objects.filter(token=token).first()
    if invitation is None:
        raise Http404
    form = SurveyForm(invitation.survey, request.POST or None)
    done = invitation.answered
    if request.method == "POST" and not done and form.is_valid():
        record_answers(invitation, form.cleaned_data)
        done = True
    return render(
        request,
        "insight/survey.html",
        {
            "form": form,
            "done": done,
            "invitation": invitation,
            "wellbeing": invitation.survey == "wellbeing",
        },
    )
