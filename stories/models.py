"""Stories that the community tells, and the library of guides people can read and download."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from core.page_search import FoldedSearchMixin
from core.pages import ChildRouteMixin, PrivacyCheckedPageMixin, RoutedPageMixin

from .blocks import ResourceBodyBlock, StoryBodyBlock

STORIES_PER_PAGE = 10


class StorytellerRole(models.TextChoices):
    CARER = "carer", _("Carer")
    BEREAVED = "bereaved", _("Bereaved")
    LIVING_WITH_ILLNESS = "living_with_illness", _("Living with illness")
    VOLUNTEER = "volunteer", _("Volunteer")
    PROFESSIONAL = "professional", _("Professional")


class Audience(models.TextChoices):
    ANYONE = "anyone", _("Anyone")
    CARERS = "carers", _("Carers")
    CHILDREN = "children", _("Children and young people")
    PROFESSIONALS = "professionals", _("Professionals")


class ResourceFormat(models.TextChoices):
    WEB = "web", _("Web page")
    PDF = "pdf", _("PDF")
    EASY_READ = "easy_read", _("Easy read")
    LARGE_PRINT = "large_print", _("Large print")
    AUDIO = "audio", _("Audio")
    BSL = "bsl", _("British Sign Language video")


class StoryIndexPage(
    FoldedSearchMixin, PrivacyCheckedPageMixin, RoutedPageMixin, ChildRouteMixin, Page
):
    """The stories: a filtered list, the feed, and the form for sharing a story."""

    introduction = models.TextField(_("introduction"), blank=True)
    share_introduction = models.TextField(
        _("introduction to sharing a story"),
        blank=True,
        help_text=_("Shown above the form where people share their own story."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("share_introduction"),
    ]
    search_fields = Page.search_fields + [index.SearchField("introduction")]

    parent_page_types = ["core.HomePage"]
    subpage_types = ["stories.StoryPage"]
    max_count_per_parent = 1
    routes = "stories.views.STORY_INDEX_ROUTES"

    class Meta:
        verbose_name = _("story index page")
        verbose_name_plural = _("story index pages")

    def share_url(self, request=None):
        return self.get_url(request) + self.reverse_subpage("share")


class StoryPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "stories.StoryPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class StoryPage(FoldedSearchMixin, PrivacyCheckedPageMixin, RoutedPageMixin, Page):
    """One person's story, with a content note where it needs one."""

    summary = models.TextField(
        _("summary"), max_length=300, help_text=_("One or two sentences shown in lists.")
    )
    storyteller_name = models.CharField(
        _("storyteller's name"),
        max_length=80,
        blank=True,
        help_text=_("As the storyteller wants it shown. Leave empty to publish anonymously."),
    )
    role = models.CharField(_("storyteller's role"), max_length=24, choices=StorytellerRole.choices)
    content_note = models.CharField(
        _("content note"),
        max_length=200,
        blank=True,
        help_text=_(
            "Shown before the story, for example: this story mentions suicide. "
            "Leave empty if none is needed."
        ),
    )
    body = StreamField(StoryBodyBlock(), verbose_name=_("story"))
    tags = ClusterTaggableManager(
        through=StoryPageTag, blank=True, verbose_name=_("topics"), help_text=None
    )
    featured = models.BooleanField(
        _("featured"), default=False, help_text=_("Featured stories are listed first.")
    )

    # Recorded by the editor (or by the sharing form); never shown to the public.
    consent_to_publish = models.BooleanField(
        _("the storyteller consented to publication"), default=False
    )
    consent_recorded_at = models.DateTimeField(_("consent recorded at"), null=True, blank=True)
    consent_how = models.CharField(
        _("how consent was given"),
        max_length=200,
        blank=True,
        help_text=_("For example: the sharing form on the website, a signed form, by phone."),
    )
    anonymised = models.BooleanField(
        _("anonymised"),
        default=False,
        help_text=_("Names and places that could identify someone have been removed."),
    )
    submitted_through_website = models.BooleanField(
        _("shared through the website"), default=False, editable=False
    )
    editorial_notes = models.TextField(_("notes for editors"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("content_note"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("storyteller_name"), FieldPanel("role")], heading=_("Storyteller")
        ),
        FieldPanel("tags"),
        FieldPanel("featured"),
        MultiFieldPanel(
            [
                FieldPanel("consent_to_publish"),
                FieldPanel("consent_recorded_at"),
                FieldPanel("consent_how"),
                FieldPanel("anonymised"),
                FieldPanel("editorial_notes"),
            ],
            heading=_("Consent and anonymisation (not shown to the public)"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("content_note"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("role"),
        index.FilterField("featured"),
    ]
    # What the storyteller consented to and what editors noted stays the same in every
    # language and is never sent for translation.
    override_translatable_fields = [
        SynchronizedField("storyteller_name"),
        SynchronizedField("consent_how"),
        SynchronizedField("editorial_notes"),
    ]

    parent_page_types = ["stories.StoryIndexPage"]
    subpage_types = []
    routes = "stories.views.STORY_ROUTES"

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")

    def clean(self):
        super().clean()
        if not self.consent_to_publish:
            raise ValidationError(
                {
                    "consent_to_publish": _(
                        "A story can only be kept with the storyteller's consent to publish it."
                    )
                }
            )


class ResourceLibraryPage(
    FoldedSearchMixin, PrivacyCheckedPageMixin, RoutedPageMixin, ChildRouteMixin, Page
):
    """The library of guides, filtered by topic, audience, format and language."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]

    parent_page_types = ["core.HomePage"]
    subpage_types = ["stories.ResourcePage"]
    max_count_per_parent = 1
    routes = "stories.views.LIBRARY_ROUTES"

    class Meta:
        verbose_name = _("resource library")
        verbose_name_plural = _("resource libraries")


class ResourcePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "stories.ResourcePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ResourcePage(FoldedSearchMixin, PrivacyCheckedPageMixin, Page):
    """A guide: what to do when someone dies, talking to children about death, and so on."""

    summary = models.TextField(
        _("summary"), max_length=300, help_text=_("One or two sentences shown in the library.")
    )
    audience = models.CharField(
        _("audience"), max_length=16, choices=Audience.choices, default=Audience.ANYONE
    )
    body = StreamField(ResourceBodyBlock(), blank=True, verbose_name=_("body"))
    tags = ClusterTaggableManager(
        through=ResourcePageTag, blank=True, verbose_name=_("topics"), help_text=None
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("audience"),
        FieldPanel("tags"),
        FieldPanel("body"),
        InlinePanel("formats", heading=_("Other formats and languages"), label=_("format")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("audience"),
    ]

    parent_page_types = ["stories.ResourceLibraryPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")


class ResourceFormatLink(Orderable):
    """The resource in another format or language: a document to download, or a link."""

    page = ParentalKey(ResourcePage, related_name="formats", on_delete=models.CASCADE)
    format = models.CharField(
        _("format"),
        max_length=16,
        choices=[c for c in ResourceFormat.choices if c[0] != ResourceFormat.WEB],
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    url = models.URLField(
        _("web address"),
        blank=True,
        help_text=_("For a video or recording kept elsewhere, such as a BSL video."),
    )

    panels = [
        FieldPanel("format"),
        FieldPanel("language"),
        FieldPanel("document"),
        FieldPanel("url"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("format")
        verbose_name_plural = _("formats")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(document__isnull=False, url="")
                    | models.Q(document__isnull=True) & ~models.Q(url="")
                ),
                name="stories_resourceformatlink_document_or_url",
            )
        ]

    def clean(self):
        super().clean()
        if bool(self.document_id) == bool(self.url):
            raise ValidationError({"url": _("Choose a document or enter a web address, not both.")})

    def __str__(self):
        return f"{self.get_format_display()} ({self.language})"
