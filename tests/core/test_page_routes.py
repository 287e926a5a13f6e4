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
