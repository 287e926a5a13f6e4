"""The Content-Security-Policy header on every kind of public page, and the admin's exclusion."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from directory.models import DirectoryPage, Service

# Transactional, as the browser tests are: the demo as a real run of load_demo leaves it, and
# the database flushed afterwards, as the other transactional tests do.
pytestmark = pytest.mark.django_db(transaction=True)


def policy_of(response):
    assert "Content-Security-Policy" in response, (
        f"no CSP header on {response.request['PATH_INFO']}"
    )
    return dict(
        (part.strip().split(" ", 1) + [""])[:2]
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    )


def assert_strict(response):
    policy = policy_of(response)
    path = response.request["PATH_INFO"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"], path
    assert "'unsafe-eval'" not in response["Content-Security-Policy"], path
    assert policy["script-src"].startswith("'self'"), path
    assert policy["style-src"] == "'self'", path
    assert policy["object-src"] == "'none'", path


@pytest.fixture
def demo(demo_site):
    """The demo site, restored from the test worker's snapshot."""


def test_every_public_page_type_sends_a_strict_policy(demo, client):
    pages = Page.objects.live().filter(depth__gt=1).specific()
    seen = {}
    for page in pages:
        seen.setdefault(type(page), page)
    assert len(seen) >= 10, sorted(cls.__name__ for cls in seen)
    for page in seen.values():
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert_strict(response)

    directory = DirectoryPage.objects.live().first()
    service = Service.objects.exclude(status="defunct").first()
    story_index = next(page for cls, page in seen.items() if cls.__name__ == "StoryIndexPage")
    event_index = next(page for cls, page in seen.items() if cls.__name__ == "EventIndexPage")
    others = [
        directory.url + "?q=bereavement&near=SE13",
        directory.service_url(service),
        story_index.url + "share/",
        event_index.url + "calendar/",
        reverse("search") + "?q=grief",
        reverse("volunteers:ask_for_help"),
        reverse("volunteers:sign_up"),
        reverse("volunteers:sign_in"),
        "/en/no-such-page/",
    ]
    for url in others:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert_strict(response)


def test_the_admin_is_excluded_from_the_policy(client, home):
    from tests.volunteers.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert "Content-Security-Policy" not in client.get("/admin/")
    assert "Content-Security-Policy" not in client.get("/django-admin/")
