"""Panels on the admin home for the people who coordinate volunteering: what needs attention.

Each panel shows only to those whose job it is, and only when it has something to show.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel
from wagtail.admin.ui.components import Component

from . import safeguarding, standing
from .models import Volunteer

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


class StandingPanel(Panel):
    """On a volunteer's page: their state and what it allows, whether matching can offer them
    anything, and each thing an approval needs with whether it is done."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "volunteers/admin/standing_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            volunteer = self.instance
            steps = standing.approval_steps(volunteer) if volunteer.pk else []
            context.update(
                {
                    "volunteer": volunteer,
                    "states": [
                        (value, Volunteer.Status(value).label, allows, value == volunteer.status)
                        for value, allows in standing.STATES
                    ],
                    "steps": steps,
                    "missing": [step for step in steps if not step.done],
                    "matchable": bool(volunteer.pk) and standing.matchable(volunteer),
                    "can_approve": volunteer.pk
                    and volunteer.status in (Volunteer.Status.APPLICANT, Volunteer.Status.LEFT),
                }
            )
            return context
