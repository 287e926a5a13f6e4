"""Group editors edit only their own group's pages; untrusted groups' events are moderated."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Workflow

from communities.models import EventPage
from communities.permissions import MODERATORS_GROUP, WORKFLOW_NAME, add_editor
from tests.communities import factories

pytestmark = pytest.mark.django_db


def user(name, *groups):
    person = get_user_model().objects.create_user(name, f"{name}@example.com", "pw")
    for group in groups:
        person.groups.add(group)
    return person


@pytest.fixture
def two_groups(make_group):
    return make_group(title="Hackney Death Café"), make_group(title="Leeds Walkers", trusted=True)


def test_each_group_gets_its_own_editors_group(two_groups):
    hackney, leeds = two_groups
    assert hackney.editors_group.name == "Hackney Death Café editors"
    assert leeds.editors_group.name == "Leeds Walkers editors"


def test_a_group_editor_cannot_touch_another_group(two_groups, make_event):
    hackney, leeds = two_groups
    alice = get_user_model().objects.create_user("alice", "alice@example.com", "pw")
    add_editor(hackney, alice)
    hackney_event = make_event(parent=hackney)
    leeds_event = make_event(parent=leeds)

    own = hackney.permissions_for_user(alice)
    assert own.can_edit()
    assert own.can_add_subpage()
    assert hackney_event.permissions_for_user(alice).can_edit()
    assert not hackney_event.permissions_for_user(alice).can_publish()
    assert not hackney.permissions_for_user(alice).can_delete()

    assert not leeds.permissions_for_user(alice).can_edit()
    assert not leeds.permissions_for_user(alice).can_add_subpage()
    assert not leeds_event.permissions_for_user(alice).can_edit()
    assert not hackney.get_parent().permissions_for_user(alice).can_add_subpage()


def test_group_editor_in_the_admin_sees_only_their_own_group(client, two_groups, make_event):
    hackney, leeds = two_groups
    alice = get_user_model().objects.create_user("alice", "alice@example.com", "pw")
    add_editor(hackney, alice)
    leeds_event = make_event(parent=leeds, title="Leeds walk")
    client.force_login(alice)
    assert client.get(f"/admin/pages/{hackney.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/add/communities/eventpage/{hackney.pk}/").status_code == 200
    assert client.get(f"/admin/pages/{leeds.pk}/edit/").status_code in (302, 403)
    assert client.get(f"/admin/pages/{leeds_event.pk}/edit/").status_code in (302, 403)
    assert client.get(f"/admin/pages/add/communities/eventpage/{leeds.pk}/").status_code in (
        302,
        403,
    )
    # The "trusted" switch is for moderators only.
    assert 'name="trusted"' not in client.get(f"/admin/pages/{hackney.pk}/edit/").content.decode()


def test_untrusted_events_need_a_moderator_and_trusted_groups_publish_directly(
    two_groups, groups_index, gazetteer
):
    hackney, leeds = two_groups
    alice = user("alice")
    add_editor(hackney, alice)
    bob = user("bob")
    add_editor(leeds, bob)
    moderator = user("mo")
    moderator.groups.add(Group.objects.get(name=MODERATORS_GROUP))

    draft = factories.EventPageFactory.build(title="Café in the library", live=False)
    hackney.add_child(instance=draft)
    # The workflow is inherited from the groups index.
    workflow = draft.get_workflow()
    assert workflow == Workflow.objects.get(name=WORKFLOW_NAME)
    assert not draft.permissions_for_user(alice).can_publish()
    revision = draft.save_revision(user=alice)
    state = workflow.start(draft, alice)
    draft.refresh_from_db()
    assert not draft.live
    assert state.status == "in_progress"
    task_state = state.current_task_state
    assert task_state.task.specific.get_actions(draft, alice) == []
    assert [name for name, *_ in task_state.task.specific.get_actions(draft, moderator)][:2] == [
        "reject",
        "approve",
    ]
    task_state.task.specific.on_action(task_state, moderator, "approve")
    draft.refresh_from_db()
    assert draft.live
    assert draft.live_revision_id == revision.pk

    trusted_event = factories.EventPageFactory.build(title="Leeds walk", live=False)
    leeds.add_child(instance=trusted_event)
    assert trusted_event.permissions_for_user(bob).can_publish()
    trusted_event.save_revision(user=bob).publish(user=bob)
    assert EventPage.objects.get(pk=trusted_event.pk).live


def test_marking_a_group_trusted_gives_its_editors_publish_permission(make_group, make_event):
    from communities.permissions import ensure_group_editors

    group = make_group(title="Faith group")
    carol = user("carol")
    add_editor(group, carol)
    event = make_event(parent=group)
    assert not event.permissions_for_user(carol).can_publish()
    group.trusted = True
    group.save()
    ensure_group_editors(group)
    carol = get_user_model().objects.get(pk=carol.pk)
    assert event.permissions_for_user(carol).can_publish()


def test_admin_bookings_list_shows_a_group_editor_only_their_own_events(
    client, two_groups, make_event
):
    from django.utils import timezone

    from communities.booking import book
    from communities.recurrence import next_occurrences

    hackney, leeds = two_groups
    alice = user("alice")
    add_editor(hackney, alice)
    ours = make_event(parent=hackney, title="Hackney café")
    theirs = make_event(parent=leeds, title="Leeds walk")
    for event, email in [(ours, "ann@example.com"), (theirs, "lee@example.com")]:
        book(event, next_occurrences(event, timezone.now(), limit=1)[0].key, "X", email)
    client.force_login(alice)
    html = client.get("/admin/communities/bookings/").content.decode()
    assert "ann@example.com" in html
    assert "lee@example.com" not in html
    assert "Leeds walk" not in html
    moderator = user("mo", Group.objects.get(name=MODERATORS_GROUP))
    client.force_login(moderator)
    html = client.get("/admin/communities/bookings/").content.decode()
    assert "ann@example.com" in html
    assert "lee@example.com" in html
    client.logout()
    assert client.get("/admin/communities/bookings/").status_code == 302
