from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .permissions import can_view_dashboard


class InsightMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_dashboard(request.user)


@hooks.register("register_admin_urls")
def register_insight_urls():
    return [path("insight/", admin_views.dashboard, name="insight_dashboard")]


@hooks.register("register_admin_menu_item")
def register_insight_menu_item():
    return InsightMenuItem(
        _("Insight"), reverse_lazy("insight_dashboard"), icon_name="table", order=260
    )
