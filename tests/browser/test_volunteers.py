"""Asking for help and volunteering in a real browser: without JavaScript, right to left,
and checked by axe-core."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_ask_for_help_and_sign_up_without_javascript(
    demo_site, live_server, no_js_page, page, assert_accessible
):
    # Without JavaScript the form still posts and comes back with its errors.
    no_js_page.goto(f"{live_server.url}/en/ask-for-help/")
    no_js_page.get_by_role("button", name="Send the request").click()
    summary = no_js_page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Give a phone number or an email address, or both.")

    # axe-core needs JavaScript, so the checks run in an ordinary page.
    page.goto(f"{live_server.url}/en/ask-for-help/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for a volunteer's help")
    assert_accessible(page)
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert_accessible(page)

    page.goto(f"{live_server.url}/ur/ask-for-help/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("رضاکار سے مدد مانگیں")
    assert_accessible(page)

    page.goto(f"{live_server.url}/en/volunteer/sign-up/")
    expect(page.get_by_role("heading", level=2, name="Volunteering terms")).to_be_visible()
    assert_accessible(page)


def test_volunteer_signs_in_sees_the_accepted_task_and_answers_an_offer(
    demo_site, live_server, page, assert_accessible, settings
):
    from volunteers.demo import VOLUNTEER_USERNAME

    password = (settings.VAR_DIR / "demo-volunteer-password.txt").read_text().strip()
    page.goto(f"{live_server.url}/en/volunteer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in as a volunteer")
    assert_accessible(page)
    page.get_by_label("Email address").fill(VOLUNTEER_USERNAME)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your volunteer page")
    tasks = page.get_by_role("region", name="Your tasks")
    expect(tasks).to_contain_text("Arthur Bell")
    offers = page.get_by_role("region", name="Asked of you")
    expect(offers).not_to_contain_text("Margaret Ellis")
    assert_accessible(page)

    offers.get_by_role("button", name="Decline").first.click()
    expect(page.get_by_role("status")).to_contain_text("Thank you for letting us know.")

    page.get_by_role("link", name="Raise a safeguarding concern").first.click()
    expect(page.locator("main")).to_contain_text("call 999 first")
    assert_accessible(page)
