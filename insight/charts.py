"""Charts drawn on the server as SVG: horizontal bars, one group per row of the table.

The SVG is a picture of the table printed beside it (same figures, same words); screen
readers are pointed at the table, so the picture carries a title and nothing else to read.
A suppressed figure draws no bar and says "fewer than 5" (or "not shown") in its place.
"""

from django.utils.html import format_html
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
    """The SVG for a report.Chart, or '' when it has no rows."""
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
            format_html(
                '<rect x="{}" y="{}" width="14" height="14" fill="{}"></rect>'
                '<text x="{}" y="{}" font-size="13" fill="#0b0c0c">{}</text>',
                LABEL_WIDTH,
                y,
                PALETTE[index % len(PALETTE)],
                LABEL_WIDTH + 20,
                y + 12,
                name,
            )
        )
    for row_index, (label, values) in enumerate(chart.rows):
        y0 = legend_height + GAP + row_index * group
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="13" text-anchor="end" fill="#0b0c0c">{}</text>',
                LABEL_WIDTH - 8,
                y0 + BAR_HEIGHT * len(series) / 2 + 4,
                _short(str(label)),
            )
        )
        for index, published in enumerate(values):
            y = y0 + index * BAR_HEIGHT
            length = 0 if published.value is None else plot * published.value / top
            if length:
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>',
                        LABEL_WIDTH,
                        y + 1,
                        f"{max(length, 1):.1f}",
                        BAR_HEIGHT - 3,
                        PALETTE[index % len(PALETTE)],
                    )
                )
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="12" fill="#0b0c0c">{}</text>',
                    f"{LABEL_WIDTH + length + 4:.1f}",
                    y + BAR_HEIGHT - 4,
                    published.text,
                )
            )
    return format_html(
        '<svg class="insight-chart" viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-labelledby="chart-{}-title" focusable="false">'
        '<title id="chart-{}-title">{}</title>{}</svg>',
        WIDTH,
        height,
        chart.slug,
        chart.slug,
        chart.title,
        mark_safe("".join(parts)),  # noqa: S308 - every part was built with format_html
    )


def _short(text, limit=30):
    return text if len(text) <= limit else text[: limit - 1] + "…"
