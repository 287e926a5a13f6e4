"""Page-tree rules, rendering, the story index's filters and pages, related stories, feeds."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from core.models import HomePage, StandardPage
from stories.models import ResourceLibraryPage, ResourcePage, StoryIndexPage, StoryPage
from tests.core.factories import HomePageFactory
from tests.pages import publish
from tests.stories import factories

pytestmark = pytest.mark.django_db
ATOM_ENTRY = "{http://www.w3.org/2005/Atom}entry"


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


class StoryPageTreeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = HomePageFactory(parent=Page.get_first_root_node())
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": cls.home},
        )
        cls.index = publish(factories.StoryIndexPageFactory(parent=cls.home))
        cls.story = publish(factories.StoryPageFactory(parent=cls.index))
        cls.library = publish(factories.ResourceLibraryPageFactory(parent=cls.home))
        cls.resource = publish(factories.ResourcePageFactory(parent=cls.library))

    def setUp(self):
        # Signed in directly: django-axes checks every password sign-in against its request.
        self.client.force_login(self.create_superuser("admin"))

    def test_the_tree_rules(self):
        self.assertAllowedParentPageTypes(StoryIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(StoryIndexPage, {StoryPage})
        self.assertAllowedParentPageTypes(StoryPage, {StoryIndexPage})
        self.assertAllowedSubpageTypes(StoryPage, set())
        self.assertAllowedParentPageTypes(ResourceLibraryPage, {HomePage})
        self.assertAllowedSubpageTypes(ResourceLibraryPage, {ResourcePage})
        self.assertAllowedParentPageTypes(ResourcePage, {ResourceLibraryPage})
        self.assertAllowedSubpageTypes(ResourcePage, set())
        self.assertCanNotCreateAt(StandardPage, StoryPage)
        self.assertCanNotCreateAt(HomePage, ResourcePage)
        # One story index and one library per home page.
        self.assertFalse(StoryIndexPage.can_create_at(self.home))
        self.assertFalse(ResourceLibraryPage.can_create_at(self.home))
        self.assertTrue(
            StoryIndexPage.can_create_at(HomePageFactory(parent=self.home.get_parent()))
        )

    def test_every_page_routes_and_renders(self):
        for page in (self.index, self.story, self.library, self.resource):
            response = self.client.get(page.url)
            self.assertEqual(response.status_code, 200, page.url)
            self.assertEqual(response.context["page"], page)
            self.assertPageIsRenderable(page)
        self.assertPageIsPreviewable(
            self.story,
            post_data=nested_form_data(
                {
                    "title": "Previewed story",
                    "slug": self.story.slug,
                    "summary": "A preview.",
                    "content_note": "Mentions a death.",
                    "storyteller_name": "",
                    "role": "carer",
                    "tags": "",
                    "body": streamfield([("paragraph", rich_text("<p>Previewed.</p>"))]),
                    "consent_to_publish": "on",
                    "consent_how": "",
                    "editorial_notes": "",
                }
            ),
        )

    def test_an_editor_creates_a_story_only_with_consent(self):
        data = {
            "title": "The night nurse",
            "slug": "the-night-nurse",
            "summary": "A nurse sat with us.",
            "content_note": "",
            "storyteller_name": "",
            "role": "bereaved",
            "tags": "hospice, night",
            "body": streamfield(
                [
                    ("paragraph", rich_text("<p>She sat with us all night.</p>")),
                    ("quote", {"quote": "You are not alone.", "attribution": "The nurse"}),
                ]
            ),
            "consent_how": "by phone",
            "editorial_notes": "",
        }
        response = self.client.post(
            f"/admin/pages/add/stories/storypage/{self.index.pk}/", nested_form_data(data)
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(StoryPage.objects.filter(slug="the-night-nurse").exists())
        self.assertContains(response, "consent to publish it")

        data["consent_to_publish"] = "on"
        self.assertCanCreate(self.index, StoryPage, nested_form_data(data))
        story = StoryPage.objects.get(slug="the-night-nurse")
        self.assertEqual(sorted(story.tags.names()), ["hospice", "night"])

    def test_a_story_index_created_in_the_admin_is_moderated(self):
        from wagtail.models import WorkflowPage

        other_home = HomePageFactory(parent=self.home.get_parent())
        self.assertCanCreate(
            other_home,
            StoryIndexPage,
            nested_form_data(
                {
                    "title": "Our stories",
                    "slug": "our-stories",
                    "introduction": "",
                    "share_introduction": "",
                }
            ),
        )
        index = StoryIndexPage.objects.get(slug="our-stories")
        self.assertEqual(WorkflowPage.objects.get(page=index).workflow.name, "Moderate stories")

    def test_an_editor_adds_a_resource_with_a_bsl_video(self):
        self.assertCanCreate(
            self.library,
            ResourcePage,
            nested_form_data(
                {
                    "title": "Planning ahead",
                    "slug": "planning-ahead",
                    "summary": "Thinking about the care you want.",
                    "audience": "anyone",
                    "tags": "planning ahead",
                    "body": streamfield([("paragraph", rich_text("<p>Start talking.</p>"))]),
                    "formats": inline_formset(
                        [
                            {
                                "format": "bsl",
                                "language": "en",
                                "document": "",
                                "url": "https://video.example/planning-ahead-bsl",
                            }
                        ]
                    ),
                }
            ),
        )
        page = ResourcePage.objects.get(slug="planning-ahead")
        self.assertEqual(page.formats.get().format, "bsl")


def test_every_page_model_has_a_factory():
    page_models = {
        model
        for model in apps.get_models()
        if issubclass(model, Page) and model._meta.app_label == "stories"
    }
    with_factory = {
        getattr(factories, name)._meta.model
        for name in dir(factories)
        if name.endswith("PageFactory")
    }
    assert page_models, "the stories app has page models"
    assert page_models <= with_factory, page_models - with_factory


def test_a_format_link_is_a_document_or_a_web_address(make_resource):
    resource = make_resource()
    both = factories.ResourceFormatLinkFactory.build(
        page=resource, document=factories.DocumentFactory(), url="https://video.example/bsl"
    )
    neither = factories.ResourceFormatLinkFactory.build(page=resource, document=None, url="")
    for link in (both, neither):
        with pytest.raises(ValidationError, match="not both"):
            link.full_clean()
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ResourceFormatLinkFactory(page=resource, document=None, url="")


def test_story_page_shows_content_note_first_and_the_storyteller(make_story, client):
    story = make_story(
        title="After the funeral",
        content_note="This story mentions suicide.",
        storyteller_name="Asha",
        role="bereaved",
        tags=["grief"],
    )
    html = client.get(story.url).content.decode()
    note = html.index("This story mentions suicide.")
    assert note < html.index('id="story-body"')
    assert "Told by Asha, Bereaved" in text_of(client.get(story.url))
    # Consent records are for editors only.
    assert "signed form" not in html


def test_a_story_with_a_content_note_waits_behind_it_until_the_reader_goes_on(make_story, client):
    """The summary and the story sit inside a closed <details> after the note: nothing of
    them shows until the reader opens it, with or without JavaScript."""
    story = make_story(
        title="For my brother",
        summary="My brother took his own life last spring.",
        content_note="This story mentions suicide.",
    )
    page = client.get(story.url).content.decode()
    # The story's own gate, not the header's folding menus.
    html = page[page.index("<main") :]
    gate = re.search(r"<details\b[^>]*>(.*?)</details>", html, re.S)
    assert gate, "the story should be inside a <details> element"
    assert "<details open" not in html
    assert "My brother took his own life" in gate.group(1)
    assert 'id="story-body"' in gate.group(1)
    assert html.index("This story mentions suicide.") < gate.start()
    assert "Read the story" in re.search(r"<summary\b[^>]*>(.*?)</summary>", html, re.S).group(1)


def test_a_story_without_a_content_note_is_shown_at_once(make_story, client):
    story = make_story(summary="A good death at home.", content_note="")
    html = client.get(story.url).content.decode()
    assert "<details" not in html.split("<article", 1)[1].split("</article>")[0]
    assert "A good death at home." in html


def test_a_story_card_shows_the_note_instead_of_the_opening_line(make_story, story_index, client):
    make_story(
        title="For my brother",
        summary="My brother took his own life last spring.",
        content_note="This story mentions suicide.",
    )
    make_story(title="A good death", summary="She died at home, as she wished.", content_note="")
    html = client.get(story_index.url).content.decode()
    assert "My brother took his own life" not in html
    assert "This story mentions suicide." in html
    assert "She died at home, as she wished." in html


def test_anonymous_story_names_nobody(make_story, client):
    story = make_story(storyteller_name="")
    assert "Told anonymously, Carer" in text_of(client.get(story.url))


def test_related_stories_share_topics_first_then_role(make_story, client):
    story = make_story(title="Main", tags=["grief", "hospice"], role="carer")
    both = make_story(title="Shares two topics", tags=["grief", "hospice"], role="volunteer")
    one = make_story(title="Shares one topic", tags=["grief"], role="volunteer")
    same_role = make_story(title="Same role only", tags=["funerals"], role="carer")
    make_story(title="Unrelated", tags=["funerals"], role="professional")

    related = client.get(story.url).context["related_stories"]
    assert [item.page.pk for item in related] == [both.pk, one.pk, same_role.pk]


def test_index_features_filters_and_paginates(make_story, story_index, client, settings):
    featured = make_story(title="A featured story", featured=True, role="volunteer")
    for n in range(11):
        make_story(title=f"Carer story {n}", tags=["caring"], role="carer")
    bereaved = make_story(title="A bereaved story", tags=["grief"], role="bereaved")

    response = client.get(story_index.url)
    first_page = list(response.context["stories"])
    assert first_page[0].page.pk == featured.pk
    assert len(first_page) == 10
    assert "Page 1 of 2" in text_of(response)
    second = client.get(story_index.url + "?page=2").context["stories"]
    assert len(list(second)) == 3

    by_role = client.get(story_index.url + "?role=bereaved")
    assert [item.page.pk for item in by_role.context["stories"]] == [bereaved.pk]
    assert "1 story found" in text_of(by_role)

    by_topic = client.get(story_index.url + "?topic=caring")
    assert by_topic.context["stories"].paginator.count == 11
    assert all(item.page.role == "carer" for item in by_topic.context["stories"])

    nothing = client.get(story_index.url + "?topic=grief&role=carer")
    assert "No stories match these filters yet." in text_of(nothing)

    # An unknown topic is not an error page: the form ignores it and lists everything.
    unknown = client.get(story_index.url + "?topic=<script>")
    assert unknown.status_code == 200
    assert "<script>" not in unknown.content.decode().split("<main", 1)[1]


def test_draft_stories_are_not_listed(story_index, client):
    draft = factories.StoryPageFactory(parent=story_index, title="Not yet", live=False)
    response = client.get(story_index.url)
    assert draft.pk not in [item.page.pk for item in response.context["stories"]]
    assert client.get(draft.url or "/en/stories/" + draft.slug + "/").status_code == 404


def test_rss_and_atom_feeds_list_the_newest_stories(make_story, story_index, client):
    make_story(title="Older story", tags=["grief"])
    make_story(title="Newer story", content_note="Mentions a sudden death.")
    rss = client.get(story_index.url + "feed/")
    assert rss.status_code == 200
    assert rss["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(rss.content).find("channel")  # noqa: S314 - our own feed
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles == ["Newer story", "Older story"]
    assert channel.findtext("language") == "en"
    assert "Mentions a sudden death." in channel.findall("item")[0].findtext("description")

    atom = client.get(story_index.url + "feed/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    entries = ET.fromstring(atom.content).findall(ATOM_ENTRY)  # noqa: S314
    assert len(entries) == 2
    # The index page advertises both feeds.
    html = client.get(story_index.url).content.decode()
    assert 'type="application/rss+xml"' in html and 'type="application/atom+xml"' in html


def test_story_body_renders_quotes_and_images_with_alt_text(story_index, client):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="Hands", file=get_test_image_file())
    story = factories.StoryPageFactory(
        parent=story_index,
        body=[
            ("paragraph", "<p>We held her hand.</p>"),
            ("quote", {"quote": "You are not alone.", "attribution": "A nurse"}),
            (
                "figure",
                {
                    "image": {
                        "image": image,
                        "alt_text": "Two hands held together",
                        "decorative": False,
                    },
                    "caption": "Her hand in mine",
                },
            ),
        ],
    )
    publish(story)
    html = client.get(story.url).content.decode()
    assert "<blockquote><p>You are not alone.</p></blockquote>" in html
    assert 'alt="Two hands held together"' in html
    assert "<figcaption>Her hand in mine</figcaption>" in html
