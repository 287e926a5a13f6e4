"""The impact page and the insight dashboard in a real browser: axe-clean, narrow screens,
right to left, and the charts and tables without JavaScript."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def figures(home):
    from insight import demo

    demo.load(lambda message: None)


def test_the_impact_page_is_accessible_wide_and_narrow(
    figures, live_server, page, browser, assert_accessible
):
    url = f"{live_server.url}/en/our-impact/?area_kind=authority&area=Lewisham,+Leeds"
    page.goto(url)
    expect(page.get_by_role("heading", level=1, name="Our impact")).to_be_visible()
    expect(page.get_by_role("img", name="Help requests").first).to_be_visible()
    assert_accessible(page)
    for width in (390, 320):
        context = browser.new_context(viewport={"width": width, "height": 800})
        narrow = context.new_page()
        narrow.goto(url)
        # Nothing but the tables' own scrolling regions is wider than the screen.
        overflow = narrow.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, (width, overflow)
        assert_accessible(narrow)
        context.close()


def test_the_impact_page_in_urdu_reads_right_to_left(figures, live_server, page, assert_accessible):
    page.goto(f"{live_server.url}/ur/our-impact/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1, name="ہمارا اثر")).to_be_visible()
    assert_accessible(page)


def test_charts_and_tables_without_javascript(figures, live_server, no_js_page):
    no_js_page.goto(f"{live_server.url}/en/our-impact/?month_from=2999-01")
    expect(no_js_page.get_by_text("That month is in the future")).to_have_count(2)
    no_js_page.goto(f"{live_server.url}/en/our-impact/")
    no_js_page.get_by_label("Compare").select_option("authority")
    no_js_page.get_by_label("Areas").fill("Southwark, Greenwich")
    no_js_page.get_by_role("button", name="Show figures").click()
    table = no_js_page.get_by_role("table", name="Help requests").first
    expect(table.get_by_role("columnheader", name="Southwark")).to_be_visible()
    expect(table.get_by_role("columnheader", name="Greenwich")).to_be_visible()
    expect(no_js_page.locator("svg.insight-chart").first).to_be_visible()


def test_the_dashboard_is_accessible(
    figures, live_server, page, assert_accessible, django_user_model
):
    from insight.roles import ensure_groups

    ensure_groups()
    user = django_user_model.objects.create_user("commissioner", "c@example.org", "pw-123456789")
    user.groups.add(Group.objects.get(name="Commissioners"))
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("commissioner")
    page.get_by_label("Password").fill("pw-123456789")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/admin/insight/?area_kind=district&area=SE13,SE15,LS6")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Insight: need, help given")
    expect(
        page.get_by_role("table", name="Hours from asking to an offer and to acceptance: SE13")
    ).to_be_visible()
    assert_accessible(page)
