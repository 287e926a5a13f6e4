"""The site shell: the home page, plain content pages and site-wide settings."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BodyBlock, CrisisLineBlock


class HomePage(Page):
    """The root of each language's page tree."""

    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("One or two sentences under the main heading."),
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["core.StandardPage"]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_children().live().public().in_menu().specific()
        return context


class StandardPage(Page):
    """A plain content page: about us, accessibility statement, privacy notice."""

    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["core.HomePage", "core.StandardPage"]
    subpage_types = ["core.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


def default_crisis_lines():
    return [
        {
            "type": "helpline",
            "value": {
                "name": "Samaritans",
                "number": "116 123",
                "free": True,
                "open_24_hours": True,
                "hours": "",
            },
        }
    ]


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    """Who runs the site and the crisis lines shown on every page."""

    organisation_name = models.CharField(
        _("organisation name"), max_length=120, default="Compassionate Communities"
    )
    organisation_url = models.URLField(_("organisation website"), blank=True)
    charity_number = models.CharField(_("registered charity number"), max_length=20, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    emergency_number = models.CharField(
        _("emergency number"),
        max_length=10,
        default="999",
        help_text=_("The number to call when someone is in danger."),
    )
    crisis_lines = StreamField(
        [("helpline", CrisisLineBlock())],
        blank=True,
        default=default_crisis_lines,
        verbose_name=_("crisis lines"),
        help_text=_("Shown after the emergency number in the help bar at the top of every page."),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("organisation_name"),
                FieldPanel("organisation_url"),
                FieldPanel("charity_number"),
                FieldPanel("contact_email"),
            ],
            heading=_("Organisation"),
        ),
        MultiFieldPanel(
            [FieldPanel("emergency_number"), FieldPanel("crisis_lines")],
            heading=_("Help now"),
        ),
    ]

    class Meta:
        verbose_name = _("site settings")
