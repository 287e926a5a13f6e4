"""Panels on the admin home for the people who coordinate volunteering: what needs attention.

Each panel shows only to those whose job it is, and only when it has something to show.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from . import safeguarding

MAX_ROWS = 10


class OpenConcernsPanel(Component):
    """Safeguarding concerns not yet closed, oldest first."""

    name = "open_concerns"
    order = 90
    template_name = "volunteers/panels/open_concerns.html"

    def __init__(self, request):
        self.request = request

    def render_html(self, parent_context=None):
        if not safeguarding.may(self.request.user, safeguarding.VIEW):
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context=None):
        concerns = safeguarding.open_concerns().select_related("request", "handler")
        return {
            "concerns": concerns[:MAX_ROWS],
            "total": concerns.count(),
            "title": _("Open safeguarding concerns"),
        }
