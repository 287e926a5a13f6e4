"""Factories for stories and the resource library."""

import factory
import wagtail_factories
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.rich_text import RichText

from stories.models import (
    Audience,
    ResourceFormatLink,
    ResourceLibraryPage,
    ResourcePage,
    StoryIndexPage,
    StoryPage,
    StorytellerRole,
)


class StoryIndexPageFactory(wagtail_factories.PageFactory):
    title = "Stories"
    slug = "stories"
    introduction = "Stories of caring, dying and grief, told by the people who lived them."
    show_in_menus = True

    class Meta:
        model = StoryIndexPage


def story_body(text="We sat with her through the night, and the nurse made us tea."):
    return [("paragraph", RichText(f"<p>{text}</p>"))]


class StoryPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Story {n}")
    slug = factory.Sequence(lambda n: f"story-{n}")
    summary = "How a neighbour helped when my mother was dying."
    role = StorytellerRole.CARER
    body = factory.LazyFunction(story_body)
    consent_to_publish = True
    consent_how = "signed form"

    class Meta:
        model = StoryPage


class ResourceLibraryPageFactory(wagtail_factories.PageFactory):
    title = "Guides and resources"
    slug = "resources"
    introduction = "Plain guides to read, print or listen to."
    show_in_menus = True

    class Meta:
        model = ResourceLibraryPage


class ResourcePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Guide {n}")
    slug = factory.Sequence(lambda n: f"guide-{n}")
    summary = "What to do in the first days after someone dies."
    audience = Audience.ANYONE

    class Meta:
        model = ResourcePage


class DocumentFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Leaflet {n}")
    file = factory.LazyFunction(
        lambda: ContentFile(b"%PDF-1.4\n" + b"x" * 2048, name="leaflet.pdf")
    )

    class Meta:
        model = Document


class ResourceFormatLinkFactory(factory.django.DjangoModelFactory):
    format = "pdf"
    language = "en"
    document = factory.SubFactory(DocumentFactory)
    url = ""

    class Meta:
        model = ResourceFormatLink
