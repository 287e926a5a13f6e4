"""Sharing a story end to end: the form, spam held back, the draft, moderation, publication."""

import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse
from wagtail.models import WorkflowState

from stories.models import StoryPage
from stories.moderation import MODERATORS_GROUP, WORKFLOW_NAME

pytestmark = pytest.mark.django_db

STORY = (
    "When my dad was dying the hospice nurses let us stay all night. "
    "One of them brought blankets and sat with us for a while.\n\n"
    "Afterwards a neighbour walked our dog every morning for a month. "
    'I will never forget that kindness & the "tea" <3\nIt took < 2 minutes to say thank you.'
)


PLAIN_TEXT = "Please write this as plain text, without HTML tags or code"


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
            title="Blankets & tea <3",
            content_note='A death & a "funeral"',
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
    # What the storyteller typed is shown as they typed it, every character escaped.
    assert "that kindness &amp; the &quot;tea&quot; &lt;3<br/>It took &lt; 2 minutes" in html
    assert "<h1>Blankets &amp; tea &lt;3</h1>" in html
    assert "A death &amp; a &quot;funeral&quot;" in html
    assert "Told anonymously, Bereaved" in text_of(page)
    # Published stories join the index.
    assert story.pk in [item.page.pk for item in client.get(story_index.url).context["stories"]]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"consent": ""}, "consent", "We can only publish your story with your agreement."),
        ({"title": ""}, "title", "Enter a title for your story"),
        ({"story": "Too short."}, "story", "Write at least 20 words."),
        ({"name": ""}, "name", "Enter the name to show, or choose to be anonymous."),
        ({"role": "king"}, "role", "Select a valid choice."),
        (
            {"story": "word " * 5000},
            "story",
            "It can be up to 20000 characters, and now has 24999.",
        ),
        ({"title": "x" * 121}, "title", "It can be up to 120 characters, and now has 121."),
        (
            {"content_note": "x" * 201},
            "content_note",
            "It can be up to 200 characters, and now has 201.",
        ),
        ({"title": "Blankets <script>alert(1)</script>"}, "title", PLAIN_TEXT),
        ({"story": STORY + "\n<script>alert('x')</script>"}, "story", PLAIN_TEXT),
        ({"story": STORY + " <b>bold</b>"}, "story", PLAIN_TEXT),
        ({"name": "<img src=x onerror=alert(1)>"}, "name", PLAIN_TEXT),
        ({"content_note": "<!-- hidden --> a death"}, "content_note", PLAIN_TEXT),
        ({"content_note": "<svg/onload=alert(1)>"}, "content_note", PLAIN_TEXT),
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
    # Two people, each with their own copy of the form (and its one-time token).
    client.post(share_url(story_index), valid_data(submission=str(uuid.uuid4())))
    client.post(share_url(story_index), valid_data(submission=str(uuid.uuid4())))
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


def test_bad_input_is_explained_in_the_visitors_language(story_index, client):
    response = client.post(
        "/pl/stories/share/", valid_data(consent="", title="<script>alert(1)</script>")
    )
    assert response.status_code == 200
    text = text_of(response)
    assert '<html lang="pl"' in response.content.decode()
    assert "Wystąpił problem" in text
    assert "Możemy opublikować Twoją historię tylko za Twoją zgodą." in text
    assert "Napisz to zwykłym tekstem, bez znaczników HTML ani kodu" in text
    assert PLAIN_TEXT not in text
    assert not StoryPage.objects.exists()


def test_too_long_is_explained_in_every_language(story_index, client):
    """Django's own 'at most N characters' message is not translated into Urdu or Bengali."""
    too_long = valid_data(title="x" * 130, content_note="y" * 250)
    expected = {
        "ur": ["اس میں زیادہ سے زیادہ 120 حروف ہو سکتے ہیں، اور ابھی 130 ہیں۔", "ابھی 250 ہیں"],
        "bn": ["এটি সর্বোচ্চ 120টি অক্ষরের হতে পারে, এখন আছে 130টি।", "এখন আছে 250টি"],
        "cy": ["Gall fod hyd at 120 nod, ac mae ganddo 130 nawr."],
        "pl": ["Może mieć najwyżej 120 znaków, a teraz ma 130."],
        "ar": ["الحد الأقصى لعدد الأحرف هو 120، وعددها الآن 130."],
    }
    for code, messages in expected.items():
        response = client.post(f"/{code}/stories/share/", too_long)
        assert response.status_code == 200
        text = text_of(response)
        for message in messages:
            assert message in text, code
        assert "Ensure this value" not in text and "It can be up to" not in text
    search = text_of(client.get("/ur/search/?q=" + "x" * 201))
    assert "اس میں زیادہ سے زیادہ 200 حروف ہو سکتے ہیں، اور ابھی 201 ہیں۔" in search
    assert not StoryPage.objects.exists()


def test_an_oversized_request_is_refused_with_a_translated_page_and_nothing_saved(
    story_index, client, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    oversized = valid_data(story=STORY + " more" * 2000)

    response = client.post(share_url(story_index), oversized)
    assert response.status_code == 400
    assert "Sorry, we could not accept what was sent" in text_of(response)
    assert "Nothing has been saved." in text_of(response)

    # As in production, where the CSRF check is the first to read the body.
    browser = Client(enforce_csrf_checks=True)
    form = browser.get("/ur/stories/share/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    urdu = browser.post("/ur/stories/share/", {**oversized, "csrfmiddlewaretoken": token})
    assert urdu.status_code == 400
    assert '<html lang="ur" dir="rtl">' in urdu.content.decode()
    assert "Sorry, we could not accept" not in text_of(urdu)
    assert not StoryPage.objects.exists()
    assert not WorkflowState.objects.exists()


def test_markup_that_reaches_a_story_is_still_published_as_text(story_index):
    """Defence in depth: even text that was never checked by the form cannot add markup."""
    from stories.submission import submit_story

    story = submit_story(
        story_index,
        {
            "title": "Blankets",
            "story": STORY + "\n<script>alert('x')</script> and <b>bold</b>",
            "role": "carer",
            "name_choice": "anonymous",
            "name": "",
            "content_note": "",
        },
    )
    story.get_latest_revision().publish()
    html = story.specific.body.render_as_block()
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; and &lt;b&gt;bold&lt;/b&gt;" in html


def test_nothing_is_half_saved_when_moderation_cannot_start(story_index, monkeypatch):
    from wagtail.models import Revision, Workflow

    from stories.submission import submit_story

    def broken_start(self, obj, user):
        raise RuntimeError("the workflow could not start")

    monkeypatch.setattr(Workflow, "start", broken_start)
    data = {
        "title": "Blankets",
        "story": STORY,
        "role": "carer",
        "name_choice": "anonymous",
        "name": "",
        "content_note": "",
    }
    revisions = Revision.objects.count()
    with pytest.raises(RuntimeError):
        submit_story(story_index, data)
    assert not StoryPage.objects.exists()
    assert Revision.objects.count() == revisions
    assert not WorkflowState.objects.exists()
    story_index.refresh_from_db()
    assert story_index.numchild == 0
    assert story_index.get_children().count() == 0


@pytest.mark.parametrize("title", ["Blankets\x00", "\u202estekn\u0101lb", "Tea\x07 and toast"])
def test_control_and_direction_override_characters_are_refused(story_index, client, title):
    response = client.post(share_url(story_index), valid_data(title=title))
    assert response.status_code == 200
    assert "invisible control characters" in text_of(response)
    assert not StoryPage.objects.exists()
