"""A coordinator's day in the admin, in a real browser and checked by axe-core: the home's
panels, handling a safeguarding concern to its close, approving a volunteer and offering them
a request, and the help-request list on a phone."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, settings):
    from volunteers.demo import COORDINATOR_USERNAME

    password = (settings.VAR_DIR / "demo-coordinator-password.txt").read_text().strip()
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(COORDINATOR_USERNAME)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_a_coordinator_handles_a_concern_and_approves_a_volunteer(
    demo_site, live_server, page, phone_page, assert_accessible, settings
):
    from tests.volunteers.factories import HelpRequestFactory, VolunteerFactory
    from volunteers.models import Offer, SafeguardingConcern, Volunteer

    applicant = VolunteerFactory(
        display_name="Nina Newcomer", status=Volunteer.Status.APPLICANT, approved_at=None
    )
    sign_in(page, live_server, settings)
    concerns = page.get_by_role("region", name="Open safeguarding concerns")
    expect(concerns).to_be_visible()
    expect(page.get_by_role("region", name="New applicants")).to_contain_text("Nina Newcomer")
    assert_accessible(page)

    concerns.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("What was done").fill("Rang Olive's daughter; she is visiting today.")
    page.get_by_role("button", name="Save to history").click()
    expect(page.get_by_text("Recorded in the concern's history.")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Rang Olive's daughter")
    page.get_by_label("Close the concern").check()
    page.get_by_role("button", name="Save to history").click()
    expect(page.get_by_text("Write the outcome before closing the concern.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Close the concern").check()
    page.get_by_label("Outcome").fill("Her daughter now visits daily; nothing more needed.")
    page.get_by_role("button", name="Save to history").click()
    expect(page.get_by_text("Recorded in the concern's history.")).to_be_visible()
    expect(page.get_by_label("Reopen the concern")).to_be_visible()
    assert_accessible(page)
    concern = SafeguardingConcern.objects.get(pk=page.url.rstrip("/").rsplit("/", 1)[-1])
    assert concern.status == "closed" and concern.outcome.startswith("Her daughter")

    page.goto(f"{live_server.url}/admin/volunteers/volunteers/{applicant.pk}/approve/")
    assert_accessible(page)
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("is approved and active")).to_be_visible()
    # Back on the volunteer's page. Wagtail's snippet forms title the page with an <h2
    # class="w-h1">: axe's best-practice rule page-has-heading-one is Wagtail's to change.
    expect(page.get_by_text("Matching can offer this volunteer requests.")).to_be_visible()
    assert_accessible(page, ignore={"page-has-heading-one"})

    # The volunteer just approved is matched: offered a request from its Matching page.
    help_request = HelpRequestFactory()
    page.goto(f"{live_server.url}{reverse('volunteers_exclusions', args=[help_request.pk])}")
    page.get_by_role("button", name="Offer to Nina Newcomer").click()
    expect(page.get_by_text(re.compile(r"offered to Nina Newcomer"))).to_be_visible()
    assert_accessible(page)
    offer = Offer.objects.get(request=help_request)
    assert offer.volunteer == applicant and offer.status == "offered"

    sign_in(phone_page, live_server, settings)
    phone_page.goto(f"{live_server.url}/admin/snippets/volunteers/helprequest/")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360 + 1, width
    assert_accessible(phone_page)
