"""The page shown when a form fails its CSRF check: the site's own, in the visitor's language."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
ENGLISH_TITLE = "Your form could not be sent"


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_form_without_its_csrf_token_gets_a_translated_page(home, code):
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/{code}/ask-for-help/", {"name": "Bea"})
    assert response.status_code == 403
    html = response.content.decode()
    assert f'lang="{code}"' in html
    # The site's own page, with its header, not Django's bare "Forbidden (403)".
    assert 'class="site-header"' in html and "Forbidden" not in html
    assert "no-store" in response["Cache-Control"]
    with translation.override(code):
        title = translation.gettext(ENGLISH_TITLE)
        reload_step = translation.gettext("Go back to the form and reload the page.")
        cookies_step = translation.gettext("Make sure cookies are allowed for this website.")
    assert title in text_of(response)
    assert reload_step in text_of(response) and cookies_step in text_of(response)
    if code != settings.LANGUAGE_CODE:
        assert title != ENGLISH_TITLE
        assert ENGLISH_TITLE not in html


def test_a_form_with_its_csrf_token_is_not_refused(home):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/en/ask-for-help/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    response = client.post("/en/ask-for-help/", {"csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 200
