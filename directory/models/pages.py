"""The directory's public pages: search with list and map, and one page per service."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page


class DirectoryPage(RoutablePageMixin, Page):
    """'Find help near you': the search page, and the parent of every service's page."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["core.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("directory page")
        verbose_name_plural = _("directory pages")

    @path("")
    def search(self, request):
        from directory.views import search_context

        context = self.get_context(request)
        context.update(search_context(request, self))
        return self.render(request, context_overrides=context)

    @path("<uuid:service_id>/")
    def service(self, request, service_id):
        from directory.views import service_context

        context = self.get_context(request)
        context.update(service_context(request, self, service_id))
        return self.render(
            request, context_overrides=context, template="directory/service_page.html"
        )

    @path("<uuid:service_id>/feedback/")
    def feedback(self, request, service_id):
        from directory.views import feedback_response

        return feedback_response(request, self, service_id)

    def service_url(self, service, request=None):
        return self.get_url(request) + self.reverse_subpage("service", args=[service.pk])


def directory_page_for(request=None):
    """The directory page in the visitor's language (or the original, if not translated)."""
    page = DirectoryPage.objects.live().filter(locale__language_code=_active()).first()
    return page or DirectoryPage.objects.live().first()


def _active():
    from django.utils.translation import get_language

    return get_language()
