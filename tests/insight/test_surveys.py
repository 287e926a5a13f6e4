"""Outcome surveys: invited once, in the person's language, only with their agreement;
answers counted by month and area with nothing linking them to a request or a person."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from insight import figures, surveys
from insight.models import SurveyInvitation, SurveyTally
from tests.insight.conftest import at
from tests.volunteers.factories import VolunteerFactory
from volunteers.models import AccessLog, HelpRequest, HelpSeekerContact, Offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_request(gazetteer, make_request):
    def make(agreed=True, language="cy", email="asker@example.org"):
        now = timezone.now()
        help_request = make_request(now, language=language, may_ask_feedback=agreed)
        HelpSeekerContact.objects.filter(request=help_request).update(email=email)
        volunteer = VolunteerFactory(language="pl")
        volunteer.user.email = "volunteer@example.org"
        volunteer.user.save()
        Offer.objects.create(
            request=help_request,
            volunteer=volunteer,
            status="completed",
            expires_at=now,
        )
        HelpRequest.objects.filter(pk=help_request.pk).update(
            status="closed", accepted_volunteer=volunteer, accepted_at=now, closed_at=now, hours=2
        )
        return help_request

    return make


def test_the_person_who_agreed_is_invited_once_in_their_language(closed_request):
    help_request = closed_request(agreed=True, language="cy")
    assert surveys.send_invitations() == 2  # the person, and the volunteer's wellbeing check
    assert surveys.send_invitations() == 0  # never twice
    to_person = next(m for m in mail.outbox if m.to == ["asker@example.org"])
    assert "/cy/feedback/" in to_person.body
    assert to_person.subject != "Three questions about the help you had"  # in Welsh
    to_volunteer = next(m for m in mail.outbox if m.to == ["volunteer@example.org"])
    assert "/pl/feedback/" in to_volunteer.body
    # Reading the address for the invitation is logged like every other reading.
    assert AccessLog.objects.filter(request=help_request, reason="feedback").count() == 1


def test_nobody_is_invited_without_agreeing(closed_request):
    closed_request(agreed=False)
    surveys.send_invitations()
    assert [m.to for m in mail.outbox] == [["volunteer@example.org"]]
    assert not SurveyInvitation.objects.filter(survey="helped").exists()


def test_answers_are_counted_once_with_no_link_back(closed_request, client):
    closed_request(agreed=True, language="en")
    surveys.send_invitations()
    to_person = next(m for m in mail.outbox if m.to == ["asker@example.org"])
    link = re.search(r"https?://\S+", to_person.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200
    assert "Did you feel supported?" in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex"  # a personal link's page is not indexed
    answers = {"supported": "yes", "needed": "partly", "ask_again": "yes"}
    response = client.post("/" + path, answers)
    assert "Your answers have been counted" in response.content.decode()
    client.post("/" + path, {"supported": "no", "needed": "no", "ask_again": "no"})

    tallies = {(t.question, t.answer): t.count for t in SurveyTally.objects.all()}
    assert tallies == {("supported", "yes"): 1, ("needed", "partly"): 1, ("ask_again", "yes"): 1}
    tally_fields = {field.name for field in SurveyTally._meta.get_fields()}
    assert tally_fields == {"id", "month", "district", "survey", "question", "answer", "count"}

    month = figures.month_start(timezone.localdate())
    figures.refresh(month)
    from insight.models import Figure

    assert (
        Figure.objects.get(
            month=month, area_kind="all", measure="survey_helped", breakdown="supported:yes"
        ).value
        == 1
    )


def test_an_unknown_survey_link_is_not_found(client):
    assert client.get("/en/feedback/not-a-token/").status_code == 404


def test_the_ask_for_help_form_offers_the_choice(client, home):
    html = client.get("/en/ask-for-help/").content.decode()
    assert 'name="feedback"' in html
    assert at  # the helper is shared with the other insight tests


def test_an_invitation_does_not_say_whose_it_is(closed_request, client):
    # Two people helped in the same month and district; one answers. Nothing kept about the
    # invitations tells which request or task the answered one belonged to.
    first, second = closed_request(agreed=True), closed_request(agreed=True, email="b@example.org")
    assert surveys.send_invitations() == 4
    kept = {field.name for field in SurveyInvitation._meta.concrete_fields}
    assert kept == {"id", "survey", "token", "language", "month", "district", "answered"}
    # Invite once still holds, now marked on the request and the task themselves.
    for help_request in (first, second):
        help_request.refresh_from_db()
        assert help_request.feedback_invited_at is not None
        assert help_request.offers.get().wellbeing_invited_at is not None
    assert surveys.send_invitations() == 0


def test_a_run_that_read_a_request_before_another_marked_it_sends_nothing(closed_request):
    help_request = closed_request(agreed=True)
    stale = list(HelpRequest.objects.filter(pk=help_request.pk))  # read, not yet marked
    assert surveys.send_invitations() == 2
    assert surveys.invite_request(stale[0]) is None  # the mark is taken by a conditional update
    assert SurveyInvitation.objects.filter(survey="helped").count() == 1


def test_the_wellbeing_check_is_counted_with_no_link_back(closed_request, client):
    closed_request(agreed=False)
    surveys.send_invitations()
    (to_volunteer,) = mail.outbox
    path = re.search(r"https?://\S+", to_volunteer.body).group(0).split("://", 1)[1]
    path = "/" + path.split("/", 1)[1]
    assert path.startswith("/pl/")  # the volunteer's language
    html = client.get(path).content.decode()
    assert 'name="wellbeing"' in html and 'name="volunteer_supported"' in html
    client.post(path, {"wellbeing": "partly", "volunteer_supported": "yes"})

    month = figures.month_start(timezone.localdate())
    figures.refresh(month)
    from insight.models import Figure

    answered = dict(
        Figure.objects.filter(month=month, area_kind="all", measure="survey_wellbeing").values_list(
            "breakdown", "value"
        )
    )
    assert answered == {"wellbeing:partly": 1, "volunteer_supported:yes": 1}
