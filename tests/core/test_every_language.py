"""Every page at its address in every shipped language, translated or shown as the original
under the visitor's language, and the links around it staying in that language."""

import re

import pytest
from django.conf import settings

from core.demo.site import translate
from core.localization import synchronise_locales
from tests.core.factories import StandardPageFactory
from tests.pages import publish

pytestmark = pytest.mark.django_db

RTL = {"ur", "ar"}
OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]


@pytest.fixture
def synced(home, locales):
    """Every shipped language kept in step with English, as the site runs."""
    return synchronise_locales()


def _home():
    from core.models import HomePage

    return HomePage.objects.get(locale__language_code="en")


def get_html(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_a_new_english_page_answers_in_every_language_marked_as_english(synced, client, code):
    about = publish(StandardPageFactory(parent=_home(), title="About us", slug="about"))

    html = get_html(client, f"/{code}/about/")
    direction = "rtl" if code in RTL else "ltr"
    assert f'<html lang="{code}" dir="{direction}">' in html
    # The original's words, marked as English inside the visitor's language.
    assert '<div class="content" lang="en" dir="ltr">' in html
    assert "<h1>About us</h1>" in html
    assert 'class="notice notice--untranslated"' in html
    assert about.get_translation(synced[code]).alias_of_id == about.pk


def test_translating_a_page_replaces_its_alias(synced, client):
    about = publish(StandardPageFactory(parent=_home(), title="About us", slug="about"))
    assert 'lang="en"' in get_html(client, "/cy/about/")

    translate(about, synced["cy"], {"About us": "Amdanom ni"})

    html = get_html(client, "/cy/about/")
    assert "<h1>Amdanom ni</h1>" in html
    assert '<div class="content">' in html
    assert "notice--untranslated" not in html
    welsh = about.get_translation(synced["cy"])
    assert welsh.alias_of_id is None
    # Publishing the English page again leaves the translation alone.
    publish(about)
    assert "<h1>Amdanom ni</h1>" in get_html(client, "/cy/about/")


def test_an_edit_to_the_original_reaches_its_aliases(synced, client):
    about = publish(StandardPageFactory(parent=_home(), title="About us", slug="about"))
    about.introduction = "Who we are, in short."
    publish(about)
    assert "Who we are, in short." in get_html(client, "/pl/about/")


def test_menus_and_cards_link_within_the_visitors_language(synced, client):
    publish(StandardPageFactory(parent=_home(), title="About us", slug="about"))
    html = get_html(client, "/ar/")
    nav = html[html.index('class="site-nav"') : html.index("</nav>", html.index("site-nav"))]
    # The link stays in Arabic; its English title is marked as English.
    assert '<a href="/ar/about/" lang="en" hreflang="en" dir="ltr">About us</a>' in nav
    assert 'href="/en/' not in nav
    # The home page's own cards are chosen links (tests/core/test_home_page.py); none is English.
    main = html[html.index("<main") : html.index("</main>")]
    assert 'href="/en/' not in main


def test_a_page_made_before_the_languages_were_synchronised_is_aliased_too(
    home, locales, translate_page, client
):
    publish(StandardPageFactory(parent=home, title="Privacy notice", slug="privacy"))
    translate_page(home, locales["bn"], "হোম")
    assert client.get("/bn/privacy/").status_code == 404
    synchronise_locales()
    assert "<h1>Privacy notice</h1>" in get_html(client, "/bn/privacy/")


def switcher_links(html):
    start = html.index('class="language-switcher"')
    switcher = html[start : html.index("</nav>", start)]
    return {code: url for url, code in re.findall(r'<a href="([^"]+)" lang="([a-z]+)"', switcher)}


def test_the_switcher_keeps_the_page_its_sub_page_and_its_query(synced, client):
    from tests.directory.factories import DirectoryPageFactory, ServiceFactory

    directory = publish(DirectoryPageFactory(parent=_home(), slug="find-help"))
    links = switcher_links(get_html(client, "/en/find-help/?q=grief&near=SE13"))
    assert links["ur"] == "/ur/find-help/?q=grief&amp;near=SE13"
    assert links["cy"] == "/cy/find-help/?q=grief&amp;near=SE13"

    service = ServiceFactory()
    links = switcher_links(get_html(client, directory.service_url(service)))
    assert links["ar"] == f"/ar/find-help/{service.pk}/"
    assert links["en"] == f"/en/find-help/{service.pk}/"


@pytest.mark.parametrize(
    "path",
    ["/en/search/?q=grief", "/en/ask-for-help/", "/en/volunteer/sign-up/"],
)
def test_the_switcher_keeps_views_that_are_not_pages(synced, client, path):
    links = switcher_links(get_html(client, path))
    for code in OTHER_LANGUAGES:
        assert links[code] == path.replace("/en/", f"/{code}/", 1).replace("&", "&amp;")


def test_search_engines_are_told_only_of_real_translations(synced, client):
    about = publish(StandardPageFactory(parent=_home(), title="About us", slug="about"))
    translate(about, synced["cy"], {"About us": "Amdanom ni"})
    html = get_html(client, "/en/about/")
    assert '<link rel="alternate" hreflang="cy" href="http://localhost/cy/about/">' in html
    assert 'hreflang="ar" href="http://localhost/ar/about/"' not in html


def test_an_untranslated_page_names_its_original_as_the_canonical_address(synced, client):
    about = publish(StandardPageFactory(parent=_home(), title="About us", slug="about"))
    translate(about, synced["cy"], {"About us": "Amdanom ni"})
    canonical = '<link rel="canonical" href="http://localhost/en/about/">'
    # The Urdu alias shows the English words: search engines are sent to the English page.
    assert canonical in get_html(client, "/ur/about/")
    # The original and a real translation are pages in their own right.
    assert 'rel="canonical"' not in get_html(client, "/en/about/")
    assert 'rel="canonical"' not in get_html(client, "/cy/about/")


def test_the_sitemap_lists_every_language_s_real_pages_and_no_alias(synced, client):
    about = publish(StandardPageFactory(parent=_home(), title="About us", slug="about"))
    translate(about, synced["cy"], {"About us": "Amdanom ni"})
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = set(re.findall(r"<loc>([^<]+)</loc>", response.content.decode()))
    assert "http://localhost/en/about/" in locations
    assert "http://localhost/cy/about/" in locations
    for code in OTHER_LANGUAGES:
        if code != "cy":
            assert f"http://localhost/{code}/about/" not in locations, code
