"""Open data: the published figures as CSV and JSON, streamed row by row.

Each row is one measure for one month and one area after the publishing rule
(`insight.publish`): `value` is the published number, or empty with `note` saying
"fewer than 5" or "not shown (too few)". Rows are read in order with a server-side cursor,
so a large site's download starts at once and never holds everything in memory.
"""

import csv
import io
import json
from itertools import groupby

from django.utils.translation import gettext_lazy as _

from .measures import BY_CODE, HOURS
from .models import Figure
from .publish import publish

LICENCE = {
    "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "attribution": _("Contains anonymous figures from the Compassionate Communities network."),
}
COLUMNS = ["month", "area_type", "area", "measure", "breakdown", "value", "note"]


def published_rows(months, kind=None, areas=()):
    """Dicts of published figures for the months (and kind of area, and areas) chosen."""
    queryset = Figure.objects.filter(month__gte=months[0], month__lte=months[-1])
    if kind:
        queryset = queryset.filter(area_kind=kind)
        if areas:
            queryset = queryset.filter(area__in=areas)
    rows = queryset.order_by("month", "area_kind", "area", "measure", "breakdown").values_list(
        "month", "area_kind", "area", "measure", "breakdown", "value"
    )
    for (month, area_kind, area), group in groupby(
        rows.iterator(chunk_size=2000), key=lambda row: row[:3]
    ):
        group = list(group)
        totals = {
            measure: value for _m, _k, _a, measure, breakdown, value in group if not breakdown
        }
        for _m, _k, _a, measure, breakdown, value in group:
            info = BY_CODE.get(measure)
            if info is None:
                continue
            basis = (
                totals.get("tasks_closed", 0) if info.kind == HOURS else totals.get(info.basis, 0)
            )
            shown = publish(measure, value, basis)
            yield {
                "month": month.strftime("%Y-%m"),
                "area_type": area_kind,
                "area": area,
                "measure": measure,
                "breakdown": breakdown,
                "value": shown.value,
                "note": shown.text if shown.suppressed else "",
            }


def csv_lines(months, kind=None, areas=()):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    yield buffer.getvalue()
    for row in published_rows(months, kind, areas):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow({**row, "value": "" if row["value"] is None else row["value"]})
        yield buffer.getvalue()


def json_chunks(months, kind=None, areas=()):
    head = {
        "licence": {key: str(value) for key, value in LICENCE.items()},
        "rule": str(
            _(
                "Counts from 1 to 4 are shown as 'fewer than 5'; other counts are rounded to "
                "the nearest 5. See the data dictionary."
            )
        ),
        "dictionary": {
            code: {"kind": m.kind, "label": str(m.label), "description": str(m.description)}
            for code, m in BY_CODE.items()
        },
    }
    yield json.dumps(head)[:-1] + ', "figures": ['
    first = True
    for row in published_rows(months, kind, areas):
        yield ("" if first else ",") + json.dumps(row)
        first = False
    yield "]}"
