"""Admin wiring: each group page's own editors group, the list of bookings and the registers."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from communities import admin_views
from communities.models import CommunityGroupPage, GroupIndexPage
from communities.permissions import ensure_group_editors, ensure_moderation


@hooks.register("after_create_page")
def create_group_editors(request, page):
    if isinstance(page.specific, CommunityGroupPage):
        ensure_group_editors(page.specific)
    elif isinstance(page.specific, GroupIndexPage):
        # Events under a new groups index are moderated from the start.
        ensure_moderation(page.specific)


@hooks.register("after_edit_page")
def update_group_editors(request, page):
    # Marking a group trusted (or no longer trusted) changes whether its editors may publish.
    if isinstance(page.specific, CommunityGroupPage):
        ensure_group_editors(page.specific)


@hooks.register("register_admin_urls")
def bookings_urls():
    return [
        path("communities/bookings/", admin_views.bookings, name="communities_bookings"),
        path(
            "communities/register/<int:event_id>/<str:starts>/",
            admin_views.register,
            name="communities_register",
        ),
    ]


@hooks.register("register_admin_menu_item")
def bookings_menu_item():
    return MenuItem(_("Bookings"), reverse("communities_bookings"), icon_name="date", order=250)
