"""The admin's list of sign-ins paused by django-axes, where a pause can be lifted; the
scripts that name the admin's unnamed dialogs and date pickers, and the one that keeps a
submit from racing Wagtail's autosave."""

import json

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


@hooks.register("insert_global_admin_js")
def name_tag_fields():
    """Wagtail's tag fields type into an input their label does not name; the script names it."""
    return format_html('<script src="{}" defer></script>', static("js/admin-tag-fields.js"))


@hooks.register("insert_global_admin_js")
def hold_submits_while_autosaving():
    """A page's form submitted while Wagtail's autosave is creating that page would create
    it twice; the script holds the submit until the autosave has answered."""
    return format_html('<script src="{}" defer></script>', static("js/admin-autosave-submit.js"))


@hooks.register("insert_global_admin_js")
def name_date_pickers():
    """Wagtail's date and time pickers (xdsoft) open with unnamed buttons outside any
    landmark; the script names them, in the reader's language, and makes each a region."""
    words = {
        "date": _("Choose a date"),
        "time": _("Choose a time"),
        "datetime": _("Choose a date and time"),
        "previousMonth": _("Previous month"),
        "nextMonth": _("Next month"),
        "today": _("Go to today"),
        "earlierTimes": _("Earlier times"),
        "laterTimes": _("Later times"),
    }
    return format_html(
        '<script src="{}" data-words="{}" defer></script>',
        static("js/admin-date-pickers.js"),
        json.dumps({key: str(value) for key, value in words.items()}, ensure_ascii=False),
    )
