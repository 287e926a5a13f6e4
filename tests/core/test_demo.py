"""manage.py load_demo: a living site in several languages, idempotent, with no network."""

import pytest
from django.core.management import call_command
from django.http import HttpRequest
from wagtail.models import Page, Site

from core.models import HomePage, StandardPage
from tests.offline import refuse_network

# Transactional: Wagtail publishes translations on commit, as it does for a real run.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def no_network():
    with refuse_network():
        yield


def test_the_demo_builds_the_site_and_running_it_again_changes_nothing(
    demo_site, no_network, settings, client, capsys
):
    # `demo_site` is what `load_demo --no-admin` built once for the test run, with the
    # network refused (tests.conftest.demo_snapshot); the checks below are of that build.
    counts = (Page.objects.count(), HomePage.objects.count(), StandardPage.objects.count())
    home_languages = set(HomePage.objects.values_list("locale__language_code", flat=True))
    assert {"en", "cy", "ur"} <= home_languages
    assert StandardPage.objects.filter(locale__language_code="en").count() >= 3
    assert Site.objects.get(is_default_site=True).root_page.specific_class is HomePage
    assert not Page.objects.filter(title="Welcome to your new Wagtail site!").exists()

    password = (settings.VAR_DIR / "demo-admin-password.txt").read_text().strip()
    # django-axes checks every password sign-in against the request it came with.
    assert client.login(request=HttpRequest(), username="admin", password=password)

    call_command("load_demo")
    again = capsys.readouterr().out
    assert "demo content already loaded" in again
    assert f"username admin, password {password}" in again
    assert counts == (Page.objects.count(), HomePage.objects.count(), StandardPage.objects.count())


def test_demo_site_serves_translated_pages(demo_site, no_network, client):
    # Building the demo reaches no network (tests.conftest.demo_snapshot); serving it
    # does not either.
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
