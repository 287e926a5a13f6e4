"""The moderation workflow that every story goes through before it is published."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

MODERATORS_GROUP = "Story moderators"
WORKFLOW_NAME = "Moderate stories"
TASK_NAME = "Approve story"


@transaction.atomic
def ensure_moderation(index):
    """The 'Story moderators' group, its approval task and, unless the index has one, the
    "Moderate stories" workflow on the story index.

    Idempotent: run by the demo loader and before each public submission, so the workflow
    exists on any site that has a story index.
    """
    group, _created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("change_page", "publish_page"):
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=index,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.add(group)
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    # A workflow an administrator has chosen for the index is left alone.
    WorkflowPage.objects.get_or_create(page=index, defaults={"workflow": workflow})
    return workflow


def workflow_for(index):
    """The workflow for stories shared on this index: one an administrator chose for the index,
    else "Moderate stories" (not Wagtail's default workflow, which the root page passes down).
    """
    chosen = (
        WorkflowPage.objects.filter(page=index, workflow__active=True)
        .select_related("workflow")
        .first()
    )
    return chosen.workflow if chosen else ensure_moderation(index)
