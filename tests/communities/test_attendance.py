"""The register of who came: recorded by the group's editors after a date, kept as a number
when the bookings go, and never half-saved."""

import datetime as dt
import threading

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, connections
from django.utils import timezone, translation

from communities import attendance
from communities.admin_views import date_in_url
from communities.booking import book, cancel
from communities.models import Booking, OccurrenceSeats
from communities.permissions import MODERATORS_GROUP, add_editor
from communities.recurrence import occurrences
from communities.retention import remove_past_bookings

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(make_event):
    """A weekly walk that started three weeks ago and meets six times."""
    start = timezone.localdate() - dt.timedelta(days=21)
    return make_event(
        title="Bereavement walk", capacity=4, repeat="weekly", repeat_count=6, start_date=start
    )


def past_date(event, weeks_ago=1):
    """The date the event met `weeks_ago` weeks ago (an Occurrence)."""
    now = timezone.now()
    met = occurrences(event, now - dt.timedelta(days=40), now)
    return met[-weeks_ago]


def booked(event, occurrence, *names):
    """Book `names` on a past date, as they did the week before it."""
    before = occurrence.start - dt.timedelta(days=7)
    return [
        book(event, occurrence.key, name, f"{name.lower()}@example.com", now=before)
        for name in names
    ]


def seats(event, occurrence):
    return OccurrenceSeats.objects.get(event=event, starts_at=occurrence.key)


def attended(*bookings):
    return [Booking.objects.get(pk=b.pk).attended for b in bookings]


def test_the_register_records_who_came_and_the_number(event):
    date = past_date(event)
    ann, bea, cal = booked(event, date, "Ann", "Bea", "Cal")
    assert seats(event, date).attended is None
    assert attended(ann, bea, cal) == [None, None, None]

    attendance.record(event, date.key, [ann.pk, cal.pk])
    assert seats(event, date).attended == 2
    assert attended(ann, bea, cal) == [True, False, True]

    # Saved twice, the same; corrected, the new answer.
    attendance.record(event, date.key, [ann.pk, cal.pk])
    assert seats(event, date).attended == 2
    attendance.record(event, date.key, [bea.pk])
    assert seats(event, date).attended == 1
    assert attended(ann, bea, cal) == [False, True, False]
    attendance.record(event, date.key, [])
    assert seats(event, date).attended == 0


def test_a_date_still_to_come_or_long_gone_has_no_register(event, settings):
    settings.COMMUNITY_BOOKING_RETENTION_DAYS = 10
    coming = occurrences(event, timezone.now(), timezone.now() + dt.timedelta(days=30))[0]
    ann = book(event, coming.key, "Ann", "ann@example.com")
    with pytest.raises(attendance.RegisterError, match="once the date has started"):
        attendance.record(event, coming.key, [ann.pk])
    old = past_date(event, weeks_ago=3)
    (bea,) = booked(event, old, "Bea")
    with pytest.raises(attendance.RegisterError, match="have been removed"):
        attendance.record(event, old.key, [bea.pk])
    with pytest.raises(attendance.RegisterError, match="does not happen"):
        attendance.record(event, past_date(event).key + dt.timedelta(hours=1), [])
    assert Booking.objects.filter(attended__isnull=False).count() == 0
    assert OccurrenceSeats.objects.filter(attended__isnull=False).count() == 0


def test_someone_no_longer_booked_is_refused_and_nothing_is_half_saved(event):
    date = past_date(event)
    ann, bea = booked(event, date, "Ann", "Bea")
    (other,) = booked(event, past_date(event, weeks_ago=2), "Dee")
    cancel(bea, now=date.start - dt.timedelta(days=1))
    for came in ([ann.pk, bea.pk], [ann.pk, other.pk], [ann.pk, 10**9]):
        with pytest.raises(attendance.RegisterError, match="no longer has a place"):
            attendance.record(event, date.key, came)
    assert attended(ann, bea, other) == [None, None, None]
    assert seats(event, date).attended is None


def test_a_date_nobody_booked_has_no_register(event):
    with pytest.raises(attendance.RegisterError, match="Nobody has a place"):
        attendance.record(event, past_date(event).key, [])


def test_a_place_cancelled_after_the_register_is_not_counted_as_used(event):
    date = past_date(event)
    ann, bea = booked(event, date, "Ann", "Bea")
    attendance.record(event, date.key, [ann.pk, bea.pk])
    cancel(Booking.objects.get(pk=ann.pk))
    counter = seats(event, date)
    assert (counter.booked, counter.attended) == (1, 1)
    assert attended(ann, bea) == [None, True]


def test_the_number_who_came_stays_when_the_bookings_go(event, settings):
    settings.COMMUNITY_BOOKING_RETENTION_DAYS = 10
    date = past_date(event)
    ann, bea = booked(event, date, "Ann", "Bea")
    attendance.record(event, date.key, [bea.pk])
    assert remove_past_bookings(now=date.start + dt.timedelta(days=11)) == 2
    assert not Booking.objects.exists()
    assert (seats(event, date).booked, seats(event, date).attended) == (2, 1)


def test_the_database_refuses_a_register_that_does_not_add_up(event):
    from django.db import IntegrityError, transaction

    date = past_date(event)
    ann, bea = booked(event, date, "Ann", "Bea")
    cancel(bea, now=date.start - dt.timedelta(days=1))
    with pytest.raises(IntegrityError), transaction.atomic():
        OccurrenceSeats.objects.filter(event=event, starts_at=date.key).update(attended=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=bea.pk).update(attended=True)


@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_at_once_leave_one_whole_register(event):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every writer, so there is no race")
    date = past_date(event)
    people = booked(event, date, "Ann", "Bea", "Cal", "Dee")
    registers = [[p.pk for p in people[:1]], [p.pk for p in people[1:]]] * 4
    barrier = threading.Barrier(len(registers))
    errors = []

    def save(came):
        try:
            barrier.wait()
            attendance.record(event, date.key, came)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(came,)) for came in registers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    came = set(Booking.objects.filter(attended=True).values_list("pk", flat=True))
    assert sorted(came) in [sorted(r) for r in registers]
    assert seats(event, date).attended == len(came)


# The admin pages.


def person(name, *groups):
    user = get_user_model().objects.create_user(name, f"{name}@example.com", "pw")
    user.groups.add(*groups)
    return user


def register_url(event, date):
    return f"/admin/communities/register/{event.pk}/{date_in_url(date.key)}/"


@pytest.fixture
def editor(group):
    alice = person("alice")
    add_editor(group, alice)
    return alice


def test_the_editor_takes_the_register_from_the_bookings_page(client, event, editor):
    date = past_date(event)
    ann, bea, cal = booked(event, date, "Ann", "Bea", "Cal")
    client.force_login(editor)
    html = client.get("/admin/communities/bookings/").content.decode()
    assert "Take the register" in html and register_url(event, date) in html
    assert "Register not taken" in html

    page = client.get(register_url(event, date))
    assert page.status_code == 200
    text = page.content.decode()
    assert all(name in text for name in ("Ann", "Bea", "Cal"))
    assert "3 people had a place on this date." in text

    response = client.post(register_url(event, date), {"came": [ann.pk, cal.pk]}, follow=True)
    assert response.redirect_chain[-1][0] == "/admin/communities/bookings/"
    text = response.content.decode()
    assert "The register for Bereavement walk on" in text and "2 of 3 came." in text
    assert "Change the register" in text
    assert seats(event, date).attended == 2
    # Opened again, the boxes of those who came are ticked.
    form = client.get(register_url(event, date)).context["form"]
    assert sorted(form.initial["came"]) == sorted([ann.pk, cal.pk])


def test_only_the_groups_editors_and_moderators_see_a_register(
    client, event, editor, make_group, make_event
):
    date = past_date(event)
    (ann,) = booked(event, date, "Ann")
    other = make_group(title="Leeds Walkers")
    bob = person("bob")
    add_editor(other, bob)
    client.force_login(bob)
    assert "Bereavement walk" not in client.get("/admin/communities/bookings/").content.decode()
    # A page the admin does not find is sent to the language-prefixed path, then not found.
    assert client.get(register_url(event, date), follow=True).status_code == 404
    assert client.post(register_url(event, date), {"came": [ann.pk]}).status_code in (302, 404)
    assert seats(event, date).attended is None

    client.force_login(person("mo", Group.objects.get(name=MODERATORS_GROUP)))
    assert client.get(register_url(event, date)).status_code == 200
    client.logout()
    response = client.get(register_url(event, date))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    "came",
    [["x"], ["1.5"], ["-1"], ["99999999999999999999999"], ["foreign"]],
    ids=["letters", "decimal", "negative", "huge", "another date's booking"],
)
def test_a_bad_register_is_refused_with_a_message_and_nothing_saved(client, event, editor, came):
    date = past_date(event)
    ann, bea = booked(event, date, "Ann", "Bea")
    (foreign,) = booked(event, past_date(event, weeks_ago=2), "Dee")
    came = [str(foreign.pk) if value == "foreign" else value for value in came]
    client.force_login(editor)
    response = client.post(register_url(event, date), {"came": [ann.pk, *came]})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert attended(ann, bea, foreign) == [None, None, None]
    assert seats(event, date).attended is None


def test_a_place_cancelled_while_the_register_was_open_is_a_clear_error(client, event, editor):
    date = past_date(event)
    ann, bea = booked(event, date, "Ann", "Bea")
    client.force_login(editor)
    client.get(register_url(event, date))
    cancel(bea, now=date.start - dt.timedelta(days=1))
    response = client.post(register_url(event, date), {"came": [ann.pk, bea.pk]})
    assert response.status_code == 400
    assert "Bea" not in response.content.decode().split("<form", 1)[1]
    assert seats(event, date).attended is None


@pytest.mark.parametrize("starts", ["yesterday", "20261301T1900Z", "2026-12-01", "1900Z"])
def test_a_date_that_cannot_be_read_is_not_found(client, event, editor, starts):
    client.force_login(editor)
    url = f"/admin/communities/register/{event.pk}/{starts}/"
    assert client.get(url, follow=True).status_code == 404


@pytest.mark.parametrize(
    "which, message",
    [("coming", "once the date has started"), ("off the rule", "does not happen at that time")],
)
def test_a_date_that_has_not_met_sends_the_editor_back_with_the_reason(
    client, event, editor, which, message
):
    now = timezone.now()
    dates = {
        "coming": occurrences(event, now, now + dt.timedelta(days=30))[0].key,
        "off the rule": past_date(event).key + dt.timedelta(hours=1),
    }
    client.force_login(editor)
    url = f"/admin/communities/register/{event.pk}/{date_in_url(dates[which])}/"
    response = client.post(url, {"came": []}, follow=True)
    assert response.redirect_chain == [("/admin/communities/bookings/", 302)]
    assert (
        [str(m) for m in response.context["messages"]]
        == [m for m in [str(m) for m in response.context["messages"]] if message in m]
        != []
    )
    assert OccurrenceSeats.objects.filter(attended__isnull=False).count() == 0


def test_the_register_speaks_the_editors_language(client, event, editor):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "cy"
    profile.save()
    date = past_date(event)
    booked(event, date, "Ann")
    client.force_login(editor)
    text = client.get(register_url(event, date)).content.decode()
    with translation.override("cy"):
        assert translation.gettext("Save the register") in text
        assert translation.gettext("Save the register") != "Save the register"


def test_the_bookings_list_shows_dates_until_they_end(client, make_event, editor):
    """'The coming dates': a date under way is listed (the editor checks who is booked as
    people arrive), one that has ended is not, even on the same day; it is then the
    register's."""
    from freezegun import freeze_time

    day = timezone.localdate() + dt.timedelta(days=3)
    walk = make_event(
        title="Morning walk", start_date=day, start_time=dt.time(10), end_time=dt.time(12)
    )
    (date,) = occurrences(walk, timezone.now(), timezone.now() + dt.timedelta(days=5))
    booked(walk, date, "Ann")
    client.force_login(editor)
    zone = walk.zone

    def listed(hour, minute=0):
        moment = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)
        with freeze_time(moment):
            return "ann@example.com" in client.get("/admin/communities/bookings/").content.decode()

    assert listed(9)
    assert listed(11, 30)  # under way
    assert not listed(12, 1)  # ended a minute ago
    assert not listed(23)
