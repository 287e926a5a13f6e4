"""The coordinators' group, with exactly the permissions their job needs.

`ensure_groups` runs after every `migrate` (post_migrate, connected in apps.py), so the group
exists on every site from its first migration on; `load_demo` calls it too. Giving someone
the role is adding them to the group. Permissions the group should not hold are taken away.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

COORDINATORS = "Volunteer coordinators"
# (app label, codename) pairs; what is not here the group does not have.
COORDINATOR_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("volunteers", "coordinate"),
    ("volunteers", "view_helprequest"),
    ("volunteers", "view_offer"),
    ("volunteers", "view_accesslog"),
    *(
        ("volunteers", f"{action}_{model}")
        for model in (
            "volunteer",
            "trainingrecord",
            "dbscheck",
            "tasktype",
            "trainingmodule",
            "termsversion",
        )
        for action in ("add", "change", "view")
    ),
    ("volunteers", "view_safeguardingconcern"),
    ("volunteers", "handle_safeguardingconcern"),
    # Lifting a sign-in pause (django-axes).
    ("axes", "view_accessattempt"),
    ("axes", "delete_accessattempt"),
]


def ensure_groups(plan=None, **kwargs):
    """Create the coordinators' group if missing and set its permissions (those that exist)."""
    if kwargs.get("signal") is not None and plan is None:
        # post_migrate sent by `flush` (tests empty the database this way): a database
        # emptied is not a site, and a test that restores a saved copy brings the group back.
        return
    wanted = Q(pk__in=[])
    for app_label, codename in COORDINATOR_PERMISSIONS:
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    group, _created = Group.objects.get_or_create(name=COORDINATORS)
    group.permissions.set(Permission.objects.filter(wanted))
