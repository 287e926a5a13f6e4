"""Forms for volunteers and for people asking for help; every check says what to fix."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import languages
from core.forms import (
    PUBLIC_FORM_RENDERER,
    DateField,
    EmailAddressField,
    HoneypotMixin,
    OnceOnlyForm,
    PersonNameField,
    PhoneNumberField,
    PublicBoundField,
    PublicForm,
)
from core.geo import GeocodeError, geocode, normalise_postcode

from .contact import CONSENT_WORDINGS, CURRENT_CONSENT_VERSION
from .models import HelpRequest, TaskType, WeeklyAvailability

MAX_TEXT = 2000
EMAIL_TAKEN = _("There is already an account with this email address. Sign in instead.")


def language_choices():
    """Languages volunteers and help-seekers may name: the site's own and some widely spoken
    in the UK (Somali and British Sign Language among them)."""
    return languages.language_choices(languages.site_language_codes() + languages.WIDELY_SPOKEN)


def _locate(text):
    """(area label, latitude, longitude) for a postcode or town; only the area is kept."""
    place = geocode(text)
    postcode = normalise_postcode(text)
    area = postcode.split()[0] if postcode else place.label
    return area[:60], place.latitude, place.longitude


class PlaceField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            return _locate(value)
        except GeocodeError as error:
            raise forms.ValidationError(error.message, code=error.code) from None


# Parts of the day a volunteer can say they are usually free, as (start hour, end hour).
DAY_PARTS = {
    "morning": (9, 13, _("morning (9:00 to 13:00)")),
    "afternoon": (13, 17, _("afternoon (13:00 to 17:00)")),
    "evening": (17, 21, _("evening (17:00 to 21:00)")),
}


def availability_choices():
    return [
        (f"{day}-{part}", f"{day_name}, {label}")
        for day, day_name in WeeklyAvailability.Weekday.choices
        for part, (_start, _end, label) in DAY_PARTS.items()
    ]


def _text(autocomplete, **attrs):
    return forms.TextInput(attrs={"autocomplete": autocomplete, **attrs})


AGREE_TERMS = forms.BooleanField(
    label=_("I agree to the volunteering terms above."),
    error_messages={"required": _("Tick the box to agree to the volunteering terms")},
)


class VolunteerSignUpForm(HoneypotMixin, OnceOnlyForm):
    display_name = PersonNameField(
        label=_("Your name"),
        max_length=120,
        widget=_text("name", spellcheck="false"),
        error_messages={"required": _("Enter your name")},
    )
    email = EmailAddressField(
        label=_("Email address"),
        error_messages={"required": _("Enter your email address")},
    )
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not a common word or only numbers."),
        error_messages={"required": _("Choose a password")},
    )
    home_area = PlaceField(
        label=_("Your postcode or town"),
        help_text=_("We keep only the rough area, never your address."),
        widget=_text("postal-code"),
        error_messages={"required": _("Enter your postcode or town")},
    )
    travel_radius_km = forms.IntegerField(
        label=_("How far will you travel? (km)"),
        help_text=_("A whole number of kilometres from 1 to 100, for example 5."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input--short"}),
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        error_messages={
            "required": _("Enter how far you will travel, in kilometres"),
            "min_value": _("Enter a distance from 1 to 100 kilometres"),
            "max_value": _("Enter a distance from 1 to 100 kilometres"),
        },
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=language_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language you speak")},
    )
    availability = forms.MultipleChoiceField(
        label=_("When are you usually free?"),
        choices=availability_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one time when you are usually free")},
    )
    skills = forms.CharField(
        label=_("Skills"),
        required=False,
        max_length=300,
        help_text=_("Separated by commas, for example: driving, shopping, paperwork."),
    )
    agree_terms = AGREE_TERMS

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(username=email).exists():
            raise forms.ValidationError(EMAIL_TAKEN)
        return email

    def clean_password(self):
        password = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password

    def clean_availability(self):
        """[(weekday, starts, ends)], with adjoining parts of a day joined into one slot."""
        chosen = set(self.cleaned_data["availability"])
        slots = []
        for day, _name in WeeklyAvailability.Weekday.choices:
            run = None
            for part, (start, end, _label) in DAY_PARTS.items():
                if f"{day}-{part}" in chosen:
                    run = (run[0], end) if run else (start, end)
                elif run:
                    slots.append((day, dt.time(run[0]), dt.time(run[1])))
                    run = None
            if run:
                slots.append((day, dt.time(run[0]), dt.time(run[1])))
        return slots

    def clean_skills(self):
        names = [part.strip()[:50] for part in self.cleaned_data["skills"].split(",")]
        return [name for name in names if name][:20]


class TermsForm(PublicForm):
    agree_terms = AGREE_TERMS


class SignInForm(AuthenticationForm):
    """Django's sign-in, shown and worded as the site's other public forms are."""

    default_renderer = PUBLIC_FORM_RENDERER
    bound_field_class = PublicBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username, password = self.fields["username"], self.fields["password"]
        username.label = _("Email address")
        username.widget.attrs.update(
            {"autocomplete": "username", "inputmode": "email", "spellcheck": "false"}
        )
        username.widget.attrs.pop("autofocus", None)
        username.error_messages["required"] = _("Enter your email address")
        password.error_messages["required"] = _("Enter your password")
        self.error_messages = {
            **self.error_messages,
            "invalid_login": _(
                "The email address or the password is not right. Check both and try again."
            ),
        }


class HelpRequestForm(HoneypotMixin, OnceOnlyForm):
    """Asking for help, for oneself or for someone else, with consent to share details."""

    requested_by = forms.ChoiceField(
        label=_("Who is asking?"),
        choices=HelpRequest.Requester.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who is asking")},
    )
    task_type = forms.ModelChoiceField(
        label=_("What help is needed?"),
        queryset=TaskType.objects.all(),
        empty_label=_("Choose the kind of help"),
        error_messages={"required": _("Choose the kind of help needed")},
    )
    date = DateField(label=_("Date"), error_messages={"required": _("Enter the date")})
    start_time = forms.TimeField(
        label=_("From"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Enter the time to start")},
    )
    end_time = forms.TimeField(
        label=_("Until"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Enter the time to finish")},
    )
    place = PlaceField(
        label=_("Postcode"),
        help_text=_("Volunteers see only the area (for example SE13) until one of them accepts."),
        widget=_text("postal-code", spellcheck="false", **{"class": "input--medium"}),
        error_messages={"required": _("Enter the postcode")},
    )
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=lambda: [("", _("Choose a language"))] + language_choices(),
        error_messages={"required": _("Choose the preferred language")},
    )
    name = PersonNameField(
        label=_("Name of the person who needs help"),
        max_length=120,
        widget=_text("name", spellcheck="false"),
        error_messages={"required": _("Enter the name of the person who needs help")},
    )
    phone = PhoneNumberField(label=_("Phone number"), required=False)
    email = EmailAddressField(label=_("Email address"), required=False)
    address = forms.CharField(
        label=_("Address"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        error_messages={"required": _("Enter the address")},
    )
    notes = forms.CharField(
        label=_("Anything the volunteer should know"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent = forms.BooleanField(
        label=CONSENT_WORDINGS[CURRENT_CONSENT_VERSION],
        error_messages={"required": _("Tick the box to agree to share these details")},
    )
    feedback = forms.BooleanField(
        label=_(
            "You may email me once after the help, in my language, with three short questions "
            "about it. My answers are counted anonymously."
        ),
        required=False,
    )

    def clean_date(self):
        date = self.cleaned_data["date"]
        today = timezone.localdate()
        if date < today:
            raise forms.ValidationError(_("The date is in the past. Enter today or a later date."))
        if date > today + dt.timedelta(days=365):
            raise forms.ValidationError(_("Enter a date within the next year."))
        return date

    def clean(self):
        data = super().clean()
        start, end, date = data.get("start_time"), data.get("end_time"), data.get("date")
        if start and end and end <= start:
            self.add_error("end_time", _("The end time must be after the start time."))
        elif start and end and date:
            starts_at = timezone.make_aware(dt.datetime.combine(date, start))
            if starts_at <= timezone.now():
                self.add_error("start_time", _("That time has already passed."))
            data["starts_at"] = starts_at
            data["ends_at"] = timezone.make_aware(dt.datetime.combine(date, end))
        if not data.get("phone") and not data.get("email") and "phone" not in self.errors:
            self.add_error("phone", _("Give a phone number or an email address, or both."))
        return data


class LogHoursForm(PublicForm):
    hours = forms.DecimalField(
        label=_("Hours given"),
        max_digits=4,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input--short"}),
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("24"))],
        error_messages={"required": _("Enter the hours you gave")},
    )
    outcome = forms.CharField(
        label=_("How did it go?"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say how it went")},
    )


class ConcernForm(PublicForm):
    details = forms.CharField(
        label=_("What are you worried about?"),
        max_length=MAX_TEXT * 2,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Say what you are worried about")},
    )
