"""The illustrations drawn for the site, with the words that stand for them.

Editors choose one by name for a home-page action or feature. Each is an SVG file under
static/images/illustrations/; `alt` describes it for readers who cannot see it, and is left
out where the picture only repeats the words beside it.
"""

from dataclasses import dataclass

from django.templatetags.static import static
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Illustration:
    name: str
    label: Promise  # what an editor chooses from
    alt: Promise  # what a reader who cannot see it is told

    @property
    def url(self):
        return static(f"images/illustrations/{self.name}.svg")


ILLUSTRATIONS = {
    illustration.name: illustration
    for illustration in [
        Illustration(
            "neighbours",
            _("Neighbours"),
            _("Two neighbours talk at a garden gate while a third brings a pot of tea."),
        ),
        Illustration(
            "stories",
            _("Stories"),
            _("Two people share a pot of tea and talk on a bench under a tree."),
        ),
        Illustration(
            "guides",
            _("Guides"),
            _("An open book with a leaf laid on its pages, beside a lit candle."),
        ),
        Illustration(
            "practical-help",
            _("Practical help"),
            _("A shopping bag of groceries handed from one person to another."),
        ),
        Illustration(
            "volunteer",
            _("Volunteering"),
            _("A raised hand holding a heart."),
        ),
        Illustration(
            "events",
            _("Events"),
            _("Cups of tea around a table, with a calendar page."),
        ),
    ]
}


def illustration_choices():
    return [(illustration.name, illustration.label) for illustration in ILLUSTRATIONS.values()]


def get_illustration(name):
    """The illustration called `name`, or None for an empty or unknown name."""
    return ILLUSTRATIONS.get(name or "")
