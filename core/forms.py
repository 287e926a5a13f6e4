"""Form parts every public form shares: safe text, a person's name, dates in range, the
one-time token, the honeypot, and how every field and error is shown (GOV.UK's patterns:
an error summary linking each field, errors above their input, hints that state limits)."""

import datetime as dt
import json
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.crypto import salted_hmac
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .phones import phone_number
from .typed import without_format, without_invisible
from .validators import (
    date_in_range,
    refuse_control_characters,
    strip_bidi_controls,
    validate_visible_name,
)

KEY_SALT = "core.forms.submission"

# Django's own wording is not translated into every language the site speaks (Bengali, Urdu).
TOO_LONG = _(
    "This is too long. It can be up to %(limit_value)d characters, and now has %(show_value)d."
)
TEXT_ERRORS = {"max_length": TOO_LONG}


DATE_PARTS = ("day", "month", "year")


class DateInput(forms.MultiWidget):
    """GOV.UK's date input: day, month and year as three short number boxes, read the same
    in every language (a browser's own date box shows a format of its choosing). A single
    value under the field's own name (an ISO date in a link) is still understood."""

    template_name = "core/forms/date_input.html"
    use_fieldset = True

    def __init__(self, attrs=None):
        widgets = {
            part: forms.TextInput(attrs={"inputmode": "numeric", "class": f"date-input__{part}"})
            for part in DATE_PARTS
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        if name in data:
            return data.get(name)
        parts = [(data.get(f"{name}_{part}") or "").strip() for part in DATE_PARTS]
        return parts if any(parts) else None

    def value_omitted_from_data(self, data, files, name):
        return name not in data and all(f"{name}_{part}" not in data for part in DATE_PARTS)

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else ""


class DateField(forms.DateField):
    """A date entered as day, month and year, refused with a message when it is not a real
    date or is too far off for the site to work with."""

    widget = DateInput
    default_validators = [date_in_range]
    default_error_messages = {
        "invalid": _("Enter a real date, with the day, month and year as numbers"),
    }

    def to_python(self, value):
        if isinstance(value, list | tuple):
            if not any(value):
                return None
            try:
                day, month, year = (int(part) for part in value)
                if year < 1000:
                    raise ValueError
                return dt.date(year, month, day)
            except (TypeError, ValueError):
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid"
                ) from None
        return super().to_python(value)


def date_hint():
    """'For example, 27 3 2027': a date a year or so ahead, written as it is typed."""
    example = dt.date(dt.date.today().year + 1, 3, 27)
    return gettext("For example, %(date)s") % {
        "date": f"{example.day} {example.month} {example.year}"
    }


def time_hint():
    return gettext("For example, %(time)s") % {"time": "14:30"}


class PublicBoundField(BoundField):
    """A field of a public form: knows where the error summary should link to."""

    @property
    def anchor(self):
        """The id of the first thing to fill in: the box itself, or the first choice."""
        if self.id_for_label:
            return self.id_for_label
        return f"{self.auto_id}_0"

    @property
    def is_choices(self):
        widget = self.field.widget
        return isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


class PublicFormRenderer(DjangoTemplates):
    """Renders `{{ form.field.as_field_group }}` with the site's one field template."""

    field_template_name = "core/forms/field.html"


# One renderer for every public form: a renderer holds its own template engine, whose
# cache of parsed templates would otherwise be built again for each form.
PUBLIC_FORM_RENDERER = PublicFormRenderer()


# Messages that say which field and what to do, where Django's say neither.
FIELD_ERROR_MESSAGES = {
    forms.EmailField: {
        "invalid": _("Enter an email address in the correct format, like name@example.com")
    },
    forms.TimeField: {"invalid": _("Enter a real time, for example 14:30")},
    forms.IntegerField: {"invalid": _("Enter a whole number, like 5")},
    forms.DecimalField: {"invalid": _("Enter a number, like 1.5")},
}


class PublicForm(forms.Form):
    """A form the public fills in: no text field takes control or direction-override
    characters (PostgreSQL cannot store NUL; the others hide or disguise text); errors name
    the field; a long text box says how much it takes."""

    default_renderer = PUBLIC_FORM_RENDERER
    bound_field_class = PublicBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and not any(
                validator is refuse_control_characters for validator in field.validators
            ):
                field.validators.append(refuse_control_characters)
            for kind, messages in FIELD_ERROR_MESSAGES.items():
                if isinstance(field, kind):
                    field.error_messages = {**field.error_messages, **messages}
            if isinstance(field, forms.TimeField) and not field.help_text:
                field.help_text = time_hint()
            if isinstance(field.widget, DateInput) and not field.help_text:
                field.help_text = date_hint()
            if isinstance(field.widget, forms.Textarea) and field.max_length:
                limit = gettext("You can enter up to %(count)s characters.") % {
                    "count": f"{field.max_length:,}"
                }
                field.help_text = f"{field.help_text} {limit}" if field.help_text else limit


class OnceOnlyForm(PublicForm):
    """A form whose submission is saved once, however often it is sent.

    The hidden `submission` field carries a token made when the form is shown; a form sent
    again (a double click, the browser resending it) carries the same token. A form sent
    without a valid token is known by what was entered instead.
    """

    submission = forms.CharField(
        required=False, max_length=36, widget=forms.HiddenInput, initial=lambda: str(uuid.uuid4())
    )
    # Fields left out of the digest of what was entered, when there is no token.
    not_in_key = ("submission", "csrfmiddlewaretoken")

    def clean_submission(self):
        return self._token()

    def _token(self):
        try:
            return str(uuid.UUID(str(self.data.get("submission") or "")))
        except ValueError:
            return ""

    def submission_key(self, kind):
        """A digest naming this submission of the form called `kind` (from what was sent, so
        it can be asked for before the form is validated)."""
        token = self._token()
        if token:
            material = ["token", token]
        else:
            material = [
                "content",
                sorted(
                    (name, self.data.getlist(name) if hasattr(self.data, "getlist") else [])
                    for name, field in self.fields.items()
                    if name not in self.not_in_key
                    and not isinstance(field.widget, forms.PasswordInput)
                ),
            ]
        return salted_hmac(KEY_SALT, json.dumps([kind, material])).hexdigest()


HONEYPOT_FIELD = "website"


class PersonNameField(forms.CharField):
    """A name as people type it: bidi controls removed, and refused if nothing in it shows."""

    default_validators = [validate_visible_name]

    def to_python(self, value):
        value = super().to_python(value)
        return strip_bidi_controls(value).strip() if value else value


class EmailAddressField(forms.EmailField):
    """An email address as people type or paste it: the invisible characters a copy leaves
    around it (direction marks from a right-to-left message, zero-width and non-breaking
    spaces, a byte-order mark) are dropped, not refused as a wrong address."""

    def __init__(self, **kwargs):
        attrs = {"autocomplete": "email", "inputmode": "email", "spellcheck": "false"}
        kwargs.setdefault("widget", forms.EmailInput(attrs=attrs))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return without_invisible(value) if value else value


class WebAddressField(forms.URLField):
    """A web address as people paste it: the invisible format characters a copy leaves in or
    around it (direction marks from a right-to-left message, zero-width spaces, a byte-order
    mark) are dropped, not refused as a wrong address; one typed without its scheme
    ("example.org") is read as https://."""

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(without_format(value) if isinstance(value, str) else value)


class PhoneInput(forms.TextInput):
    """A box for a phone number, which a phone answers with its dial pad."""

    input_type = "tel"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "tel", **(attrs or {})})


class PhoneNumberField(forms.CharField):
    """A phone number as people type it (any script's digits, marks pasted around it, "+44
    (0)..."), kept in the form people dial (`core.phones.phone_number`)."""

    default_error_messages = {"invalid": _("Enter a phone number using digits, spaces and +.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("widget", PhoneInput(attrs={"autocomplete": "tel"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)  # core.phones drops the marks pasted around it
        if value in self.empty_values:
            return value
        try:
            return phone_number(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class HoneypotInput(forms.TextInput):
    """A text box people never see or reach: off screen, hidden from assistive technology,
    out of the tab order and never filled in by the browser."""

    def render(self, name, value, attrs=None, renderer=None):
        field_id = (attrs or {}).get("id") or f"id_{name}"
        return format_html(
            '<div class="honeypot" aria-hidden="true"><label for="{}">{}</label>'
            '<input type="text" name="{}" id="{}" value="" tabindex="-1" autocomplete="off">'
            "</div>",
            field_id,
            _("Leave this empty"),
            name,
            field_id,
        )


class HoneypotField(forms.CharField):
    """A field that people leave empty; software that fills in every field does not."""

    widget = HoneypotInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Leave this empty"))
        super().__init__(**kwargs)

    def clean(self, value):
        if value:
            raise forms.ValidationError(
                _("Something went wrong. Please try again."), code="honeypot"
            )
        return ""


class HoneypotMixin(forms.Form):
    """Adds the honeypot field to a public form."""

    website = HoneypotField()

    @property
    def is_spam(self):
        return bool(self.data.get(HONEYPOT_FIELD))
