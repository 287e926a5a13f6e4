"""How the admin's forms read what editors type, for every app's models."""

from django import forms
from django.db import models
from wagtail.admin.forms.models import register_form_field_override

from core.forms import EmailAddressField, WebAddressField


def install():
    """Every email and web address an editor enters in the admin (a group's, a service's, an
    organisation's) is read as people paste it (`EmailAddressField`, `WebAddressField`, the
    email rule the public forms use): copied from a right-to-left message or a web page with
    invisible characters around it, it is kept without them. The email box is the admin's
    own, without the public forms' autofill, which would offer the editor's own address.
    Called once the apps are ready, before any admin form class is made."""
    register_form_field_override(
        models.EmailField,
        override={
            "form_class": EmailAddressField,
            "widget": forms.EmailInput(attrs={"spellcheck": "false"}),
        },
    )
    register_form_field_override(models.URLField, override={"form_class": WebAddressField})
