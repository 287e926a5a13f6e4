"""The public pages run under their Content-Security-Policy with nothing refused."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

# Collects every violation the page reports, whether or not it reaches the console.
REPORTER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(
        `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
        `(${event.sourceFile}:${event.lineNumber})`
    );
});
"""


def test_public_pages_break_no_rule_of_their_policy(demo_site, live_server, page):
    from communities.models import EventIndexPage, EventPage
    from directory.models import DirectoryPage
    from stories.models import StoryPage

    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.add_init_script(REPORTER)
    # The map's tiles come from the internet, which is out of reach here: answer with nothing.
    page.route("https://tile.openstreetmap.org/**", lambda route: route.fulfill(status=204))

    directory = DirectoryPage.objects.live().first()
    urls = [
        "/en/",
        directory.url + "?q=bereavement&near=SE13",
        StoryPage.objects.live().filter(locale__language_code="en").first().url,
        EventIndexPage.objects.live().first().url,
        EventPage.objects.live().first().url,
        "/ur/",
    ]
    violations = {}
    for url in urls:
        response = page.goto(live_server.url + url)
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, (url, policy)
        page.wait_for_load_state("load")
        if "near=" in url:
            # The map is drawn by the site's script with Leaflet: its markers show it ran.
            expect(page.locator("#results-map")).to_be_visible()
            expect(page.locator("#results-map .leaflet-marker-icon").first).to_be_visible()
        found = page.evaluate("window.__cspViolations")
        if found:
            violations[url] = found
    console = [text for text in messages if "Content Security Policy" in text]
    assert violations == {} and console == [], (violations, console)
