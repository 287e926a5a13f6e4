"""Organisation-scoped editing: an organisation's editors change only its own records.

Django's model permissions say what kind of record a person may edit (services, locations);
membership of Organization.editors says whose. Superusers and people with the
`directory.edit_any_organization` permission (directory managers) may edit everything.
"""

from wagtail.permission_policies.base import ModelPermissionPolicy

EDIT_ANY = "directory.edit_any_organization"


def can_edit_any(user):
    return user.is_active and (user.is_superuser or user.has_perm(EDIT_ANY))


def editable_organization_ids(user):
    if not user.is_authenticated:
        return set()
    return set(user.directory_organizations.values_list("pk", flat=True))


class OrganizationScopedPolicy(ModelPermissionPolicy):
    """ModelPermissionPolicy narrowed to the organisations a person edits.

    `organization_path` is the lookup from the model to its organisation ("organization" for
    services and locations, "service__organization" for feedback, "pk" for organisations).
    """

    def __init__(self, model, organization_path):
        super().__init__(model)
        self.organization_path = organization_path

    def _organization_id(self, instance):
        if self.organization_path == "pk":
            return instance.pk
        *hops, last = self.organization_path.split("__")
        for hop in hops:
            instance = getattr(instance, hop, None)
            if instance is None:
                return None
        return getattr(instance, f"{last}_id", None)

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if can_edit_any(user):
            return True
        return self._organization_id(instance) in editable_organization_ids(user)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        queryset = self.model._default_manager.all()
        if can_edit_any(user):
            return queryset
        lookup = "pk__in" if self.organization_path == "pk" else f"{self.organization_path}__in"
        return queryset.filter(**{lookup: editable_organization_ids(user)})
