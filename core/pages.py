"""One way for every page type to hand its requests to its app's views.

A page that shows only its own fields and the pages around it renders through Wagtail's
``Page.serve`` and ``get_context``. A page that reads the request (a query string, a form, a
post) is a ``RoutedPageMixin`` page: its ``routes`` name a list of URL patterns in its app's
``views.py``, as Django's ``ROOT_URLCONF`` names a URLconf, and each view is called as
``view(request, page, **kwargs)``. Naming the list instead of importing it keeps the import
arrows one way: views import the models that define their pages, never the reverse.
"""

from functools import wraps

from django.utils.module_loading import import_string
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import PageViewRestriction

from core import page_cache


def any_private_pages():
    """Whether any page of the site is private (has a view restriction): kept by the process
    until a restriction is added, changed or removed (`core.page_cache.memo`)."""
    return page_cache.memo("private-pages", PageViewRestriction.objects.exists)


def public(pages):
    """`pages.public()`: the pages outside private sections, without asking the database
    which sections are private when none is."""
    return pages.public() if any_private_pages() else pages


class PrivacyCheckedPageMixin:
    """Wagtail checks a page's view restrictions (and its ancestors') before serving it, in
    two queries; when no page of the site is private there is nothing to find."""

    def get_view_restrictions(self):
        if not any_private_pages():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class RoutedPageMixin(RoutablePageMixin):
    """Wagtail's routable page, with its routes read from ``routes``, a dotted path to a
    list of ``django.urls.path`` patterns (imported when the page is first routed).

    ``page.reverse_subpage(name)`` names a route as before; the route at ``""`` serves the
    page itself, and Wagtail's previews.
    """

    routes = ""

    @classmethod
    def get_subpage_urls(cls):
        return tuple(import_string(cls.routes))

    def resolve_subpage(self, path):
        match = self.get_resolver().resolve(path)
        view = match.func

        @wraps(view)
        def page_view(request, *args, **kwargs):
            return view(request, self, *args, **kwargs)

        match.func = page_view
        return match
