"""Finding events: near a place (with distances), dates, type, language, online or in person."""

import datetime as dt

import pytest
from django.utils import timezone

from communities.event_search import EventQuery, find

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(make_event, make_group):
    soon = timezone.localdate() + dt.timedelta(days=3)
    leeds = make_group(title="Leeds walkers")
    return {
        "hackney": make_event(title="Hackney café", postcode="E8", start_date=soon),
        "bow": make_event(
            title="Bow walk",
            postcode="E3",
            event_type="walk",
            start_date=soon,
            repeat="weekly",
            repeat_count=3,
        ),
        "online": make_event(
            title="Online circle",
            postcode="",
            online=True,
            online_url="https://meet.example/x",
            language="ur",
            start_date=soon,
        ),
        "leeds": make_event(parent=leeds, title="Leeds walk", postcode="LS1 4AP", start_date=soon),
    }


def titles(found):
    return [o.event.title for o in found]


def test_near_a_place_keeps_events_in_the_circle_and_measures_them(events):
    now = timezone.now()
    query = EventQuery(
        start=now,
        end=now + dt.timedelta(days=30),
        latitude=51.5430,  # Hackney (E8)
        longitude=-0.0640,
        radius_km=5,
    )
    found = find(query)
    assert "Leeds walk" not in titles(found)
    assert titles(found).count("Bow walk") == 3
    hackney = next(o for o in found if o.event.title == "Hackney café")
    bow = next(o for o in found if o.event.title == "Bow walk")
    online = next(o for o in found if o.event.title == "Online circle")
    assert hackney.distance_km == pytest.approx(0.0, abs=0.01)
    assert bow.distance_km == pytest.approx(3.0, abs=0.3)
    assert online.distance_km is None
    in_person = find(EventQuery(**{**query.__dict__, "attendance": "in_person"}))
    assert "Online circle" not in titles(in_person)


def test_filters_by_type_language_format_and_dates(events):
    now = timezone.now()
    month = {"start": now, "end": now + dt.timedelta(days=30)}
    walks = set(titles(find(EventQuery(**month, event_types=("walk",)))))
    assert walks == {"Bow walk"}  # the Leeds walk is a Death Café by its factory's type
    assert titles(find(EventQuery(**month, language="ur"))) == ["Online circle"]
    assert titles(find(EventQuery(**month, attendance="online"))) == ["Online circle"]
    later = find(EventQuery(start=now + dt.timedelta(days=9), end=now + dt.timedelta(days=30)))
    assert titles(later) == ["Bow walk", "Bow walk"]  # its second and third weeks


def test_events_page_filters_without_javascript(client, events, events_page):
    response = client.get(events_page.url, {"near": "E8", "radius": 3})
    html = response.content.decode()
    assert "events near E8" in html
    assert "Hackney café" in html
    assert "Leeds walk" not in html
    assert "less than 0.1 miles" in html
    assert 'id="map-points"' in html


def test_unknown_place_and_impossible_dates_get_messages_next_to_the_fields(
    client, events, events_page
):
    html = client.get(events_page.url, {"near": "Nowhereville Zzz"}).content.decode()
    assert "There is a problem" in html
    assert 'href="#id_near"' in html
    html = client.get(
        events_page.url, {"date_from": "2030-05-10", "date_to": "2030-05-01"}
    ).content.decode()
    assert "The end date must be on or after the start date." in html
    html = client.get(events_page.url, {"date_from": "2030-02-31"}).content.decode()
    assert 'href="#id_date_from_0"' in html


def test_a_venue_that_cannot_be_geocoded_is_refused(make_event, gazetteer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as raised:
        make_event(postcode="ZZ99 9ZZ")
    assert "postcode" in raised.value.message_dict


def test_pagination(client, make_event, events_page):
    soon = timezone.localdate() + dt.timedelta(days=1)
    make_event(title="Daily-ish", start_date=soon, repeat="weekly", repeat_count=25)
    first = client.get(events_page.url, {"date_to": str(soon + dt.timedelta(days=200))})
    html = first.content.decode()
    assert "25 events coming up" in html
    assert "Page 1 of 2" in html
    second = client.get(
        events_page.url, {"date_to": str(soon + dt.timedelta(days=200)), "page": 2}
    ).content.decode()
    assert second.count('class="event-card"') == 5


@pytest.mark.parametrize("near", ["Hackney", "london borough of hackney", "HACKNEY"])
def test_events_are_found_near_a_borough_named_in_any_form(client, events, events_page, near):
    html = client.get(events_page.url, {"near": near, "radius": 3}).content.decode()
    assert "There is a problem" not in html
    assert "events near Hackney" in html
    assert "Hackney café" in html
    assert "Leeds walk" not in html
