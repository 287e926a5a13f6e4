"""One way for every page type to hand its requests to its app's views.

A page that shows only its own fields and the pages around it renders through Wagtail's
``Page.serve`` and ``get_context``. A page that reads the request (a query string, a form, a
post) is a ``RoutedPageMixin`` page: its ``routes`` name a list of URL patterns in its app's
``views.py``, as Django's ``ROOT_URLCONF`` names a URLconf, and each view is called as
``view(request, page, **kwargs)``. Naming the list instead of importing it keeps the import
arrows one way: views import the models that define their pages, never the reverse.
"""

from functools import wraps

from django.contrib.contenttypes.models import ContentType
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


class ChildRouteMixin:
    """For a page with children: Wagtail finds the child a URL names in two queries (the
    page, then its specific row). The child's page type is kept with the site's facts (a
    cache any publish, move or page change empties), so a known child takes one query: its
    specific row, looked up by the same parent and slug. The kept type is only a hint: a
    child not found by it is looked for as Wagtail does."""

    def route(self, request, path_components):
        if path_components:
            slug = path_components[0]
            child = self._child_by_kept_type(slug)
            if child is not None:
                child._cached_parent_obj = self  # as Wagtail's own route does
                return child.route(request, path_components[1:])
        return super().route(request, path_components)

    def _child_by_kept_type(self, slug):
        def child_type():
            found = self.get_children().filter(slug=slug).values_list("content_type_id")
            return next(iter(found.first() or ()), 0)  # 0: no such child (None is "not kept")

        kept = page_cache.site_cached("child-type", self.path, slug, compute=child_type)
        model = ContentType.objects.get_for_id(kept).model_class() if kept else None
        if model is None:  # no such child, or a page type since removed
            return None
        return model.objects.child_of(self).filter(slug=slug).first()


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
