"""Form fields shared by the public forms: a person's name, and the honeypot."""

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .validators import strip_bidi_controls, validate_visible_name

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
