"""What every visitor sees on every page: the crisis line, landmarks, language and direction."""

import re

import pytest
from django.conf import settings
from wagtail.models import Site

from core.models import SiteSettings

pytestmark = pytest.mark.django_db


def get_html(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_root_url_redirects_to_a_language(home, client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 302
    assert response["Location"] == "/pl/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="xx")["Location"] == "/en/"


def test_every_page_has_skip_link_landmarks_and_crisis_line(home, about, client):
    for url in (home.url, about.url):
        html = get_html(client, url)
        assert '<a class="skip-link" href="#main-content">Skip to main content</a>' in html
        assert '<main id="main-content"' in html
        assert "<header" in html and "<footer" in html
        assert 'aria-label="Main"' in html
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
        assert (
            "Need help now? Call 999 in an emergency; Samaritans 116 123, free, 24 hours."
        ) in text
        assert 'href="tel:999"' in html and 'href="tel:116123"' in html


def test_crisis_lines_and_organisation_come_from_site_settings(home, client):
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.organisation_name = "Lewisham Compassionate Neighbours"
    site_settings.charity_number = "1234567"
    site_settings.emergency_number = "112"
    site_settings.crisis_lines = [
        (
            "helpline",
            {
                "name": "Cruse",
                "number": "0808 808 1677",
                "free": True,
                "open_24_hours": False,
                "hours": "Monday to Friday, 9.30am to 5pm",
            },
        ),
        (
            "helpline",
            {
                "name": "Papyrus <HOPELINE>",
                "number": "0800 068 4141",
                "free": False,
                "open_24_hours": True,
                "hours": "",
            },
        ),
    ]
    site_settings.save()

    html = get_html(client, home.url)
    assert "| Lewisham Compassionate Neighbours</title>" in html
    assert "Registered charity number 1234567." in html
    number = 'class="help-now__number" dir="ltr"'
    assert f'Call <a href="tel:112" {number}>112</a> in an emergency' in html
    assert (
        f'Cruse <a href="tel:08088081677" {number}>0808 808 1677</a>, free, '
        "Monday to Friday, 9.30am to 5pm"
    ) in html
    # Text from settings is escaped, never trusted as markup.
    assert "Papyrus &lt;HOPELINE&gt; <a" in html
    assert "0800 068 4141</a>, 24 hours" in html
    assert "Samaritans" not in html


@pytest.mark.parametrize(
    ("code", "direction"),
    [("en", "ltr"), ("cy", "ltr"), ("pl", "ltr"), ("bn", "ltr"), ("ur", "rtl"), ("ar", "rtl")],
)
def test_lang_and_direction_follow_the_locale(
    home, locales, translate_page, client, code, direction
):
    page = home if code == "en" else translate_page(home, locales[code], f"Home ({code})")
    html = get_html(client, f"/{code}/")
    assert f'<html lang="{code}" dir="{direction}">' in html
    assert f"<h1>{page.title}</h1>" in html


def test_language_switcher_links_to_each_translation(home, about, locales, translate_page, client):
    translate_page(about, locales["ur"], "ہمارے بارے میں")
    html = get_html(client, "/en/about-us/")
    switcher = html[
        html.index('class="language-switcher"') : html.index(
            "</nav>", html.index("language-switcher")
        )
    ]
    assert 'href="/en/about-us/" lang="en" hreflang="en" dir="ltr" aria-current="true"' in switcher
    assert 'href="/ur/about-us/" lang="ur" hreflang="ur" dir="rtl">اردو</a>' in switcher
    # Welsh has no translation of the page (nor a Welsh home): the link says where it leads.
    assert (
        'href="/cy/" lang="cy" hreflang="cy" dir="ltr">Cymraeg<span class="visually-hidden">'
        in (switcher)
    )
    assert switcher.count("<li>") == len(settings.LANGUAGES)
    # Search engines are told about the translation.
    assert '<link rel="alternate" hreflang="ur" href="http://localhost/ur/about-us/">' in html


def test_switching_to_rtl_translates_the_chrome(home, locales, translate_page, client):
    translate_page(home, locales["ar"], "الصفحة الرئيسية")
    english = get_html(client, "/en/")
    arabic = get_html(client, "/ar/")
    assert "Skip to main content" in english
    for chrome in ("Skip to main content", "Need help now?", "in an emergency", "Language"):
        assert chrome not in arabic, chrome
    assert '<html lang="ar" dir="rtl">' in arabic


def test_untranslated_menu_pages_are_shown_in_their_own_language(
    home, about, locales, translate_page, client
):
    translate_page(home, locales["pl"], "Strona główna")
    html = get_html(client, "/pl/")
    assert '<a href="/en/about-us/" lang="en" hreflang="en" dir="ltr">About us</a>' in html


def test_not_found_page_is_translated_and_keeps_the_crisis_line(home, locales, client):
    response = client.get("/cy/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="cy" dir="ltr">' in html
    assert "Page not found" not in html
    assert 'href="tel:116123"' in html


def test_an_untranslated_page_is_shown_in_its_original_language_and_marked(home, about, client):
    html = get_html(client, "/bn/about-us/")
    assert '<html lang="bn" dir="ltr">' in html
    assert '<div class="content" lang="en" dir="ltr">' in html
    assert 'class="notice notice--untranslated"' in html
    assert "<h1>About us</h1>" in html
    english = get_html(client, "/en/about-us/")
    assert "notice--untranslated" not in english
    assert '<div class="content">' in english


def test_footer_links_the_pages_named_in_site_settings(
    home, about, locales, translate_page, client
):
    from tests.core.factories import StandardPageFactory

    privacy = StandardPageFactory(parent=home, title="Privacy notice", slug="privacy")
    privacy.save_revision().publish()
    before = get_html(client, "/en/")
    assert "/en/privacy/" not in before[before.index("<footer") :]  # none named yet
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.accessibility_page = about
    site_settings.privacy_page = privacy
    site_settings.save()

    html = get_html(client, "/en/")
    footer = html[html.index("<footer") :]
    assert '<nav class="site-footer__links" aria-label="About this website">' in footer
    assert '<a href="/en/about-us/">About us</a>' in footer
    assert '<a href="/en/privacy/">Privacy notice</a>' in footer

    # In Polish: the translated page in Polish, the other one in English, marked as such.
    translate_page(home, locales["pl"], "Strona główna")
    translate_page(privacy, locales["pl"], "Informacja o prywatności")
    polish = get_html(client, "/pl/")
    footer = polish[polish.index("<footer") :]
    assert '<a href="/pl/privacy/">Informacja o prywatności</a>' in footer
    assert '<a href="/en/about-us/" lang="en" hreflang="en" dir="ltr">About us</a>' in footer

    # An unpublished page is not linked.
    privacy.unpublish()
    assert "/privacy/" not in get_html(client, "/en/").split("<footer")[1]
