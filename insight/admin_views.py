"""The insight dashboard in the Wagtail admin, for coordinators and commissioners."""

from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .permissions import can_view_dashboard
from .views import known_area_lists, rule_context, selection


def dashboard(request):
    if not can_view_dashboard(request.user):
        return TemplateResponse(
            request, "insight/admin/forbidden.html", {"page_title": _("Insight")}, status=403
        )
    form, report = selection(request)
    return TemplateResponse(
        request,
        "insight/admin/dashboard.html",
        {
            "page_title": _("Insight: need, help given and outcomes by area"),
            "header_icon": "table",
            "form": form,
            "report": report,
            "charts": report.charts() if report else [],
            "query": request.GET.urlencode(),
            **known_area_lists(),
            **rule_context(),
        },
        status=200 if report is not None else 400,
    )
