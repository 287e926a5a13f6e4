"""Who may edit a community group's pages, and whose events need a moderator's approval.

Each group page gets its own Wagtail group, "<group> editors", with add and change permission
on that page (so on its events too, which are its children) and nothing else. Events are
moderated by the "Community events moderation" workflow, assigned to the groups index and so
inherited by every group and event below it. A trusted group's editors also get publish
permission: Wagtail keeps the "Publish" action for people who hold it even while a workflow
applies (publishing cancels any workflow in progress, WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH), so
they publish directly while everyone else must submit for moderation.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

MODERATORS_GROUP = "Community moderators"
WORKFLOW_NAME = "Community events moderation"
EDITOR_PERMISSIONS = ("add_page", "change_page")
TRUSTED_PERMISSIONS = ("publish_page",)


def _page_permission(codename):
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


def _admin_access():
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def _editors_group_name(page):
    name = f"{page.title} editors"[:150]
    clash = Group.objects.filter(name=name).exclude(community_group_page=page).exists()
    return f"{page.title[:130]} editors ({page.pk})" if clash else name


@transaction.atomic
def ensure_group_editors(page):
    """Create or update the page's "<group> editors" group and its page permissions."""
    group = page.editors_group
    if group is None:
        group = Group.objects.create(name=_editors_group_name(page))
        type(page).objects.filter(pk=page.pk).update(editors_group=group)
        page.editors_group = group
    group.permissions.add(_admin_access())
    wanted = EDITOR_PERMISSIONS + (TRUSTED_PERMISSIONS if page.trusted else ())
    for codename in EDITOR_PERMISSIONS + TRUSTED_PERMISSIONS:
        permission = _page_permission(codename)
        if codename in wanted:
            GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
        else:
            GroupPagePermission.objects.filter(
                group=group, page=page, permission=permission
            ).delete()
    return group


@transaction.atomic
def ensure_moderation(index_page):
    """The moderators group and the workflow every group's pages go through."""
    moderators, _created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    moderators.permissions.add(_admin_access())
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.get_or_create(
            group=moderators, page=index_page, permission=_page_permission(codename)
        )
    moderators.permissions.add(
        Permission.objects.get(
            content_type__app_label="communities", codename="trust_community_group"
        )
    )
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if not WorkflowTask.objects.filter(workflow=workflow).exists():
        task = GroupApprovalTask.objects.create(name="Approval by a community moderator")
        task.groups.set([moderators])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=index_page, defaults={"workflow": workflow})
    return workflow


def add_editor(page, user):
    """Make `user` one of the group's editors."""
    user.groups.add(ensure_group_editors(page))
