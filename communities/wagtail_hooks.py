"""Admin wiring: each group page gets its own editors group when it is created or edited."""

from wagtail import hooks

from communities.models import CommunityGroupPage
from communities.permissions import ensure_group_editors


@hooks.register("after_create_page")
def create_group_editors(request, page):
    if isinstance(page.specific, CommunityGroupPage):
        ensure_group_editors(page.specific)


@hooks.register("after_edit_page")
def update_group_editors(request, page):
    # Marking a group trusted (or no longer trusted) changes whether its editors may publish.
    if isinstance(page.specific, CommunityGroupPage):
        ensure_group_editors(page.specific)
