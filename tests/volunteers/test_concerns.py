"""Safeguarding concerns as case records: raised, handled step by step, closed, exported."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from tests.volunteers.factories import HelpRequestFactory, UserFactory, VolunteerFactory
from volunteers import roles, safeguarding
from volunteers.models import ConcernAction, Offer, SafeguardingConcern

pytestmark = pytest.mark.django_db


def person(*codenames, **fields):
    user = UserFactory(**fields)
    group = Group.objects.create(name=f"group for {user.username}")
    group.permissions.add(*Permission.objects.filter(codename__in=["access_admin", *codenames]))
    user.groups.add(group)
    return user


@pytest.fixture
def coordinator(db):
    roles.ensure_groups(plan=[])
    user = UserFactory(email="coord@example.org", first_name="Cora", last_name="Dinator")
    user.groups.add(Group.objects.get(name=roles.COORDINATORS))
    return user


def page_url(concern):
    return reverse("wagtailsnippets_volunteers_safeguardingconcern:inspect", args=[concern.pk])


def raised_by_volunteer(client, details="He had a bad fall and was alone all night."):
    help_request = HelpRequestFactory()
    volunteer = VolunteerFactory(display_name="Val Unteer")
    offer = Offer.objects.create(
        request=help_request,
        volunteer=volunteer,
        status=Offer.Status.ACCEPTED,
        expires_at=help_request.starts_at,
    )
    client.force_login(volunteer.user)
    client.post(reverse("volunteers:concern"), {"details": details, "task": offer.pk})
    client.logout()
    return SafeguardingConcern.objects.get()


def test_a_concern_is_a_case_record_from_raising_to_closing(client, home, terms, coordinator):
    concern = raised_by_volunteer(client)
    assert concern.volunteer.display_name == "Val Unteer"
    assert concern.raised_by == concern.volunteer.user and concern.request is not None
    # The alert links to the concern itself and does not carry what happened.
    alert = mail.outbox[-1]
    assert alert.to == ["coord@example.org"]
    assert "http://testserver" not in alert.body and page_url(concern) in alert.body
    assert "bad fall" not in alert.body

    client.force_login(coordinator)
    page = client.get(page_url(concern)).content.decode()
    assert "bad fall" in page and "Val Unteer" in page and "Raised" in page

    response = client.post(
        page_url(concern),
        {
            "text": "Phoned his daughter; she is going round tonight.",
            "handler": coordinator.pk,
            "refer": "on",
            "reference": "LA-2026-17",
        },
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.handler == coordinator and concern.referred_to_local_authority
    assert concern.local_authority_reference == "LA-2026-17" and concern.is_open
    kinds = list(concern.actions.values_list("kind", "by_label"))
    assert kinds == [
        ("raised", "Val Unteer"),
        ("action", "Cora Dinator"),
        ("handler", "Cora Dinator"),
        ("referred", "Cora Dinator"),
    ]

    # Closing needs an outcome; without one nothing at all is saved.
    refused = client.post(page_url(concern), {"text": "Closing.", "close": "on"})
    assert refused.status_code == 200
    assert "Write the outcome before closing the concern." in refused.content.decode()
    assert concern.actions.count() == 4
    concern.refresh_from_db()
    assert concern.is_open

    client.post(page_url(concern), {"close": "on", "outcome": "Care package in place."})
    concern.refresh_from_db()
    assert concern.status == "closed" and concern.closed_at is not None
    assert concern.outcome == "Care package in place."
    page = client.get(page_url(concern)).content.decode()
    assert "Care package in place." in page and "Reopen the concern" in page


def test_the_history_cannot_be_rewritten(client, home, terms, coordinator):
    concern = raised_by_volunteer(client)
    entry = concern.actions.get()
    entry.text = "nothing happened"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        ConcernAction.objects.filter(pk=entry.pk).update(text="nothing happened")
    with pytest.raises(PermissionDenied):
        ConcernAction.objects.all().delete()
    if connection.vendor == "postgresql":
        for sql in (
            "UPDATE volunteers_concernaction SET text = 'nothing' WHERE id = %s",
            "DELETE FROM volunteers_concernaction WHERE id = %s",
        ):
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
                cur.execute(sql, [entry.pk])
    # Nor through the admin: there is no edit, delete or add form, even for a superuser.
    client.force_login(UserFactory(is_superuser=True))
    base = "/admin/snippets/volunteers/safeguardingconcern"
    for url in (f"{base}/edit/{concern.pk}/", f"{base}/delete/{concern.pk}/", f"{base}/add/"):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
    concern.refresh_from_db()
    assert concern.actions.get().text == ""


def test_open_concerns_show_on_the_coordinators_home(client, home, terms, coordinator):
    concern = raised_by_volunteer(client)
    client.force_login(coordinator)
    dashboard = client.get("/admin/").content.decode()
    assert "Open safeguarding concerns" in dashboard and page_url(concern) in dashboard
    safeguarding.record_step(concern, coordinator, close=True, outcome="Resolved.")
    assert "Open safeguarding concerns" not in client.get("/admin/").content.decode()


def test_the_safeguarding_lead_exports_every_concern_with_its_history(
    client, home, terms, coordinator
):
    concern = raised_by_volunteer(client, details='=HYPERLINK("http://x")')
    safeguarding.record_step(concern, coordinator, text="Visited.", refer=True, reference="LA-9")
    lead = person("view_safeguardingconcern", "export_safeguardingconcern")
    client.force_login(lead)
    listing = client.get("/admin/snippets/volunteers/safeguardingconcern/").content.decode()
    export_url = reverse("volunteers_concern_export")
    assert export_url in listing
    response = client.get(export_url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Concern" and len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["What happened"].startswith("'=")  # never a live formula
    assert row["Referred to the local authority"] == "Yes"
    assert row["Local authority's reference"] == "LA-9"
    assert "Visited." in row["History"] and "Raised" in row["History"]
    # A coordinator reads and handles concerns but the export is the lead's.
    client.force_login(coordinator)
    assert client.get(export_url).status_code == 403


def test_only_coordinators_and_the_safeguarding_lead_see_concerns(client, home, terms):
    concern = raised_by_volunteer(client)
    for outsider in (person(), person("add_organization", "change_organization")):
        client.force_login(outsider)
        assert client.get(page_url(concern)).status_code in (302, 403)
        assert "bad fall" not in client.get("/admin/").content.decode()
        assert client.get(reverse("volunteers_concern_export")).status_code == 403
    # Someone who may read concerns but not handle them gets no form and cannot post one.
    reader = person("view_safeguardingconcern")
    client.force_login(reader)
    assert "Record a step" not in client.get(page_url(concern)).content.decode()
    assert client.post(page_url(concern), {"text": "x"}).status_code == 403
    assert concern.actions.count() == 1
