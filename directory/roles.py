"""The directory editors' role: a group with exactly what an organisation's editor needs.

Being an organisation's editor (Organisation → editors) is the one step that gives the role:
adding someone to any organisation's editors puts them in the "Directory editors" group, which
opens the admin and lets them add, change and remove services and locations and change their
organisation; `directory.permissions` keeps them to their own organisations' records. Taken off
the last organisation they edit, they leave the group. The group is made after every `migrate`.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.db.models.signals import m2m_changed

from .models import Organization

DIRECTORY_EDITORS = "Directory editors"
DIRECTORY_EDITOR_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    *(
        ("directory", f"{action}_{model}")
        for model in ("service", "location")
        for action in ("add", "change", "delete", "view")
    ),
    ("directory", "change_organization"),
    ("directory", "view_organization"),
    ("directory", "change_servicefeedback"),
    ("directory", "view_servicefeedback"),
    # An organisation's logo.
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
]


def ensure_group():
    """The directory editors' group, holding exactly its permissions (those that exist)."""
    wanted = Q(pk__in=[])
    for app_label, codename in DIRECTORY_EDITOR_PERMISSIONS:
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    group, _created = Group.objects.get_or_create(name=DIRECTORY_EDITORS)
    group.permissions.set(Permission.objects.filter(wanted))
    return group


def ensure_groups(plan=None, **kwargs):
    """post_migrate: make the group (not after a test's `flush`, which sends no plan)."""
    if kwargs.get("signal") is not None and plan is None:
        return
    ensure_group()


def _follow_editors(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Keep the group's membership in step with Organization.editors, from either side."""
    from django.contrib.auth import get_user_model

    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:
        users = [instance]
    elif action == "post_clear":
        users = list(get_user_model().objects.filter(groups__name=DIRECTORY_EDITORS))
    else:
        users = list(get_user_model().objects.filter(pk__in=pk_set or ()))
    if not users:
        return
    group = ensure_group()
    for user in users:
        if Organization.objects.filter(editors=user).exists():
            user.groups.add(group)
        else:
            user.groups.remove(group)


def connect():
    m2m_changed.connect(
        _follow_editors, sender=Organization.editors.through, dispatch_uid="directory-editors"
    )
