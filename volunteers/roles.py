"""The volunteering roles, each a group with exactly the permissions its job needs.

`ensure_groups` runs after every `migrate` (post_migrate, connected in apps.py), so the groups
exist on every site from its first migration on; `load_demo` calls it too. Giving someone a
role is one step: tick the group on their account (Settings → Users). Permissions a group
should not hold are taken away.

- Volunteer coordinators approve volunteers, keep their training and checks, take requests
  by phone, match, open a person's contact details (logged) and handle safeguarding concerns.
- Safeguarding leads read and handle every concern and export them with their history; they
  read volunteers' records and the contact access log but do not arrange help.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

COORDINATORS = "Volunteer coordinators"
SAFEGUARDING_LEADS = "Safeguarding leads"

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
SAFEGUARDING_LEAD_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("volunteers", "view_safeguardingconcern"),
    ("volunteers", "handle_safeguardingconcern"),
    ("volunteers", "export_safeguardingconcern"),
    ("volunteers", "view_volunteer"),
    ("volunteers", "view_trainingrecord"),
    ("volunteers", "view_dbscheck"),
    ("volunteers", "view_helprequest"),
    ("volunteers", "view_accesslog"),
]
ROLES = {
    COORDINATORS: COORDINATOR_PERMISSIONS,
    SAFEGUARDING_LEADS: SAFEGUARDING_LEAD_PERMISSIONS,
}


def ensure_group(name, permissions):
    """The group called `name`, holding exactly `permissions` (those that exist)."""
    wanted = Q(pk__in=[])
    for app_label, codename in permissions:
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.set(Permission.objects.filter(wanted))
    return group


def ensure_groups(plan=None, **kwargs):
    """Create the volunteering groups if missing and set their permissions."""
    if kwargs.get("signal") is not None and plan is None:
        # post_migrate sent by `flush` (tests empty the database this way): a database
        # emptied is not a site, and a test that restores a saved copy brings the group back.
        return
    for name, permissions in ROLES.items():
        ensure_group(name, permissions)
