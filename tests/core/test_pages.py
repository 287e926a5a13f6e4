"""The page tree's rules and the rendering of each page type, with Wagtail's test helpers."""

import pytest
from django.apps import apps
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from core.models import HomePage, StandardPage
from tests.core import factories


class PageTreeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.root = Page.get_first_root_node()
        cls.home = factories.HomePageFactory(parent=cls.root)
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": cls.home},
        )
        cls.standard = factories.StandardPageFactory(parent=cls.home)

    def setUp(self):
        # Signed in directly: django-axes checks every password sign-in against its request.
        self.client.force_login(self.create_superuser("admin"))

    def test_home_page_sits_at_the_root_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertCanNotCreateAt(StandardPage, HomePage)
        self.assertCanNotCreateAt(HomePage, HomePage)

    def test_standard_pages_nest_under_home_and_each_other(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanCreateAt(StandardPage, StandardPage)

    def test_pages_are_routable_and_render(self):
        for page in (self.home, self.standard):
            # Wagtail's assertPageIsRoutable does not know the /en/ prefix, so route through
            # the whole URL stack instead.
            response = self.client.get(page.url)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.context["page"], page)
            self.assertPageIsRenderable(page)
            self.assertPageIsPreviewable(
                page,
                post_data=nested_form_data(
                    {
                        "title": page.title,
                        "slug": page.slug,
                        "introduction": "Previewed introduction",
                        "actions": streamfield([]),
                        "features": streamfield([]),
                        "body": streamfield([]),
                    }
                ),
            )

    def test_an_editor_can_create_a_standard_page_with_a_body(self):
        self.assertCanCreate(
            self.home,
            StandardPage,
            nested_form_data(
                {
                    "title": "Planning ahead",
                    "slug": "planning-ahead",
                    "introduction": "Thinking about the care you want.",
                    "body": streamfield(
                        [
                            ("heading", {"text": "Where to start", "level": "h2"}),
                            ("paragraph", rich_text("<p>Talk to the people close to you.</p>")),
                            ("quote", {"quote": "It was a relief to talk.", "attribution": ""}),
                        ]
                    ),
                }
            ),
        )


def test_every_page_model_has_a_factory():
    page_models = {
        model
        for model in apps.get_models()
        if issubclass(model, Page) and model is not Page and model._meta.app_label == "core"
    }
    with_factory = {
        getattr(factories, name)._meta.model
        for name in dir(factories)
        if name.endswith("PageFactory")
    }
    assert page_models <= with_factory, page_models - with_factory


@pytest.mark.django_db
def test_standard_page_renders_every_body_block(home, client):
    page = factories.StandardPageFactory(
        parent=home,
        title="What to do when someone dies",
        body=[
            ("heading", {"text": "The first few days", "level": "h2"}),
            ("heading", {"text": "Registering the death", "level": "h3"}),
            ("paragraph", "<p>You need to register a death within <b>5 days</b>.</p>"),
            ("quote", {"quote": "Nobody tells you.", "attribution": "A daughter"}),
            (
                "call_to_action",
                {
                    "title": "Talk to someone",
                    "text": "Our volunteers can help.",
                    "page": home,
                    "url": "",
                    "link_text": "Ask for help",
                },
            ),
        ],
    )
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "<h2>The first few days</h2>" in html
    assert "<h3>Registering the death</h3>" in html
    assert "<b>5 days</b>" in html
    assert "<blockquote><p>Nobody tells you.</p></blockquote>" in html
    assert f'href="{home.url}">Ask for help</a>' in html
    # Breadcrumbs lead back to the home page and mark where the reader is.
    assert 'aria-label="Breadcrumb"' in html
    assert '<span aria-current="page">What to do when someone dies</span>' in html
