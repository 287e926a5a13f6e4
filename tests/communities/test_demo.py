"""The communities demo: groups in several cities, events of every kind, safe to run twice."""

import pytest
from django.utils import timezone

from communities import demo
from communities.booking import places_left
from communities.models import CommunityGroupPage, EventIndexPage, EventPage, GroupIndexPage
from communities.recurrence import next_occurrences
from core.demo.site import translate
from core.localization import synchronise_locales
from core.models import HomePage


@pytest.mark.django_db(transaction=True)
def test_demo_groups_and_events(demo_site):
    # `demo_site` is what load_demo built once for this test worker; loading the groups
    # again adds nothing.
    home = HomePage.objects.get(locale__language_code="en")
    locales = synchronise_locales()
    messages = []
    assert demo.load(messages.append, home, translate, locales) == 0
    assert messages[-1] == "Communities: demo groups already loaded"

    assert GroupIndexPage.objects.count() == len(locales)
    assert set(EventIndexPage.objects.values_list("locale__language_code", flat=True)) == set(
        locales
    )
    groups = CommunityGroupPage.objects.live().filter(locale=home.locale)
    assert groups.count() == len(demo.GROUPS) >= 6
    assert all(group.editors_group_id for group in groups)
    # Some groups are translated, into the languages their members speak, and some events.
    translated = CommunityGroupPage.objects.live().exclude(locale=home.locale).filter(alias_of=None)
    assert sorted(translated.values_list("locale__language_code", flat=True)) == sorted(
        code for languages in demo.GROUP_TRANSLATIONS.values() for code in languages
    )
    urdu = translated.get(locale__language_code="ur")
    assert urdu.title == "لیوشم کی مذہبی برادریاں ایک ساتھ"
    assert urdu.area == "لیوشم، جنوب مشرقی لندن"
    translated_events = EventPage.objects.live().exclude(locale=home.locale).filter(alias_of=None)
    assert sorted(translated_events.values_list("locale__language_code", flat=True)) == sorted(
        code for languages in demo.EVENT_TRANSLATIONS.values() for code in languages
    )
    assert set(translated_events.values_list("locale__language_code", flat=True)) == set(
        locales
    ) - {"en"}
    polish = translated_events.get(title="Grupa wsparcia w żałobie po polsku")
    assert polish.summary.startswith("Grupa wsparcia w żałobie po polsku: Grupa wsparcia")
    events = list(EventPage.objects.live().filter(locale=home.locale))
    assert len(events) == len(demo.EVENTS) >= 36
    assert sum(1 for e in events if e.repeat) >= 10
    assert sum(1 for e in events if e.online) >= 3
    assert {e.postcode.split()[0][:2] for e in events if e.postcode} >= {
        "EC",
        "E8",
        "M1",
        "B1",
        "LS",
        "BS",
        "CF",
    }
    full = [e for e in events if e.title in demo.FULL]
    assert len(full) >= 4
    for event in full:
        first = next_occurrences(event, timezone.now(), limit=1)[0]
        assert places_left(event, first.key) == 0
    occurrences = sum(
        len(next_occurrences(e, timezone.now(), limit=100, horizon_days=90)) for e in events
    )
    assert occurrences > 60
