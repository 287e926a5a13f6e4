"""Forms of the communities admin: the register of who came to a date."""

from django import forms
from django.utils.translation import gettext_lazy as _


class RegisterForm(forms.Form):
    """One box for each person with a place on the date, ticked for those who came."""

    came = forms.TypedMultipleChoiceField(
        label=_("Who came"),
        help_text=_("Tick everyone who came. Leave a box empty if the person did not come."),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, bookings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["came"].choices = [(booking.pk, booking.name) for booking in bookings]
        if not self.is_bound:
            self.initial["came"] = [booking.pk for booking in bookings if booking.attended]
