"""Records the admin may read but never write.

The contact access log is append-only, and offers and help requests change only through
the project's own functions (`offers`, `signup.create_help_request` for phone intake,
`contact.withdraw_consent`), which apply every matching and consent rule. The generic
add, edit, copy and delete views would step around those rules (an "accepted" offer typed
in for a volunteer with no DBS check is a contact-details reveal), so for these models the
admin grants nobody, superusers included, anything but viewing.
"""

from wagtail.permission_policies.base import ModelPermissionPolicy

COORDINATE = "volunteers.coordinate"


def is_coordinator(user):
    """Coordinators arrange help: phone intake, matching, consent, contact details."""
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(COORDINATE))


class ReadOnlyPolicy(ModelPermissionPolicy):
    """ModelPermissionPolicy that allows viewing only."""

    ACTIONS = frozenset({"view"})

    def user_has_permission(self, user, action):
        return action in self.ACTIONS and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        allowed = [action for action in actions if action in self.ACTIONS]
        if not allowed:
            return super().users_with_any_permission([]).none()
        return super().users_with_any_permission(allowed)
