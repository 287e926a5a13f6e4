"""Screenshots of the demo site for people to look at: `make screenshots`.

Builds the demo in its own database under var/screenshots/site (kept between runs, so a
second run is quick), serves it with Django's development server, and has the browser the
tests use (tests/browser/conftest.py) photograph the home page, a search near a postcode and
a story in English, Urdu and Arabic at phone widths, and the same at a desktop width.
The PNG files go to var/screenshots/, named page-language-width.png.
"""

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "screenshots"
SITE_VAR = OUT / "site"
LANGUAGES = ["en", "ur", "ar"]
SCREENS = {390: 844, 320: 568, 1280: 900}
POSTCODE = "SE13 6LH"


def environment():
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)  # always the screenshots' own SQLite file
    env.update(DJANGO_SETTINGS_MODULE="config.settings.dev", VAR_DIR=str(SITE_VAR))
    return env


def manage(*args, env):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own local server
                return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"The development server did not answer at {url}")


def story_paths(env):
    """A story's path in each language: its translation, else the original under the prefix."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from wagtail.models import Locale

    from stories.models import StoryPage

    english = StoryPage.objects.live().filter(locale__language_code="en").first()
    paths = {}
    for code in LANGUAGES:
        locale = Locale.objects.filter(language_code=code).first()
        story = english.get_translation_or_none(locale) if english and locale else None
        if story is not None and story.live:
            paths[code] = story.url
        elif english is not None:
            paths[code] = f"/{code}" + english.url[len("/en") :]
    return paths


def pages(code, stories):
    near = urllib.parse.quote_plus(POSTCODE)
    yield "home", f"/{code}/"
    yield "search", f"/{code}/find-help/?q=&near={near}"
    if code in stories:
        yield "story", stories[code]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--widths",
        type=int,
        nargs="+",
        default=list(SCREENS),
        help="screen widths in CSS pixels (default: %(default)s)",
    )
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    SITE_VAR.mkdir(parents=True, exist_ok=True)
    env = environment()
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("load_demo", "--no-admin", env=env)
    stories = story_paths(env)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    written = []
    try:
        wait_for(f"{base}/healthz")
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            for width in args.widths:
                height = SCREENS.get(width, 900)
                context = browser.new_context(
                    viewport={"width": width, "height": height},
                    is_mobile=width < 800,
                    has_touch=width < 800,
                )
                page = context.new_page()
                for code in LANGUAGES:
                    for name, path in pages(code, stories):
                        response = page.goto(base + path)
                        page.wait_for_load_state("load")
                        target = OUT / f"{name}-{code}-{width}.png"
                        page.screenshot(path=target, full_page=True)
                        overflow = page.evaluate(
                            "document.documentElement.scrollWidth"
                            " - document.documentElement.clientWidth"
                        )
                        header = page.evaluate(
                            "document.querySelector('.site-header')"
                            "?.getBoundingClientRect().bottom || 0"
                        )
                        written.append(
                            f"{target.relative_to(ROOT)}  {response.status}  "
                            f"header {header / height:.0%} of the screen"
                            + (f"  SCROLLS SIDEWAYS by {overflow}px" if overflow > 0 else "")
                        )
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print("\n".join(written))


if __name__ == "__main__":
    main()
