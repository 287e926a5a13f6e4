"""The staff roles exist from migrations with exactly their permissions, and each is given in
one step (a group ticked on the person's account)."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from communities.permissions import MODERATORS_GROUP as COMMUNITY_MODERATORS
from directory.roles import DIRECTORY_EDITOR_PERMISSIONS, DIRECTORY_EDITORS
from stories.moderation import MODERATORS_GROUP as STORY_MODERATORS
from tests.volunteers.factories import HelpRequestFactory, UserFactory, VolunteerFactory
from volunteers import roles, safeguarding

pytestmark = pytest.mark.django_db


def held(name):
    group = Group.objects.get(name=name)
    return set(group.permissions.values_list("content_type__app_label", "codename"))


@pytest.fixture
def migrated(db):
    """The groups as `migrate` leaves them on any site (nothing loaded by hand)."""
    Group.objects.all().delete()
    call_command("migrate", verbosity=0)


def test_every_role_exists_after_migrate_with_exactly_its_permissions(migrated):
    assert held(roles.COORDINATORS) == set(roles.COORDINATOR_PERMISSIONS)
    assert held(roles.SAFEGUARDING_LEADS) == set(roles.SAFEGUARDING_LEAD_PERMISSIONS)
    assert held(DIRECTORY_EDITORS) == set(DIRECTORY_EDITOR_PERMISSIONS)
    assert ("wagtailadmin", "access_admin") in held(STORY_MODERATORS)
    assert held(COMMUNITY_MODERATORS) == {
        ("wagtailadmin", "access_admin"),
        ("communities", "trust_community_group"),
    }
    # Nobody but coordinators may open contact details; concern history is nobody's to edit.
    for name in (roles.SAFEGUARDING_LEADS, DIRECTORY_EDITORS, STORY_MODERATORS):
        assert ("volunteers", "coordinate") not in held(name)
    every = set().union(*(held(group.name) for group in Group.objects.all()))
    assert not {codename for _app, codename in every if codename.endswith("_concernaction")}
    assert ("volunteers", "change_accesslog") not in every


def test_a_permission_added_by_hand_is_taken_away_by_the_next_migrate(migrated):
    group = Group.objects.get(name=roles.SAFEGUARDING_LEADS)
    group.permissions.add(
        *Group.objects.get(name=roles.COORDINATORS).permissions.filter(codename="coordinate")
    )
    call_command("migrate", verbosity=0)
    assert ("volunteers", "coordinate") not in held(roles.SAFEGUARDING_LEADS)


def test_the_safeguarding_lead_reads_concerns_and_exports_them_but_arranges_no_help(
    client, migrated, home, terms
):
    lead = UserFactory()
    lead.groups.add(Group.objects.get(name=roles.SAFEGUARDING_LEADS))  # the one step
    volunteer = VolunteerFactory()
    help_request = HelpRequestFactory()
    concern = safeguarding.raise_concern(
        "Bruises on her arm.", raised_by=volunteer.user, volunteer=volunteer
    )
    client.force_login(lead)
    assert client.get("/admin/").status_code == 200
    page = reverse("wagtailsnippets_volunteers_safeguardingconcern:inspect", args=[concern.pk])
    assert "Bruises on her arm." in client.get(page).content.decode()
    client.post(page, {"text": "Spoke to the GP."})
    assert concern.actions.filter(text="Spoke to the GP.").exists()
    assert client.get(reverse("volunteers_concern_export")).status_code == 200
    for url in (
        reverse("volunteers_contact", args=[help_request.pk]),
        reverse("volunteers_phone_intake"),
        reverse("volunteers_exclusions", args=[help_request.pk]),
    ):
        assert client.get(url).status_code == 403, url
    edit = reverse("wagtailsnippets_volunteers_volunteer:edit", args=[volunteer.pk])
    assert client.get(edit).status_code in (302, 403)


def test_a_coordinator_given_the_role_in_one_step_can_work(client, migrated, home, terms):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/admin/").status_code == 302  # no admin yet
    user.groups.add(Group.objects.get(name=roles.COORDINATORS))
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("volunteers_phone_intake")).status_code == 200
    assert client.get("/admin/snippets/volunteers/safeguardingconcern/").status_code == 200
    assert client.get(reverse("volunteers_concern_export")).status_code == 403
