"""The commissioners' role, made after every `migrate`.

"Commissioners" may open the admin and see the insight dashboard (`insight.permissions`), and
nothing else; giving someone the role is ticking the group on their account.
"""

from django.contrib.auth.models import Group, Permission

COMMISSIONERS = "Commissioners"


def ensure_groups(plan=None, **kwargs):
    """post_migrate: the commissioners' group, with the admin and the dashboard only."""
    if kwargs.get("signal") is not None and plan is None:
        return  # a test's `flush`, not a site

    group, _created = Group.objects.get_or_create(name=COMMISSIONERS)
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["wagtailadmin", "insight"],
            codename__in=["access_admin", "view_insight"],
        )
    )
