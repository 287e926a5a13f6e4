"""The directory's public pages: search with list and map, and one page per service."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from core.page_search import FoldedSearchMixin
from core.pages import PrivacyCheckedPageMixin, RoutedPageMixin


class DirectoryPage(FoldedSearchMixin, PrivacyCheckedPageMixin, RoutedPageMixin, Page):
    """'Find help near you': the search page, and the parent of every service's page."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["core.HomePage"]
    subpage_types = []
    max_count_per_parent = 1
    routes = "directory.views.DIRECTORY_PAGE_ROUTES"

    class Meta:
        verbose_name = _("directory page")
        verbose_name_plural = _("directory pages")

    def service_url(self, service, request=None):
        return self.get_url(request) + self.reverse_subpage("service", args=[service.pk])


def directory_page_for(request=None):
    """The directory page in the visitor's language (or the original, if not translated)."""
    page = DirectoryPage.objects.live().filter(locale__language_code=get_language()).first()
    return page or DirectoryPage.objects.live().first()
