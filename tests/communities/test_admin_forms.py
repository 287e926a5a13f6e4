"""Bad event input in the Wagtail admin: a clear message next to the field, nothing saved."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text
from wagtail.users.models import UserProfile

from communities.models import EventPage
from communities.permissions import add_editor

pytestmark = pytest.mark.django_db


def event_form(**overrides):
    start = dt.date.today() + dt.timedelta(days=10)
    data = {
        "title": "Death Café",
        "slug": "death-cafe-new",
        "summary": "Tea and talk.",
        "description": rich_text("<p>Tea and talk.</p>"),
        "event_type": "death_cafe",
        "language": "en",
        "start_date": start.isoformat(),
        "start_time": "19:00",
        "end_time": "21:00",
        "time_zone": "Europe/London",
        "repeat": "weekly",
        "repeat_interval": "1",
        "repeat_count": "4",
        "exceptions": inline_formset([{"date": (start + dt.timedelta(weeks=1)).isoformat()}]),
        "venue_name": "Hackney Central Library",
        "postcode": "E8",
        "online_link_for_booked_only": "on",
        "free": "on",
        "capacity": "10",
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


@pytest.fixture
def editor_client(client, group, gazetteer):
    alice = get_user_model().objects.create_user("alice", "alice@example.com", "pw")
    add_editor(group, alice)
    client.force_login(alice)
    return client


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_time": "18:00"}, "end_time", "The event must end after it starts."),
        ({"postcode": "ZZ99 9ZZ"}, "postcode", None),
        ({"postcode": ""}, "postcode", "Give a postcode or town, or mark the event as online."),
        (
            {"online": "on", "online_url": ""},
            "online_url",
            "Give the link people use to join an online event.",
        ),
        ({"free": ""}, "cost", "Say what it costs, or mark the event as free."),
        # The link goes only to people who book, but nobody could book.
        (
            {"online": "on", "online_url": "https://meet.example/x", "capacity": ""},
            "capacity",
            None,
        ),
    ],
)
def test_bad_event_input_is_refused_with_a_message_and_nothing_saved(
    editor_client, group, overrides, field, message
):
    url = f"/admin/pages/add/communities/eventpage/{group.pk}/"
    response = editor_client.post(url, event_form(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert message in errors[field]
    assert not EventPage.objects.exists()


def test_messages_are_in_the_editors_language(editor_client, group):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(get_user_model().objects.get(username="alice"))
    profile.preferred_language = "pl"
    profile.save()
    with translation.override("pl"):
        expected = translation.gettext("The event must end after it starts.")
    assert expected != "The event must end after it starts."
    url = f"/admin/pages/add/communities/eventpage/{group.pk}/"
    response = editor_client.post(url, event_form(end_time="18:00"))
    assert expected in response.content.decode()
    assert not EventPage.objects.exists()


def test_good_event_input_is_saved_with_its_exceptions_and_coordinates(editor_client, group):
    url = f"/admin/pages/add/communities/eventpage/{group.pk}/"
    response = editor_client.post(url, event_form())
    assert response.status_code == 302, response.context["form"].errors
    event = EventPage.objects.get()
    assert not event.live  # saved as a draft: this group's events are moderated
    assert event.latitude is not None
    assert event.exceptions.count() == 1


def test_in_the_admin_an_untrusted_groups_event_waits_for_a_moderator_and_a_trusted_one_goes_live(
    client, editor_client, group, make_group
):
    from wagtail.models import WorkflowState

    url = f"/admin/pages/add/communities/eventpage/{group.pk}/"
    # Publishing is not open to this group's editors: asking for it does not make the page live.
    editor_client.post(url, event_form(slug="tries-to-publish", **{"action-publish": "1"}))
    editor_client.post(url, event_form(slug="submitted", **{"action-submit": "1"}))
    events = {event.slug: event for event in EventPage.objects.all()}
    assert not events["tries-to-publish"].live
    submitted = events["submitted"]
    assert not submitted.live
    state = WorkflowState.objects.get(object_id=str(submitted.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    trusted = make_group(title="Trusted walkers", trusted=True)
    bob = get_user_model().objects.create_user("bob", "bob@example.com", "pw")
    add_editor(trusted, bob)
    client.force_login(bob)
    response = client.post(
        f"/admin/pages/add/communities/eventpage/{trusted.pk}/",
        event_form(slug="straight-out", **{"action-publish": "1"}),
    )
    assert response.status_code == 302
    assert EventPage.objects.get(slug="straight-out").live


def group_form(**overrides):
    data = {
        "title": "Hackney Death Café",
        "slug": "hackney-death-cafe",
        "summary": "Tea, cake and talk about death.",
        "description": rich_text("<p>We meet monthly.</p>"),
        "area": "Hackney, east London",
        "accessibility": rich_text(""),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def test_a_groups_phone_is_kept_as_people_dial_it_or_refused_in_their_language(
    editor_client, group
):
    url = f"/admin/pages/{group.pk}/edit/"
    form = editor_client.get(url).content.decode()
    assert 'type="tel"' in form and 'inputmode="tel"' in form
    with translation.override("cy"):
        message = translation.gettext("Enter a phone number using digits, spaces and +.")
    assert message != "Enter a phone number using digits, spaces and +."
    alice = get_user_model().objects.get(username="alice")
    profile = UserProfile.get_for_user(alice)
    profile.preferred_language = "cy"
    profile.save()
    response = editor_client.post(url, group_form(contact_phone="ring the office"))
    assert response.status_code == 200
    assert message in response.content.decode()
    group.refresh_from_db()
    assert group.get_latest_revision_as_object().contact_phone == ""
    # Typed with Urdu digits and a direction mark pasted before it: kept as dialled. The
    # email address, pasted from a right-to-left message, is kept without its marks.
    response = editor_client.post(
        url,
        group_form(
            contact_phone="\u200f۰۱۱۳ ۴۹۶ ۰۰۰۰",
            contact_email="\u200fhackney@example.org\u200e",
        ),
    )
    assert response.status_code == 302
    group.refresh_from_db()
    saved = group.get_latest_revision_as_object()
    assert (saved.contact_phone, saved.contact_email) == ("0113 496 0000", "hackney@example.org")
