"""Public pages: volunteer sign-up and dashboard, and the form to ask for help.

Views parse input, call one function in `offers`, `signup` or `volunteers.contact`, and render.
Every change is a POST; a refusal comes back as a message and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.robots import noindex
from core.submissions import ALREADY_RECEIVED, once, received
from core.throttle import limit_posts

from . import contact, offers, signup
from .forms import (
    EMAIL_TAKEN,
    ConcernForm,
    HelpRequestForm,
    LogHoursForm,
    SignInForm,
    TermsForm,
    VolunteerSignUpForm,
)
from .models import HelpRequest, Offer, TermsVersion, Volunteer

WITHDRAW_SALT = "volunteers.withdraw-request"
SIGN_IN_URL = "volunteers:sign_in"


def _volunteer(request):
    try:
        return request.user.volunteer
    except Volunteer.DoesNotExist:
        raise Http404(_("There is no volunteer profile for this account.")) from None


@never_cache
@limit_posts("volunteer_sign_up")
def sign_up(request):
    terms = TermsVersion.current()
    form = VolunteerSignUpForm(request.POST or None)
    # Sent again after it was saved, the form would fail its own check that the email
    # address is new: the earlier submission is recognised first.
    if request.method == "POST" and (url := received(form.submission_key("volunteer_sign_up"))):
        messages.info(request, ALREADY_RECEIVED)
        return redirect(url)
    if request.method == "POST" and terms and form.is_valid():

        def save():
            signup.sign_up(form.cleaned_data, terms)
            return reverse("volunteers:sign_up_sent")

        try:
            url, saved = once(form.submission_key("volunteer_sign_up"), save)
        except signup.EmailTaken:
            form.add_error("email", EMAIL_TAKEN)
        else:
            if not saved:
                messages.info(request, ALREADY_RECEIVED)
            return redirect(url)
    return render(request, "volunteers/sign_up.html", {"form": form, "terms": terms})


def sign_up_sent(request):
    return render(request, "volunteers/sign_up_sent.html")


@noindex
def verify_email(request, token):
    volunteer = signup.verify(token)
    return render(request, "volunteers/verified.html", {"verified": volunteer is not None})


# Django's LoginView already sends never_cache headers.
@method_decorator(limit_posts("volunteer_sign_in"), name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "volunteers/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return reverse("volunteers:dashboard")


@never_cache
@login_required(login_url=SIGN_IN_URL)
def terms(request):
    volunteer = _volunteer(request)
    current = TermsVersion.current()
    form = TermsForm(request.POST or None)
    if request.method == "POST" and current and form.is_valid():
        volunteer.terms_consents.get_or_create(terms=current)
        return redirect("volunteers:dashboard")
    return render(request, "volunteers/terms.html", {"form": form, "terms": current})


@never_cache
@login_required(login_url=SIGN_IN_URL)
def dashboard(request):
    volunteer = _volunteer(request)
    if not volunteer.has_current_consent():
        return redirect("volunteers:terms")
    now = timezone.now()
    waiting = (
        volunteer.offers.filter(status=Offer.Status.OFFERED, expires_at__gt=now)
        .select_related("request__task_type")
        .order_by("request__starts_at")
    )
    accepted = []
    for offer in volunteer.offers.filter(
        status=Offer.Status.ACCEPTED, request__status=HelpRequest.Status.ACCEPTED
    ).select_related("request__task_type"):
        try:
            details, refused = contact.reveal_contact(offer.request, volunteer, request.user), None
        except contact.ContactRefused as error:
            details, refused = None, error.message
        accepted.append({"offer": offer, "contact": details, "refused": refused})
    done = volunteer.offers.filter(status=Offer.Status.COMPLETED).select_related(
        "request__task_type"
    )[:20]
    return render(
        request,
        "volunteers/dashboard.html",
        {"volunteer": volunteer, "waiting": waiting, "accepted": accepted, "done": done},
    )


def _answer(request, action, pk, success):
    volunteer = _volunteer(request)
    try:
        action(pk, volunteer)
    except offers.OfferRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, success)
    return redirect("volunteers:dashboard")


@require_POST
@login_required(login_url=SIGN_IN_URL)
def accept(request, pk):
    return _answer(
        request, offers.accept, pk, _("Thank you. The request is yours: contact details below.")
    )


@require_POST
@login_required(login_url=SIGN_IN_URL)
def decline(request, pk):
    return _answer(request, offers.decline, pk, _("Thank you for letting us know."))


@require_POST
@login_required(login_url=SIGN_IN_URL)
def hand_back(request, pk):
    return _answer(
        request, offers.hand_back, pk, _("The task has been handed back. Thank you for saying.")
    )


@require_POST
@login_required(login_url=SIGN_IN_URL)
def check_in(request, pk):
    return _answer(request, offers.check_in, pk, _("Thank you for checking in."))


@never_cache
@login_required(login_url=SIGN_IN_URL)
def log_hours(request, pk):
    volunteer = _volunteer(request)
    offer = get_object_or_404(
        Offer.objects.select_related("request__task_type"),
        pk=pk,
        volunteer=volunteer,
        status=Offer.Status.ACCEPTED,
    )
    form = LogHoursForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            offers.complete(
                offer.pk, volunteer, form.cleaned_data["hours"], form.cleaned_data["outcome"]
            )
        except offers.OfferRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Thank you. The task is closed."))
        return redirect("volunteers:dashboard")
    return render(request, "volunteers/log_hours.html", {"form": form, "offer": offer})


@never_cache
@login_required(login_url=SIGN_IN_URL)
def raise_concern(request):
    volunteer = _volunteer(request)
    # Only a request this volunteer accepted may be named; any other number is ignored.
    task_id = request.POST.get("task") or request.GET.get("task") or ""
    task = None
    if task_id.isdigit():
        task = (
            volunteer.offers.filter(
                pk=task_id, status__in=[Offer.Status.ACCEPTED, Offer.Status.COMPLETED]
            )
            .select_related("request")
            .first()
        )
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        signup.raise_concern(
            volunteer, task.request if task else None, form.cleaned_data["details"]
        )
        messages.success(request, _("Your concern has been sent to the coordinators now."))
        return redirect("volunteers:dashboard")
    return render(request, "volunteers/concern.html", {"form": form, "task": task})


@never_cache
@limit_posts("ask_for_help")
def ask_for_help(request):
    form = HelpRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = []

        def save():
            help_request = signup.create_help_request(form.cleaned_data, request.user)
            created.append(help_request)
            token = signing.dumps(help_request.pk, salt=WITHDRAW_SALT)
            return reverse("volunteers:help_sent", args=[token])

        url, saved = once(form.submission_key("help_request"), save)
        if saved:
            offers.make_offers(created[0])
        else:
            messages.info(request, ALREADY_RECEIVED)
        return redirect(url)
    return render(request, "volunteers/ask_for_help.html", {"form": form})


def _request_from_token(token):
    try:
        pk = signing.loads(token, salt=WITHDRAW_SALT)
    except signing.BadSignature:
        raise Http404 from None
    return get_object_or_404(HelpRequest, pk=pk)


@never_cache
@noindex
def help_sent(request, token):
    help_request = _request_from_token(token)
    return render(
        request, "volunteers/help_sent.html", {"help_request": help_request, "token": token}
    )


@never_cache
@noindex
@limit_posts("withdraw_request")
def withdraw(request, token):
    help_request = _request_from_token(token)
    if request.method == "POST":
        contact.withdraw_consent(help_request)
        help_request.refresh_from_db()
    return render(request, "volunteers/withdraw.html", {"help_request": help_request})
