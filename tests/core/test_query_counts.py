"""Every kind of public page within a fixed number of SQL queries, on the demo site.

Counted as a visitor meets the page with the page cache out of the way (PAGE_CACHE_SECONDS
0): the page's own queries, with the site shell (menus, footer links, home page) kept as
SITE_CACHE_SECONDS keeps it on a live site, so each page is asked once before it is counted.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from freezegun import freeze_time
from wagtail.models import Page

pytestmark = pytest.mark.django_db

BOUND = 12


@pytest.fixture(autouse=True)
def shell_cached(settings):
    settings.PAGE_CACHE_SECONDS = 0
    settings.SITE_CACHE_SECONDS = 300


@pytest.fixture(autouse=True)
def held_clock():
    """The clock held still through each test: what is kept per minute (the helplines open
    now) is kept for the counted request too, as for a visitor within the same minute."""
    with freeze_time(timezone.now()) as clock:
        yield clock


def first_url(model_name, **filters):
    page = (
        Page.objects.live()
        .filter(content_type__model=model_name, locale__language_code="en", **filters)
        .order_by("path")
        .first()
    )
    assert page is not None, model_name
    return page.url


def directory_url():
    return first_url("directorypage")


def service_url():
    from directory.models import DirectoryPage, Service

    directory = DirectoryPage.objects.live().filter(locale__language_code="en").first()
    return directory.service_url(Service.objects.exclude(status="defunct").order_by("name")[0])


PAGES = {
    "home": lambda: "/en/",
    "home in Welsh": lambda: "/cy/",
    "story index": lambda: first_url("storyindexpage"),
    "story": lambda: first_url("storypage"),
    "guide index": lambda: first_url("resourcelibrarypage"),
    "guide": lambda: first_url("resourcepage"),
    "events index": lambda: first_url("eventindexpage"),
    "event": lambda: first_url("eventpage"),
    "group index": lambda: first_url("groupindexpage"),
    "group": lambda: first_url("communitygrouppage"),
    "directory search": lambda: directory_url() + "?q=bereavement",
    "directory search near a postcode": lambda: directory_url() + "?q=bereavement&near=SE13",
    "service": service_url,
    "site search": lambda: "/en/search/?q=grief",
    "about (standard page)": lambda: first_url("standardpage"),
    "volunteer sign-up": lambda: "/en/volunteer/sign-up/",
    "ask for help": lambda: "/en/ask-for-help/",
    "our impact": lambda: "/en/our-impact/",
}


def count(client, url):
    """The queries of the second of two requests for `url` (the first fills the caches)."""
    first = client.get(url)
    assert first.status_code == 200, (url, first.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), [query["sql"][:200] for query in queries]


def test_a_page_asked_across_the_turn_of_a_minute_is_counted_as_within_it(demo, client):
    """The helplines open now are kept per minute (`directory.views._helplines_open_now`):
    a page first asked at 12:00:59 and asked again at 12:01:00 looks them up again, so a
    count must not let the clock pass the turn of a minute between its two requests."""
    url = PAGES["directory search near a postcode"]()
    with freeze_time("2026-12-07 12:00:59.5") as clock:
        assert client.get(url).status_code == 200
        clock.tick(1)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        in_the_next_minute = len(queries)
    within_the_minute, _sql = count(client, url)
    assert in_the_next_minute > within_the_minute <= BOUND


@pytest.mark.parametrize(
    "name",
    list(PAGES),
)
def test_each_public_page_type_stays_within_the_bound(demo, client, name):
    url = PAGES[name]()
    queries, sql = count(client, url)
    assert queries <= BOUND, f"{name} ({url}): {queries} queries\n" + "\n".join(sql)


def test_the_story_index_does_not_grow_with_the_number_of_stories(demo, client):
    from stories.models import StoryIndexPage
    from tests.stories.factories import StoryPageFactory

    index = StoryIndexPage.objects.live().filter(locale__language_code="en").first()
    before, _sql = count(client, index.url)
    for n in range(5):
        story = StoryPageFactory(parent=index, title=f"Another story {n}", slug=f"another-{n}")
        story.save_revision().publish()
    after, sql = count(client, index.url)
    assert after == before, "\n".join(sql)


def test_a_service_page_does_not_grow_with_the_number_of_its_places(demo, client):
    from directory.models import LocationAccessibility, ServiceAtLocation
    from tests.directory.factories import AddressFactory, LocationFactory

    url = service_url()
    service = service_of(url)
    before, _sql = count(client, url)
    for n in range(3):
        location = LocationFactory(organization=service.organization, name=f"Hall {n}")
        AddressFactory(location=location)
        LocationAccessibility.objects.create(location=location, description=f"Step-free {n}")
        ServiceAtLocation.objects.create(service=service, location=location, sort_order=10 + n)
    after, sql = count(client, url)
    assert after == before, "\n".join(sql)


def service_of(url):
    from directory.models import Service

    return Service.objects.get(pk=url.rstrip("/").rsplit("/", 1)[-1])


def test_pages_are_localised_together_in_a_fixed_number_of_queries(demo):
    from django.utils import translation

    from core.navigation import localized_items
    from stories.models import StoryPage

    stories = list(StoryPage.objects.live().filter(locale__language_code="en").order_by("pk"))
    assert len(stories) >= 8
    with translation.override("cy"):
        with CaptureQueriesContext(connection) as queries:
            items = localized_items(stories)
        # Translations into Welsh, the languages of aliases' originals, the locales.
        assert len(queries) <= 3, [query["sql"] for query in queries]
        # The same pages Wagtail's own `localized` finds, one page at a time.
        assert [item.page.pk for item in items] == [story.localized.pk for story in stories]
        translated = [item for item in items if item.lang is None]
        marked = [item for item in items if item.lang == "en"]
        assert translated and marked and len(translated) + len(marked) == len(items)


def _in_language(url, code):
    """The URL of a page under the language prefix `code` (every page answers in every
    language: a translation, an alias of the original, or the language's own page)."""
    return f"/{code}/" + url.split("/", 2)[2]


def _each_page_kind_in(code):
    """{label: URL} of one live page of each page type in the language `code`: a
    translation of its own and an alias of the original where the demo has both, the
    first of each by place in the tree."""
    urls = {}
    pages = Page.objects.live().filter(locale__language_code=code, depth__gt=1).order_by("path")
    for page in pages.select_related("content_type"):
        kind = "alias" if page.alias_of_id else "translation"
        label = f"{page.content_type.model} ({kind})"
        if label not in urls and page.url:
            urls[label] = page.url
    return urls


@pytest.mark.parametrize("code", ["cy", "pl", "bn", "ur", "ar"])
def test_every_page_type_stays_within_the_bound_in_every_language(demo, client, code):
    urls = _each_page_kind_in(code)
    for name in ["directory search", "directory search near a postcode", "service"]:
        urls[name] = _in_language(PAGES[name](), code)
    for name in ["site search", "volunteer sign-up", "ask for help", "our impact"]:
        urls[name] = _in_language(PAGES[name](), code)
    assert {"storypage (alias)", "storypage (translation)", "homepage (translation)"} <= set(
        urls
    ), sorted(urls)
    over = []
    for name, url in urls.items():
        queries, sql = count(client, url)
        if queries > BOUND:
            over.append(f"{name} ({url}): {queries} queries\n  " + "\n  ".join(sql))
    assert not over, "\n".join(over)


@pytest.mark.parametrize("code", ["en", "cy", "ur"])
def test_the_menu_is_read_in_a_fixed_number_of_queries_whatever_its_page_types(demo, code):
    """The menu, as the site shell works it out when it is not in the cache (after each
    edit, and on every request where SITE_CACHE_SECONDS is 0): its pages' titles and
    addresses are on every page, so the specific page of each is not read."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import translation
    from wagtail.models import Site

    from core.navigation import menu_items

    root = Site.objects.get(is_default_site=True).root_page
    ContentType.objects.clear_cache()
    with translation.override(code):
        with CaptureQueriesContext(connection) as queries:
            items = menu_items(root)
        kinds = {type(item.page.specific) for item in items}
        assert len(kinds) >= 5, kinds  # the demo's menu holds pages of several types
        # The locale, the cache generation, whether any page is private, the children; in
        # another language also the translated home page, its children and (outside a
        # request, which reads it once) the generation again. Each page type read on its
        # own made it 16 in English.
        assert len(queries) <= (4 if code == "en" else 7), "\n".join(
            q["sql"][:150] for q in queries
        )
        assert [item.page.url for item in items] == [item.page.specific.url for item in items]
