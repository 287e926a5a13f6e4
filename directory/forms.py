"""The public search form and the 'suggest an edit' form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import HoneypotMixin, OnceOnlyForm, PublicForm
from core.geo.forms import NearPlaceMixin
from core.languages import language_choices
from core.page_cache import site_cached
from directory.models import ServiceFeedback, ServiceLanguage, TaxonomyTerm
from directory.search.query import ACCESSIBILITY_FEATURES, PAGE_SIZE, SearchQuery

MAX_TEXT = 200


def _category_choices():
    """The top-level categories, by name, in the active language."""
    terms = TaxonomyTerm.objects.filter(parent__isnull=True).order_by("name")
    return [
        (code, TaxonomyTerm(name=name).display_name)
        for code, name in terms.values_list("code", "name")
    ]


def _language_choices():
    """The languages some service is offered in (each once), by code, named as text in the
    reader's language (the list is kept per language; a lazy name would be rebuilt each
    time the cache hands it back)."""
    codes = ServiceLanguage.objects.values_list("code", flat=True).order_by().distinct()
    return [(code, str(name)) for code, name in language_choices(sorted(codes))]


class SearchForm(NearPlaceMixin, PublicForm):
    """Validates what someone typed and turns it into a SearchQuery (geocoding once)."""

    field_order = ["q"]  # then the place and distance (NearPlaceMixin), then the filters

    q = forms.CharField(
        label=_("What are you looking for?"),
        help_text=_("For example: bereavement counselling, carers, funeral costs"),
        required=False,
        max_length=MAX_TEXT,
    )
    category = forms.MultipleChoiceField(
        label=_("Type of help"), required=False, widget=forms.CheckboxSelectMultiple
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    age = forms.IntegerField(
        label=_("Age of the person who needs help"),
        required=False,
        min_value=0,
        max_value=120,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input--short"}),
        error_messages={
            "min_value": _("Enter an age from 0 to 120"),
            "max_value": _("Enter an age from 0 to 120"),
        },
    )
    open_now = forms.BooleanField(label=_("Open now"), required=False)
    open_24_7 = forms.BooleanField(label=_("Open 24 hours"), required=False)
    free = forms.BooleanField(label=_("Free"), required=False)
    accessibility = forms.MultipleChoiceField(
        label=_("Access needs"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("step_free", _("Step-free access")),
            ("accessible_toilet", _("Accessible toilet")),
            ("hearing_loop", _("Hearing loop")),
            ("parking", _("Parking")),
        ],
    )
    anywhere = forms.BooleanField(
        label=_("Only phone and online services I can use from anywhere"), required=False
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=1000, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = site_cached("categories", compute=_category_choices)
        self.fields["language"].choices = [("", _("Any language"))] + site_cached(
            "service-languages", compute=_language_choices
        )

    def to_query(self, page_size=PAGE_SIZE):
        data = self.cleaned_data
        place = self.place
        # The postcode district a postcode, district or named area stands for, so that
        # services covering a list of districts are found there too.
        district = place.district if place is not None else ""
        return SearchQuery(
            text=data.get("q", ""),
            latitude=place.latitude if place else None,
            longitude=place.longitude if place else None,
            radius_km=self.radius_km(),
            district=district,
            categories=tuple(data.get("category") or ()),
            languages=(data["language"],) if data.get("language") else (),
            open_now=data.get("open_now", False),
            open_24_7=data.get("open_24_7", False),
            free=data.get("free", False),
            age=data.get("age"),
            accessibility=tuple(
                a for a in data.get("accessibility") or () if a in ACCESSIBILITY_FEATURES
            ),
            reaches_anywhere=data.get("anywhere", False),
            page=data.get("page") or 1,
            page_size=page_size,
        )


class FeedbackForm(HoneypotMixin, OnceOnlyForm, forms.ModelForm):
    """Tell the organisation's editors that something is wrong or the service has closed."""

    class Meta:
        model = ServiceFeedback
        fields = ["kind", "message", "email"]
        widgets = {
            "kind": forms.RadioSelect,
            "message": forms.Textarea(attrs={"rows": 5}),
            "email": forms.EmailInput(
                attrs={"autocomplete": "email", "inputmode": "email", "spellcheck": "false"}
            ),
        }
        error_messages = {
            "kind": {"required": _("Choose what is wrong")},
            "message": {"required": _("Tell us what is wrong")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A radio button for "nothing chosen" ("---------") is no choice at all: the list
        # starts with nothing ticked and the field is required.
        kind = self.fields["kind"]
        kind.choices = [(value, label) for value, label in kind.choices if value != ""]
