"""Stories sent at the same moment, or the same story sent twice: each saved once, none lost."""

import uuid

import pytest

from stories.models import StoryPage
from tests.concurrency import needs_postgresql, post_at_once
from tests.stories.test_submission import share_url, text_of, valid_data

THREADS = 12
ALREADY = "We had already received this form from you"


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.STORIES_SUBMISSIONS_PER_HOUR = 1000


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_stories_shared_at_once_under_one_title_are_all_kept(story_index):
    forms = [valid_data(submission=str(uuid.uuid4()), name=f"Sam {n}") for n in range(THREADS)]
    responses = post_at_once(share_url(story_index), forms)
    assert [r.status_code for r in responses] == [200] * THREADS
    assert all(r.redirect_chain[-1][0].endswith("/share/thanks/") for r in responses)
    slugs = set(StoryPage.objects.values_list("slug", flat=True))
    assert len(slugs) == THREADS
    assert sorted(StoryPage.objects.values_list("storyteller_name", flat=True)) == sorted(
        f"Sam {n}" for n in range(THREADS)
    )


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_one_story_sent_many_times_at_once_is_kept_once(story_index):
    form = valid_data(submission=str(uuid.uuid4()))
    responses = post_at_once(share_url(story_index), [form] * THREADS)
    assert [r.status_code for r in responses] == [200] * THREADS
    assert StoryPage.objects.count() == 1
    told = [r for r in responses if ALREADY in text_of(r)]
    assert len(told) == THREADS - 1


@pytest.mark.django_db
@pytest.mark.parametrize("with_token", [True, False], ids=["token", "no token"])
def test_a_story_sent_twice_is_kept_once_and_the_sender_told(story_index, client, with_token):
    form = valid_data(submission=str(uuid.uuid4()) if with_token else "")
    first = client.post(share_url(story_index), form, follow=True)
    second = client.post(share_url(story_index), form, follow=True)
    assert StoryPage.objects.count() == 1
    assert first.redirect_chain == second.redirect_chain
    assert ALREADY not in text_of(first)
    assert ALREADY in text_of(second)


@pytest.mark.django_db
def test_the_form_carries_a_one_time_token(story_index, client):
    first = client.get(share_url(story_index)).content.decode()
    second = client.get(share_url(story_index)).content.decode()
    pattern = r'name="submission" value="([0-9a-f-]{36})"'
    import re

    assert re.search(pattern, first).group(1) != re.search(pattern, second).group(1)
