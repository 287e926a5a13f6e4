"""Every public form as GOV.UK's patterns have it: an error summary that links each field and
names it, focus on the summary, "Error:" before the page title, the error above its input,
autocomplete and keyboards on personal fields, nothing chosen for the person, and hints that
state the limits the form enforces.

The forms are those of the demo site (loaded once for the module), sent empty or wrong as a
person would, through the test client.
"""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import EventIndexPage, EventPage
from communities.recurrence import next_occurrences
from directory.models import DirectoryPage, Service
from stories.models import StoryIndexPage
from tests.volunteers.factories import TermsVersionFactory, VolunteerFactory
from volunteers.models import HelpRequest, TaskType

pytestmark = pytest.mark.django_db

# What a browser sends with a form however little is filled in.
NOTHING_FILLED_IN = {"csrfmiddlewaretoken": "sent by the browser"}
DJANGO_DEFAULTS = ("This field is required.", "Enter a valid", "Select a valid choice")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


class Page(HTMLParser):
    """The parts of a page these tests read: every element's attributes by id, the inputs,
    the title, the error summary (its attributes and links) and the field errors."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.ids, self.controls, self.options = {}, [], []
        self.title, self.summary, self.links, self.field_errors = "", None, [], []
        self.hints = []
        self._stack, self._in_summary, self._link, self._capture = [], 0, None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        element = {"tag": tag, **attrs}
        if "id" in attrs:
            self.ids[attrs["id"]] = element
        if tag in ("input", "select", "textarea"):
            self.controls.append(element)
        if tag == "option":
            self.options.append(element)
        classes = attrs.get("class", "").split()
        if "error-summary" in classes:
            self.summary, self._in_summary = element, 1
        elif self._in_summary and tag not in ("input", "br"):
            self._in_summary += 1
        if self._in_summary and tag == "a":
            self._link = [attrs.get("href", ""), ""]
        if tag == "title":
            self._capture = ["title", ""]
        elif "field-error" in classes:
            self._capture = ["error", "", attrs.get("id", "")]
        elif "hint" in classes:
            self._capture = ["hint", ""]

    def handle_endtag(self, tag):
        if self._in_summary:
            self._in_summary -= 1
        if tag == "a" and self._link:
            self.links.append((self._link[0], " ".join(self._link[1].split())))
            self._link = None
        if self._capture and tag in ("title", "p"):
            kind, text = self._capture[0], " ".join(self._capture[1].split())
            if kind == "title":
                self.title = text
            elif kind == "error":
                self.field_errors.append((self._capture[2], text))
            else:
                self.hints.append(text)
            self._capture = None

    def handle_data(self, data):
        if self._link:
            self._link[1] += data
        if self._capture:
            self._capture[1] += data

    def control(self, name):
        return next(c for c in self.controls if c.get("name") == name)


@pytest.fixture
def volunteer(client, demo):
    volunteer = VolunteerFactory()
    client.force_login(volunteer.user)
    return volunteer


def _story_index():
    return StoryIndexPage.objects.live().get(locale__language_code="en")


def _event():
    for event in EventPage.objects.live().filter(locale__language_code="en"):
        if event.bookable and len(next_occurrences(event, timezone.now(), limit=2)) > 1:
            return event
    raise AssertionError("the demo has no event with several dates to book")


def _feedback_url():
    directory = DirectoryPage.objects.live().get(locale__language_code="en")
    return directory.service_url(Service.objects.filter(status="active").first()) + "feedback/"


# What each public form says when it is sent empty: one message per field, each naming it.
EMPTY_POSTS = {
    "ask for help": (
        lambda: reverse("volunteers:ask_for_help"),
        [
            "Choose who is asking",
            "Choose the kind of help needed",
            "Enter the date",
            "Enter the time to start",
            "Enter the time to finish",
            "Enter the postcode",
            "Choose the preferred language",
            "Enter the name of the person who needs help",
            "Give a phone number or an email address, or both.",
            "Enter the address",
            "Tick the box to agree to share these details",
        ],
    ),
    "volunteer sign-up": (
        lambda: reverse("volunteers:sign_up"),
        [
            "Enter your name",
            "Enter your email address",
            "Choose a password",
            "Enter your postcode or town",
            "Enter how far you will travel, in kilometres",
            "Choose at least one language you speak",
            "Choose at least one time when you are usually free",
            "Tick the box to agree to the volunteering terms",
        ],
    ),
    "sign in": (
        lambda: reverse("volunteers:sign_in"),
        ["Enter your email address", "Enter your password"],
    ),
    "share a story": (
        lambda: _story_index().share_url(),
        [
            "Enter a title for your story",
            "Write your story",
            "Choose which of these describes you best",
            "Choose whether to publish your name or stay anonymous",
            "We can only publish your story with your agreement.",
        ],
    ),
    "book an event": (
        lambda: _event().url + "book/",
        ["Choose the date you want to come", "Enter your name", "Enter your email address"],
    ),
    "service feedback": (
        _feedback_url,
        ["Choose what is wrong", "Tell us what is wrong"],
    ),
}
SIGNED_IN_POSTS = {
    "terms": (
        lambda: reverse("volunteers:terms"),
        ["Tick the box to agree to the volunteering terms"],
    ),
    "raise a concern": (
        lambda: reverse("volunteers:concern"),
        ["Say what you are worried about"],
    ),
}


def _assert_gov_uk_errors(response, expected):
    assert response.status_code == 200
    html = response.content.decode()
    page = Page(html)
    assert page.title.startswith("Error: "), page.title
    summary = page.summary
    assert summary is not None, "no error summary"
    assert summary.get("tabindex") == "-1" and "autofocus" in summary
    assert "There is a problem" in html
    messages = [text for _href, text in page.links]
    assert messages == expected
    for href, text in page.links:
        target = page.ids.get(href.removeprefix("#"))
        assert target is not None and target["tag"] in ("input", "select", "textarea"), (
            f"{text!r} links to {href}, which is not a field"
        )
    for default in DJANGO_DEFAULTS:
        assert default not in html
    # Each field's own error: above its input, prefixed "Error:" for screen readers, and
    # named by the input (or its group) with aria-describedby.
    shown = [text.removeprefix("Error: ") for _id, text in page.field_errors]
    assert sorted(shown) == sorted(expected)
    for error_id, _text in page.field_errors:
        described = [
            element
            for element in page.ids.values()
            if error_id in element.get("aria-describedby", "").split()
        ]
        assert described, f"nothing is described by {error_id}"
    assert html.count('<span class="visually-hidden">Error:</span>') == len(expected)


@pytest.mark.parametrize("form", list(EMPTY_POSTS))
def test_an_empty_form_lists_each_field_by_name_in_a_focused_summary(client, demo, terms, form):
    url, expected = EMPTY_POSTS[form]
    _assert_gov_uk_errors(client.post(url(), NOTHING_FILLED_IN), expected)


@pytest.mark.parametrize("form", list(SIGNED_IN_POSTS))
def test_a_volunteers_empty_form_lists_each_field_by_name(client, volunteer, form):
    TermsVersionFactory(version="v-new")  # so the terms page asks again
    url, expected = SIGNED_IN_POSTS[form]
    _assert_gov_uk_errors(client.post(url(), NOTHING_FILLED_IN), expected)


def test_search_forms_link_their_errors_and_prefix_the_title(client, demo):
    directory = DirectoryPage.objects.live().get(locale__language_code="en")
    events = EventIndexPage.objects.live().get(locale__language_code="en")
    _assert_gov_uk_errors(
        client.get(directory.url, {"q": "x", "age": "200"}), ["Enter an age from 0 to 120"]
    )
    _assert_gov_uk_errors(
        client.get(
            events.url, {"date_from_day": "31", "date_from_month": "2", "date_from_year": "2027"}
        ),
        ["Enter a real date, with the day, month and year as numbers"],
    )
    response = client.get(reverse("search"), {"q": "grief"})
    assert not Page(response.content.decode()).title.startswith("Error")


def test_personal_fields_say_what_they_are_and_open_the_right_keyboard(client, demo, terms):
    page = Page(client.get(reverse("volunteers:ask_for_help")).content.decode())
    phone = page.control("phone")
    assert (phone["type"], phone["autocomplete"], phone["inputmode"]) == ("tel", "tel", "tel")
    email = page.control("email")
    assert (email["type"], email["autocomplete"], email["inputmode"]) == (
        "email",
        "email",
        "email",
    )
    assert page.control("name")["autocomplete"] == "name"
    assert page.control("address")["autocomplete"] == "street-address"
    assert page.control("place")["autocomplete"] == "postal-code"
    for part in ("day", "month", "year"):
        assert page.control(f"date_{part}")["inputmode"] == "numeric"

    page = Page(client.get(reverse("volunteers:sign_up")).content.decode())
    assert page.control("display_name")["autocomplete"] == "name"
    assert page.control("email")["autocomplete"] == "email"
    assert page.control("password")["autocomplete"] == "new-password"
    assert page.control("home_area")["autocomplete"] == "postal-code"
    assert page.control("travel_radius_km")["inputmode"] == "numeric"

    page = Page(client.get(reverse("volunteers:sign_in")).content.decode())
    assert page.control("username")["autocomplete"] == "username"
    assert page.control("username")["inputmode"] == "email"
    assert page.control("password")["autocomplete"] == "current-password"

    page = Page(client.get(_event().url).content.decode())
    assert page.control("name")["autocomplete"] == "name"
    assert page.control("email")["autocomplete"] == "email"

    page = Page(client.post(_feedback_url(), NOTHING_FILLED_IN).content.decode())
    assert page.control("email")["autocomplete"] == "email"


def test_choices_that_matter_start_unchosen(client, demo, terms):
    html = client.get(reverse("volunteers:ask_for_help")).content.decode()
    page = Page(html)
    assert not [c for c in page.controls if c.get("type") == "radio" and "checked" in c]
    selected = [o for o in page.options if "selected" in o]
    assert [o["value"] for o in selected] == ["", ""]  # the kind of help and the language

    page = Page(client.get(_story_index().share_url()).content.decode())
    assert not [c for c in page.controls if c.get("type") == "radio" and "checked" in c]

    html = client.get(_event().url).content.decode()
    page = Page(html)
    assert not [c for c in page.controls if c.get("name") == "starts_at" and "checked" in c]

    html = client.post(_feedback_url(), NOTHING_FILLED_IN).content.decode()
    page = Page(html)
    kinds = [c for c in page.controls if c.get("name") == "kind"]
    assert [c["value"] for c in kinds] == ["edit", "closed"]
    assert "---------" not in html


def test_dates_are_asked_for_as_day_month_and_year_with_an_example(client, demo, terms):
    html = client.get(reverse("volunteers:ask_for_help")).content.decode()
    page = Page(html)
    example = next(hint for hint in page.hints if hint.startswith("For example, 27 3 "))
    assert re.fullmatch(r"For example, 27 3 \d{4}", example)
    assert "For example, 14:30" in page.hints
    assert not [hint for hint in page.hints if ISO_DATE.search(hint)]

    day = timezone.localdate() + dt.timedelta(days=5)
    demo_requests = list(HelpRequest.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("volunteers:ask_for_help"),
        {
            "requested_by": "self",
            "task_type": str(TaskType.objects.first().pk),
            "date_day": str(day.day),
            "date_month": str(day.month),
            "date_year": str(day.year),
            "start_time": "10:00",
            "end_time": "11:00",
            "place": "SE13 6LH",
            "language": "en",
            "name": "Ann Day",
            "phone": "020 7946 0000",
            "address": "1 High Street",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    # The demo's own requests fall on dates near today, one of them at times on this one.
    made = HelpRequest.objects.exclude(pk__in=demo_requests).get()
    assert timezone.localtime(made.starts_at).date() == day


def test_the_story_form_states_the_limits_it_enforces(client, demo):
    url = _story_index().share_url()
    page = Page(client.get(url).content.decode())
    story_hint = next(hint for hint in page.hints if "words" in hint)
    assert "at least 20 words" in story_hint
    assert "as little as you like" not in story_hint
    assert "You can enter up to 20,000 characters." in story_hint

    response = client.post(url, {"story": "Too short to publish."})
    page = Page(response.content.decode())
    assert "Your story is too short. Write at least 20 words." in [t for _h, t in page.links]


def test_long_text_boxes_state_their_limit(client, demo, terms):
    page = Page(client.get(reverse("volunteers:ask_for_help")).content.decode())
    assert "You can enter up to 500 characters." in page.hints
    assert "You can enter up to 2,000 characters." in page.hints


def test_a_wrong_sign_in_is_told_in_the_words_of_the_form(client, demo):
    response = client.post(
        reverse("volunteers:sign_in"), {"username": "nobody@example.org", "password": "wrong"}
    )
    page = Page(response.content.decode())
    assert page.title.startswith("Error: ")
    assert page.links == [
        (
            "#id_username",
            "The email address or the password is not right. Check both and try again.",
        )
    ]


@pytest.mark.parametrize(
    ("language", "title", "message", "hint"),
    [
        ("cy", "Gwall: ", "Rhowch y dyddiad", "Er enghraifft, 27 3 "),
        ("pl", "Błąd: ", "Wpisz datę", "Na przykład 27 3 "),
        ("bn", "ত্রুটি: ", "তারিখ লিখুন", "উদাহরণ: 27 3 "),
        ("ur", "خرابی: ", "تاریخ درج کریں", "مثال کے طور پر، 27 3 "),
        ("ar", "خطأ: ", "أدخل التاريخ", "مثلًا، 27 3 "),
    ],
)
def test_errors_and_hints_are_in_the_readers_language(
    client, demo, terms, language, title, message, hint
):
    response = client.post(f"/{language}/ask-for-help/", NOTHING_FILLED_IN)
    page = Page(response.content.decode())
    assert page.title.startswith(title)
    assert message in [text for _href, text in page.links]
    assert [h for h in page.hints if h.startswith(hint)]
