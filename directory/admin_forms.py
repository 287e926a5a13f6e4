"""Admin forms that keep organisation editors inside their own organisations."""

from django import forms
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from core.forms import WebAddressField
from core.geo import GeocodeError, geocode
from core.geo.postcodes import normalise_postcode
from core.recurrence import parse_monthdays
from directory.models import (
    Address,
    Organization,
    Program,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from directory.permissions import can_edit_any, editable_organization_ids


class OrganizationScopedForm(WagtailAdminModelForm):
    """Limits the organisation (and location) choices to those the user edits."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is None or can_edit_any(for_user):
            return
        allowed = editable_organization_ids(for_user)
        if "organization" in self.fields:
            self.fields["organization"].queryset = Organization.objects.filter(pk__in=allowed)
            self.fields["organization"].required = True
        if "program" in self.fields:
            self.fields["program"].queryset = Program.objects.filter(organization_id__in=allowed)

    def clean_organization(self):
        organization = self.cleaned_data.get("organization")
        user = self.for_user
        if user is None or can_edit_any(user):
            return organization
        if organization is None or organization.pk not in editable_organization_ids(user):
            raise forms.ValidationError(_("You can only edit your own organisation's records."))
        return organization


class ServiceAdminForm(OrganizationScopedForm):
    """A new service with the same name as one at the same postcode is saved only once the
    editor says it is a different service (the warning names the other one)."""

    confirm_not_duplicate = forms.BooleanField(
        label=_("This is a different service: save it anyway"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "Only at this location" offers this service's own locations, not every one.

        own = (
            ServiceAtLocation.objects.filter(service=self.instance).select_related("location")
            if self.instance.pk
            else ServiceAtLocation.objects.none()
        )
        schedules = getattr(self, "formsets", {}).get("schedules")
        if schedules is not None:
            # Through the formset's form arguments, so that the empty form a new opening time
            # is made from (built afresh each time the formset is asked for it) has them too.
            schedules.form_kwargs["service_at_locations"] = own

    def clean(self):
        cleaned = super().clean()
        minimum, maximum = cleaned.get("minimum_age"), cleaned.get("maximum_age")
        if minimum is not None and maximum is not None and minimum > maximum:
            self.add_error("maximum_age", _("The maximum age must not be below the minimum age."))
        program, organization = cleaned.get("program"), cleaned.get("organization")
        if program and organization and program.organization_id != organization.pk:
            self.add_error("program", _("Choose one of this organisation's programmes."))
        self.duplicates = []
        if self.instance._state.adding and cleaned.get("name"):
            self.duplicates = duplicate_services(cleaned["name"], self._postcodes())
            if self.duplicates and not cleaned.get("confirm_not_duplicate"):
                self.add_error(
                    "name",
                    _(
                        "%(service)s (%(organisation)s) already has this name at %(postcode)s. "
                        "Edit that service instead, or tick “This is a different service” below."
                    )
                    % {
                        "service": self.duplicates[0][0].name,
                        "organisation": self.duplicates[0][0].organization.name,
                        "postcode": self.duplicates[0][1],
                    },
                )
        return cleaned

    def _postcodes(self):
        formset = getattr(self, "formsets", {}).get("service_at_locations")
        if formset is None or not formset.is_valid():
            return set()
        locations = [
            form.cleaned_data["location"]
            for form in formset.forms
            if form.cleaned_data.get("location") and not form.cleaned_data.get("DELETE")
        ]
        return {
            postcode
            for location in locations
            for postcode in (
                normalise_postcode(code)
                for code in location.addresses.values_list("postal_code", flat=True)
            )
            if postcode
        }


def duplicate_services(name, postcodes):
    """[(service, postcode)]: existing services with this name (any case) at these postcodes."""
    if not postcodes:
        return []

    found = []
    for service in Service.objects.filter(name__iexact=name.strip()).select_related("organization"):
        codes = Address.objects.filter(location__service_at_locations__service=service).values_list(
            "postal_code", flat=True
        )
        for code in codes:
            if normalise_postcode(code) in postcodes:
                found.append((service, normalise_postcode(code)))
                break
    return found


class LocationAdminForm(OrganizationScopedForm):
    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if latitude is not None and not -90 <= latitude <= 90:
            self.add_error("latitude", _("Latitude must be between -90 and 90."))
        if longitude is not None and not -180 <= longitude <= 180:
            self.add_error("longitude", _("Longitude must be between -180 and 180."))
        if (latitude is None) != (longitude is None):
            self.add_error("longitude", _("Give both latitude and longitude, or neither."))
        if latitude is None and cleaned.get("location_type") == "physical":
            self._check_addresses_geocode()
        return cleaned

    def _check_addresses_geocode(self):
        """A place people visit must be findable on a map: its postcode must geocode."""
        formset = self.formsets.get("addresses")
        if formset is None or not formset.is_valid():
            return
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            postcode = (data.get("postal_code") or "").strip()
            if not postcode:
                continue
            try:
                geocode(postcode)
            except GeocodeError as error:
                form.add_error(
                    "postal_code", error.message or _("We could not find this postcode.")
                )


class WeekdaysWidget(forms.Widget):
    """Days of the week as tick boxes, with "which week of the month" for monthly rules,
    stored as HSDS's RRULE BYDAY text ("MO,WE", "1MO", "-1FR") but never typed as it."""

    template_name = "directory/admin/weekdays_widget.html"

    class Media:
        css = {"all": ["css/opening_times.css"]}  # each day's box far enough from the next

    DAYS = [
        ("MO", _("Monday")),
        ("TU", _("Tuesday")),
        ("WE", _("Wednesday")),
        ("TH", _("Thursday")),
        ("FR", _("Friday")),
        ("SA", _("Saturday")),
        ("SU", _("Sunday")),
    ]
    WEEKS = [
        ("", _("Every week")),
        ("1", _("First in the month")),
        ("2", _("Second in the month")),
        ("3", _("Third in the month")),
        ("4", _("Fourth in the month")),
        ("-1", _("Last in the month")),
    ]

    @classmethod
    def parse(cls, value):
        """(week, days) from BYDAY text; the week is "" unless every day shares one."""
        tokens = [token.strip().upper() for token in (value or "").split(",") if token.strip()]
        weeks = {token[:-2] for token in tokens}
        week = weeks.pop() if len(weeks) == 1 else ""
        return week, [token[-2:] for token in tokens]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        week, days = self.parse(value)
        context["widget"].update(
            {
                "days": [(code, label, code in days) for code, label in self.DAYS],
                "weeks": [(code, label, code == week) for code, label in self.WEEKS],
            }
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's templates, not the form renderer's (which looks only in apps).
        return render_to_string(self.template_name, self.get_context(name, value, attrs))

    def value_from_datadict(self, data, files, name):
        days = []
        for value in data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []:
            days.extend(token.strip().upper() for token in str(value).split(",") if token.strip())
        week = (data.get(f"{name}_week") or "").strip()
        if week not in {code for code, _label in self.WEEKS}:
            week = ""
        if week:
            days = [week + day[-2:] for day in days]
        return ",".join(days)

    def value_omitted_from_data(self, data, files, name):
        return False


class OrganizationAdminForm(OrganizationScopedForm):
    """An organisation's editors: the current ones as tick boxes (untick to remove), and one
    more added by their email address, so no list of every account (volunteers included) is
    shown and one slip cannot unselect everyone."""

    editors = forms.ModelMultipleChoiceField(
        label=_("Editors"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Untick someone to take away their editing of this organisation."),
    )
    add_editor = forms.EmailField(
        label=_("Add an editor by email address"),
        help_text=_("They need an account on this site already."),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = (
            self.instance.editors.all()
            if self.instance.pk
            else self.instance.editors.model.objects.none()
        )
        if "editors" in self.fields:
            self.fields["editors"].queryset = current.order_by("email")
            self.fields["editors"].label_from_instance = lambda user: (
                f"{user.get_full_name()} <{user.email}>" if user.get_full_name() else user.email
            )

    def clean_add_editor(self):
        email = (self.cleaned_data.get("add_editor") or "").strip()
        if not email:
            return None
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("There is no account with this email address."))
        return user

    def clean(self):
        cleaned = super().clean()
        if "editors" in self.fields:
            editors = list(cleaned.get("editors") or [])
            added = cleaned.get("add_editor")
            if added is not None and added not in editors:
                editors.append(added)
            cleaned["editors"] = editors
        return cleaned


class TaxonomyTermAdminForm(WagtailAdminModelForm):
    """A term's form: "found under" offers the terms that are not themselves mapped elsewhere,
    grouped by taxonomy; the model's clean() refuses a term of the term's own taxonomy."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("maps_to")
        if field is None:
            return
        targets = TaxonomyTerm.objects.filter(maps_to__isnull=True).select_related(
            "taxonomy", "parent"
        )
        if self.instance.pk is not None:
            targets = targets.exclude(pk=self.instance.pk)
            if self.instance.taxonomy_id is not None:
                targets = targets.exclude(taxonomy_id=self.instance.taxonomy_id)
        field.queryset = targets.order_by("taxonomy__name", "name")
        groups = {}
        for term in field.queryset:
            groups.setdefault(term.taxonomy.name, []).append((term.pk, str(term)))
        field.widget.choices = [("", "---------"), *groups.items()]


def month_day_label(day):
    """A BYMONTHDAY number in words: "1" ... "31", "Last day of the month", or another day
    counted from the end (which only imported feeds hold)."""
    if day > 0:
        return str(day)
    if day == -1:
        return _("Last day of the month")
    return _("Day %(number)s from the end of the month") % {"number": -day}


class MonthDaysWidget(forms.CheckboxSelectMultiple):
    """The days of the month as tick boxes in a grid seven to a row, like a calendar, with
    "Last day of the month" on a row of its own: a fieldset whose legend names the field
    (templates/directory/admin/month_days_widget.html, static/css/opening_times.css)."""

    template_name = "directory/admin/month_days_widget.html"

    class Media:
        css = {"all": ["css/opening_times.css"]}

    def __init__(self, attrs=None, legend=""):
        super().__init__(attrs)
        self.legend = legend

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = {str(v) for v in (value or [])}
        base = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["widget"]["legend"] = self.legend
        context["widget"]["options"] = [
            {
                "value": choice,
                "label": label,
                "id": f"{base}_{index}",
                "selected": str(choice) in chosen,
                "wide": not (isinstance(choice, int) and choice > 0),
            }
            for index, (choice, label) in enumerate(self.choices)
        ]
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's template engine, which reads templates/ (the form renderer reads only
        # the apps' own template folders).
        return render_to_string(self.template_name, self.get_context(name, value, attrs))


class ScheduleAdminForm(WagtailAdminModelForm):
    """One opening time, each HSDS part asked for in words: how often it repeats, the days
    of the month as tick boxes, the date the repeats are counted from, a timetable's link."""

    MONTH_DAYS = [*range(1, 32), -1]

    interval = forms.IntegerField(
        label=_("Repeats every"),
        help_text=_(
            "The number of weeks (or months, for a monthly time) between openings: "
            "1 for every week, 2 for every other week."
        ),
        min_value=1,
        max_value=52,
        initial=1,
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value", "max_value"),
            _(
                "Enter how often it repeats as a whole number from 1 to 52, "
                "like 2 for every other week."
            ),
        ),
    )
    bymonthday = forms.TypedMultipleChoiceField(
        label=_("Day of the month"),
        help_text=_(
            "For a monthly time on a date, like the 1st or the last day: tick the days. "
            "Leave them empty for a time on a weekday."
        ),
        coerce=int,
        required=False,
        widget=MonthDaysWidget,
        error_messages={
            "invalid_choice": _("Choose days of the month from 1 to 31, or the last day."),
        },
    )
    dtstart = forms.DateField(
        label=_("Starts on"),
        help_text=_(
            "The date of the first opening, like 05/01/2027. For a time that repeats every "
            "2 weeks or more, the weeks (or months) are counted from it."
        ),
        required=False,
        input_formats=["%d/%m/%Y", "%d/%m/%y", "%d %m %Y", "%Y-%m-%d"],
        widget=AdminDateInput,
        error_messages={"invalid": _("Enter a real date for when it starts, like 05/01/2027.")},
    )
    schedule_link = WebAddressField(
        label=_("Link to timetable"),
        help_text=_("A web page with the full timetable, if there is one."),
        required=False,
        error_messages={
            "invalid": _(
                "Enter a link in the right format, like https://www.example.org/timetable."
            )
        },
    )

    def __init__(self, *args, service_at_locations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if service_at_locations is not None and "service_at_location" in self.fields:
            # "Only at this location": the service's own places (ServiceAdminForm gives them).
            self.fields["service_at_location"].queryset = service_at_locations
        try:
            stored = parse_monthdays(self.instance.bymonthday)
        except ValueError:
            stored = ()
        days = [*self.MONTH_DAYS, *(day for day in stored if day not in self.MONTH_DAYS)]
        self.fields["bymonthday"].choices = [(day, month_day_label(day)) for day in days]
        self.fields["bymonthday"].widget.legend = self.fields["bymonthday"].label
        self.initial["bymonthday"] = list(stored)

    def clean_bymonthday(self):
        return ",".join(str(day) for day in self.cleaned_data.get("bymonthday") or [])

    def clean(self):
        cleaned = super().clean()
        # Rows imported with these parts stay editable; the checks are for what staff change.
        changed = set(self.changed_data)
        if (
            "bymonthday" in changed
            and cleaned.get("bymonthday")
            and cleaned.get("freq") != "MONTHLY"
        ):
            self.add_error(
                "bymonthday",
                _(
                    "Days of the month are for a time that repeats every month: choose "
                    "“Every month” above, or untick them."
                ),
            )
        if (
            changed & {"interval", "dtstart"}
            and (cleaned.get("interval") or 1) > 1
            and not cleaned.get("dtstart")
            and "dtstart" not in self.errors
        ):
            self.add_error(
                "dtstart",
                _(
                    "Enter the date of the first opening, so that the weeks (or months) "
                    "can be counted from it."
                ),
            )
        return cleaned
