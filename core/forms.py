"""Form parts every public form shares: safe text, dates in range, the one-time token."""

import json
import uuid

from django import forms
from django.utils.crypto import salted_hmac

from .validators import date_in_range, refuse_control_characters

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
