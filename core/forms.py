"""Form parts every public form shares: the one-time submission token and safe text."""

import json
import uuid

from django import forms
from django.utils.crypto import salted_hmac

KEY_SALT = "core.forms.submission"


class OnceOnlyForm(forms.Form):
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
