from django import template

from insight import charts

register = template.Library()


@register.simple_tag
def insight_chart(chart):
    """A report.Chart drawn as SVG (the table beside it holds the same figures)."""
    return charts.render(chart)


@register.simple_tag
def insight_table(chart):
    """The same figures as the chart, as an accessible table."""
    return charts.render_table(chart)
