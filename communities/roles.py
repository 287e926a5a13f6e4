"""The community roles, made after every `migrate`: "Community moderators", and each group
page's "<group> editors" (`communities.permissions`).

Giving someone a role is ticking the group on their account (or `permissions.add_editor`).
"""

from django.contrib.auth.models import Group, Permission

from .models import CommunityGroupPage, GroupIndexPage
from .permissions import MODERATORS_GROUP, ensure_group_editors, ensure_moderation


def ensure_groups(plan=None, **kwargs):
    """post_migrate: the moderators' group and workflow, and every group page's editors."""
    if kwargs.get("signal") is not None and plan is None:
        return  # a test's `flush`, not a site

    group, _created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="communities", codename="trust_community_group"
        ),
    )
    for index in GroupIndexPage.objects.all():
        ensure_moderation(index)
    for page in CommunityGroupPage.objects.filter(editors_group__isnull=True):
        ensure_group_editors(page)
