"""The home page: a search for support first, a few actions, stories and guides."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from wagtail import blocks

from core.blocks import HomeLinkBlock
from core.illustrations import ILLUSTRATIONS
from tests.core.factories import StandardPageFactory
from tests.pages import publish

pytestmark = pytest.mark.django_db


def get_html(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def link(**value):
    return ("link", {"site_link": "", "title": "", "text": "", "illustration": "", **value})


@pytest.fixture
def finder(home):
    return publish(StandardPageFactory(parent=home, title="Find help near you", slug="find-help"))


@pytest.fixture
def stories(home):
    return publish(
        StandardPageFactory(
            parent=home,
            title="Stories",
            slug="stories",
            introduction="People tell what it was like, and what helped.",
        )
    )


@pytest.fixture
def home_with_links(home, finder, stories):
    home.search_page = finder
    home.actions = [
        link(
            site_link="ask_for_help",
            title="Ask for practical help",
            text="A lift, some shopping, or company.",
            illustration="practical-help",
        ),
        link(page=stories, title="Read a story", text="What helped other people."),
    ]
    home.features = [link(page=stories, illustration="stories")]
    return publish(home)


def test_the_search_comes_first_and_asks_what_and_where(home_with_links, client):
    html = get_html(client, "/en/")
    form = re.search(r'<form class="find-support".*?</form>', html, re.S).group(0)
    assert html.index('<form class="find-support"') < html.index("More ways we can help")
    assert 'action="/en/find-help/"' in form and 'method="get"' in form
    assert 'role="search"' in form
    assert '<label for="find-support-q">What do you need help with?</label>' in form
    assert '<label for="find-support-near">Where?</label>' in form
    assert 'name="q"' in form and 'name="near"' in form
    assert 'autocomplete="postal-code"' in form


def test_without_a_search_page_there_is_no_search(home, client):
    assert 'class="find-support"' not in get_html(client, "/en/")


def test_actions_and_features_link_with_their_words_and_illustrations(home_with_links, client):
    html = get_html(client, "/en/")
    actions = html[html.index("More ways we can help") : html.index("Stories and guides")]
    assert '<a href="/en/ask-for-help/">Ask for practical help</a>' in actions
    assert "A lift, some shopping, or company." in actions
    assert '<a href="/en/stories/">Read a story</a>' in actions
    # The illustration repeats the card's words, so it is marked decorative.
    assert 'src="/static/images/illustrations/practical-help.svg" alt=""' in actions
    features = html[html.index("Stories and guides") :]
    # A feature without words of its own takes the page's title and introduction.
    assert '<a href="/en/stories/">Stories</a>' in features
    assert "People tell what it was like, and what helped." in features
    assert 'src="/static/images/illustrations/stories.svg" alt=""' in features
    # Not the seven cards of the menu again.
    assert html.count('class="home-card"') + html.count('class="home-card home-card--') == 3


def test_a_translated_home_page_links_within_its_language(
    home_with_links, finder, stories, locales, translate_page, client
):
    translate_page(home_with_links, locales["ar"], "الصفحة الرئيسية")
    html = get_html(client, "/ar/")
    # The form's link stays in Arabic chrome; the untranslated pages are marked as English.
    assert '<a href="/ar/ask-for-help/">' in html
    assert 'action="/en/find-help/"' in html
    assert (
        '<h3 class="home-card__title" lang="en" dir="ltr"><a href="/en/stories/">Stories</a>'
        in html
    )
    assert '<p lang="en" dir="ltr">People tell what it was like' in html

    translate_page(finder, locales["ar"], "ابحث عن المساعدة")
    translate_page(stories, locales["ar"], "قصص")
    html = get_html(client, "/ar/")
    assert 'action="/ar/find-help/"' in html
    assert '<h3 class="home-card__title"><a href="/ar/stories/">قصص</a>' in html
    assert 'lang="en"' not in html[html.index("<main") : html.index("</main>")]


def test_an_unpublished_page_is_not_linked(home_with_links, stories, finder, client):
    stories.unpublish()
    finder.unpublish()
    html = get_html(client, "/en/")
    assert "/en/stories/" not in html[html.index("<main") :]
    assert 'class="find-support"' not in html
    assert "Ask for practical help" in html


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ({}, "site_link"),  # neither a page nor a form
        ({"site_link": "ask_for_help"}, "title"),  # a form's link needs words
    ],
)
def test_a_home_link_needs_one_target_and_words(value, field):
    block = HomeLinkBlock()
    data = {"page": None, "site_link": "", "title": "", "text": "", "illustration": ""}
    with pytest.raises(blocks.StructBlockValidationError) as raised:
        block.clean(block.to_python({**data, **value}))
    assert field in raised.value.block_errors


def test_a_home_link_to_both_a_page_and_a_form_is_refused(home):
    block = HomeLinkBlock()
    value = block.to_python(
        {
            "page": home.pk,
            "site_link": "ask_for_help",
            "title": "Help",
            "text": "",
            "illustration": "",
        }
    )
    with pytest.raises(blocks.StructBlockValidationError):
        block.clean(value)


def test_every_illustration_is_drawn_and_described():
    static_dir = Path(settings.BASE_DIR) / "static" / "images"
    for name, illustration in ILLUSTRATIONS.items():
        svg = (static_dir / "illustrations" / f"{name}.svg").read_text()
        assert svg.startswith("<svg") and 'role="img"' in svg, name
        assert f'<title id="t">{illustration.alt}</title>' in svg, name
    logo = (static_dir / "logo.svg").read_text()
    assert "<title" in logo and 'role="img"' in logo


def test_the_logo_names_the_organisation(home, client):
    html = get_html(client, "/en/")
    assert (
        '<img class="site-header__logo" src="/static/images/logo.svg" '
        'alt="Compassionate Communities"' in html
    )


def test_a_call_to_action_with_both_a_page_and_an_address_is_refused_with_a_message(home):
    from core.blocks import CallToActionBlock

    block = CallToActionBlock()
    value = block.to_python(
        {
            "title": "Ask for help",
            "text": "",
            "page": home.pk,
            "url": "https://example.org/",
            "link_text": "Ask",
        }
    )
    with pytest.raises(blocks.StructBlockValidationError) as raised:
        block.clean(value)
    assert raised.value.block_errors["url"].messages == [
        "Choose a page or enter a web address, not both."
    ]
