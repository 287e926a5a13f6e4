"""Every public page type, in every shipped language, at a phone's width and a desktop's.

One test per language, on the demo: it walks every page type in that language, checks the
answer (200, the language's `lang` and `dir` on <html>), runs axe-core at both widths, books
a place on an event, and reports every failure at once.
"""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.browser.axe import violations

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def page_paths(code):
    """One address per public page type (and routed sub-page) in the language `code`."""
    from communities.models import CommunityGroupPage, EventPage
    from directory.models import Service
    from stories.models import ResourcePage, StoryPage

    def localized(page):
        return page.get_translation(_locale(code)).url

    event = EventPage.originals().live().filter(capacity__gte=5).order_by("pk").first()
    service = Service.objects.filter(status="active").order_by("name").first()
    with translation.override(code):
        views = [
            reverse("search") + "?q=grief",
            reverse("volunteers:ask_for_help"),
            reverse("volunteers:sign_up"),
            reverse("volunteers:sign_in"),
        ]
    return {
        "home": f"/{code}/",
        "standard": f"/{code}/about-us/",
        "volunteering": f"/{code}/get-or-give-help/",
        "stories": f"/{code}/stories/",
        "share a story": f"/{code}/stories/share/",
        "story": localized(
            StoryPage.objects.get(slug="the-night-nurse", locale__language_code="en")
        ),
        "guides": f"/{code}/guides/",
        "guide": localized(
            ResourcePage.objects.get(slug="registering-a-death", locale__language_code="en")
        ),
        "directory": f"/{code}/find-help/?q=bereavement&near=SE13",
        "service": f"/{code}/find-help/{service.pk}/",
        "groups": f"/{code}/groups/",
        "group": localized(CommunityGroupPage.objects.filter(locale__language_code="en").first()),
        "events": f"/{code}/events/",
        "event": localized(event),
        **{f"view {path}": path for path in views},
    }


def _locale(code):
    from wagtail.models import Locale

    return Locale.objects.get(language_code=code)


@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES])
def test_every_page_type_in_every_language(demo_site, live_server, browser, code):
    failures = []
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    visited = 0
    direction = "rtl" if translation.get_language_info(code)["bidi"] else "ltr"
    for kind, path in page_paths(code).items():
        page.set_viewport_size(DESKTOP)
        response = page.goto(live_server.url + path)
        visited += 1
        where = f"{code} {kind} {path}"
        if response.status != 200:
            failures.append(f"{where}: answered {response.status}")
            continue
        if not response.url.startswith(f"{live_server.url}/{code}/"):
            failures.append(f"{where}: ended at {response.url}")
        html = page.locator("html")
        if html.get_attribute("lang") != code or html.get_attribute("dir") != direction:
            failures.append(
                f"{where}: <html lang={html.get_attribute('lang')} dir={html.get_attribute('dir')}>"
            )
        for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            for violation in violations(page):
                targets = "; ".join(n["target"][0] for n in violation["nodes"][:3])
                failures.append(f"{where} ({width}): {violation['id']} -> {targets}")
    failures.extend(_book_a_place(page, live_server.url + page_paths(code)["event"], code))
    context.close()
    assert visited == len(page_paths(code))
    assert not failures, "\n".join(failures)


def _book_a_place(page, event_url, code):
    """Book the first date of the event from its page in `code`; the booking's own page
    answers in the same language."""
    page.set_viewport_size(PHONE)
    page.goto(event_url)
    form = page.locator("form.booking-form")
    form.locator("input[type=radio]").first.check()
    form.locator("input[name=name]").fill(f"Visitor {code}")
    form.locator("input[name=email]").fill(f"visitor-{code}@example.com")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    if (
        page.url.startswith(event_url + "booking/")
        and page.locator("html").get_attribute("lang") == code
    ):
        return []
    return [f"{code} booking: ended at {page.url}"]
