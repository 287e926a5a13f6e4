"""Sharing a story end to end: the form, spam held back, the draft, moderation, publication."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.models import WorkflowState

from stories.models import StoryPage
from stories.moderation import MODERATORS_GROUP, WORKFLOW_NAME

pytestmark = pytest.mark.django_db

STORY = (
    "When my dad was dying the hospice nurses let us stay all night. "
    "One of them brought blankets and sat with us for a while.\n\n"
    "Afterwards a neighbour walked our dog every morning for a month. "
    "I will never forget <b>that</b> kindness.\n<script>alert('x')</script>"
)


def valid_data(**changes):
    data = {
        "title": "The nurse who brought blankets",
        "story": STORY,
        "role": "bereaved",
        "name_choice": "name",
        "name": "Sam",
        "content_note": "",
        "consent": "on",
        "website": "",
    }
    data.update(changes)
    return data


def share_url(index):
    return index.url + "share/"


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_form_works_without_javascript_and_explains_itself(story_index, client):
    response = client.get(share_url(story_index))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert "A moderator reads every story before it is published." in text_of(response)
    # The honeypot is hidden from people and assistive technology, not from software.
    assert re.search(r'<div class="honeypot" aria-hidden="true">', html)


def test_a_shared_story_becomes_a_draft_in_the_moderation_workflow(story_index, client):
    response = client.post(share_url(story_index), valid_data(content_note="A death at home."))
    assert response.status_code == 302
    assert response["Location"].endswith("/stories/share/thanks/")

    story = StoryPage.objects.get()
    assert not story.live
    assert story.get_parent().pk == story_index.pk
    assert story.storyteller_name == "Sam"
    assert story.role == "bereaved"
    assert story.content_note == "A death at home."
    assert story.consent_to_publish and story.consent_recorded_at is not None
    assert story.submitted_through_website
    assert [block.block_type for block in story.body] == ["paragraph", "paragraph"]

    state = WorkflowState.objects.get(object_id=str(story.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == WORKFLOW_NAME
    assert state.current_task_state.task.specific.groups.filter(name=MODERATORS_GROUP).exists()

    thanks = client.get(response["Location"])
    assert "What happens next" in text_of(thanks)
    assert "A moderator will read your story" in text_of(thanks)
    # Not visible to the public while it waits.
    assert client.get(story_index.url + story.slug + "/").status_code == 404


def test_moderator_approves_and_the_story_is_published_escaped(story_index, client):
    from stories.moderation import ensure_moderation

    ensure_moderation(story_index)
    moderator = get_user_model().objects.create_user("mod", "mod@example.org", "pw")
    moderator.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    client.post(
        share_url(story_index),
        valid_data(
            name_choice="anonymous",
            name="Ignored",
            title="Blankets <img src=x onerror=alert(1)>",
            content_note="<script>alert(2)</script> a death",
        ),
    )
    story = StoryPage.objects.get()
    assert story.storyteller_name == ""
    client.force_login(moderator)
    task_state = WorkflowState.objects.get(object_id=str(story.pk)).current_task_state
    # The moderator was told there is a story to review.
    assert any("mod@example.org" in message.to for message in mail.outbox)
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[story.pk, "approve", task_state.pk],
        ),
        {"comment": "Thank you for sharing this."},
    )
    assert response.status_code in (200, 302)
    story.refresh_from_db()
    assert story.live

    client.logout()
    page = client.get(story.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html or ("&lt;script&gt;" in html)
    assert "<script>alert" not in html
    assert "<b>that</b>" not in html and "&lt;b&gt;that&lt;/b&gt;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert(2)" not in html
    assert "Told anonymously, Bereaved" in text_of(page)
    # Published stories join the index.
    assert story.pk in [item.page.pk for item in client.get(story_index.url).context["stories"]]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"consent": ""}, "consent", "We can only publish your story with your agreement."),
        ({"title": ""}, "title", "This field is required."),
        ({"story": "Too short."}, "story", "at least 20 words"),
        ({"name": ""}, "name", "Enter the name to show, or choose to be anonymous."),
        ({"role": "king"}, "role", "Select a valid choice."),
        ({"story": "word " * 5000}, "story", "at most 20000 characters"),
    ],
)
def test_bad_input_is_explained_next_to_the_field(story_index, client, changes, field, message):
    response = client.post(share_url(story_index), valid_data(**changes))
    assert response.status_code == 200
    assert message in text_of(response)
    assert f'id="id_{field}_error"' in response.content.decode()
    # The summary links to the field (the first choice of a set of radio buttons).
    target = f"id_{field}_0" if field == "role" else f"id_{field}"
    assert f'href="#{target}"' in response.content.decode()
    assert f'id="{target}"' in response.content.decode()
    assert "There is a problem" in text_of(response)
    assert not StoryPage.objects.exists()
    assert not WorkflowState.objects.exists()


def test_the_honeypot_holds_spam_back_quietly(story_index, client):
    response = client.post(share_url(story_index), valid_data(website="http://spam.example"))
    assert response.status_code == 302
    assert response["Location"].endswith("/share/thanks/")
    assert not StoryPage.objects.exists()


def test_too_many_stories_from_one_address_are_held_back(story_index, client, settings):
    settings.STORIES_SUBMISSIONS_PER_HOUR = 2
    # Mistakes corrected in the form do not count against the storyteller.
    for _attempt in range(3):
        assert client.post(share_url(story_index), valid_data(consent="")).status_code == 200
    for n in range(2):
        response = client.post(share_url(story_index), valid_data(title=f"Story {n}"))
        assert response.status_code == 302
    response = client.post(share_url(story_index), valid_data(title="One too many"))
    assert response.status_code == 429
    assert "Please try again later." in text_of(response)
    assert StoryPage.objects.count() == 2
    # Another address is not affected.
    response = client.post(
        share_url(story_index), valid_data(title="From elsewhere"), REMOTE_ADDR="192.0.2.9"
    )
    assert response.status_code == 302
    assert StoryPage.objects.count() == 3


def test_two_stories_with_the_same_title_get_their_own_addresses(story_index, client):
    client.post(share_url(story_index), valid_data())
    client.post(share_url(story_index), valid_data())
    assert sorted(StoryPage.objects.values_list("slug", flat=True)) == [
        "the-nurse-who-brought-blankets",
        "the-nurse-who-brought-blankets-2",
    ]


def test_a_workflow_chosen_by_an_administrator_is_kept(story_index, client):
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    chosen = Workflow.objects.create(name="Two moderators")
    task = GroupApprovalTask.objects.create(name="Second reading")
    WorkflowTask.objects.create(workflow=chosen, task=task, sort_order=0)
    WorkflowPage.objects.create(page=story_index, workflow=chosen)

    client.post(share_url(story_index), valid_data())
    story = StoryPage.objects.get()
    state = WorkflowState.objects.get(object_id=str(story.pk))
    assert state.workflow == chosen
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert WorkflowPage.objects.get(page=story_index).workflow == chosen
