"""The stories demo: a living library and story index, translated, idempotent."""

import pytest
from django.core.management import call_command
from wagtail.models import Page, WorkflowPage

from stories.models import ResourceFormatLink, ResourcePage, StoryIndexPage, StoryPage

# Transactional: Wagtail publishes translations on commit, as it does for a real run.
pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_stories_and_resources(demo_site, client, capsys):
    # `demo_site` is what `load_demo --no-admin` built once for this test worker.

    english = {"locale__language_code": "en"}
    assert StoryPage.objects.live().filter(**english).count() >= 8
    assert ResourcePage.objects.live().filter(**english).count() >= 12
    roles = set(StoryPage.objects.filter(**english).values_list("role", flat=True))
    assert len(roles) == 5
    assert StoryPage.objects.filter(**english).exclude(content_note="").exists()

    urdu_story = StoryPage.objects.live().get(locale__language_code="ur", slug="the-night-nurse")
    assert urdu_story.title == "رات کی نرس"
    response = client.get(urdu_story.url)
    assert response.status_code == 200
    assert '<html lang="ur" dir="rtl">' in response.content.decode()
    assert ResourcePage.objects.live().filter(locale__language_code="pl").count() >= 2

    index = StoryIndexPage.objects.get(**english)
    assert WorkflowPage.objects.get(page=index).workflow.name == "Moderate stories"

    link = ResourceFormatLink.objects.filter(format="large_print").first()
    content = link.document.file.read()
    assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")
    assert link.document.file_size == len(content)
    download = client.get(link.document.url)
    assert download.status_code == 200

    counts = (Page.objects.count(), ResourceFormatLink.objects.count())
    call_command("load_demo", "--no-admin")
    assert "demo stories and resources already loaded" in capsys.readouterr().out
    assert (Page.objects.count(), ResourceFormatLink.objects.count()) == counts
