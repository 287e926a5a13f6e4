"""Sign-in lockouts, form rate limits and the honeypot on the volunteers' public pages."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.geo.sample import load_sample_districts
from tests.volunteers.factories import HelpRequestFactory, TaskTypeFactory, UserFactory
from tests.volunteers.test_views import help_data, signup_data
from volunteers.models import HelpRequest, HelpSeekerContact, Volunteer

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def sample(db):
    load_sample_districts()


@pytest.fixture
def member(db):
    return UserFactory(username="sam@example.org", email="sam@example.org")


def sign_in(client, username, password, prefix="/en"):
    return client.post(f"{prefix}/volunteer/sign-in/", {"username": username, "password": password})


def test_repeated_wrong_passwords_lock_the_volunteer_sign_in(client, home, member, settings):
    settings.AXES_FAILURE_LIMIT = 5
    # The lockout, not the form's own rate limit (which would refuse the 31st try too).
    settings.FORM_RATE_LIMITS = {**settings.FORM_RATE_LIMITS, "volunteer_sign_in": "100/h"}
    for _attempt in range(30):
        sign_in(client, member.username, "wrong password")
    response = sign_in(client, member.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Signing in is paused" in text_of(response)
    # The site's own page: its header and footer, not a bare error.
    assert 'class="site-header"' in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    # Someone else, or the same account from another address, is not affected.
    other = UserFactory(username="kim@example.org")
    assert sign_in(client, other.username, PASSWORD).status_code == 302
    client.logout()
    elsewhere = client.post(
        "/en/volunteer/sign-in/",
        {"username": member.username, "password": PASSWORD},
        REMOTE_ADDR="192.0.2.44",
    )
    assert elsewhere.status_code == 302


def test_the_lockout_page_is_in_the_visitors_language(client, home, member, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _attempt in range(3):
        response = sign_in(client, member.username, "wrong password", prefix="/cy")
    assert response.status_code == 429
    html = response.content.decode()
    assert 'lang="cy"' in html
    assert "Signing in is paused" not in html


def test_a_lockout_is_lifted_with_axes_reset(client, home, member, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _attempt in range(3):
        sign_in(client, member.username, "wrong password")
    assert sign_in(client, member.username, PASSWORD).status_code == 429
    call_command("axes_reset")
    assert sign_in(client, member.username, PASSWORD).status_code == 302


def test_repeated_wrong_passwords_lock_the_admin_sign_in(client, home, settings):
    settings.AXES_FAILURE_LIMIT = 5
    admin = UserFactory(username="editor", is_superuser=True, is_staff=True)
    for _attempt in range(30):
        client.post("/admin/login/", {"username": "editor", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    call_command("axes_reset_username", "editor")
    response = client.post("/admin/login/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(admin.pk)


def test_asking_for_help_too_often_is_refused_and_saves_nothing(
    client, home, terms, sample, settings
):
    settings.FORM_RATE_LIMITS = {**settings.FORM_RATE_LIMITS, "ask_for_help": "3/h"}
    task = TaskTypeFactory()
    url = reverse("volunteers:ask_for_help")
    for _attempt in range(3):
        assert client.post(url, help_data(task, consent="")).status_code == 200
    response = client.post(url, help_data(task))
    assert response.status_code == 429
    assert "Too many tries" in text_of(response)
    assert "Nothing has been saved or changed." in text_of(response)
    assert HelpRequest.objects.count() == 0 and HelpSeekerContact.objects.count() == 0
    # Reading the form is not limited, and another address may still send it.
    assert client.get(url).status_code == 200
    assert client.post(url, help_data(task), REMOTE_ADDR="192.0.2.8").status_code == 302


def test_the_429_page_is_in_the_visitors_language(client, home, terms, sample, settings):
    settings.FORM_RATE_LIMITS = {**settings.FORM_RATE_LIMITS, "ask_for_help": "1/h"}
    client.post("/ur/ask-for-help/", {})
    response = client.post("/ur/ask-for-help/", {})
    assert response.status_code == 429
    html = response.content.decode()
    assert 'lang="ur"' in html and 'dir="rtl"' in html
    assert "Too many tries" not in html
    assert 'class="site-header"' in html


def test_signing_up_too_often_is_refused(client, home, terms, sample, settings):
    settings.FORM_RATE_LIMITS = {**settings.FORM_RATE_LIMITS, "volunteer_sign_up": "2/h"}
    url = reverse("volunteers:sign_up")
    for n in range(2):
        client.post(url, signup_data(email=f"person{n}@example.org", agree_terms=""))
    response = client.post(url, signup_data())
    assert response.status_code == 429
    assert Volunteer.objects.count() == 0


def test_the_sign_in_form_is_rate_limited_by_address(client, home, settings):
    settings.FORM_RATE_LIMITS = {**settings.FORM_RATE_LIMITS, "volunteer_sign_in": "3/h"}
    for n in range(3):
        sign_in(client, f"nobody{n}@example.org", "guess")
    assert sign_in(client, "someone@example.org", "guess").status_code == 429


def test_withdrawing_is_rate_limited(client, home, settings):
    from django.core import signing

    from volunteers.views import WITHDRAW_SALT

    settings.FORM_RATE_LIMITS = {**settings.FORM_RATE_LIMITS, "withdraw_request": "2/h"}
    help_request = HelpRequestFactory()
    url = reverse("volunteers:withdraw", args=[signing.dumps(help_request.pk, salt=WITHDRAW_SALT)])
    for _attempt in range(2):
        client.post(url)
    assert client.post(url).status_code == 429


@pytest.mark.parametrize(
    ("name", "url", "data"),
    [
        ("ask_for_help", "volunteers:ask_for_help", lambda task: help_data(task)),
        ("sign_up", "volunteers:sign_up", lambda task: signup_data()),
    ],
)
def test_the_honeypot_turns_away_software_and_saves_nothing(
    client, home, terms, sample, name, url, data
):
    page = client.get(reverse(url)).content.decode()
    honeypot = re.search(r'<div class="honeypot" aria-hidden="true">.*?</div>', page).group(0)
    assert 'tabindex="-1"' in honeypot and 'autocomplete="off"' in honeypot
    response = client.post(reverse(url), {**data(TaskTypeFactory()), "website": "spam.example"})
    assert response.status_code == 200
    assert "Something went wrong" in text_of(response)
    assert HelpRequest.objects.count() == 0 and Volunteer.objects.count() == 0


def test_a_coordinator_lifts_a_pause_in_the_admin(client, home, member, settings):
    from django.contrib.auth.models import Group, Permission
    from django.test import Client

    settings.AXES_FAILURE_LIMIT = 3
    for _attempt in range(3):
        sign_in(client, member.username, "wrong password")
    assert sign_in(client, member.username, PASSWORD).status_code == 429

    coordinator = UserFactory()
    group = Group.objects.create(name="Coordinators")
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "view_accessattempt", "delete_accessattempt"]
        )
    )
    coordinator.groups.add(group)
    admin = Client()
    admin.force_login(coordinator)
    listing = admin.get(reverse("paused_sign_ins:index"))
    assert listing.status_code == 200
    assert member.username in listing.content.decode()
    # The records are django-axes' own: nobody adds or edits them by hand.
    assert admin.get(reverse("paused_sign_ins:add")).status_code in (302, 403)
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.get(username=member.username)
    response = admin.post(reverse("paused_sign_ins:delete", args=[attempt.pk]))
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=member.username).exists()
    assert sign_in(client, member.username, PASSWORD).status_code == 302


def test_without_the_permission_the_pauses_are_not_shown(client, home):
    client.force_login(UserFactory())
    assert client.get(reverse("paused_sign_ins:index")).status_code in (302, 403)


@pytest.mark.parametrize("login", ["/en/volunteer/sign-in/", "/admin/login/"])
def test_a_username_longer_than_the_record_is_a_wrong_sign_in_not_an_error(client, home, login):
    from axes.models import AccessAttempt

    long_name = "9" * 400
    response = client.post(login, {"username": long_name, "password": "wrong password"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    # Where the form lets it through to a sign-in attempt, the failure is still counted, under
    # the first 255 characters the record holds.
    for attempt in AccessAttempt.objects.all():
        assert attempt.username == long_name[:255]
        assert attempt.failures_since_start == 1
