"""The directory in the Wagtail admin: snippet viewsets, scoped to each editor's organisation."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from core.admin_viewsets import SnippetChooserViewSet, SnippetViewSet
from core.widgets import SnippetChooser
from directory import admin_views
from directory.admin_forms import (
    LocationAdminForm,
    OrganizationAdminForm,
    ScheduleAdminForm,
    ServiceAdminForm,
    TaxonomyTermAdminForm,
    WeekdaysWidget,
)
from directory.models import (
    FeedSource,
    Location,
    Organization,
    Service,
    ServiceFeedback,
    Taxonomy,
    TaxonomyTerm,
)
from directory.panels import StaleServicesPanel
from directory.permissions import OrganizationScopedPolicy, can_edit_any

register_permission_policy(Organization, OrganizationScopedPolicy(Organization, "pk"))
register_permission_policy(Service, OrganizationScopedPolicy(Service, "organization"))
register_permission_policy(Location, OrganizationScopedPolicy(Location, "organization"))
register_permission_policy(
    ServiceFeedback, OrganizationScopedPolicy(ServiceFeedback, "service__organization")
)


class InstancePermissionMixin:
    """Refuses a record the person may not touch, even when they type its URL."""

    instance_action = "change"

    # Wagtail's object views differ: edit and delete take a queryset, usage and history none.
    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, self.instance_action, obj
        ):
            raise PermissionDenied
        return obj


class ScopedEditView(InstancePermissionMixin, snippet_views.EditView):
    pass


class ScopedDeleteView(InstancePermissionMixin, snippet_views.DeleteView):
    instance_action = "delete"


class ScopedCopyView(InstancePermissionMixin, snippet_views.CopyView):
    pass


class ScopedUsageView(InstancePermissionMixin, snippet_views.UsageView):
    pass


class ScopedHistoryView(InstancePermissionMixin, snippet_views.HistoryView):
    pass


class ScopedInspectView(InstancePermissionMixin, snippet_views.InspectView):
    pass


class ScopedViewSet(SnippetViewSet):
    """Lists and opens only what the signed-in person may change."""

    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    copy_view_class = ScopedCopyView
    usage_view_class = ScopedUsageView
    history_view_class = ScopedHistoryView
    inspect_view_class = ScopedInspectView

    def get_queryset(self, request):
        return self.permission_policy.instances_user_has_any_permission_for(
            request.user, ["change", "delete"]
        )


class DuplicateConfirmPanel(FieldPanel):
    """The "different service" tick box, shown only after a duplicate warning."""

    class BoundPanel(FieldPanel.BoundPanel):
        def is_shown(self):
            return bool(getattr(self.form, "duplicates", None)) and super().is_shown()


class ScheduleInlinePanel(InlinePanel):
    """A service's opening times, each edited through ScheduleAdminForm."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["form"] = ScheduleAdminForm
        return options


class EditableOrganizationChoosing:
    """Only the organisations the editor may give a service or location to."""

    def get_object_list(self):
        objects = super().get_object_list()
        user = self.request.user
        return objects if can_edit_any(user) else objects.filter(editors=user)


class EditableOrganizationChooseView(EditableOrganizationChoosing, snippet_chooser.ChooseView):
    pass


class EditableOrganizationChooseResultsView(
    EditableOrganizationChoosing, snippet_chooser.ChooseResultsView
):
    pass


class EditableOrganizationChooser(SnippetChooser):
    def get_chooser_modal_url(self):
        return reverse(self.chooser_modal_url_name)  # this chooser's, not the snippet's own


class EditableOrganizationChooserViewSet(SnippetChooserViewSet):
    """The organisation chooser of a service's or a location's form. An organisation's own
    parent may be any organisation, so the snippet's ordinary chooser stays as it is."""

    base_widget_class = EditableOrganizationChooser
    choose_view_class = EditableOrganizationChooseView
    choose_results_view_class = EditableOrganizationChooseResultsView
    register_widget = False  # used by name in the panels below, not for every organisation


editable_organization_chooser = EditableOrganizationChooserViewSet(
    "directory_editable_organization_chooser",
    model=Organization,
    url_prefix="directory/editable-organisations",
)


@hooks.register("register_admin_viewset")
def register_editable_organization_chooser():
    return editable_organization_chooser


class ServiceViewSet(ScopedViewSet):
    model = Service
    icon = "help"
    menu_label = _("Services")
    list_display = [
        "name",
        "organization",
        "status",
        "assured_date",
        BooleanColumn("free", label=_("Free")),
        "last_modified",
    ]
    list_filter = ["status", "free", "open_24_7", "reaches_anywhere", "categories"]
    search_fields = ["name", "description"]
    list_export = ["name", "organization", "status", "assured_date", "url", "email"]
    ordering = ["name"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("organization", widget=editable_organization_chooser.widget_class),
                    FieldPanel("name"),
                    DuplicateConfirmPanel("confirm_not_duplicate"),
                    FieldPanel("alternate_name"),
                    FieldPanel("description"),
                    FieldPanel("status"),
                    FieldPanel("alert"),
                ],
                heading=_("About the service"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("categories"),
                    FieldPanel("eligibility_description"),
                    FieldRowPanel([FieldPanel("minimum_age"), FieldPanel("maximum_age")]),
                    FieldPanel("application_process"),
                    InlinePanel(
                        "required_documents",
                        heading=_("What to bring"),
                        label=_("Document"),
                        panels=[FieldPanel("document"), FieldPanel("uri")],
                    ),
                    FieldPanel("wait_time"),
                    FieldPanel("interpretation_services"),
                ],
                heading=_("Who it is for and how to get it"),
            ),
            MultiFieldPanel(
                [FieldPanel("free"), FieldPanel("fees_description"), InlinePanel("cost_options")],
                heading=_("Costs"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("url"),
                    FieldPanel("email"),
                    InlinePanel("phones"),
                    InlinePanel("contacts"),
                ],
                heading=_("Contact"),
            ),
            InlinePanel("service_at_locations", heading=_("Where")),
            ScheduleInlinePanel(
                "schedules",
                heading=_("Opening times"),
                panels=[
                    FieldPanel("freq"),
                    FieldPanel("interval"),
                    FieldPanel(
                        "byday",
                        widget=WeekdaysWidget,
                        help_text=_("Tick the days; for a monthly time, also choose which week."),
                    ),
                    FieldPanel("bymonthday"),
                    FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                    FieldPanel("dtstart"),
                    FieldPanel("service_at_location"),
                    FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_to")]),
                    FieldPanel("closed"),
                    FieldPanel("description"),
                    FieldPanel("notes"),
                    FieldPanel("schedule_link"),
                ],
            ),
            InlinePanel("service_areas", heading=_("Areas served")),
            InlinePanel("languages", heading=_("Languages")),
            MultiFieldPanel(
                [
                    FieldPanel("accreditations"),
                    FieldPanel("licenses"),
                    FieldPanel("assured_date"),
                    FieldPanel("assurer_email"),
                ],
                heading=_("Quality and verification"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("program"),
                    InlinePanel(
                        "funding",
                        heading=_("Funded by"),
                        label=_("Source of funds"),
                        panels=[FieldPanel("source")],
                    ),
                ],
                heading=_("Programme and funding"),
            ),
        ],
        base_form_class=ServiceAdminForm,
    )


class LocationSearchForm(BaseFilterForm):
    """The chooser's search: a location's name, address, postcode, town or organisation."""

    q = forms.CharField(
        label=_("Search term"),
        widget=forms.TextInput(attrs={"placeholder": _("Name, street, town or postcode")}),
        required=False,
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            objects = objects.filter(
                Q(name__icontains=query)
                | Q(addresses__address_1__icontains=query)
                | Q(addresses__city__icontains=query)
                | Q(addresses__postal_code__icontains=query)
                | Q(organization__name__icontains=query)
            ).distinct()
            self.is_searching, self.search_query = True, query
        return objects


class ScopedLocationChoosing:
    """Only the locations of the organisations the editor may edit, with their organisation."""

    filter_form_class = LocationSearchForm

    def get_object_list(self):
        return (
            OrganizationScopedPolicy(Location, "organization")
            .instances_user_has_any_permission_for(self.request.user, ["change"])
            .select_related("organization")
            .order_by("name", "pk")
        )

    @property
    def columns(self):
        return [
            *super().columns,
            Column("organization", label=_("Organisation"), accessor="organization"),
        ]


class LocationChooseView(ScopedLocationChoosing, snippet_chooser.ChooseView):
    pass


class LocationChooseResultsView(ScopedLocationChoosing, snippet_chooser.ChooseResultsView):
    pass


class LocationChooserViewSet(SnippetChooserViewSet):
    choose_view_class = LocationChooseView
    choose_results_view_class = LocationChooseResultsView


class LocationViewSet(ScopedViewSet):
    model = Location
    chooser_viewset_class = LocationChooserViewSet
    icon = "site"
    menu_label = _("Locations")
    list_display = ["name", "organization", "location_type", "latitude", "longitude"]
    list_filter = ["location_type", "step_free", "accessible_toilet", "hearing_loop"]
    search_fields = ["name", "description"]
    edit_handler = ObjectList(
        [
            FieldPanel("organization", widget=editable_organization_chooser.widget_class),
            FieldPanel("location_type"),
            FieldPanel("name"),
            FieldPanel("description"),
            FieldPanel("url"),
            InlinePanel(
                "addresses",
                heading=_("Address"),
                max_num=3,
                # A UK address: no "region" or "state", the county optional, a postcode.
                panels=[
                    FieldPanel("address_type"),
                    FieldPanel("address_1"),
                    FieldPanel("address_2"),
                    FieldPanel("city"),
                    FieldPanel("state_province"),
                    FieldPanel("postal_code"),
                ],
            ),
            FieldPanel("transportation"),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("step_free"), FieldPanel("accessible_toilet")]),
                    FieldRowPanel([FieldPanel("hearing_loop"), FieldPanel("parking")]),
                    InlinePanel("accessibility", label=_("Details")),
                ],
                heading=_("Accessibility"),
            ),
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")])],
                heading=_("Map position"),
                help_text=_("Leave empty to find it from the postcode."),
            ),
        ],
        base_form_class=LocationAdminForm,
    )


class OrganizationViewSet(ScopedViewSet):
    model = Organization
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "website", "last_modified"]
    search_fields = ["name", "description"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("alternate_name"),
            FieldPanel("description"),
            FieldRowPanel([FieldPanel("email"), FieldPanel("website")]),
            FieldPanel("charity_number"),
            FieldPanel("parent_organization"),
            InlinePanel(
                "programs",
                heading=_("Programmes"),
                label=_("Programme"),
                panels=[
                    FieldPanel("name"),
                    FieldPanel("alternate_name"),
                    FieldPanel("description"),
                ],
            ),
            InlinePanel(
                "funding",
                heading=_("Funded by"),
                label=_("Source of funds"),
                panels=[FieldPanel("source")],
            ),
            MultiFieldPanel(
                [
                    FieldPanel("legal_status"),
                    FieldPanel("tax_status"),
                    FieldPanel("tax_id"),
                    FieldPanel("year_incorporated"),
                    FieldPanel("logo"),
                    FieldPanel("uri"),
                ],
                heading=_("Registration"),
            ),
            FieldPanel("editors", permission="directory.edit_any_organization"),
            FieldPanel("add_editor", permission="directory.edit_any_organization"),
        ],
        base_form_class=OrganizationAdminForm,
    )


class TaxonomyTermViewSet(SnippetViewSet):
    model = TaxonomyTerm
    icon = "tag"
    menu_label = _("Categories")
    list_display = ["name", "code", "parent", "taxonomy", "maps_to"]
    list_filter = ["taxonomy"]
    search_fields = ["name", "code"]
    edit_handler = ObjectList(
        [
            FieldPanel("taxonomy"),
            FieldPanel("name"),
            FieldPanel("code"),
            FieldPanel("description"),
            FieldPanel("parent"),
            FieldPanel("maps_to", widget=forms.Select),
            FieldPanel("term_uri"),
            FieldPanel("language"),
        ],
        base_form_class=TaxonomyTermAdminForm,
    )


class TaxonomyViewSet(SnippetViewSet):
    model = Taxonomy
    icon = "list-ul"
    menu_label = _("Taxonomies")


class FeedbackViewSet(ScopedViewSet):
    model = ServiceFeedback
    icon = "mail"
    menu_label = _("Feedback")
    list_display = ["service", "kind", "created_at", "resolved_at"]
    list_filter = ["kind"]
    inspect_view_enabled = True
    panels = [FieldPanel("resolved_at")]


class FeedSourceViewSet(SnippetViewSet):
    """Open Referral APIs to harvest services from (directory.hsds.harvest)."""

    model = FeedSource
    icon = "download"
    menu_label = _("Feed sources")
    list_display = ["name", "url", "harvest_on_schedule", "last_harvested_at"]
    inspect_view_enabled = True
    panels = [FieldPanel("name"), FieldPanel("url"), FieldPanel("harvest_on_schedule")]


class DirectoryGroup(SnippetViewSetGroup):
    items = (
        ServiceViewSet,
        LocationViewSet,
        OrganizationViewSet,
        TaxonomyTermViewSet,
        TaxonomyViewSet,
        FeedbackViewSet,
        FeedSourceViewSet,
    )
    menu_icon = "folder-open-inverse"
    menu_label = _("Directory")
    menu_name = "directory"
    add_to_admin_menu = True


register_snippet(DirectoryGroup)


@hooks.register("register_permissions")
def register_directory_permissions():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="directory", codename="edit_any_organization"
    )


@hooks.register("construct_homepage_panels")
def add_stale_services_panel(request, panels):
    panels.append(StaleServicesPanel(request))


@hooks.register("register_admin_urls")
def register_import_urls():
    from django.urls import path

    return [
        path("directory/import/", admin_views.import_view, name="directory_hsds_import"),
        path(
            "directory/import/<uuid:pk>/",
            admin_views.import_result_view,
            name="directory_hsds_import_result",
        ),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_edit_any(request.user)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    from django.urls import reverse

    return ImportMenuItem(
        _("Import HSDS"),
        reverse("directory_hsds_import"),
        name="directory-import",
        icon_name="upload",
        order=301,
    )
