"""Directory demand counted at search time, through the search page itself."""

import pytest
from django.utils import timezone

from core import page_cache
from insight.models import SearchCount
from tests.directory.factories import DirectoryPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory_page(home, gazetteer):
    page = DirectoryPageFactory(parent=home)
    page.save_revision().publish()
    return page


def todays(category=""):
    row = SearchCount.objects.filter(day=timezone.localdate(), category=category).first()
    return (row.district, row.searches, row.nothing_near) if row else None


def test_a_search_near_a_place_is_counted_for_its_district(directory_page, client):
    response = client.get(directory_page.url, {"q": "grief group", "near": "SE13", "radius": 5})
    assert response.status_code == 200
    # Nothing is listed near SE13 in an empty directory: the search found nothing near.
    assert todays() == ("SE13", 1, 1)
    kept = {field.name for field in SearchCount._meta.concrete_fields}
    assert kept == {"id", "day", "district", "category", "searches", "nothing_near"}


def test_every_search_is_counted_when_the_page_cache_is_on(directory_page, client, settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.SITE_CACHE_SECONDS = 300
    query = {"near": "SE13", "radius": 5}
    for _ in range(3):  # three visitors asking the same thing within the cache's time
        response = client.get(directory_page.url, query)
        assert response.status_code == 200
        assert response.get(page_cache.HIT_HEADER) != "hit"
    assert todays() == ("SE13", 3, 3)


def test_a_search_without_a_place_is_still_served_from_the_cache(directory_page, client, settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.SITE_CACHE_SECONDS = 300
    client.get(directory_page.url, {"q": "grief"})
    assert client.get(directory_page.url, {"q": "grief"}).get(page_cache.HIT_HEADER) == "hit"
