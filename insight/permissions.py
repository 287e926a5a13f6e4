"""Who may see the insight dashboard: coordinators and commissioners."""

from django.contrib.auth.models import Group, Permission

from volunteers.permissions import is_coordinator

VIEW_INSIGHT = "insight.view_insight"
COMMISSIONERS = "Commissioners"


def can_view_dashboard(user):
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.has_perm(VIEW_INSIGHT) or is_coordinator(user)


def ensure_groups(plan=None, **kwargs):
    """The commissioners' group: the admin and the dashboard, nothing else."""
    if kwargs.get("signal") is not None and plan is None:
        return  # a test flush, not a site (as volunteers.roles)
    group, _created = Group.objects.get_or_create(name=COMMISSIONERS)
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["wagtailadmin", "insight"],
            codename__in=["access_admin", "view_insight"],
        )
    )
