"""Every admin view of every snippet and page model opens for the people who edit them.

A superuser and a non-superuser editor (the model permissions of every snippet, page
permissions over the whole tree, and editor of every organisation in the directory) open the
index, add, edit, delete, history, usage, copy and inspect views of one record of every
snippet model in the demo content, and the add, edit, history, usage and preview views of one
page of every page model. None may answer with a server error.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import NoReverseMatch, reverse
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.models import GroupPagePermission, Page, get_page_models
from wagtail.snippets.models import get_snippet_models

from directory.models import Organization

pytestmark = pytest.mark.django_db

SNIPPET_OBJECT_VIEWS = ["edit", "delete", "history", "usage", "copy", "inspect"]
PAGE_VIEWS = ["edit", "history", "usage", "view_draft", "preview_on_edit", "delete"]


@pytest.fixture
def superuser(django_user_model, demo):
    return django_user_model.objects.create_superuser("root", "root@example.org", "pw")


@pytest.fixture
def editor(django_user_model, demo):
    """Not a superuser: every permission the snippet and page admin ask for."""
    user = django_user_model.objects.create_user("editor", "editor@example.org", "pw")
    group = Group.objects.create(name="Everything editors")
    snippet_types = ContentType.objects.get_for_models(*get_snippet_models()).values()
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(content_type__in=snippet_types),
    )
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore",
        codename__in=["add_page", "change_page", "publish_page", "bulk_delete_page"],
    ):
        GroupPagePermission.objects.create(
            group=group, page=Page.get_first_root_node(), permission=permission
        )
    user.groups.add(group)
    for organization in Organization.objects.all():
        organization.editors.add(user)
    return user


def _snippet_urls():
    urls = []
    for model in get_snippet_models():
        viewset = model.snippet_viewset
        urls += [reverse(viewset.get_url_name("list")), reverse(viewset.get_url_name("add"))]
        instance = model._default_manager.first()
        if instance is None:  # the demo has none of some records (access logs, DBS checks)
            continue
        for view in SNIPPET_OBJECT_VIEWS:
            try:
                urls.append(reverse(viewset.get_url_name(view), args=[instance.pk]))
            except NoReverseMatch:  # the view is not enabled for this model
                continue
    return urls


def _page_urls():
    urls = []
    for model in get_page_models():
        if model is Page:
            continue
        page = model.objects.first()
        assert page is not None, f"the demo has no {model.__name__}"
        for view in PAGE_VIEWS:
            urls.append(reverse(f"wagtailadmin_pages:{view}", args=[page.pk]))
        parent_types = model.allowed_parent_page_models()
        parent = Page.objects.type(*parent_types).first() if parent_types else None
        if parent is not None:
            urls.append(
                reverse(
                    "wagtailadmin_pages:add",
                    args=[model._meta.app_label, model._meta.model_name, parent.pk],
                )
            )
    return urls


@pytest.mark.parametrize("who", ["superuser", "editor"])
def test_every_snippet_and_page_admin_view_opens(demo, who, request):
    # `demo` is named here, not only through the user fixtures: fetched during the test, it
    # would be loaded inside (and rolled back with) the first test's own transaction.
    user = request.getfixturevalue(who)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    urls = _snippet_urls() + _page_urls() + [reverse("wagtailadmin_home")]
    failures = []
    for url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {url}")
    assert failures == []
    # The views were really opened, not refused: the editor may edit a record of each kind.
    finder = AdminURLFinder(user)
    for model in get_snippet_models():
        instance = model._default_manager.first()
        if instance is not None and finder.get_edit_url(instance):
            assert client.get(finder.get_edit_url(instance)).status_code == 200
