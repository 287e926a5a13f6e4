"""What search engines are told: /robots.txt, and `X-Robots-Tag: noindex` on the pages reached
by a personal link (core.robots)."""

import pytest
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation
from protego import Protego

from tests.volunteers.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db


def rules(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode().splitlines()


def test_robots_txt_keeps_crawlers_out_of_the_admins_and_site_search_and_names_the_sitemap(
    client,
):
    lines = rules(client)
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Disallow: /django-admin/" in lines
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            assert f"Disallow: {reverse('search')}" in lines, code
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_robots_txt_names_the_sitemap_at_the_address_it_was_asked_on(client):
    lines = rules(client)
    secure = client.get("/robots.txt", secure=True, headers={"host": "localhost"})
    assert "Sitemap: https://localhost/sitemap.xml" in secure.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def crawler(client):
    """robots.txt as a crawler reads it (Protego, Scrapy's parser: RFC 9309's wildcards, and
    the longest matching rule wins)."""
    robots = Protego.parse("\n".join(rules(client)))
    return lambda path: robots.can_fetch(f"http://testserver{path}", "AnyBot")


OPEN = [
    "/en/",
    "/ur/",
    "/en/find-help/",
    "/en/find-help/3f0e4a4e-8d5c-4c55-9d4c-1a2b3c4d5e6f/",
    "/en/events/calendar.ics",
    "/en/ask-for-help/",
    "/cy/volunteer/sign-up/",
    "/api/hsds/services",
    "/api/hsds/services?page=2&per_page=1000",
    "/sitemap.xml",
]
CLOSED = [
    "/admin/",
    "/admin/pages/3/edit/",
    "/django-admin/",
    "/cy/search/",
    "/ur/search/?q=grief",
    "/en/find-help/?q=grief&near=SE13+6LG",
    "/en/events/?near=M1+1AE&page=3",
    "/en/stories/?page=2",
]


@pytest.mark.parametrize(
    ("path", "open_to_crawlers"),
    [(path, True) for path in OPEN] + [(path, False) for path in CLOSED],
)
def test_crawlers_read_the_public_pages_forms_and_api_and_not_the_admins_searches_or_queries(
    client, path, open_to_crawlers
):
    assert crawler(client)(path) is open_to_crawlers


def test_pages_reached_by_a_personal_link_are_not_indexed(client, home):
    from volunteers.views import WITHDRAW_SALT

    token = signing.dumps(HelpRequestFactory().pk, salt=WITHDRAW_SALT)
    for url in [
        reverse("volunteers:help_sent", args=[token]),
        reverse("volunteers:withdraw", args=[token]),
        reverse("volunteers:verify", args=["not-a-real-token"]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.get("X-Robots-Tag") == "noindex", url


def test_public_pages_may_be_indexed(client, home):
    response = client.get("/en/")
    assert response.status_code == 200
    assert "X-Robots-Tag" not in response
