"""What every page needs and editors rarely change (the site for a host, the locales, whether
any page is private) is kept by each process until an edit purges it (core.page_cache.memo):
no query for it on a page, and an edit seen at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from core import page_cache
from core.pages import any_private_pages
from tests.core.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kept(settings):
    settings.PAGE_CACHE_SECONDS = 0  # every request served by the page itself
    settings.SITE_CACHE_SECONDS = 300


def tables_read(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, " ".join(query["sql"] for query in queries)


def test_a_page_asks_nothing_about_sites_locales_or_private_sections(about, client):
    client.get("/en/about-us/")
    _response, sql = tables_read(client, "/en/about-us/")
    for table in ("wagtailcore_site", "wagtailcore_locale", "wagtailcore_pageviewrestriction"):
        assert table not in sql


def test_without_keeping_each_page_asks_again(about, client, settings):
    settings.SITE_CACHE_SECONDS = 0
    client.get("/en/about-us/")
    _response, sql = tables_read(client, "/en/about-us/")
    for table in ("wagtailcore_site", "wagtailcore_locale", "wagtailcore_pageviewrestriction"):
        assert table in sql


def test_a_section_made_private_is_private_at_once_and_public_again_when_freed(about, home, client):
    child = StandardPageFactory(parent=about, title="Team", slug="team", show_in_menus=True)
    child.save_revision().publish()
    about.show_in_menus = True
    about.save_revision().publish()
    assert "Nobody should be alone" in client.get("/en/about-us/team/").content.decode()
    assert any_private_pages() is False

    restriction = PageViewRestriction.objects.create(
        page=about, restriction_type=PageViewRestriction.PASSWORD, password="not-for-you"
    )
    assert any_private_pages() is True
    for url in ("/en/about-us/", "/en/about-us/team/"):
        page = client.get(url).content.decode()
        assert 'name="password"' in page, url
    # Nor is it listed in the menu of the pages still public.
    assert 'href="/en/about-us/"' not in client.get("/en/").content.decode()

    restriction.delete()
    assert 'name="password"' not in client.get("/en/about-us/team/").content.decode()
    assert 'href="/en/about-us/"' in client.get("/en/").content.decode()


def test_a_site_edit_is_seen_at_once(about, home, client, settings):
    settings.ALLOWED_HOSTS = ["*"]
    assert client.get("/en/", HTTP_HOST="second.example").status_code == 200
    site = Site.objects.get(is_default_site=True)
    site.hostname = "second.example"
    site.save()
    second = Site.objects.create(hostname="localhost", port=80, root_page=about)
    # The old default site now answers only for its new name; localhost has its own.
    assert Site.find_for_request(_request(client, "second.example")) == site
    assert Site.find_for_request(_request(client, "localhost")) == second


def _request(client, host):
    """The request a page is served for, as the middleware hands it to Wagtail."""
    from django.test import RequestFactory

    request = RequestFactory().get("/en/", HTTP_HOST=host)
    page_cache._remember_site(request)
    return request


def test_the_memo_is_bounded_and_honours_its_lifetime(db, settings, monkeypatch):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert page_cache.memo("answer", compute) == 1
    assert page_cache.memo("answer", compute) == 1
    page_cache.purge()
    assert page_cache.memo("answer", compute) == 2
    settings.SITE_CACHE_SECONDS = 0
    assert page_cache.memo("answer", compute) == 3
    settings.SITE_CACHE_SECONDS = 300
    for n in range(page_cache.MAX_MEMOS + 5):
        page_cache.memo(("many", n), lambda: None)
    assert len(page_cache._memos) <= page_cache.MAX_MEMOS
