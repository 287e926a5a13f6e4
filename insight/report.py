"""Published figures for a selection of months and areas, shaped as charts with tables.

Everything shown passes through `insight.publish`: counts are summed over the months chosen
before the rule is applied, so a period's total is rounded once, not month by month.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .areas import ALL, EVERYWHERE
from .measures import BY_CODE, COUNT, HOURS, SHARE
from .models import Figure
from .publish import publish

REQUESTERS = {
    "self": _("the person themselves"),
    "carer": _("a carer or relative"),
    "professional": _("a professional on their behalf"),
}
ENDINGS = {"expired": _("expired"), "withdrawn": _("withdrawn")}
WHY = {
    "no_one_trained": _("no volunteer trained and checked"),
    "no_one_in_reach": _("none within reach"),
    "no_one_free": _("none free at that time"),
    "no_one_with_room": _("none with room for another task"),
    "all_asked": _("everyone suitable already asked"),
    "declined_or_timed_out": _("offers declined or timed out"),
}
QUESTIONS = {
    "supported": _("Did you feel supported?"),
    "needed": _("Was the help what you needed?"),
    "ask_again": _("Would you ask again?"),
    "wellbeing": _("Are you feeling all right after this task?"),
    "volunteer_supported": _("Did you feel supported by the coordinators?"),
}
# Head counts at the end of a month: over a period, the latest month counts, not the sum.
SNAPSHOTS = {"volunteers_active", "volunteers_current", "services_listed", "services_stale"}
ANSWERS = {"yes": _("yes"), "partly": _("partly"), "no": _("no")}


@dataclass
class Chart:
    """A chart and the same figures as a table: rows of published values, one per series."""

    slug: str
    title: object
    description: object
    row_header: object
    series: list
    rows: list = field(default_factory=list)  # [(label, [Published, ...])]
    # Rows of different measures (a summary) are each drawn to their own scale.
    scale_by_row: bool = False

    @property
    def empty(self):
        return not self.rows

    @property
    def drawn(self):
        """Whether a picture adds to the table: a summary scales each row to its own largest
        value, so with one series every bar would be full length and compare nothing."""
        return not self.empty and not (self.scale_by_row and len(self.series) < 2)


class Report:
    """The figures for some months and areas, read once from `Figure`."""

    def __init__(self, months, kind=ALL, areas=()):
        self.months = list(months)
        self.kind = kind
        self.areas = list(areas) or ([EVERYWHERE] if kind == ALL else [])
        self.values = defaultdict(float)  # (area, month, measure, breakdown) -> raw value
        self.totals = defaultdict(float)
        self.found = defaultdict(set)
        if not self.months:
            return
        queryset = Figure.objects.filter(
            area_kind=kind, month__gte=self.months[0], month__lte=self.months[-1]
        )
        if kind != ALL:
            if not self.areas:
                self.areas = self._busiest(queryset)
            queryset = queryset.filter(area__in=self.areas)
        self.totals = defaultdict(float)  # (area, measure, breakdown) -> sum over the months
        self.found = defaultdict(set)  # measure -> breakdowns present
        for area, month, measure, breakdown, value in queryset.values_list(
            "area", "month", "measure", "breakdown", "value"
        ):
            self.values[area, month, measure, breakdown] = value
            self.totals[area, measure, breakdown] += value
            self.found[measure].add(breakdown)

    def _busiest(self, queryset, limit=4):
        """The `limit` areas with the most requests over the months (ties by name); the
        first by name when no area has any."""
        busiest = (
            queryset.filter(measure="requests", breakdown="")
            .values("area")
            .annotate(total=Sum("value"))
            .order_by("-total", "area")
            .values_list("area", flat=True)[:limit]
        )
        if areas := list(busiest):
            return areas
        return list(queryset.values_list("area", flat=True).distinct().order_by("area")[:limit])

    def area_label(self, area):
        return str(_("Whole site")) if self.kind == ALL else area

    def month_label(self, month):
        return date_format(month, "M Y")

    # Raw sums and published values

    def raw(self, area, measure, breakdown=""):
        return self.totals.get((area, measure, breakdown), 0)

    def period(self, area, measure, breakdown=""):
        """A measure over the whole period, published (a head count at the latest month)."""
        kind = BY_CODE[measure].kind
        if measure in SNAPSHOTS:
            held = [m for m in self.months if (area, m, measure, breakdown) in self.values]
            return publish(measure, self.values[area, held[-1], measure, breakdown] if held else 0)
        if kind in (COUNT,):
            return publish(measure, self.raw(area, measure, breakdown))
        if kind == HOURS:
            return publish(measure, self.raw(area, measure), self.raw(area, "tasks_closed"))
        if kind == SHARE:
            info = BY_CODE[measure]
            total, part = self.raw(area, info.basis), self.raw(area, info.part)
            return publish(measure, 100 * part / total if total else 0, total)
        raise ValueError(measure)

    def monthly(self, area, month, measure, breakdown=""):
        """A measure for one month, published."""
        info = BY_CODE[measure]
        value = self.values.get((area, month, measure, breakdown), 0)
        basis = None
        if info.kind == HOURS:
            basis = self.values.get((area, month, "tasks_closed", ""), 0)
        elif info.basis:
            basis = self.values.get((area, month, info.basis, ""), 0)
        return publish(measure, value, basis)

    def breakdowns(self, measure, prefix):
        return sorted(b[len(prefix) :] for b in self.found[measure] if b.startswith(prefix))

    # Charts

    def _areas_series(self):
        return [self.area_label(area) for area in self.areas]

    def by_month(self, slug, measure, title=None):
        info = BY_CODE[measure]
        rows = [
            (
                self.month_label(month),
                [self.monthly(area, month, measure) for area in self.areas],
            )
            for month in self.months
        ]
        return Chart(
            slug, title or info.label, info.description, _("Month"), self._areas_series(), rows
        )

    def by_breakdown(self, slug, measure, prefix, labels, title, description):
        keys = self.breakdowns(measure, prefix)
        rows = [
            (
                str(labels.get(key, key)),
                [self.period(area, measure, prefix + key) for area in self.areas],
            )
            for key in keys
        ]
        return Chart(slug, title, description, _("Breakdown"), self._areas_series(), rows)

    def summary(self, slug, measures, title, description):
        rows = [
            (BY_CODE[code].label, [self.period(area, code) for area in self.areas])
            for code in measures
        ]
        return Chart(
            slug, title, description, _("Figure"), self._areas_series(), rows, scale_by_row=True
        )

    def timings(self, area, index=0):
        codes = ["first_offer_median", "first_offer_p90", "acceptance_median", "acceptance_p90"]
        rows = [
            (self.month_label(month), [self.monthly(area, month, code) for code in codes])
            for month in self.months
        ]
        return Chart(
            f"timings-{index}",
            _("Hours from asking to an offer and to acceptance: %(area)s")
            % {"area": self.area_label(area)},
            _("Medians and 90th percentiles, shown where 10 or more requests stand behind them."),
            _("Month"),
            [BY_CODE[code].label for code in codes],
            rows,
        )

    def surveys(self, survey, questions, title):
        measure = f"survey_{survey}"
        rows = []
        for question in questions:
            for answer in ANSWERS:
                rows.append(
                    (
                        f"{QUESTIONS[question]} {ANSWERS[answer]}",
                        [self.period(area, measure, f"{question}:{answer}") for area in self.areas],
                    )
                )
        return Chart(
            survey, title, BY_CODE[measure].description, _("Answer"), self._areas_series(), rows
        )

    def charts(self, public=False):
        """Every chart of the dashboard (the public page shows the same, fewer timings)."""
        charts = [
            self.summary(
                "summary",
                [
                    "requests",
                    "requests_matched",
                    "share_matched",
                    "requests_unmatched",
                    "volunteers_active",
                    "tasks_closed",
                    "volunteer_hours",
                    "searches",
                    "searches_nothing_near",
                    "events_held",
                    "places_booked",
                    "places_used",
                ],
                _("The period at a glance"),
                _("Totals over the months chosen, areas side by side."),
            ),
            self.by_month("requests", "requests"),
            self.by_month("share-matched", "share_matched"),
            self.by_breakdown(
                "kinds",
                "requests",
                "kind:",
                {},
                _("Help requests by kind of help"),
                _("Requests received over the period, by the type of help asked for."),
            ),
            self.by_breakdown(
                "who-asked",
                "requests",
                "by:",
                REQUESTERS,
                _("Help requests by who asked"),
                _("Requests received over the period, by who asked for the help."),
            ),
            self.by_breakdown(
                "endings",
                "requests_unmatched",
                "ended:",
                ENDINGS,
                _("Requests that ended with nobody matched"),
                _("How requests without a volunteer ended."),
            ),
            self.by_breakdown(
                "why",
                "requests_unmatched",
                "why:",
                WHY,
                _("Why nobody was matched"),
                _("The first matching step that left no volunteer."),
            ),
        ]
        if not public:
            charts += [self.timings(area, index) for index, area in enumerate(self.areas)]
        charts += [
            self.by_month("volunteers", "volunteers_active"),
            self.by_month("volunteers-current", "volunteers_current"),
            self.by_month("hours", "volunteer_hours"),
            self.by_month("searches", "searches"),
            self.by_month("nothing-near", "searches_nothing_near"),
            self.by_breakdown(
                "categories",
                "searches",
                "category:",
                {},
                _("Directory searches by category"),
                _("Searches over the period that chose a category."),
            ),
            self.summary(
                "services",
                ["services_listed", "services_stale"],
                _("Directory services by area"),
                _("Services with a location in each area, and those not checked for a year."),
            ),
            self.summary(
                "events",
                [
                    "events_held",
                    "places_offered",
                    "places_booked",
                    "registers_taken",
                    "places_booked_registered",
                    "places_used",
                    "share_used",
                ],
                _("Community events"),
                _(
                    "Events held over the period and the places at them. Places used are "
                    "counted from the registers groups take after each date."
                ),
            ),
            self.surveys(
                "helped",
                ["supported", "needed", "ask_again"],
                _("What people helped told us"),
            ),
            self.surveys(
                "wellbeing", ["wellbeing", "volunteer_supported"], _("How volunteers are")
            ),
        ]
        return charts
