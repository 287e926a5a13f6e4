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


def test_every_email_box_of_the_admin_reads_a_pasted_address_as_the_public_forms_do():
    from django.db import models
    from wagtail.admin.forms.models import WagtailAdminModelForm
    from wagtail.admin.panels import get_form_for_model

    from core.forms import EmailAddressField

    email_models = [
        model
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
        and any(isinstance(field, models.EmailField) for field in model._meta.fields)
    ]
    assert len(email_models) >= 4
    for model in email_models:
        names = [f.name for f in model._meta.fields if isinstance(f, models.EmailField)]
        form_class = get_form_for_model(model, form_class=WagtailAdminModelForm, fields=names)
        for name in names:
            field = form_class.base_fields[name]
            assert isinstance(field, EmailAddressField), (model, name)
            assert field.clean("\u200finfo@example.org\u200b") == "info@example.org"
            assert "autocomplete" not in field.widget.attrs
