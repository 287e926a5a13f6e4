"""One convention for pages and views (ARCHITECTURE.md, "Pages and views")."""

import ast
import inspect
from pathlib import Path

from django.apps import apps
from django.test import RequestFactory
from wagtail.models import Page

from core.pages import RoutedPageMixin

ROOT = Path(__file__).resolve().parents[2]


def _routed_page_types():
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Page) and issubclass(model, RoutedPageMixin)
    ]


def test_every_routed_page_names_routes_in_its_own_apps_views():
    routed = _routed_page_types()
    assert len(routed) >= 7
    for model in routed:
        module, _, name = model.routes.rpartition(".")
        assert module == f"{model._meta.app_label}.views", model
        paths = [str(pattern.pattern) for pattern in model.get_subpage_urls()]
        # The route at "" serves the page itself and Wagtail's preview of it.
        assert "" in paths, model


def test_a_route_calls_its_view_with_the_request_and_the_page():
    seen = []

    def view(request, page, **kwargs):
        seen.append((request, page, kwargs))
        return "response"

    from django.urls import path

    class Routed(RoutedPageMixin):
        @classmethod
        def get_subpage_urls(cls):
            return (path("", view), path("<int:number>/", view, name="numbered"))

    page = Routed()
    request = RequestFactory().get("/")
    match = page.resolve_subpage("/7/")
    assert match.func(request, *match.args, **match.kwargs) == "response"
    assert seen == [(request, page, {"number": 7})]
    assert page.reverse_subpage("numbered", kwargs={"number": 7}) == "7/"


def _imports(source):
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module, [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []


def test_no_page_model_imports_views():
    """Models name their routes and never import a views module, at the top or in a method."""
    offenders = []
    for model in {m for m in apps.get_models() if issubclass(m, Page)}:
        path = Path(inspect.getsourcefile(model))
        if ROOT not in path.parents:
            continue  # Wagtail's own
        for module, names in _imports(path.read_text()):
            if module.endswith(".views") or module == "views" or "views" in names:
                offenders.append(f"{path.relative_to(ROOT)} imports {module} {names}")
    assert not offenders, offenders


# -- finding a child page by its kept page type (core.pages.ChildRouteMixin) ----------------


def _lookups(client, url, slug):
    """The response, and the queries that looked the page up by its slug."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, [q["sql"] for q in queries if f"\"slug\" = '{slug}'" in q["sql"]]


def test_every_page_type_that_takes_children_finds_them_by_their_kept_type():
    from core.pages import ChildRouteMixin

    for model in apps.get_models():
        if issubclass(model, Page) and model is not Page and model.allowed_subpage_models():
            assert issubclass(model, ChildRouteMixin), model
            # Routable pages try their own routes first, then their children.
            mro = model.__mro__
            if issubclass(model, RoutedPageMixin):
                assert mro.index(RoutedPageMixin) < mro.index(ChildRouteMixin), model


def test_a_child_page_is_found_in_one_query_once_its_type_is_kept(db, about, client, settings):
    settings.SITE_CACHE_SECONDS = 300
    first, sql_first = _lookups(client, about.url, about.slug)
    again, sql = _lookups(client, about.url, about.slug)
    assert first.status_code == again.status_code == 200
    assert again.context["page"] == about
    assert len(sql_first) == 2, sql_first  # the page row, then its type's (as Wagtail does)
    assert len(sql) == 1, sql  # the StandardPage row, joined to its page row


def test_a_kept_type_that_no_longer_holds_is_only_a_hint(db, home, about, client, settings):
    from django.contrib.contenttypes.models import ContentType

    from core import page_cache
    from core.models import HomePage

    settings.SITE_CACHE_SECONDS = 300
    assert client.get(about.url).status_code == 200
    # As if the page had been replaced by one of another type while the cache held on.
    key = page_cache.site_key("child-type", home.path, about.slug)
    page_cache.cache.set(key, ContentType.objects.get_for_model(HomePage).pk, 300)
    response = client.get(about.url)
    assert response.status_code == 200 and response.context["page"] == about


def test_a_child_missing_then_published_is_found(db, home, client, settings):
    from tests.core.factories import StandardPageFactory

    settings.SITE_CACHE_SECONDS = 300
    url = home.url + "contact/"
    assert client.get(url).status_code == 404
    page = StandardPageFactory(parent=home, title="Contact", slug="contact")
    page.save_revision().publish()
    assert client.get(url).status_code == 200
