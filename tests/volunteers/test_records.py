"""Records nobody may rewrite by hand: the contact access log is append-only, and offers
and help requests change only through the project's own functions (which apply every
matching rule), never through generic admin forms."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from tests.volunteers.factories import HelpRequestFactory, UserFactory, VolunteerFactory
from volunteers import contact, offers, retention, safeguarding
from volunteers.models import AccessLog, ConcernAction, HelpRequest, Offer, Volunteer

pytestmark = pytest.mark.django_db

LOG = "/admin/snippets/volunteers/accesslog/"
OFFERS = "/admin/snippets/volunteers/offer/"
REQUESTS = "/admin/snippets/volunteers/helprequest/"


@pytest.fixture
def logged(home, terms):
    """An accepted request whose details were viewed once: one access-log row."""
    help_request = HelpRequestFactory()
    volunteer = VolunteerFactory()
    offer = Offer.objects.create(
        request=help_request,
        volunteer=volunteer,
        expires_at=timezone.now() + dt.timedelta(hours=2),
    )
    offers.accept(offer.pk, volunteer)
    contact.reveal_contact(help_request, volunteer, volunteer.user)
    return {"request": help_request, "volunteer": volunteer, "row": AccessLog.objects.get()}


def coordinator_user():
    """A member of the coordinators' group as migrations create it."""
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Volunteer coordinators"))
    return user


@pytest.fixture(params=["coordinator", "superuser"])
def staff(request, client, home):
    user = coordinator_user() if request.param == "coordinator" else None
    user = user or UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def row_values(row):
    return AccessLog.objects.filter(pk=row.pk).values().get()


# The access log ---------------------------------------------------------------------------


def test_the_log_reads_in_the_admin_but_offers_no_way_to_change_it(client, logged, staff):
    row = logged["row"]
    listing = client.get(LOG)
    assert listing.status_code == 200 and logged["request"].reference in listing.content.decode()
    assert client.get(f"{LOG}inspect/{row.pk}/").status_code == 200
    for url in [f"{LOG}add/", f"{LOG}edit/{row.pk}/", f"{LOG}delete/{row.pk}/"]:
        assert client.get(url).status_code in (302, 403, 404), url
    assert f"{LOG}edit/" not in listing.content.decode()
    assert f"{LOG}add/" not in listing.content.decode()


def test_admin_posts_cannot_add_change_or_delete_a_log_row(client, logged, staff):
    row = logged["row"]
    before = row_values(row)
    client.post(
        f"{LOG}edit/{row.pk}/", {"viewer_label": "someone else", "shown": "", "reason": "x"}
    )
    client.post(f"{LOG}delete/{row.pk}/")
    client.post(f"/admin/bulk/volunteers/accesslog/delete/?id={row.pk}")
    client.post(
        f"{LOG}add/",
        {"request_reference": "FAKE0001", "viewer_label": "x", "shown": "on", "reason": "x"},
    )
    assert list(AccessLog.objects.values()) == [before]


def test_the_model_refuses_changes_and_deletes(logged):
    row = logged["row"]
    before = row_values(row)
    row.viewer_label = "someone else"
    with pytest.raises(PermissionDenied):
        row.save()
    with pytest.raises(PermissionDenied):
        row.delete()
    with pytest.raises(PermissionDenied):
        AccessLog.objects.filter(pk=row.pk).update(viewer_label="someone else")
    with pytest.raises(PermissionDenied):
        AccessLog.objects.filter(pk=row.pk).delete()
    assert row_values(row) == before


def rewrites(model, row, **changes):
    """Every other way in Django to change or delete a stored row, each as a callable."""
    table_row = model.objects.filter(pk=row.pk).values().get()
    copy = model(**{**table_row, **{f"{k}": v for k, v in changes.items()}})
    field = next(iter(changes))
    return {
        "save of a new instance with the row's key": copy.save,
        "bulk_create as an upsert": lambda: model.objects.bulk_create(
            [copy], update_conflicts=True, unique_fields=["id"], update_fields=[field]
        ),
        "bulk_update": lambda: model.objects.bulk_update([copy], [field]),
        "update_or_create": lambda: model.objects.update_or_create(pk=row.pk, defaults=changes),
        "unlink of a column erasure never changes": lambda: model.objects.filter(pk=row.pk).unlink(
            **changes
        ),
        "the base manager's update": lambda: model._base_manager.filter(pk=row.pk).update(
            **changes
        ),
        "the base manager's delete": lambda: model._base_manager.filter(pk=row.pk).delete(),
    }


class Allowed(Exception):
    """Raised to roll back a rewrite the model let through."""


def not_refused(ways):
    """The names of the ways that did not raise PermissionDenied (each rolled back)."""
    allowed = []
    for way, rewrite in ways.items():
        try:
            with transaction.atomic():
                rewrite()
                raise Allowed
        except PermissionDenied:
            pass
        except Allowed:
            allowed.append(way)
    return allowed


def test_every_other_way_to_rewrite_a_row_is_refused_by_the_model(logged):
    row = logged["row"]
    before = row_values(row)
    related = logged["request"].access_log
    ways = {
        **rewrites(AccessLog, row, viewer_label="someone else"),
        "the request's related manager's update": lambda: related.update(viewer_label="x"),
        "the request's related manager's delete": lambda: related.all().delete(),
        "the request's related manager's clear": related.clear,
    }
    allowed = not_refused(ways)
    assert not allowed, allowed
    assert list(AccessLog.objects.values()) == [before]


def test_a_concerns_history_is_refused_every_way_and_kept_when_its_author_goes(logged):
    author = coordinator_user()
    concern = safeguarding.raise_concern("He was alone all night.", raised_by=author)
    entry = concern.actions.get()
    before = ConcernAction.objects.filter(pk=entry.pk).values().get()
    ways = {
        **rewrites(ConcernAction, entry, text="nothing happened"),
        "the concern's related manager's update": lambda: concern.actions.update(text="x"),
        "the concern's related manager's delete": lambda: concern.actions.all().delete(),
    }
    allowed = not_refused(ways)
    assert not allowed, allowed
    assert list(ConcernAction.objects.values()) == [before]
    # Deleting the person who wrote it only unlinks the entry (on_delete=SET_NULL).
    author.delete()
    entry.refresh_from_db()
    assert entry.by_id is None and entry.text == before["text"]
    assert entry.by_label == before["by_label"]


def test_the_database_refuses_changes_and_deletes(logged):
    if connection.vendor != "postgresql":
        pytest.skip("the refusing trigger is PostgreSQL's; SQLite relies on the model")
    row = logged["row"]
    table = AccessLog._meta.db_table
    for sql in [
        f"UPDATE {table} SET viewer_label = 'someone else' WHERE id = %s",  # noqa: S608
        f"UPDATE {table} SET shown = NOT shown WHERE id = %s",  # noqa: S608
        f"UPDATE {table} SET request_id = NULL, reason = 'x' WHERE id = %s",  # noqa: S608
        f"DELETE FROM {table} WHERE id = %s",  # noqa: S608
        f"INSERT INTO {table} (id, request_reference, viewer_label, at, shown, reason)"  # noqa: S608
        " SELECT id, request_reference, 'someone else', at, shown, reason"
        f" FROM {table} WHERE id = %s"
        " ON CONFLICT (id) DO UPDATE SET viewer_label = EXCLUDED.viewer_label",
    ]:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [row.pk])
    assert AccessLog.objects.filter(pk=row.pk, viewer_label=row.viewer_label).exists()


def test_erasure_still_unlinks_rows_and_keeps_them(logged):
    """Erasing a request or a volunteer keeps every row, without the link or the name."""
    row = logged["row"]
    retention.erase_request(logged["request"])
    retention.erase_volunteer(Volunteer.objects.get(pk=logged["volunteer"].pk))
    row.refresh_from_db()
    assert row.request_id is None and row.viewer_id is None
    assert row.viewer_label == retention.ERASED and row.shown is True
    assert row.request_reference == logged["request"].reference


# Offers and help requests -----------------------------------------------------------------


def test_no_generic_form_can_create_an_accepted_offer(client, logged, staff):
    """An accepted offer is what reveals contact details; only `offers.accept` makes one."""
    unchecked = VolunteerFactory(display_name="No DBS check")
    target = HelpRequestFactory()
    assert client.get(f"{OFFERS}add/").status_code in (302, 403, 404)
    client.post(
        f"{OFFERS}add/",
        {
            "request": target.pk,
            "volunteer": unchecked.pk,
            "status": "accepted",
            "score": "1",
            "distance_km": "1",
            "offered_at": "2026-01-01 10:00",
            "expires_at": "2030-01-01 10:00",
        },
    )
    assert not Offer.objects.filter(volunteer=unchecked).exists()
    accepted = Offer.objects.get(status="accepted")
    for url in (f"{OFFERS}copy/{accepted.pk}/", f"{OFFERS}delete/{accepted.pk}/"):
        assert client.get(url).status_code in (302, 403, 404), url
    client.post(f"{OFFERS}copy/{accepted.pk}/", {"volunteer": unchecked.pk, "status": "accepted"})
    client.post(f"{OFFERS}delete/{accepted.pk}/")
    client.post(f"/admin/bulk/volunteers/offer/delete/?id={accepted.pk}")
    assert list(Offer.objects.values_list("pk", "volunteer")) == [
        (accepted.pk, logged["volunteer"].pk)
    ]
    assert client.get(f"{OFFERS}edit/{accepted.pk}/").status_code in (302, 403, 404)
    client.post(f"{OFFERS}edit/{accepted.pk}/", {"volunteer": unchecked.pk, "status": "accepted"})
    accepted.refresh_from_db()
    assert accepted.volunteer == logged["volunteer"]
    listing = client.get(OFFERS)
    assert listing.status_code == 200
    assert f"{OFFERS}add/" not in listing.content.decode()
    assert client.get(f"{OFFERS}inspect/{accepted.pk}/").status_code == 200


def test_no_generic_form_can_create_or_change_a_help_request(client, logged, staff):
    help_request = logged["request"]
    count = HelpRequest.objects.count()
    assert client.get(f"{REQUESTS}add/").status_code in (302, 403, 404)
    client.post(
        f"{REQUESTS}add/",
        {
            "task_type": help_request.task_type_id,
            "starts_at": "2030-01-01 10:00",
            "ends_at": "2030-01-01 12:00",
            "area": "SE13",
            "radius_km": "5",
            "language": "en",
        },
    )
    assert HelpRequest.objects.count() == count
    assert client.get(f"{REQUESTS}edit/{help_request.pk}/").status_code in (302, 403, 404)
    client.post(f"{REQUESTS}edit/{help_request.pk}/", {"area": "Elsewhere", "radius_km": "99"})
    help_request.refresh_from_db()
    assert help_request.area == "SE13"
    client.post(f"{REQUESTS}copy/{help_request.pk}/", {"area": "SE13", "radius_km": "5"})
    client.post(f"{REQUESTS}delete/{help_request.pk}/")
    client.post(f"/admin/bulk/volunteers/helprequest/delete/?id={help_request.pk}")
    assert HelpRequest.objects.count() == count
    listing = client.get(REQUESTS)
    assert listing.status_code == 200 and help_request.reference in listing.content.decode()
    assert f"{REQUESTS}add/" not in listing.content.decode()
    assert client.get(f"{REQUESTS}inspect/{help_request.pk}/").status_code == 200


def test_the_coordinators_group_exists_after_migrate_without_write_access_to_records():
    group = Group.objects.get(name="Volunteer coordinators")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"view_accesslog", "view_offer", "view_helprequest", "access_admin"} <= codenames
    assert {"view_accessattempt", "delete_accessattempt"} <= codenames
    assert not codenames & {
        "add_accesslog",
        "change_accesslog",
        "delete_accesslog",
        "add_offer",
        "change_offer",
        "delete_offer",
        "add_helprequest",
        "delete_helprequest",
    }
