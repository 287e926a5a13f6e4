"""Charts drawn on the server as SVG: horizontal bars, one group per row of the table.

The SVG is a picture of the table printed beside it (same figures, same words); screen
readers are pointed at the table, so the picture carries a title and nothing else to read.
A suppressed figure draws no bar and says "fewer than 5" (or "not shown") in its place.
A summary of different measures draws each row to its own scale (bars compare areas).
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

# Colours with at least 4.5:1 contrast on white, told apart by more than hue alone
# (each series also has its name written in the legend in the same order).
PALETTE = ["#1d4f91", "#b5470b", "#2b6e3f", "#6b3fa0", "#8a1538", "#3d3d3d"]
WIDTH = 640
LABEL_WIDTH = 210
VALUE_WIDTH = 110
BAR_HEIGHT = 16
GAP = 12


def render(chart):
    """The SVG for a report.Chart, or '' when it has no rows.

    Built with plain string formatting (a page has twenty charts of hundreds of shapes):
    every piece of text is escaped here, and the numbers are the code's own.
    """
    if chart.empty:
        return ""
    series = chart.series
    numbers = [p.value for _label, values in chart.rows for p in values if p.value is not None]
    top = max(numbers, default=0) or 1
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    legend_height = 22 * len(series) if len(series) > 1 else 0
    group = BAR_HEIGHT * len(series) + GAP
    height = legend_height + group * len(chart.rows) + GAP
    parts = []
    for index, name in enumerate(series if len(series) > 1 else []):
        y = 4 + 22 * index
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="14" height="14" '
            f'fill="{PALETTE[index % len(PALETTE)]}"></rect>'
            f'<text x="{LABEL_WIDTH + 20}" y="{y + 12}" font-size="13" fill="#0b0c0c">'
            f"{escape(name)}</text>"
        )
    for row_index, (label, values) in enumerate(chart.rows):
        y0 = legend_height + GAP + row_index * group
        if chart.scale_by_row:
            top = max((p.value for p in values if p.value is not None), default=0) or 1
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y0 + BAR_HEIGHT * len(series) / 2 + 4}" '
            f'font-size="13" text-anchor="end" fill="#0b0c0c">{escape(_short(str(label)))}</text>'
        )
        for index, published in enumerate(values):
            y = y0 + index * BAR_HEIGHT
            length = 0 if published.value is None else plot * published.value / top
            if length:
                parts.append(
                    f'<rect x="{LABEL_WIDTH}" y="{y + 1}" width="{max(length, 1):.1f}" '
                    f'height="{BAR_HEIGHT - 3}" fill="{PALETTE[index % len(PALETTE)]}"></rect>'
                )
            parts.append(
                f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{y + BAR_HEIGHT - 4}" '
                f'font-size="12" fill="#0b0c0c">{escape(published.text)}</text>'
            )
    slug = escape(chart.slug)
    return mark_safe(  # noqa: S308 - every piece of text above is escaped
        f'<svg class="insight-chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="chart-{slug}-title" focusable="false">'
        f'<title id="chart-{slug}-title">{escape(chart.title)}</title>{"".join(parts)}</svg>'
    )


def render_table(chart):
    """The chart's figures as a table with its caption (the same words and numbers)."""
    slug = escape(chart.slug)
    head = "".join(f'<th scope="col">{escape(name)}</th>' for name in chart.series)
    body = "".join(
        f'<tr><th scope="row">{escape(label)}</th>'
        + "".join(f"<td>{escape(value.text)}</td>" for value in values)
        + "</tr>"
        for label, values in chart.rows
    )
    return mark_safe(  # noqa: S308 - every piece of text is escaped
        f'<table class="insight-table"><caption id="{slug}-caption">{escape(chart.title)}'
        f'</caption><thead><tr><th scope="col">{escape(chart.row_header)}</th>{head}</tr>'
        f"</thead><tbody>{body}</tbody></table>"
    )


def _short(text, limit=30):
    return text if len(text) <= limit else text[: limit - 1] + "…"
