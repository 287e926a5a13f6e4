"""The admin dashboard panel listing services that need checking."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from directory.models import Service
from directory.permissions import OrganizationScopedPolicy
from directory.stale import stale_after_months, stale_services

MAX_ROWS = 10


class StaleServicesPanel(Component):
    """Services, among those the editor may change, not verified within the set period."""

    name = "stale_services"
    order = 150
    template_name = "directory/panels/stale_services.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        editable = OrganizationScopedPolicy(
            Service, "organization"
        ).instances_user_has_any_permission_for(self.request.user, ["change"])
        stale = (
            stale_services(editable).select_related("organization").order_by("assured_date", "name")
        )
        return {
            "services": stale[:MAX_ROWS],
            "total": stale.count(),
            "months": stale_after_months(),
            "title": _("Services to check"),
        }
