"""Every public URL and API endpoint, fed the shared corpus of bad input, answers without a 5xx.

The URLs come from the URLconf and the page tree of the demo content (loaded once for the
module, in a transaction rolled back at the end); the parameters each page reads come from the
forms that read them, and the API's from its own OpenAPI document.

Every URL is opened; the bad query strings go to one URL of each route in each language (the
same page type's pages run the same view). The site shell (menus, footer, settings) is kept
in the cache as in production: these tests are about what the views do with their input.
"""

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from wagtail.models import Page

from communities.booking import booking_token
from communities.forms import BookingForm, EventSearchForm
from communities.models import Booking, EventIndexPage, EventPage
from communities.recurrence import next_occurrences
from directory.api import api
from directory.forms import FeedbackForm, SearchForm
from directory.models import DirectoryPage, Service
from search.forms import SiteSearchForm
from stories.forms import ResourceFilterForm, ShareStoryForm, StoryFilterForm
from stories.models import ResourceLibraryPage, StoryIndexPage
from tests.bad_input import VALUES, raw_queries
from volunteers.forms import HelpRequestForm, VolunteerSignUpForm
from volunteers.models import TaskType

pytestmark = pytest.mark.django_db

STORY = " ".join(["We were never alone in those last weeks, thanks to our neighbours."] * 3)
# URLconf prefixes that are not public: the two admins.
PRIVATE_PREFIXES = ("django-admin/", "admin/")
# What each routable page's views read from the query string: (sub-path, parameter names).
PAGE_PARAMETERS = {
    DirectoryPage: [("", list(SearchForm.base_fields))],
    EventIndexPage: [("", list(EventSearchForm.base_fields)), ("calendar/", ["month"])],
    StoryIndexPage: [("", list(StoryFilterForm.base_fields))],
    ResourceLibraryPage: [("", list(ResourceFilterForm.base_fields))],
}
NAMED_VIEW_PARAMETERS = {"search": list(SiteSearchForm.base_fields), "volunteers:concern": ["task"]}


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    settings.STORIES_SUBMISSIONS_PER_HOUR = 10**6


@pytest.fixture(autouse=True)
def site_shell_cached(settings):
    settings.SITE_CACHE_SECONDS = 3600


@pytest.fixture
def client():
    """A client that answers a server error as the server would, so all are gathered."""
    return Client(raise_request_exception=False)


def _status(response):
    return getattr(response, "status_code", 0)


class Failures(list):
    """Requests that answered 5xx, gathered so one test reports all of them."""

    def check(self, response, what):
        if _status(response) >= 500:
            self.append(f"{response.status_code} {what}")


def _get_each(client, failures, url, names):
    for name in names:
        for value in VALUES:
            failures.check(client.get(url, {name: value}), f"GET {url} {name}={value[:40]!r}")
        for raw in raw_queries(name):
            failures.check(client.get(f"{url}?{raw}"), f"GET {url}?{raw}")


def _urlconf_paths(patterns=None, prefix=""):
    """(route, name) of every URL pattern outside the admins, routes as written."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(PRIVATE_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else ""
            for sub_route, name in _urlconf_paths(entry.url_patterns, route):
                yield sub_route, (namespace + name) if name else name
        elif isinstance(entry, URLPattern):
            yield route, entry.name


def _fill(route):
    """A concrete path for a route: each parameter given a plausible value."""
    route = route.lstrip("^").rstrip("$").replace("\\", "")
    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000000", route)
    route = re.sub(r"<(?:str|slug|path:)?\w+>", "x", route)
    route = re.sub(r"\(\?P<page_path>[^$]*?\)\+\)\*\)", "", route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "x", route)
    return "/" + route.replace(".*", "x").replace("^", "")


def _language_prefixed(route):
    return route if route.startswith(("api/", "documents/", "sitemap")) else "en/" + route


@dataclass(frozen=True)
class PublicUrls:
    every: list  # every URL the public can open
    per_route: list  # one of them for each route in each language


@pytest.fixture(scope="module")
def public_urls(demo):
    """Every URL the public can open: the URLconf's (besides Wagtail's catch-all, which the
    page tree stands for) and every live page with each of its sub-pages."""
    urls = set()
    routes = {}  # (language, page type, sub-page route) -> the first URL found for it
    for route, name in _urlconf_paths():
        if name in ("wagtail_serve", "wagtail_serve_preview"):
            continue
        url = _fill(_language_prefixed(route))
        urls.add(url)
        routes[url] = url
    service = Service.objects.filter(status="active").first()
    booking = Booking.objects.filter(status="confirmed").first()
    for page in Page.objects.live().specific().order_by("path"):
        url = page.url
        if not url:
            continue
        urls.add(url)
        language = page.locale.language_code
        routes.setdefault((language, type(page), ""), url)
        resolver = getattr(page, "get_resolver", None)
        if resolver is None:
            continue
        for pattern in resolver().url_patterns:
            route = str(pattern.pattern)
            sub = route.lstrip("^").rstrip("$")
            sub = sub.replace("<uuid:service_id>", str(service.pk))
            if "(?P<token>" in sub:
                if booking is None or booking.event_id != page.pk:
                    continue
                sub = f"booking/{booking_token(booking)}/"
            urls.add(url + sub)
            routes.setdefault((language, type(page), route), url + sub)
    return PublicUrls(every=sorted(urls), per_route=sorted(set(routes.values())))


def test_every_public_url_answers_bad_query_strings_without_a_server_error(client, public_urls):
    failures = Failures()
    for url in public_urls.every:
        failures.check(client.get(url), f"GET {url}")
    for url in public_urls.per_route:
        # Pages that read no parameters get a few; those that read some, every one, below.
        for raw in ["page=%ff%fe&q=%00&q=1", "page=1e21&date_from=9999-12-31"]:
            failures.check(client.get(f"{url}?{raw}"), f"GET {url}?{raw}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("language", ["en", "ur"])
@pytest.mark.parametrize("model", list(PAGE_PARAMETERS), ids=lambda model: model.__name__)
def test_every_parameter_of_every_page_that_reads_one(client, demo, model, language):
    failures = Failures()
    for page in model.objects.live().filter(locale__language_code=language):
        for sub, names in PAGE_PARAMETERS[model]:
            _get_each(client, failures, page.url + sub, names)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", list(NAMED_VIEW_PARAMETERS))
def test_every_parameter_of_every_view_that_reads_one(client, demo, name):
    failures = Failures()
    _get_each(client, failures, reverse(name), NAMED_VIEW_PARAMETERS[name])
    assert not failures, "\n".join(failures)


def _api_operations():
    """(path, [query parameter names]) for every GET operation of the HSDS API."""
    schema = api.get_openapi_schema(path_prefix="/api/hsds")
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method == "get":
                names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
                yield path, names


def test_every_api_parameter(client, demo):
    service = Service.objects.filter(status="active").first()
    ids = {
        "id": str(service.pk),
    }
    failures = Failures()
    for path, names in _api_operations():
        url = re.sub(r"\{(\w+)\}", lambda m: ids.get(m.group(1), m.group(1)), path)
        failures.check(client.get(url), f"GET {url}")
        _get_each(client, failures, url, names)
        if "{" in path:
            for value in VALUES:
                bad = re.sub(r"\{\w+\}", quote(value, safe=""), path)
                failures.check(client.get(bad), f"GET {bad[:80]}")
    assert not failures, "\n".join(failures)


def _post_each(client, failures, url, valid):
    """POST the valid data once, then with each field in turn replaced by each bad value."""
    failures.check(client.post(url, valid), f"POST {url} valid")
    for name in valid:
        for value in VALUES:
            data = {**valid, name: value}
            failures.check(client.post(url, data), f"POST {url} {name}={value[:40]!r}")
        failures.check(
            client.generic("POST", url, f"{name}=%ff%fe%00", "application/x-www-form-urlencoded"),
            f"POST {url} {name}=%ff%fe%00",
        )


def test_every_public_form_refuses_bad_posts_without_a_server_error(client, demo):
    failures = Failures()
    story_index = StoryIndexPage.objects.live().get(locale__language_code="en")
    _post_each(
        client,
        failures,
        story_index.share_url(),
        {
            "title": "Neighbours",
            "story": STORY,
            "role": "bereaved",
            "name_choice": "anonymous",
            "name": "",
            "content_note": "",
            "consent": "on",
            "website": "",
            **_token(ShareStoryForm),
        },
    )
    from django.urls import reverse

    tomorrow = timezone.localdate() + dt.timedelta(days=3)
    _post_each(
        client,
        failures,
        reverse("volunteers:ask_for_help"),
        {
            "requested_by": "self",
            "task_type": str(TaskType.objects.first().pk),
            "date": tomorrow.isoformat(),
            "start_time": "10:00",
            "end_time": "11:00",
            "place": "SE13 6LH",
            "language": "en",
            "name": "Ann",
            "phone": "020 7946 0000",
            "email": "",
            "address": "1 High Street",
            "notes": "",
            "consent": "on",
            **_token(HelpRequestForm),
        },
    )
    _post_each(
        client,
        failures,
        reverse("volunteers:sign_up"),
        {
            "display_name": "Bea",
            "email": "bea@example.org",
            "password": "a long enough passphrase",
            "home_area": "SE13",
            "travel_radius_km": "5",
            "languages": "en",
            "availability": "0-morning",
            "skills": "driving",
            "agree_terms": "on",
            **_token(VolunteerSignUpForm),
        },
    )
    _post_each(
        client,
        failures,
        reverse("volunteers:sign_in"),
        {"username": "someone@example.org", "password": "not the password"},
    )
    event = _bookable_event()
    key = next_occurrences(event, timezone.now(), limit=1)[0].key
    _post_each(
        client,
        failures,
        event.url + "book/",
        {
            "starts_at": key.isoformat(),
            "name": "Cai",
            "email": "cai@example.org",
            "website": "",
            **_token(BookingForm),
        },
    )
    booking = Booking.objects.filter(status="confirmed", event=event).first()
    if booking is not None:
        _post_each(
            client, failures, event.url + f"booking/{booking_token(booking)}/", {"action": "x"}
        )
    directory = DirectoryPage.objects.live().get(locale__language_code="en")
    service = Service.objects.filter(status="active").first()
    _post_each(
        client,
        failures,
        directory.service_url(service) + "feedback/",
        {"kind": "edit", "message": "The phone number has changed.", "email": "", "website": ""}
        | _token(FeedbackForm),
    )
    assert not failures, "\n".join(failures)


def _token(form_class):
    """The one-time submission field of a form, if it has one, with a fresh value."""
    field = form_class.base_fields.get("submission")
    return {"submission": field.initial()} if field is not None else {}


def _bookable_event():
    for event in EventPage.objects.live().filter(locale__language_code="en"):
        if event.bookable and next_occurrences(event, timezone.now(), limit=1):
            return event
    raise AssertionError("the demo has no bookable event")
