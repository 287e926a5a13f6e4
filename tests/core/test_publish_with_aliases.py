"""Publishing a new page from code (the demo): the page live, with its aliases in every
language kept in step with English, each alias written once."""

import pytest
from django.conf import settings
from django.db.models.signals import post_save
from wagtail.models import Page

from core.localization import publish, synchronise_locales
from tests.core.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

OTHER_LANGUAGES = {code for code, _name in settings.LANGUAGES if code != "en"}


@pytest.fixture
def synced(home, locales):
    return synchronise_locales()


def _alias_saves():
    saves = []

    def record(sender, instance, **kwargs):
        if isinstance(instance, Page) and instance.alias_of_id is not None:
            saves.append(instance.pk)

    post_save.connect(record, weak=False, dispatch_uid="test.alias_saves")
    return saves


@pytest.fixture
def alias_saves():
    saves = _alias_saves()
    yield saves
    post_save.disconnect(dispatch_uid="test.alias_saves")


def test_a_published_page_has_an_alias_in_every_other_language(synced, home):
    page = StandardPageFactory(parent=home, title="About us", slug="about")

    publish(page)

    page.refresh_from_db()
    assert page.live and page.live_revision_id is not None
    aliases = Page.objects.filter(alias_of=page)
    assert {alias.locale.language_code for alias in aliases} == OTHER_LANGUAGES
    for alias in aliases.specific():
        assert alias.live and alias.title == "About us"
        assert alias.last_published_at == page.last_published_at
        assert alias.get_parent().locale_id == alias.locale_id


def test_each_alias_is_written_once(synced, home, alias_saves):
    page = StandardPageFactory(parent=home, title="About us", slug="about")

    publish(page)

    assert len(alias_saves) == len(OTHER_LANGUAGES)
    assert len(set(alias_saves)) == len(OTHER_LANGUAGES)


def test_publishing_again_brings_the_aliases_up_to_date(synced, home):
    page = StandardPageFactory(parent=home, title="About us", slug="about")
    publish(page)

    page.introduction = "Who we are, in short."
    publish(page)

    for alias in Page.objects.filter(alias_of=page).specific():
        assert alias.introduction == "Who we are, in short."
