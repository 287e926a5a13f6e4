"""Admin widgets that make Wagtail's own editors named for assistive technology."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from wagtail.admin.rich_text import DraftailRichTextArea
from wagtail.snippets.widgets import AdminSnippetChooser


class LabelledDraftailRichTextArea(DraftailRichTextArea):
    """Draftail, with its editable area named by the field's label.

    Wagtail labels a field panel `<label id="<field id>-label">` but gives the editor only
    `aria-describedby` (the help text), so a screen reader announces an unnamed text box
    (axe-core: aria-input-field-name). Draftail takes `ariaLabelledBy` among its options.
    """

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        element_id = context["widget"]["attrs"].get("id")
        if element_id:
            options = {**self.options, "ariaLabelledBy": f"{element_id}-label"}
            context["widget"]["attrs"]["data-w-init-detail-value"] = json.dumps(
                options, cls=DjangoJSONEncoder
            )
        return context


# Wagtail's own messages, looked up in Wagtail's catalogues in the reader's language at render
# time (called through this name so that `make messages` leaves them to Wagtail).
_wagtails = translation.gettext
SNIPPET_CHOOSER_TEXTS = ("choose_one_text", "choose_another_text", "link_to_chosen_text")


class SnippetChooser(AdminSnippetChooser):
    """Wagtail's snippet chooser, with its button words in the language of each reader.

    Wagtail writes "Choose organisation" into the widget once, when the form is built, and
    builds a snippet's forms once, when the admin's URLs load: in whatever language that
    first request had. Here the words are made each time the widget is shown.
    """

    def _named(self, message):
        return _wagtails(message) % {"object": self.model._meta.verbose_name}

    @property
    def choose_one_text(self):
        return self._named("Choose %(object)s")

    @choose_one_text.setter
    def choose_one_text(self, value):
        pass  # Wagtail's __init__ sets it in the language of the moment; it is made above

    @property
    def choose_another_text(self):
        return self._named("Choose another %(object)s")

    @choose_another_text.setter
    def choose_another_text(self, value):
        pass

    @property
    def link_to_chosen_text(self):
        return self._named("Edit this %(object)s")

    @link_to_chosen_text.setter
    def link_to_chosen_text(self, value):
        pass
