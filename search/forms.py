"""The site search form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import TEXT_ERRORS, PublicForm


class SiteSearchForm(PublicForm):
    q = forms.CharField(
        label=_("Search this website"),
        max_length=200,
        error_messages=TEXT_ERRORS,
        required=False,
    )
    near = forms.CharField(
        label=_("Near (for services)"),
        help_text=_("A postcode or a town, to find services near you"),
        required=False,
        max_length=200,
        error_messages=TEXT_ERRORS,
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
