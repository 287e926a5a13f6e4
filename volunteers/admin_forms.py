from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from . import notifications, safeguarding, standing
from .forms import language_choices
from .models import Volunteer


class VolunteerAdminForm(WagtailAdminModelForm):
    """Approving here is the same as the Approve button: only a ready volunteer becomes active
    (volunteers.standing); which coordinator approved them, and when, is recorded. Languages
    are chosen by name, not typed as codes."""

    languages = forms.MultipleChoiceField(
        label=_("Languages they speak"),
        choices=language_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    language = forms.ChoiceField(
        label=_("Language for emails"), choices=lambda: list(settings.LANGUAGES)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["languages"] = self.instance.languages.split()

    def clean_languages(self):
        return " ".join(self.cleaned_data["languages"])

    def clean_status(self):
        status = self.cleaned_data["status"]
        before = self.instance.status if self.instance.pk else Volunteer.Status.APPLICANT
        self.approving = status == Volunteer.Status.ACTIVE and before in (
            Volunteer.Status.APPLICANT,
            Volunteer.Status.LEFT,
        )
        if self.approving and self.instance.pk:
            missing = standing.missing_steps(self.instance)
            if missing:
                raise forms.ValidationError(
                    _("They cannot be approved yet. Still needed: %(steps)s.")
                    % {"steps": "; ".join(str(step.label) for step in missing)}
                )
        return status

    def save(self, commit=True):
        volunteer = super().save(commit=False)
        if volunteer.status not in (Volunteer.Status.APPLICANT, Volunteer.Status.LEFT) and (
            volunteer.approved_at is None
        ):
            volunteer.approved_at = timezone.now()
            volunteer.approved_by = self.for_user
        if commit:
            volunteer.save()
            self.save_m2m()
            if getattr(self, "approving", False):
                notifications.send_approved_email.enqueue(volunteer.pk)
        return volunteer


class ConcernStepForm(forms.Form):
    """One step on a safeguarding concern; the fields offered follow the concern's state."""

    text = forms.CharField(
        label=_("What was done"),
        help_text=_("Who you spoke to, what you did and what you agreed. It cannot be edited."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    handler = forms.ModelChoiceField(
        label=_("Handled by"), queryset=None, required=False, empty_label=_("No change")
    )
    refer = forms.BooleanField(label=_("Referred to the local authority"), required=False)
    reference = forms.CharField(
        label=_("Local authority's reference (if given)"), max_length=60, required=False
    )
    close = forms.BooleanField(label=_("Close the concern"), required=False)
    outcome = forms.CharField(
        label=_("Outcome"),
        help_text=_("Needed to close the concern."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    reopen = forms.BooleanField(label=_("Reopen the concern"), required=False)

    def __init__(self, concern, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = safeguarding.handlers()
        self.fields["handler"].label_from_instance = safeguarding.label
        if concern.is_open:
            del self.fields["reopen"]
            if concern.referred_to_local_authority:
                del self.fields["refer"], self.fields["reference"]
        else:
            for name in ("handler", "refer", "reference", "close", "outcome"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if data.get("close") and not (data.get("outcome") or "").strip():
            self.add_error("outcome", _("Write the outcome before closing the concern."))
        if data.get("reopen") and not (data.get("text") or "").strip():
            self.add_error("text", _("Say why the concern is being reopened."))
        return data
