"""Real-browser tests: Playwright drives Debian's headless Chromium against a live server."""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.browser.axe import report, violations

# Playwright's synchronous API keeps an event loop running in the test thread; the Django ORM
# calls made by the tests themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# A loaded two-core CI machine serving a live server and Chromium at once can take longer than
# Playwright's default 5 s for an admin page to answer; the assertions wait for up to 20 s.
expect.set_options(timeout=20_000)

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# The flags keep Chromium off the network it cannot reach here, and fast to start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


# One browser per module: Playwright's synchronous API keeps an event loop running in the
# test thread while it lives, and code run by later tests of the same worker that bridges
# to async (asgiref's async_to_sync, as django-health-check does) refuses to run beside it.
@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: run 'make test' (it installs Debian's "
            "chromium) or set CHROMIUM_PATH."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.javascript_disabled = True  # read by assert_accessible
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def assert_accessible():
    """Run axe-core on the page and fail with a readable list of any violations."""

    def check(page, ignore=()):
        """`ignore`: rule ids left out by name, each with its reason at the call."""
        # axe-core runs as the page's own script and answers through a promise that waits on
        # timers: with JavaScript off the promise never settles and the test would wait for
        # ever. Audit that state on a page with JavaScript instead.
        if getattr(page, "javascript_disabled", False):
            pytest.fail("axe-core needs JavaScript: audit this state on a page with JavaScript on")
        # A click may have started a navigation: audit the new document once it has loaded,
        # not the moment between the old one going and the new one arriving.
        page.wait_for_load_state("load")
        # Colours half-way through a fade fail contrast: audit what the reader ends up seeing,
        # once every short transition and animation has finished. Opacity is not inherited,
        # so checking the element itself misses a fading parent; ask the document. Long or
        # endless ones (Wagtail pings a new user's help badge for 25 s) are decoration, and
        # waiting them out would add 25 s to every admin audit.
        page.wait_for_function(
            """() => document.getAnimations().every(
                (a) => a.playState !== "running" || a.effect.getComputedTiming().endTime > 2000
            )"""
        )
        found = [v for v in violations(page) if v["id"] not in ignore]
        assert not found, f"axe-core found violations on {page.url}:\n{report(found)}"

    return check
