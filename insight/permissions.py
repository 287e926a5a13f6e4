"""Who may see the insight dashboard: commissioners (`insight.roles`) and coordinators."""

from volunteers.permissions import is_coordinator

VIEW_INSIGHT = "insight.view_insight"


def can_view_dashboard(user):
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.has_perm(VIEW_INSIGHT) or is_coordinator(user)
