"""manage.py load_demo: a living site in several languages, idempotent, with no network."""

import socket

import pytest
from django.core.management import call_command
from django.http import HttpRequest
from wagtail.models import Page, Site

from core.models import HomePage, StandardPage

# Transactional: Wagtail publishes translations on commit, as it does for a real run.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"load_demo tried to reach the network: {args}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def test_load_demo_builds_the_site_and_running_it_again_changes_nothing(
    no_network, var_dir, client, capsys
):
    call_command("load_demo")
    first = capsys.readouterr().out
    counts = (Page.objects.count(), HomePage.objects.count(), StandardPage.objects.count())

    home_languages = set(HomePage.objects.values_list("locale__language_code", flat=True))
    assert {"en", "cy", "ur"} <= home_languages
    assert StandardPage.objects.filter(locale__language_code="en").count() >= 3
    assert Site.objects.get(is_default_site=True).root_page.specific_class is HomePage
    assert not Page.objects.filter(title="Welcome to your new Wagtail site!").exists()

    password = (var_dir / "demo-admin-password.txt").read_text().strip()
    assert f"username admin, password {password}" in first
    # django-axes checks every password sign-in against the request it came with.
    assert client.login(request=HttpRequest(), username="admin", password=password)

    call_command("load_demo")
    second = capsys.readouterr().out
    assert "demo content already loaded" in second
    assert f"password {password}" in second
    assert counts == (Page.objects.count(), HomePage.objects.count(), StandardPage.objects.count())


def test_demo_site_serves_translated_pages(demo_site, no_network, client):
    # `demo_site` is what `load_demo --no-admin` built (once per test worker); the test above
    # shows that loading reaches no network, and this one that serving it does not either.
    welsh = client.get("/cy/").content.decode()
    assert "Ni ddylai neb wynebu marw" in welsh
    urdu = client.get("/ur/about-us/").content.decode()
    assert '<html lang="ur" dir="rtl">' in urdu
    assert "ہمارے بارے میں" in urdu
    # The home page in Urdu: its own search, actions and features, linking within Urdu.
    urdu_home = client.get("/ur/").content.decode()
    assert 'action="/ur/find-help/"' in urdu_home
    assert '<a href="/ur/ask-for-help/">عملی مدد مانگیں</a>' in urdu_home
    assert '<a href="/ur/volunteer/sign-up/">اپنے علاقے میں رضاکار بنیں</a>' in urdu_home
    assert 'src="/static/images/illustrations/stories.svg"' in urdu_home
    assert 'href="/ur/stories/"' in urdu_home
    # The tree keeps its child counts, so translated menus list their pages.
    for home in HomePage.objects.all():
        assert home.numchild == home.get_children().count()
