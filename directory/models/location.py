"""Where services happen: physical places, postal addresses and online or phone 'places'."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable
from wagtail.search import index

from directory.geocoding import fill_coordinates
from directory.search.query import ACCESSIBILITY_FEATURES

from .base import HSDSRecord, Timestamped

LATITUDE_RANGE = models.Q(latitude__gte=-90, latitude__lte=90)
LONGITUDE_RANGE = models.Q(longitude__gte=-180, longitude__lte=180)


class LocationType(models.TextChoices):
    PHYSICAL = "physical", _("A place people can visit")
    POSTAL = "postal", _("A postal address")
    VIRTUAL = "virtual", _("Online or by phone")


class Location(index.Indexed, Timestamped, ClusterableModel):
    """A place a service is delivered from; coordinates are filled from the address on save."""

    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="locations",
        verbose_name=_("organisation"),
    )
    location_type = models.CharField(
        _("type"), max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    name = models.CharField(_("name"), max_length=255, blank=True)
    alternate_name = models.CharField(_("other name"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    transportation = models.TextField(
        _("how to get there"), blank=True, help_text=_("Buses, trains, parking, step-free routes.")
    )
    url = models.URLField(_("web address"), blank=True, help_text=_("For online locations."))
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    external_identifier = models.CharField(_("external identifier"), max_length=100, blank=True)
    external_identifier_type = models.CharField(
        _("external identifier type"), max_length=50, blank=True
    )
    # Structured accessibility, used by the search filter; free-text details are in
    # LocationAccessibility rows, as HSDS has them.
    step_free = models.BooleanField(_("step-free access"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    parking = models.BooleanField(_("parking"), default=False)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]
        indexes = [models.Index(fields=["latitude", "longitude"], name="location_lat_lon")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True) | LATITUDE_RANGE,
                name="location_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True) | LONGITUDE_RANGE,
                name="location_longitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="location_coordinates_together",
            ),
        ]

    def __str__(self):
        address = self.addresses.first() if self.pk else None
        label = self.name or (address.address_1 if address else "") or str(self.pk)
        return f"{label}, {address.city}" if address and address.city else label

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Addresses are saved by ClusterableModel.save(); geocode once they are stored.

        if fill_coordinates(self):
            Location.objects.filter(pk=self.pk).update(
                latitude=self.latitude, longitude=self.longitude
            )

    @property
    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None

    @property
    def physical_address(self):
        return next(
            (a for a in self.addresses.all() if a.address_type == LocationType.PHYSICAL),
            None,
        ) or next(iter(self.addresses.all()), None)

    @property
    def accessibility_features(self):
        """The structured features that apply, as translated labels."""
        return [
            self._meta.get_field(name).verbose_name
            for name in ACCESSIBILITY_FEATURES
            if getattr(self, name)
        ]


class Address(HSDSRecord, Orderable):
    """A location's address."""

    location = ParentalKey(Location, on_delete=models.CASCADE, related_name="addresses")
    address_type = models.CharField(
        _("type"), max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    attention = models.CharField(_("for the attention of"), max_length=255, blank=True)
    address_1 = models.CharField(_("address line 1"), max_length=255)
    address_2 = models.CharField(_("address line 2"), max_length=255, blank=True)
    city = models.CharField(_("town or city"), max_length=100)
    region = models.CharField(_("region"), max_length=100, blank=True)
    state_province = models.CharField(_("county"), max_length=100, blank=True)
    postal_code = models.CharField(_("postcode"), max_length=12)
    country = models.CharField(_("country code"), max_length=2, default="GB")

    class Meta(Orderable.Meta):
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self):
        return ", ".join(
            part for part in (self.address_1, self.address_2, self.city, self.postal_code) if part
        )

    def geocoding_text(self):
        """The most precise text to geocode: the postcode, else the town."""
        return self.postal_code or self.city


class LocationAccessibility(HSDSRecord, Orderable):
    """Free-text accessibility information for a location (HSDS `accessibility`)."""

    location = ParentalKey(Location, on_delete=models.CASCADE, related_name="accessibility")
    description = models.TextField(_("description"))
    details = models.TextField(_("details"), blank=True)
    url = models.URLField(_("more information"), blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("accessibility information")
        verbose_name_plural = _("accessibility information")
