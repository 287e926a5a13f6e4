"""Form parts every public form shares: safe text, a person's name, dates in range, the
one-time token and the honeypot."""

import json
import uuid

from django import forms
from django.utils.crypto import salted_hmac
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .validators import (
    date_in_range,
    refuse_control_characters,
    strip_bidi_controls,
    validate_visible_name,
)

KEY_SALT = "core.forms.submission"


class DateField(forms.DateField):
    """A date, refused with a message when it is too far off for the site to work with."""

    default_validators = [date_in_range]


class PublicForm(forms.Form):
    """A form the public fills in: no text field takes control or direction-override
    characters (PostgreSQL cannot store NUL; the others hide or disguise text)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and not any(
                validator is refuse_control_characters for validator in field.validators
            ):
                field.validators.append(refuse_control_characters)


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
