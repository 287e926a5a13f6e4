"""Fixtures shared by the whole suite: locales and a small page tree served as the site."""

import pytest
from django.conf import settings
from wagtail.models import Locale, Site

from core.demo.site import ensure_tree_root
from tests.core.factories import HomePageFactory, StandardPageFactory


@pytest.fixture
def locales(db):
    """A Wagtail locale for every shipped language, by language code."""
    return {
        code: Locale.objects.get_or_create(language_code=code)[0]
        for code, _name in settings.LANGUAGES
    }


def _publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def home(locales):
    """An English home page serving as the root of the default site."""
    root = ensure_tree_root(locales["en"])
    page = HomePageFactory(parent=root, locale=locales["en"], title="Nobody should be alone")
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": page},
    )
    return _publish(page)


@pytest.fixture
def about(home):
    return _publish(StandardPageFactory(parent=home, title="About us", slug="about-us"))


@pytest.fixture
def translate_page():
    """Translate a page into a locale (parents first) and publish it with a new title."""

    def translate(page, locale, title):
        translation = page.copy_for_translation(locale, copy_parents=True)
        translation.title = title
        translation.save()
        return _publish(translation)

    return translate


@pytest.fixture(autouse=True)
def clear_cache():
    """Wagtail caches site root paths; a test must not see the page tree of the one before."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the site's default language: a request to /ur/ in one test
    leaves Urdu active in the thread, and the next test must not inherit it."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
