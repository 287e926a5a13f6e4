"""The story moderators' role, made after every `migrate`.

"Story moderators" may open the admin and approve or change stories under each story index
(`stories.moderation`); giving someone the role is ticking the group on their account.
"""

from django.contrib.auth.models import Group, Permission

from .models import StoryIndexPage
from .moderation import MODERATORS_GROUP, ensure_moderation


def ensure_groups(plan=None, **kwargs):
    """post_migrate: the group, and moderation on every story index there is."""
    if kwargs.get("signal") is not None and plan is None:
        return  # a test's `flush`, not a site

    group, _created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for index in StoryIndexPage.objects.all():
        ensure_moderation(index)
