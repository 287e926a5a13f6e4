"""Volunteering in the Wagtail admin, for coordinators: approvals, training and checks,
requests with no match, offers waiting, concerns, hours and the contact access log.

Lists filter and export to CSV. The help-seeker's contact details are not on any list or
form here: a coordinator opens them on their own page, through volunteers.contact, and each
view is logged.
"""

from django.db.models import Q, Sum
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from core.admin_viewsets import SnippetViewSet

from . import admin_views, contact, permissions, safeguarding
from .admin_forms import VolunteerAdminForm
from .models import (
    AccessLog,
    DBSCheck,
    HelpRequest,
    Offer,
    SafeguardingConcern,
    TaskType,
    TermsVersion,
    TrainingModule,
    TrainingRecord,
    Volunteer,
)
from .panels import COORDINATOR_PANELS, OpenConcernsPanel, StandingPanel


class VolunteerViewSet(SnippetViewSet):
    model = Volunteer
    icon = "group"
    menu_label = _("Volunteers")
    list_display = ["display_name", "status", "home_area", "approved_at", "hours_given"]
    list_filter = ["status"]
    list_export = [
        "display_name",
        "status",
        "home_area",
        "travel_radius_km",
        "approved_at",
        "hours_given",
    ]
    export_filename = "volunteers"
    search_fields = ["display_name", "home_area"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel([StandingPanel()], heading=_("Standing")),
            FieldPanel("display_name"),
            FieldRowPanel([FieldPanel("status"), FieldPanel("approved_at", read_only=True)]),
            FieldRowPanel([FieldPanel("home_area"), FieldPanel("travel_radius_km")]),
            FieldRowPanel(
                [FieldPanel("max_active_tasks"), FieldPanel("rest_hours"), FieldPanel("language")]
            ),
            FieldPanel("languages"),
            FieldPanel("skills"),
        ],
        base_form_class=VolunteerAdminForm,
    )

    def get_queryset(self, request):
        return Volunteer.objects.annotate(
            hours_total=Sum(
                "accepted_requests__hours", filter=Q(accepted_requests__status="closed")
            )
        )


class TrainingRecordViewSet(SnippetViewSet):
    model = TrainingRecord
    icon = "tasks"
    menu_label = _("Training (by expiry)")
    search_fields = ["volunteer__display_name", "module__name"]
    list_display = ["volunteer", "module", "completed_on", "expires_on"]
    list_filter = {"module": ["exact"], "expires_on": ["lte"]}
    list_export = ["volunteer", "module", "completed_on", "expires_on"]
    export_filename = "training"


class DBSCheckViewSet(SnippetViewSet):
    model = DBSCheck
    icon = "password"
    menu_label = _("DBS checks (by recheck)")
    search_fields = ["volunteer__display_name"]
    list_display = [
        "volunteer",
        "level",
        "barred_list_label",
        "update_service_label",
        "recheck_due",
    ]
    list_filter = {"level": ["exact"], "recheck_due": ["lte"]}
    list_export = ["volunteer", "level", "barred_list_label", "issued_on", "recheck_due"]
    export_filename = "dbs-checks"


class HelpRequestViewSet(SnippetViewSet):
    """Read-only: requests come in through the public form or phone intake, and change only
    through offers, acceptance, hand-back, closing and withdrawal (volunteers.permissions)."""

    model = HelpRequest
    icon = "help"
    menu_label = _("Help requests")
    inspect_view_enabled = True
    # Someone phoning about their request gives its reference. Never the contact details.
    search_fields = ["reference", "area"]
    # Few, short columns so the list works on a phone (390 px); the request's own page has
    # the rest, with its contact, matching and access-log links.
    list_display = ["reference", "task_type", "starts_at", "status_label", "matching_link"]
    list_filter = ["status", "task_type"]
    list_export = ["reference", "task_type", "area", "starts_at", "status", "why_no_match_label"]
    export_filename = "help-requests"
    inspect_view_fields = [
        "reference",
        "task_type",
        "requested_by",
        "area",
        "radius_km",
        "starts_at",
        "ends_at",
        "language",
        "status",
        "accepted_volunteer",
        "accepted_at",
        "closed_at",
        "outcome",
        "hours",
        "no_match_reason",
        "created_at",
        "links",
    ]
    inspect_view_class = admin_views.HelpRequestInspectView


class OfferViewSet(SnippetViewSet):
    """Read-only: offers are made by matching and answered by their volunteer."""

    model = Offer
    icon = "mail"
    menu_label = _("Offers")
    inspect_view_enabled = True
    list_display = ["request", "volunteer", "status_label", "reason_label", "expires_at"]
    list_filter = ["status"]
    list_export = ["request", "volunteer", "status", "score", "reason_label", "offered_at"]
    export_filename = "offers"


class ConcernIndexView(snippet_views.IndexView):
    """The concerns list, with the safeguarding lead's export of every case and its history."""

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if safeguarding.may(self.request.user, safeguarding.EXPORT):
            buttons.append(
                HeaderButton(
                    _("Export concerns with history (CSV)"),
                    url=reverse("volunteers_concern_export"),
                    icon_name="download",
                )
            )
        return buttons


class ConcernViewSet(SnippetViewSet):
    """Case records: read here, changed only by steps on the concern's page
    (volunteers.safeguarding), exported whole by the safeguarding lead."""

    model = SafeguardingConcern
    icon = "warning"
    menu_label = _("Safeguarding concerns")
    inspect_view_enabled = True
    inspect_view_class = admin_views.ConcernView
    index_view_class = ConcernIndexView
    list_display = [
        "__str__",
        "status",
        "request",
        "volunteer",
        "handler_label",
        "referred_label",
    ]
    list_filter = ["status", "referred_to_local_authority"]

    def get_queryset(self, request):
        return SafeguardingConcern.objects.select_related("request", "volunteer", "handler")


class AccessLogViewSet(SnippetViewSet):
    """Read-only for everyone: the log is append-only (see AccessLog)."""

    model = AccessLog
    icon = "list-ul"
    menu_label = _("Contact access log")
    search_fields = ["request_reference", "viewer_label"]
    list_display = ["request_reference", "viewer_label", "at", "shown_label", "get_reason_display"]
    list_filter = ["shown", "reason"]
    list_export = ["request_reference", "viewer_label", "at", "shown_label", "get_reason_display"]
    export_filename = "contact-access-log"
    inspect_view_enabled = True


class TaskTypeViewSet(SnippetViewSet):
    model = TaskType
    icon = "cog"
    menu_label = _("Task types")


class TrainingModuleViewSet(SnippetViewSet):
    model = TrainingModule
    icon = "doc-full"
    menu_label = _("Training modules")


class TermsViewSet(SnippetViewSet):
    model = TermsVersion
    icon = "doc-full"
    menu_label = _("Volunteering terms")


class CoordinatorMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.is_coordinator(request.user)


class VolunteeringGroup(SnippetViewSetGroup):
    menu_label = _("Volunteering")
    menu_icon = "group"
    menu_order = 250
    items = [
        VolunteerViewSet,
        HelpRequestViewSet,
        OfferViewSet,
        ConcernViewSet,
        TrainingRecordViewSet,
        DBSCheckViewSet,
        TaskTypeViewSet,
        TrainingModuleViewSet,
        TermsViewSet,
        AccessLogViewSet,
    ]

    def get_submenu_items(self):
        items = super().get_submenu_items()
        phone = CoordinatorMenuItem(
            _("Take a request by phone"),
            reverse_lazy("volunteers_phone_intake"),
            name="volunteers-phone-intake",
            icon_name="mobile-alt",
            order=len(items) + 1,
        )
        return [items[0], items[1], phone, *items[2:]]


for read_only in (HelpRequest, Offer, AccessLog, SafeguardingConcern):
    register_permission_policy(read_only, permissions.ReadOnlyPolicy(read_only))

register_snippet(VolunteeringGroup)


@never_cache
@admin_views.coordinator_only
def contact_view(request, pk):
    """A help-seeker's contact details for a coordinator, through volunteers.contact (logged)."""
    help_request = get_object_or_404(HelpRequest, pk=pk)
    try:
        details, refused = contact.reveal_contact(help_request, None, request.user), None
    except contact.ContactRefused as error:
        details, refused = None, error.message
    return TemplateResponse(
        request,
        "volunteers/admin/contact.html",
        {"help_request": help_request, "contact": details, "refused": refused},
    )


@hooks.register("register_admin_urls")
def register_contact_url():
    return [
        path("volunteers/requests/<int:pk>/contact/", contact_view, name="volunteers_contact"),
        path(
            "volunteers/requests/phone/", admin_views.phone_intake, name="volunteers_phone_intake"
        ),
        path(
            "volunteers/requests/<int:pk>/matching/",
            admin_views.exclusions,
            name="volunteers_exclusions",
        ),
        path(
            "volunteers/requests/<int:pk>/withdraw-consent/",
            admin_views.withdraw_consent,
            name="volunteers_withdraw_consent",
        ),
        path(
            "volunteers/requests/<int:pk>/offer/",
            admin_views.offer_volunteer,
            name="volunteers_offer_volunteer",
        ),
        path(
            "volunteers/volunteers/<int:pk>/approve/",
            admin_views.approve,
            name="volunteers_approve",
        ),
        path(
            "volunteers/concerns/export/",
            admin_views.concern_export,
            name="volunteers_concern_export",
        ),
    ]


@hooks.register("construct_homepage_panels")
def add_coordinator_panels(request, panels):
    panels.append(OpenConcernsPanel(request))
    panels.extend(panel(request) for panel in COORDINATOR_PANELS)
