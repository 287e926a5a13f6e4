"""Coordinator views in the Wagtail admin beyond the snippet lists: a help request taken by
phone, withdrawing a person's consent, and who is left out of a request's matching and why.

Each view is for coordinators only (`volunteers.contact.is_coordinator`); anyone else gets 403.
None of them shows a help-seeker's contact details: those stay on the logged contact page.
"""

from functools import wraps

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.snippets.views import snippets as snippet_views

from . import contact, matching, offers, permissions, safeguarding, signup, standing
from .admin_forms import ConcernStepForm
from .forms import HelpRequestForm
from .models import ConcernAction, HelpRequest, Volunteer


class PhoneIntakeForm(HelpRequestForm):
    """The public form, read out on the phone: the same fields and the same checks."""

    website = None  # a coordinator types this form; it has no honeypot

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_by"].label = gettext_lazy("Who is calling?")
        self.fields["consent"].label = gettext_lazy(
            "I read this wording to the caller and they agreed: “%(wording)s”"
        ) % {"wording": contact.CONSENT_WORDINGS[contact.CURRENT_CONSENT_VERSION]}


def coordinator_only(view):
    """403 for anyone without the coordinator permission (a plain PermissionDenied would be
    turned into a redirect to the dashboard by the admin)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not permissions.is_coordinator(request.user):
            return TemplateResponse(request, "volunteers/admin/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _inspect_url(help_request):
    return reverse("wagtailsnippets_volunteers_helprequest:inspect", args=[help_request.pk])


@coordinator_only
def phone_intake(request):
    """A help request taken by phone: consent recorded as by phone, by this coordinator."""
    form = PhoneIntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        help_request = signup.create_help_request(
            form.cleaned_data, recorded_by=request.user, channel="phone"
        )
        made = offers.make_offers(help_request)
        messages.success(
            request,
            ngettext(
                "Request %(ref)s saved; offered to %(count)s volunteer.",
                "Request %(ref)s saved; offered to %(count)s volunteers.",
                len(made),
            )
            % {"ref": help_request.reference, "count": len(made)},
        )
        return redirect("volunteers_exclusions", pk=help_request.pk)
    return TemplateResponse(request, "volunteers/admin/phone_intake.html", {"form": form})


@coordinator_only
def withdraw_consent(request, pk):
    """Withdraw the person's consent (after a confirmation): no one sees their details again."""
    help_request = get_object_or_404(HelpRequest, pk=pk)
    if request.method == "POST":
        with transaction.atomic():
            withdrawn = contact.withdraw_consent(help_request)
        if withdrawn:
            messages.success(
                request,
                _(
                    "Consent for request %(ref)s is withdrawn and the request is closed: "
                    "nobody will be asked to help with it or see the person's details."
                )
                % {"ref": help_request.reference},
            )
        else:
            messages.warning(
                request,
                _("Request %(ref)s had no consent standing.") % {"ref": help_request.reference},
            )
        return redirect("volunteers_exclusions", pk=help_request.pk)
    return TemplateResponse(
        request,
        "volunteers/admin/withdraw_consent.html",
        {"help_request": help_request, "consent_stands": contact.consent_stands(help_request)},
    )


def _request_crumbs(help_request, last):
    return [
        {
            "url": reverse("wagtailsnippets_volunteers_helprequest:list"),
            "label": _("Help requests"),
        },
        {"url": _inspect_url(help_request), "label": help_request.reference},
        {"url": "", "label": last},
    ]


@coordinator_only
def offer_volunteer(request, pk):
    """Offer a request to one volunteer the coordinator chose, through the offer rules."""
    help_request = get_object_or_404(HelpRequest, pk=pk)
    if request.method == "POST":
        chosen = request.POST.get("volunteer", "")
        volunteer = (
            Volunteer.objects.filter(pk=chosen).first()
            if chosen.isascii() and chosen.isdigit() and len(chosen) < 19
            else None
        )
        if volunteer is None:
            messages.error(request, _("Choose a volunteer to offer the request to."))
        else:
            try:
                offers.offer_to(help_request, volunteer)
            except offers.OfferRefused as refused:
                messages.error(request, refused.message)
            else:
                messages.success(
                    request,
                    _("Request %(ref)s offered to %(name)s; they have been emailed.")
                    % {"ref": help_request.reference, "name": volunteer.display_name},
                )
    return redirect("volunteers_exclusions", pk=help_request.pk)


@coordinator_only
def exclusions(request, pk):
    """The volunteers near a request who are not offered it, each with every reason why."""
    help_request = get_object_or_404(HelpRequest.objects.select_related("task_type"), pk=pk)
    title = _("Matching for request %(ref)s") % {"ref": help_request.reference}
    return TemplateResponse(
        request,
        "volunteers/admin/exclusions.html",
        {
            "header_title": title,
            "header_icon": "help",
            "breadcrumbs_items": _request_crumbs(help_request, title),
            "help_request": help_request,
            "excluded": matching.excluded_nearby(help_request),
            "shortlist": matching.shortlist(help_request),
            "offers": help_request.offers.select_related("volunteer"),
            "consents": help_request.consents.select_related("recorded_by"),
            "consent_stands": contact.consent_stands(help_request),
            "inspect_url": _inspect_url(help_request),
            "margin_km": matching.NEARBY_MARGIN_KM,
            "can_offer": help_request.status == HelpRequest.Status.OPEN
            and contact.consent_stands(help_request),
        },
    )


class ConcernView(snippet_views.InspectView):
    """A safeguarding concern's case page: its facts, its history, and the next step."""

    template_name = "volunteers/admin/concern.html"
    fields = [
        "status",
        "raised_at",
        "raised_by",
        "volunteer",
        "request",
        "details",
        "handler",
        "referred_to_local_authority",
        "local_authority_reference",
        "outcome",
        "closed_at",
    ]

    def get_raised_by_display_value(self):
        first = self.object.actions.filter(kind=ConcernAction.Kind.RAISED).first()
        return first.by_label if first else "-"

    def get_handler_display_value(self):
        return safeguarding.label(self.object.handler) if self.object.handler else "-"

    def get_referred_to_local_authority_display_value(self):
        return _("Yes") if self.object.referred_to_local_authority else _("No")

    def get_closed_at_display_value(self):
        return _uk_datetime(self.object.closed_at)

    def get_raised_at_display_value(self):
        return _uk_datetime(self.object.raised_at)

    def get_form(self):
        if not safeguarding.may(self.request.user, safeguarding.HANDLE):
            return None
        data = self.request.POST if self.request.method == "POST" else None
        return ConcernStepForm(self.object, data)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["actions"] = self.object.actions.all()
        context.setdefault("form", self.get_form())
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form is None:
            return TemplateResponse(request, "volunteers/admin/forbidden.html", status=403)
        if form.is_valid():
            data = form.cleaned_data
            try:
                safeguarding.record_step(
                    self.object,
                    request.user,
                    text=data.get("text", ""),
                    handler=data.get("handler"),
                    refer=data.get("refer", False),
                    reference=data.get("reference", ""),
                    close=data.get("close", False),
                    outcome=data.get("outcome", ""),
                    reopen=data.get("reopen", False),
                )
            except safeguarding.StepRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("Recorded in the concern's history."))
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(form=form))


def _uk_datetime(value):
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else "-"


def concern_export(request):
    """Every concern with its history as CSV, for whoever holds the export permission."""
    if not safeguarding.may(request.user, safeguarding.EXPORT):
        return TemplateResponse(request, "volunteers/admin/forbidden.html", status=403)
    response = HttpResponse(safeguarding.export_csv(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="safeguarding-concerns-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


def _volunteer_crumbs(volunteer, last):
    return [
        {"url": reverse("wagtailsnippets_volunteers_volunteer:list"), "label": _("Volunteers")},
        {
            "url": reverse("wagtailsnippets_volunteers_volunteer:edit", args=[volunteer.pk]),
            "label": volunteer.display_name,
        },
        {"url": "", "label": last},
    ]


@coordinator_only
def approve(request, pk):
    """Approve a volunteer (after a confirmation): active and matchable if ready, else the
    steps still missing."""
    volunteer = get_object_or_404(Volunteer, pk=pk)
    edit_url = reverse("wagtailsnippets_volunteers_volunteer:edit", args=[volunteer.pk])
    if volunteer.status not in (Volunteer.Status.APPLICANT, Volunteer.Status.LEFT):
        messages.info(
            request,
            _("%(name)s is already approved.") % {"name": volunteer.display_name},
        )
        return redirect(edit_url)
    if request.method == "POST":
        with transaction.atomic():
            missing = standing.approve(volunteer, request.user)
        if not missing:
            messages.success(
                request,
                _("%(name)s is approved and active: matching can offer them requests now.")
                % {"name": volunteer.display_name},
            )
            return redirect(edit_url)
    else:
        missing = standing.missing_steps(volunteer)
    title = _("Approve %(name)s") % {"name": volunteer.display_name}
    return TemplateResponse(
        request,
        "volunteers/admin/approve.html",
        {
            "volunteer": volunteer,
            "missing": missing,
            "header_title": title,
            "breadcrumbs_items": _volunteer_crumbs(volunteer, title),
            "header_icon": "user",
        },
    )


class HelpRequestInspectView(snippet_views.InspectView):
    """A help request's page, with its matching, contact and access-log pages a click away."""

    def get_field_label(self, field_name, field):
        if field_name == "links":
            return _("See also")
        return super().get_field_label(field_name, field)

    def get_no_match_reason_display_value(self):
        return self.object.why_no_match_label() or "-"

    def get_links_display_value(self):
        request = self.object
        return format_html_join(
            " · ",
            "{}",
            (
                (link(),)
                for link in (request.matching_link, request.contact_link, request.access_log_link)
            ),
        )
