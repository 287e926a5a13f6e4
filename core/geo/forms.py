"""The place a visitor searches near, and how far from it: one form part for every search
(directory services, community events), so every search understands places the same way."""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .service import GeocodeError, geocode

KM_PER_MILE = 1.609344
RADIUS_MILES = [1, 3, 5, 10, 25, 50]
DEFAULT_RADIUS_MILES = 5
MAX_PLACE_TEXT = 200


def _within(miles):
    return ngettext("within %(count)d mile", "within %(count)d miles", miles) % {"count": miles}


# Worded when shown, in the visitor's language (formatting a lazy string at import would
# fix it in the language of the process that imported the module).
within = lazy(_within, str)


class DefaultChoiceField(forms.TypedChoiceField):
    """A choice where a missing value means the initial one, and is shown selected as such
    (otherwise a search without the parameter would show the first option, not the one used)."""

    def bound_data(self, data, initial):
        return initial if data in self.empty_values else data


class NearPlaceMixin(forms.Form):
    """The `near` and `radius` fields of a search form, with `near` geocoded once.

    After validation `self.place` is the Place found (None when no place was given), and
    when a place is not recognised `self.suggestions` holds the "did you mean" places.
    """

    near = forms.CharField(
        label=_("Near"),
        help_text=_("A postcode or a town, for example SE13 6LH or Leeds"),
        required=False,
        max_length=MAX_PLACE_TEXT,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "spellcheck": "false"}),
    )
    radius = DefaultChoiceField(
        label=_("Distance"),
        choices=[(m, within(m)) for m in RADIUS_MILES],
        coerce=int,
        initial=DEFAULT_RADIUS_MILES,
        required=False,
        empty_value=DEFAULT_RADIUS_MILES,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.place = None
        self.suggestions = []

    def clean_near(self):
        text = self.cleaned_data.get("near", "").strip()
        if not text:
            return ""
        try:
            self.place = geocode(text)
        except GeocodeError as error:
            self.suggestions = list(error.suggestions)
            raise forms.ValidationError(error.message) from error
        return text

    def radius_km(self):
        """The distance chosen, in kilometres."""
        return (self.cleaned_data.get("radius") or DEFAULT_RADIUS_MILES) * KM_PER_MILE
