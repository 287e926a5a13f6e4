"""The filters on the dashboard, the public page and the downloads; every mistake explained."""

import datetime as dt

from dateutil import rrule
from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import PublicForm

from .areas import ALL, AREA_KINDS, AUTHORITY, DISTRICT
from .figures import month_start

MAX_MONTHS = 36


def parse_month(text):
    try:
        return dt.datetime.strptime(text.strip(), "%Y-%m").date()
    except (ValueError, AttributeError):
        return None


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-04"})

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        month = parse_month(value)
        if month is None:
            raise forms.ValidationError(_("Enter a month as year and month, for example 2026-04."))
        if month > month_start(timezone.localdate()):
            raise forms.ValidationError(
                _("That month is in the future. Choose this month or an earlier one.")
            )
        if month.year < 2000:
            raise forms.ValidationError(_("Choose a month from 2000 onwards."))
        return month


class FigureFilterForm(PublicForm):
    """Months from..to, a kind of area and up to six areas side by side; drawn with the site's
    field template (label above its box, hint, the error beside the field)."""

    month_from = MonthField(label=_("From month"), required=False, max_length=7)
    month_to = MonthField(label=_("To month"), required=False, max_length=7)
    area_kind = forms.ChoiceField(
        label=_("Compare"), choices=AREA_KINDS, required=False, initial=AUTHORITY
    )
    area = forms.CharField(
        label=_("Areas"),
        required=False,
        max_length=400,
        widget=forms.TextInput(attrs={"list": "insight-areas", "autocomplete": "off"}),
        help_text=_("Up to six, separated by commas, for example: Lewisham, Southwark."),
    )

    def __init__(self, data=None, *, known_areas=None, latest=None, **kwargs):
        super().__init__(data, **kwargs)
        self.known_areas = known_areas or {}
        self.latest = latest

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        latest = self.latest or month_start(timezone.localdate())
        end = data.get("month_to") or latest
        start = data.get("month_from") or month_back(end, 11)
        if start > end:
            self.add_error("month_from", _("The first month must not be after the last month."))
            return data
        months = months_between(start, end)
        if len(months) > MAX_MONTHS:
            self.add_error(
                "month_from",
                _("Choose at most %(count)d months at a time.") % {"count": MAX_MONTHS},
            )
            return data
        kind = data.get("area_kind") or ALL
        names = [part.strip() for part in (data.get("area") or "").split(",") if part.strip()]
        known = self.known_areas.get(kind, [])
        lookup = {name.casefold(): name for name in known}
        if kind == DISTRICT:
            lookup.update({name.replace(" ", "").casefold(): name for name in known})
        areas = []
        for name in names[:6]:
            found = lookup.get(name.casefold()) or lookup.get(name.replace(" ", "").casefold())
            if found is None:
                self.add_error(
                    "area",
                    _("We have no figures for an area called “%(name)s”.") % {"name": name[:60]},
                )
                return data
            areas.append(found)
        if len(names) > 6:
            self.add_error("area", _("Choose at most six areas to compare."))
            return data
        data.update(months=months, kind=kind, areas=areas)
        return data


def month_back(month, count):
    return month + relativedelta(months=-count, day=1)


def months_between(start, end):
    """The months from `start` to `end`, both first days of a month, as their first days."""
    return [when.date() for when in rrule.rrule(rrule.MONTHLY, dtstart=start, until=end)]
