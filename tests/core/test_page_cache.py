"""Anonymous pages from the cache (core/page_cache.py): kept, keyed, skipped and purged."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from freezegun import freeze_time

from core import page_cache
from tests.communities.conftest import (  # noqa: F401
    group,
    groups_index,
    make_event,
    make_group,
)
from tests.core.factories import StandardPageFactory
from tests.pages import publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cached(settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.SITE_CACHE_SECONDS = 300


def state(response):
    return response.get(page_cache.HIT_HEADER)


def test_a_second_anonymous_visit_is_served_from_the_cache_without_queries(about, client):
    first = client.get("/en/about-us/")
    assert first.status_code == 200
    assert state(first) == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/en/about-us/")
    assert state(second) == "hit"
    # At most the shared generation number (in the database cache when there is no Redis).
    assert len(queries) <= 1
    assert second.content == first.content


def test_a_page_without_a_form_makes_no_csrf_token_and_is_kept(about, client):
    response = client.get("/en/about-us/")
    assert "csrftoken" not in response.cookies
    assert "sessionid" not in response.cookies
    assert state(response) == "miss"
    assert state(client.get("/en/about-us/")) == "hit"


def test_the_query_string_and_the_method_are_part_of_the_key(about, client):
    client.get("/en/about-us/")
    assert state(client.get("/en/about-us/?utm=1")) == "miss"
    assert state(client.head("/en/about-us/")) == "miss"
    assert state(client.head("/en/about-us/")) == "hit"
    assert client.head("/en/about-us/").content == b""


def test_each_language_is_kept_apart(about, client):
    from django.test import RequestFactory

    request = RequestFactory().get("/about-us/")
    with translation.override("en"):
        english = page_cache._page_key(request)
    with translation.override("cy"):
        welsh = page_cache._page_key(request)
    assert english != welsh
    assert (
        "Vary" in client.get("/en/about-us/")
        and "Accept-Language" in (client.get("/en/about-us/")["Vary"])
    )


def test_pages_in_two_languages_each_come_back_in_their_own(home, locales, client):
    from core.localization import synchronise_locales

    synchronise_locales()
    about = publish(StandardPageFactory(parent=home, title="About us", slug="about"))
    assert about.get_translation(locales["cy"]).alias_of_id == about.pk
    client.get("/en/about/")
    client.get("/cy/about/")
    english = client.get("/en/about/")
    welsh = client.get("/cy/about/")
    assert state(english) == state(welsh) == "hit"
    assert '<html lang="en"' in english.content.decode()
    assert '<html lang="cy"' in welsh.content.decode()


def test_a_signed_in_visitor_is_never_served_nor_stored(about, client, django_user_model):
    client.get("/en/about-us/")
    user = django_user_model.objects.create_user("editor", "e@example.com", "pw")
    client.force_login(user)
    response = client.get("/en/about-us/")
    assert state(response) is None
    client.logout()
    client.cookies.clear()
    assert state(client.get("/en/about-us/")) == "hit"


def test_a_visitor_with_a_session_or_messages_cookie_is_not_served_from_the_cache(about, client):
    client.get("/en/about-us/")
    client.cookies["sessionid"] = "abc"
    assert state(client.get("/en/about-us/")) is None
    client.cookies.clear()
    client.cookies["messages"] = "x"
    assert state(client.get("/en/about-us/")) is None


def test_a_page_with_a_form_is_left_uncached_and_its_form_still_works(home):
    import re

    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.get("/en/ask-for-help/")
    assert response.status_code == 200
    assert "csrftoken" in response.cookies  # the form's token
    assert state(response) is None
    again = client.get("/en/ask-for-help/")
    assert state(again) is None
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', again.content.decode())
    assert token is not None
    sent = client.post("/en/ask-for-help/", {"csrfmiddlewaretoken": token.group(1)})
    assert sent.status_code != 403  # the token was accepted (the empty form is sent back)
    refused = Client(enforce_csrf_checks=True).post("/en/ask-for-help/", {})
    assert refused.status_code == 403


def test_pages_that_made_a_token_wrote_the_session_or_added_a_message_are_not_stored(rf):
    from django.contrib.messages import add_message
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.cache import SessionStore
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    plain = rf.get("/en/x/")
    plain.session = SessionStore()
    assert page_cache._cacheable_response(plain, HttpResponse("<p>x</p>"))
    plain.session.get("anything")  # read only: the empty session of a new visitor
    assert page_cache._cacheable_response(plain, HttpResponse("<p>x</p>"))

    with_form = rf.get("/en/x/")
    get_token(with_form)
    assert not page_cache._cacheable_response(with_form, HttpResponse("<p>x</p>"))

    written = rf.get("/en/x/")
    written.session = SessionStore()
    written.session["step"] = 2
    assert not page_cache._cacheable_response(written, HttpResponse("<p>x</p>"))

    told = rf.get("/en/x/")
    told.session = SessionStore()
    told._messages = FallbackStorage(told)
    add_message(told, 20, "Thank you")
    assert not page_cache._cacheable_response(told, HttpResponse("<p>x</p>"))


def test_responses_that_set_a_cookie_or_vary_by_cookie_are_not_stored(rf):
    from django.http import HttpResponse

    request = rf.get("/en/x/")
    setting = HttpResponse("<p>x</p>")
    setting.set_cookie("anything", "1")
    assert not page_cache._cacheable_response(request, setting)
    varying = HttpResponse("<p>x</p>")
    varying["Vary"] = "Accept-Language, Cookie"
    assert not page_cache._cacheable_response(request, varying)
    private = HttpResponse("<p>x</p>")
    private["Cache-Control"] = "private"
    assert not page_cache._cacheable_response(request, private)
    assert page_cache._cacheable_response(request, HttpResponse("<p>x</p>"))
    marked = rf.get("/en/x/")
    page_cache.skip(marked)
    assert not page_cache._cacheable_response(marked, HttpResponse("<p>x</p>"))


def test_addresses_with_a_signed_token_and_missing_pages_are_never_kept(home, client):
    token = "eyJpZCI6MTIzfQ:1vA2bC:abcdefghijklmnopqrstuvwxyz0123456789ABCDEF"
    client.get(f"/en/ask-for-help/sent/{token}/")
    assert state(client.get(f"/en/ask-for-help/sent/{token}/")) is None
    client.get("/en/no-such-page/")
    missing = client.get("/en/no-such-page/")
    assert missing.status_code == 404
    assert state(missing) is None


def test_publishing_a_page_shows_the_new_version_at_once(about, client):
    client.get("/en/about-us/")
    about.title = "Who we are"
    publish(about)
    response = client.get("/en/about-us/")
    assert state(response) == "miss"
    assert "Who we are" in response.content.decode()


def test_unpublishing_or_deleting_a_page_takes_it_off_at_once(home, client):
    first = publish(StandardPageFactory(parent=home, title="First", slug="first"))
    second = publish(StandardPageFactory(parent=home, title="Second", slug="second"))
    assert client.get("/en/first/").status_code == 200
    assert client.get("/en/second/").status_code == 200
    first.unpublish()
    assert client.get("/en/first/").status_code == 404
    second.delete()
    assert client.get("/en/second/").status_code == 404


def test_the_menu_follows_a_new_page_at_once(about, client):
    client.get("/en/about-us/")
    home = about.get_parent().specific
    publish(StandardPageFactory(parent=home, title="Volunteer with us", show_in_menus=True))
    assert "Volunteer with us" in client.get("/en/about-us/").content.decode()


def test_directory_edits_purge_the_cache(db):
    from tests.directory.factories import LocationFactory, OrganizationFactory, ServiceFactory

    before = page_cache.generation()
    organization = OrganizationFactory()
    service = ServiceFactory(organization=organization)
    after_service = page_cache.generation()
    assert after_service > before
    service.name = "Renamed"
    service.save()
    assert page_cache.generation() > after_service
    edited = page_cache.generation()
    LocationFactory(organization=organization)
    assert page_cache.generation() > edited
    deleted = page_cache.generation()
    service.delete()
    assert page_cache.generation() > deleted


def test_a_service_edit_shows_in_the_directory_search_at_once(home, client):
    from tests.directory.factories import DirectoryPageFactory, ServiceFactory

    directory = publish(DirectoryPageFactory(parent=home))
    service = ServiceFactory(name="Quiet Room")
    url = directory.url + "?q=room"
    assert "Quiet Room" in client.get(url).content.decode()
    assert state(client.get(url)) == "hit"
    service.name = "Listening Room"
    service.save()
    assert "Listening Room" in client.get(url).content.decode()


def test_a_service_page_with_its_feedback_form_is_left_uncached(home, client):
    from tests.directory.factories import DirectoryPageFactory, ServiceFactory

    directory = publish(DirectoryPageFactory(parent=home))
    url = directory.service_url(ServiceFactory(name="Quiet Room"))
    first = client.get(url)
    assert 'name="csrfmiddlewaretoken"' in first.content.decode()
    assert state(client.get(url)) is None


def test_an_hsds_import_purges_the_cache(db, tmp_path):
    from tests.directory.test_import_hsds import run, service, write_json

    before = page_cache.generation()
    run(write_json(tmp_path, [service(1)]))
    assert page_cache.generation() > before


def test_a_booking_purges_the_cache(make_event):  # noqa: F811
    from communities.booking import book
    from communities.recurrence import next_occurrences

    event = make_event(title="Walk", capacity=3)
    occurrence = next_occurrences(event, timezone.now(), limit=1)[0]
    before = page_cache.generation()
    book(event, occurrence.key, "Ann", "ann@example.com")
    assert page_cache.generation() > before


def test_purge_works_when_the_generation_has_gone(about, client):
    from django.core.cache import cache

    client.get("/en/about-us/")
    cache.delete(page_cache.GENERATION_KEY)
    page_cache.purge()
    assert state(client.get("/en/about-us/")) == "miss"


def test_the_cache_is_off_when_page_cache_seconds_is_zero(about, client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/en/about-us/")
    assert state(client.get("/en/about-us/")) is None


def test_editing_the_site_settings_shows_at_once(about, client):
    from core.models import SiteSettings

    client.get("/en/about-us/")
    settings_row = SiteSettings.objects.get()
    settings_row.organisation_name = "Neighbours Together"
    settings_row.save()
    response = client.get("/en/about-us/")
    assert state(response) == "miss"
    assert "Neighbours Together" in response.content.decode()


def test_the_generation_is_shared_by_every_process_without_redis(db, settings):
    from django.core.cache import caches

    assert settings.PAGE_CACHE_GENERATION_CACHE == "ratelimit"  # the database cache
    page_cache.purge()
    assert caches["ratelimit"].get(page_cache.GENERATION_KEY) == page_cache.generation()


def test_a_purged_generation_lasts_until_the_next_purge(about, client, settings):
    """The number a purge leaves is kept for good, not for the shared cache's default
    timeout (five minutes for the database cache): otherwise every page and piece of the
    shell would be thrown away that long after each edit, in every process at once."""
    settings.PAGE_CACHE_SECONDS = settings.SITE_CACHE_SECONDS = 3600
    with freeze_time() as clock:
        page_cache.purge()
        purged = page_cache.generation()
        assert state(client.get("/en/about-us/")) == "miss"
        clock.tick(datetime.timedelta(minutes=10))
        assert page_cache.generation() == purged
        assert state(client.get("/en/about-us/")) == "hit"


def test_moving_a_page_purges_the_cache(home, client):
    section = publish(StandardPageFactory(parent=home, title="Section", slug="section"))
    page = publish(StandardPageFactory(parent=home, title="Moved", slug="moved"))
    assert client.get("/en/moved/").status_code == 200
    page.move(section, pos="last-child")
    # Not the cached page: Wagtail's redirect to the new address (or nothing).
    assert client.get("/en/moved/").status_code in (301, 404)
    assert client.get("/en/section/moved/").status_code == 200


def test_many_saves_in_one_block_purge_once_when_it_ends(db):
    from wagtail.models import Locale

    before = page_cache.generation()
    with page_cache.purged_once():
        for code in ("cy", "pl", "bn"):
            Locale.objects.get_or_create(language_code=code)
        with page_cache.purged_once():  # a block inside another joins it
            Locale.objects.get_or_create(language_code="ur")
        assert page_cache.generation() == before  # owed, not yet made
    assert page_cache.generation() == before + 1


def test_a_block_that_fails_still_purges_what_it_changed(db):
    from wagtail.models import Locale

    before = page_cache.generation()
    with pytest.raises(RuntimeError), page_cache.purged_once():
        Locale.objects.get_or_create(language_code="cy")
        raise RuntimeError
    assert page_cache.generation() == before + 1


def test_a_block_whose_error_breaks_its_transaction_leaves_the_error_to_be_seen(db):
    from django.db import IntegrityError, transaction
    from wagtail.models import Locale

    before = page_cache.generation()
    with pytest.raises(IntegrityError), transaction.atomic(), page_cache.purged_once():
        Locale.objects.create(language_code="cy")
        Locale.objects.create(language_code="cy")  # one row per language
    assert page_cache.generation() == before  # what it changed was rolled back


def test_a_block_without_a_change_does_not_purge(db):
    before = page_cache.generation()
    with page_cache.purged_once():
        pass
    assert page_cache.generation() == before


def test_the_starter_taxonomy_and_a_page_built_with_deferred_indexing_purge_once(home):
    from core.indexing import deferred_indexing
    from directory.taxonomy import ensure_starter_taxonomy

    before = page_cache.generation()
    ensure_starter_taxonomy()  # a score of terms, each a saved row the directory shows
    assert page_cache.generation() == before + 1
    with deferred_indexing():
        StandardPageFactory(parent=home, slug="a").save_revision().publish()
    assert page_cache.generation() == before + 2
