"""The admin's list of sign-ins paused by django-axes, where a pause can be lifted."""

from axes.models import AccessAttempt
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy


class AccessAttemptPermissionPolicy(ModelPermissionPolicy):
    """django-axes writes these records; people may only look at them and delete them."""

    def user_has_permission(self, user, action):
        if action in {"add", "change"}:
            return False
        return super().user_has_permission(user, action)


register_permission_policy(AccessAttempt, AccessAttemptPermissionPolicy(AccessAttempt))


class FailedSignInViewSet(ModelViewSet):
    """Failed sign-ins by username and address; deleting one lifts its pause at once."""

    model = AccessAttempt
    icon = "lock"
    menu_label = _("Paused sign-ins")
    add_to_settings_menu = True
    copy_view_enabled = False
    list_display = ["username", "ip_address", "failures_since_start", "attempt_time"]
    form_fields = []


@hooks.register("register_admin_viewset")
def register_failed_sign_ins():
    return FailedSignInViewSet("paused_sign_ins")


@hooks.register("insert_global_admin_js")
def name_admin_dialogs():
    return format_html('<script src="{}" defer></script>', static("js/admin-dialogs.js"))
