"""Wagtail's admin widgets speak the reader's language and are named for screen readers,
whenever their form was built."""

import pytest
from django.apps import apps
from django.utils import translation
from wagtail.snippets.models import get_snippet_models

from core.widgets import LabelledDraftailRichTextArea


def chooser_models():
    return [model for model in get_snippet_models() if model._meta.app_label in PROJECT_APPS]


PROJECT_APPS = {"core", "directory", "volunteers", "communities", "stories", "insight", "search"}


@pytest.mark.parametrize(
    "label", ["directory.Organization", "directory.Location", "volunteers.Volunteer"]
)
def test_a_chooser_built_in_welsh_reads_in_english_for_an_english_reader(label):
    # Wagtail builds a snippet form (and its choosers) once, when the admin's URLs load,
    # in whatever language that request had: the chooser's words must follow each reader.
    widget_class = apps.get_model(label).snippet_viewset.chooser_viewset.widget_class
    with translation.override("cy"):
        widget = widget_class()
    with translation.override("en"):
        english = widget.render("chosen", None, {"id": "id_chosen"})
    with translation.override("cy"):
        welsh = widget.render("chosen", None, {"id": "id_chosen"})
    name = apps.get_model(label)._meta.verbose_name
    with translation.override("en"):
        assert f"Choose {name}" in english
    assert "Dewis" not in english and "Dewis" in welsh


def test_every_project_snippet_chooser_follows_the_reader():
    for model in chooser_models():
        widget_class = model.snippet_viewset.chooser_viewset.widget_class
        with translation.override("cy"):
            widget = widget_class()
        with translation.override("en"):
            assert "Dewis" not in str(widget.choose_one_text), model


def test_the_rich_text_editor_is_named_by_its_label():
    widget = LabelledDraftailRichTextArea()
    html = widget.render("description", "<p>Hi</p>", {"id": "id_description"})
    assert "&quot;ariaLabelledBy&quot;: &quot;id_description-label&quot;" in html


@pytest.mark.parametrize(
    ("model_field", "form_field", "pasted", "kept"),
    [
        ("EmailField", "EmailAddressField", "\u200finfo@example.org\u200b", "info@example.org"),
        (
            "URLField",
            "WebAddressField",
            "\u200fhttps://example.org/about\u200e\u00a0",
            "https://example.org/about",
        ),
    ],
)
def test_every_address_box_of_the_admin_keeps_a_pasted_address_without_its_marks(
    model_field, form_field, pasted, kept
):
    """An address copied from a right-to-left message or a web page carries invisible
    characters; each admin box for one (every project model's email and web address fields,
    through Wagtail's own form building) keeps the address without them."""
    from django.db import models
    from wagtail.admin.forms.models import WagtailAdminModelForm
    from wagtail.admin.panels import get_form_for_model

    from core import forms

    db_class, form_class = getattr(models, model_field), getattr(forms, form_field)
    found = 0
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        names = [f.name for f in model._meta.fields if isinstance(f, db_class)]
        if not names:
            continue
        form = get_form_for_model(model, form_class=WagtailAdminModelForm, fields=names)
        for name in names:
            field = form.base_fields[name]
            assert isinstance(field, form_class), (model, name)
            assert field.clean(pasted) == kept
            assert "autocomplete" not in field.widget.attrs
            found += 1
    assert found >= 6
