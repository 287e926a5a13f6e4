"""Asking for help and signing up, sent twice or at the same moment: saved once, none lost."""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.concurrency import needs_postgresql, post_at_once
from tests.volunteers.factories import TaskTypeFactory
from tests.volunteers.test_views import help_data, signup_data
from volunteers.models import ContactConsent, HelpRequest, HelpSeekerContact, Volunteer

THREADS = 8
ALREADY = "We had already received this form from you"


@pytest.fixture
def sample(db):
    from core.geo.sample import load_sample_districts

    load_sample_districts()


@pytest.mark.django_db
@pytest.mark.parametrize("token", [True, False], ids=["token", "no token"])
def test_a_request_for_help_sent_twice_is_kept_once(client, home, terms, sample, token):
    form = help_data(TaskTypeFactory(), submission=str(uuid.uuid4()) if token else "")
    first = client.post(reverse("volunteers:ask_for_help"), form, follow=True)
    second = client.post(reverse("volunteers:ask_for_help"), form, follow=True)
    assert HelpRequest.objects.count() == 1
    assert HelpSeekerContact.objects.count() == 1 and ContactConsent.objects.count() == 1
    # The same page, with its withdraw link, and a word that it was sent only once.
    assert first.redirect_chain == second.redirect_chain
    assert ALREADY not in first.content.decode() and ALREADY in second.content.decode()


@pytest.mark.django_db
def test_two_requests_from_two_forms_are_both_kept(client, home, terms, sample):
    task = TaskTypeFactory()
    for _n in range(2):
        client.post(reverse("volunteers:ask_for_help"), help_data(task, submission=uuid.uuid4()))
    assert HelpRequest.objects.count() == 2


@pytest.mark.django_db
def test_a_sign_up_sent_twice_makes_one_account_and_says_so(client, home, terms, sample):
    form = signup_data(submission=str(uuid.uuid4()))
    first = client.post(reverse("volunteers:sign_up"), form, follow=True)
    second = client.post(reverse("volunteers:sign_up"), form, follow=True)
    assert Volunteer.objects.count() == 1 and get_user_model().objects.count() == 1
    assert (
        first.redirect_chain == second.redirect_chain == [(reverse("volunteers:sign_up_sent"), 302)]
    )
    assert ALREADY in second.content.decode()


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_one_request_for_help_sent_many_times_at_once_is_kept_once(home, terms, sample):
    form = help_data(TaskTypeFactory(), submission=str(uuid.uuid4()))
    responses = post_at_once(reverse("volunteers:ask_for_help"), [form] * THREADS)
    assert [r.status_code for r in responses] == [200] * THREADS
    assert HelpRequest.objects.count() == 1
    assert len({r.redirect_chain[-1][0] for r in responses}) == 1
    assert sum(ALREADY in r.content.decode() for r in responses) == THREADS - 1


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_sign_ups_with_one_email_at_once_make_one_account_and_tell_the_rest(home, terms, sample):
    # Different copies of the form (tokens), one email address: one account, the rest told.
    forms = [signup_data(submission=str(uuid.uuid4())) for _n in range(THREADS)]
    responses = post_at_once(reverse("volunteers:sign_up"), forms)
    assert [r.status_code for r in responses] == [200] * THREADS
    assert Volunteer.objects.count() == 1 and get_user_model().objects.count() == 1
    told = [r for r in responses if "There is already an account" in r.content.decode()]
    assert len(told) == THREADS - 1
