"""Admin forms that keep organisation editors inside their own organisations."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from core.geo import GeocodeError, geocode
from directory.models import Organization
from directory.permissions import can_edit_any, editable_organization_ids


class OrganizationScopedForm(WagtailAdminModelForm):
    """Limits the organisation (and location) choices to those the user edits."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is None or can_edit_any(for_user):
            return
        allowed = editable_organization_ids(for_user)
        if "organization" in self.fields:
            self.fields["organization"].queryset = Organization.objects.filter(pk__in=allowed)
            self.fields["organization"].required = True

    def clean_organization(self):
        organization = self.cleaned_data.get("organization")
        user = self.for_user
        if user is None or can_edit_any(user):
            return organization
        if organization is None or organization.pk not in editable_organization_ids(user):
            raise forms.ValidationError(_("You can only edit your own organisation's records."))
        return organization


class ServiceAdminForm(OrganizationScopedForm):
    def clean(self):
        cleaned = super().clean()
        minimum, maximum = cleaned.get("minimum_age"), cleaned.get("maximum_age")
        if minimum is not None and maximum is not None and minimum > maximum:
            self.add_error("maximum_age", _("The maximum age must not be below the minimum age."))
        return cleaned


class LocationAdminForm(OrganizationScopedForm):
    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if latitude is not None and not -90 <= latitude <= 90:
            self.add_error("latitude", _("Latitude must be between -90 and 90."))
        if longitude is not None and not -180 <= longitude <= 180:
            self.add_error("longitude", _("Longitude must be between -180 and 180."))
        if (latitude is None) != (longitude is None):
            self.add_error("longitude", _("Give both latitude and longitude, or neither."))
        if latitude is None and cleaned.get("location_type") == "physical":
            self._check_addresses_geocode()
        return cleaned

    def _check_addresses_geocode(self):
        """A place people visit must be findable on a map: its postcode must geocode."""
        formset = self.formsets.get("addresses")
        if formset is None or not formset.is_valid():
            return
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            postcode = (data.get("postal_code") or "").strip()
            if not postcode:
                continue
            try:
                geocode(postcode)
            except GeocodeError as error:
                form.add_error(
                    "postal_code", error.message or _("We could not find this postcode.")
                )
