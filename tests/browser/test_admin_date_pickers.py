"""Wagtail's date and time pickers, open, pass axe: the popup is a region named for what it
chooses and its arrow buttons have names, in the reader's admin language."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_staff_journeys import sign_in, staff_member

pytestmark = pytest.mark.django_db(transaction=True)


def open_event_form(page, live_server):
    from communities.models import CommunityGroupPage

    group = CommunityGroupPage.objects.live().filter(locale__language_code="en").first()
    page.goto(f"{live_server.url}/admin/pages/add/communities/eventpage/{group.pk}/")


def open_event_form_as_superuser(page, live_server, username):
    user = staff_member(username)
    user.is_superuser = True
    user.save()
    sign_in(page, live_server, username)
    open_event_form(page, live_server)


def open_picker(page, field):
    page.locator(field).click()
    picker = page.locator(".xdsoft_datetimepicker:visible")
    expect(picker).to_have_count(1)
    # The calendar and the times are drawn a moment after the popup appears.
    expect(picker.locator(".xdsoft_date, .xdsoft_time").first).to_be_attached()
    return picker


def test_the_open_date_and_time_pickers_pass_axe(demo_site, live_server, page, assert_accessible):
    open_event_form_as_superuser(page, live_server, "picker")

    open_picker(page, "#id_start_date")
    region = page.get_by_role("region", name="Choose a date")
    expect(region).to_be_visible()
    for name in ("Previous month", "Next month", "Go to today"):
        expect(region.get_by_role("button", name=name)).to_be_visible()
    assert_accessible(page)
    region.get_by_role("button", name="Next month").click()
    assert_accessible(page)

    open_picker(page, "#id_start_time")
    region = page.get_by_role("region", name="Choose a time")
    expect(region).to_be_visible()
    for name in ("Earlier times", "Later times"):
        expect(region.get_by_role("button", name=name)).to_be_visible()
    assert_accessible(page)


def test_the_pickers_speak_the_readers_language(demo_site, live_server, page, assert_accessible):
    from wagtail.users.models import UserProfile

    user = staff_member("codwr")
    user.is_superuser = True
    user.save()
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "cy"
    profile.save()
    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill("codwr")
    page.locator("#id_password").fill("a long staff passphrase 42")
    page.locator("form button[type=submit]").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    open_event_form(page, live_server)

    open_picker(page, "#id_start_date")
    region = page.get_by_role("region", name="Dewis dyddiad")
    expect(region.get_by_role("button", name="Y mis nesaf")).to_be_visible()
    expect(region.get_by_role("button", name=re.compile("Next month"))).to_have_count(0)
    assert_accessible(page)


def test_two_open_time_pickers_are_told_apart_by_their_fields(
    demo_site, live_server, page, assert_accessible
):
    """A form with a start and an end time has two time pickers; a screen reader's list of
    regions (and axe's landmark-unique rule) must tell them apart, so each is named for its
    field as well as for what it chooses."""
    open_event_form_as_superuser(page, live_server, "twotimes")

    open_picker(page, "#id_start_time")
    page.locator("#id_end_time").focus()
    for field in ("Starts at", "Ends at"):
        region = page.get_by_role(
            "region", name=re.compile(f"Choose a time.*{field}"), include_hidden=True
        )
        expect(region).to_have_count(1)
    # Both pickers shown at once (one opened by the mouse, one by the keyboard) still pass.
    page.evaluate(
        "document.querySelectorAll('.xdsoft_datetimepicker').forEach("
        "(p) => { if (p.querySelector('.xdsoft_timepicker.active')) p.style.display = 'block'; })"
    )
    expect(page.locator(".xdsoft_datetimepicker:visible")).to_have_count(2)
    assert_accessible(page)
