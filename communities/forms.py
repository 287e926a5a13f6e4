"""The 'what's on' search form and the booking form."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.event_search import MAX_RANGE_DAYS, EventQuery
from communities.models import LANGUAGE_CHOICES, EventType
from core.dates import uk_date
from core.forms import (
    DateField,
    EmailAddressField,
    HoneypotMixin,
    OnceOnlyForm,
    PersonNameField,
    PublicForm,
)
from core.geo.forms import NearPlaceMixin

DEFAULT_RANGE_DAYS = 60


class EventSearchForm(NearPlaceMixin, PublicForm):
    """Validates the filters and turns them into an EventQuery (geocoding the place once).

    The place, its distances and its geocoding (with "did you mean" suggestions) are
    core.geo's, as in the directory search, so both searches understand places the same way.
    """

    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("To"), required=False)
    event_type = forms.MultipleChoiceField(
        label=_("Type of event"),
        required=False,
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Any language"))] + LANGUAGE_CHOICES,
    )
    attendance = forms.ChoiceField(
        label=_("In person or online"),
        required=False,
        choices=[("", _("Both")), ("in_person", _("In person")), ("online", _("Online"))],
        widget=forms.RadioSelect,
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=1000, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        start = data.get("date_from") or today
        end = data.get("date_to") or start + dt.timedelta(days=DEFAULT_RANGE_DAYS)
        if data.get("date_from") and data.get("date_to") and end < start:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        elif (end - start).days > MAX_RANGE_DAYS:
            self.add_error("date_to", _("Choose dates less than a year apart."))
        data["start"], data["end"] = start, end
        return data

    def to_query(self, group_id=None):
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        start = dt.datetime.combine(data["start"], dt.time.min, tzinfo=zone)
        if data["start"] == timezone.localdate():
            start = max(start, timezone.now())
        end = dt.datetime.combine(data["end"] + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        place = self.place
        return EventQuery(
            start=start,
            end=end,
            latitude=place.latitude if place else None,
            longitude=place.longitude if place else None,
            radius_km=self.radius_km() if place else None,
            event_types=tuple(data.get("event_type") or ()),
            language=data.get("language") or "",
            attendance=data.get("attendance") or "",
            group_id=group_id,
        )


class BookingForm(HoneypotMixin, OnceOnlyForm):
    """A name, an email address and which date."""

    starts_at = forms.ChoiceField(
        label=_("Which date?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the date you want to come")},
    )
    name = PersonNameField(
        label=_("Your name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": _("Enter your name")},
    )
    email = EmailAddressField(
        label=_("Your email address"),
        help_text=_("We send your confirmation here, with a link to cancel if you need to."),
        error_messages={"required": _("Enter your email address")},
    )

    def __init__(self, *args, occurrences=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.occurrences = {o.key.isoformat(): o for o in occurrences}
        self.fields["starts_at"].choices = [
            (key, _occurrence_label(o)) for key, o in self.occurrences.items()
        ]
        if len(self.occurrences) == 1:
            self.fields["starts_at"].initial = next(iter(self.occurrences))

    def clean_starts_at(self):
        return self.occurrences[self.cleaned_data["starts_at"]]


def _occurrence_label(occurrence):
    return uk_date(occurrence.start, weekday=True, time=True)
