"""The base of every snippet admin in the project: Wagtail's, with choosers that speak the
reader's language (`core.widgets.SnippetChooser`)."""

from django.utils.functional import cached_property
from wagtail.snippets.views.chooser import SnippetChooserViewSet as WagtailSnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet as WagtailSnippetViewSet

from core.widgets import SNIPPET_CHOOSER_TEXTS, SnippetChooser


class SnippetChooserViewSet(WagtailSnippetChooserViewSet):
    base_widget_class = SnippetChooser

    @cached_property
    def widget_class(self):
        widget_class = super().widget_class
        # Wagtail copies the button words onto the class as they read at start-up; take them
        # off so that SnippetChooser's words, made in each reader's language, show through.
        for name in SNIPPET_CHOOSER_TEXTS:
            if name in vars(widget_class):
                delattr(widget_class, name)
        return widget_class


class SnippetViewSet(WagtailSnippetViewSet):
    chooser_viewset_class = SnippetChooserViewSet
