"""Services and what belongs to them: phones, opening times, areas, languages, costs,
contacts, funding and the documents people need to bring."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable
from wagtail.search import index

from directory.areas import AreaError, normalised, read_area
from directory.schedules import is_open_24_7, validate_schedule

from .base import HSDSRecord, Timestamped


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("Closed for good")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")


class ServiceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=ServiceStatus.ACTIVE)

    def stale(self, verified_before):
        """Services whose details nobody has confirmed since `verified_before`."""
        return self.filter(
            models.Q(assured_date__isnull=True) | models.Q(assured_date__lt=verified_before)
        )


class Service(index.Indexed, Timestamped, ClusterableModel):
    """Something an organisation offers people: counselling, a helpline, a carers' group."""

    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.CASCADE,
        related_name="services",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=255)
    alternate_name = models.CharField(_("other name"), max_length=255, blank=True)
    description = models.TextField(
        _("description"), help_text=_("What the service does, in plain language.")
    )
    url = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ServiceStatus.choices,
        default=ServiceStatus.ACTIVE,
        # No index: nearly every service is active, and an index here leads the query
        # planner away from the coordinates index for searches near a place.
    )
    interpretation_services = models.TextField(_("interpreting"), blank=True)
    application_process = models.TextField(_("how to get this service"), blank=True)
    wait_time = models.CharField(_("waiting time"), max_length=255, blank=True)
    fees_description = models.TextField(_("costs"), blank=True)
    free = models.BooleanField(
        _("free to use"),
        default=True,
        help_text=_("Untick if people pay for any part of this service."),
    )
    accreditations = models.TextField(_("accreditations"), blank=True)
    licenses = models.TextField(_("licences"), blank=True)
    eligibility_description = models.TextField(_("who it is for"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    alert = models.CharField(
        _("alert"),
        max_length=500,
        blank=True,
        help_text=_("A short notice shown at the top, for example a change of opening times."),
    )
    assured_date = models.DateField(
        _("last verified"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("When someone last confirmed these details with the organisation."),
    )
    assurer_email = models.EmailField(_("verified by (email)"), blank=True)
    program = models.ForeignKey(
        "directory.Program",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("programme"),
        help_text=_("The organisation's programme this service is part of, if any."),
    )
    categories = ParentalManyToManyField(
        "directory.TaxonomyTerm",
        blank=True,
        related_name="services",
        verbose_name=_("categories"),
    )
    # Derived from the rows below on save, so that search can filter on them directly.
    open_24_7 = models.BooleanField(_("open 24 hours, 7 days"), default=False, editable=False)
    reaches_anywhere = models.BooleanField(
        _("can be reached from anywhere"),
        default=False,
        editable=False,
        help_text=_("National, online or telephone services that are not tied to one place."),
    )
    # A short number that the database search index files this service under, handed out
    # in order by `directory.indexing` when the service is first indexed: each service's
    # terms then go at the end of the index instead of all over it, as random UUIDs would.
    search_key = models.PositiveBigIntegerField(
        _("search key"), null=True, blank=True, unique=True, editable=False
    )

    objects = ServiceQuerySet.as_manager()

    search_fields = [
        index.SearchField("name", boost=4),
        index.SearchField("alternate_name", boost=2),
        index.SearchField("description"),
        index.SearchField("eligibility_description"),
        index.RelatedFields("organization", [index.SearchField("name")]),
        index.RelatedFields("categories", [index.SearchField("name", boost=2)]),
        index.AutocompleteField("name"),
        index.FilterField("status"),
        index.FilterField("free"),
        index.FilterField("open_24_7"),
        index.FilterField("reaches_anywhere"),
        index.FilterField("organization"),
    ]

    @classmethod
    def get_indexed_objects(cls):
        # Wagtail prefetches related fields for its index, but not a ParentalManyToManyField:
        # without this, indexing reads each service's categories several times over.
        return super().get_indexed_objects().prefetch_related("categories")

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["name", "id"], name="service_name_id"),
            models.Index(
                fields=["reaches_anywhere"],
                condition=models.Q(reaches_anywhere=True),
                name="service_reaches_anywhere",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_age__isnull=True)
                | models.Q(maximum_age__isnull=True)
                | models.Q(minimum_age__lte=models.F("maximum_age")),
                name="service_age_range",
            ),
            models.CheckConstraint(
                condition=models.Q(maximum_age__isnull=True) | models.Q(maximum_age__lte=130),
                name="service_maximum_age_plausible",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.search_key is None and not self._state.adding:
            # Handed out by indexing after this instance was read (or a revision saved):
            # keep it, or the service's index rows would lose their owner.
            stored = Service.objects.filter(pk=self.pk).values_list("search_key", flat=True)
            self.search_key = stored.first()
        # ClusterableModel saves phones, schedules, areas and categories inside save(), so
        # the derived flags and search terms are refreshed once all of them are stored.
        super().save(*args, **kwargs)
        from directory.indexing import index_services

        index_services([self.pk])

    def is_stale(self, today=None, months=None):
        from directory.stale import stale_cutoff

        if self.assured_date is None:
            return True
        return self.assured_date < stale_cutoff(today=today, months=months)

    def refresh_derived_fields(self):
        """Recompute the flags that search filters on from the service's own rows."""
        location_types = [sal.location.location_type for sal in self.service_at_locations.all()]
        self.open_24_7 = is_open_24_7(self.schedules.all())
        self.reaches_anywhere = reaches_anywhere(
            [area.extent_type for area in self.service_areas.all()],
            location_types,
            # Read only when it decides: a service with locations is reached at them.
            has_phone=not location_types and self.phones.exists(),
        )


def is_national(area_kinds):
    """Whether any of a service's areas (their extent types) is the whole nation."""
    return any(kind == ServiceArea.NATIONAL for kind in area_kinds)


def reaches_anywhere(area_kinds, location_types, has_phone):
    """Whether a service reaches people anywhere: it covers the nation, it is only online
    (every location virtual), or it has no location but a phone (a helpline)."""
    return (
        is_national(area_kinds)
        or (bool(location_types) and all(kind == "virtual" for kind in location_types))
        or (not location_types and has_phone)
    )


class ServiceAtLocation(HSDSRecord, Orderable):
    """A service delivered at a location, which may have its own description."""

    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(
        "directory.Location",
        on_delete=models.CASCADE,
        related_name="service_at_locations",
        verbose_name=_("location"),
    )
    description = models.TextField(_("notes for this location"), blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("service at a location")
        verbose_name_plural = _("service locations")
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="unique_service_location")
        ]

    def __str__(self):
        return f"{self.service} @ {self.location}"


class Phone(HSDSRecord, Orderable):
    """A telephone number for a service."""

    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("number"), max_length=40)
    extension = models.PositiveIntegerField(_("extension"), null=True, blank=True)
    type = models.CharField(
        _("type"),
        max_length=10,
        blank=True,
        choices=[
            ("voice", _("Voice")),
            ("text", _("Text message")),
            ("textphone", _("Textphone")),
            ("fax", _("Fax")),
            ("video", _("Video call")),
        ],
        default="voice",
    )
    description = models.CharField(_("description"), max_length=500, blank=True)
    languages = models.CharField(
        _("languages"), max_length=100, blank=True, help_text=_("Language codes, e.g. en, cy")
    )

    class Meta(Orderable.Meta):
        verbose_name = _("phone")
        verbose_name_plural = _("phones")

    def __str__(self):
        return self.number


class Schedule(HSDSRecord, Orderable):
    """A recurring opening period in HSDS's RRULE-like form, or a closure on given dates.

    Several rows on the same day give several opening periods (for example 10:00-13:00 and
    14:00-17:00). A row from 00:00 to 23:59 is open all day. A row marked `closed` with
    valid_from/valid_to is a closure (a bank holiday, say) that overrides the others.
    """

    WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="schedules")
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="schedules",
        verbose_name=_("only at this location"),
    )
    freq = models.CharField(
        _("repeats"),
        max_length=10,
        blank=True,
        choices=[("WEEKLY", _("Every week")), ("MONTHLY", _("Every month"))],
        default="WEEKLY",
    )
    interval = models.PositiveSmallIntegerField(_("every"), default=1)
    byday = models.CharField(
        _("days"),
        max_length=60,
        blank=True,
        help_text=_(
            "MO,TU,WE,TH,FR,SA,SU; monthly rules may use 1MO (first Monday), -1FR (last Friday)"
        ),
    )
    bymonthday = models.CharField(_("days of the month"), max_length=60, blank=True)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_to = models.DateField(_("until"), null=True, blank=True)
    dtstart = models.DateField(_("first occurrence"), null=True, blank=True)
    closed = models.BooleanField(
        _("closed"), default=False, help_text=_("Closed between these dates (e.g. bank holidays).")
    )
    description = models.CharField(_("description"), max_length=500, blank=True)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    attending_type = models.CharField(_("how people attend"), max_length=255, blank=True)
    schedule_link = models.URLField(_("timetable link"), blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("opening time")
        verbose_name_plural = _("opening times")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_at__isnull=True)
                | models.Q(closes_at__isnull=True)
                | models.Q(opens_at__lt=models.F("closes_at")),
                name="schedule_opens_before_it_closes",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_to__isnull=True)
                | models.Q(valid_from__lte=models.F("valid_to")),
                name="schedule_valid_range",
            ),
            models.CheckConstraint(
                condition=models.Q(interval__gte=1), name="schedule_interval_positive"
            ),
        ]

    def clean(self):
        validate_schedule(self)

    def applies_on(self, day):
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class ServiceArea(HSDSRecord, Orderable):
    """Where a service's users may live: the whole country, a radius, a list of districts, or
    a shape (a GeoJSON Polygon or MultiPolygon, see `directory.areas`)."""

    NATIONAL = "national"
    REGION = "region"
    RADIUS = "radius"
    DISTRICTS = "districts"
    POLYGON = "geojson"

    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    extent_type = models.CharField(
        _("kind of area"),
        max_length=10,
        choices=[
            (NATIONAL, _("The whole country")),
            (REGION, _("A named region")),
            (RADIUS, _("Within a distance of a point")),
            (DISTRICTS, _("A list of postcode districts")),
            (POLYGON, _("A shape on the map (GeoJSON)")),
        ],
        default=DISTRICTS,
    )
    extent = models.TextField(
        _("extent"),
        blank=True,
        help_text=format_lazy(
            "{} {}",
            _("For districts: SE13, SE6, BR1 ... For a radius: latitude, longitude, km."),
            _("For a shape: a GeoJSON Polygon or MultiPolygon (or a Feature holding one)."),
        ),
    )
    uri = models.URLField(_("URI"), blank=True)
    # A shape's bounding box, set from its extent on save, so that searches near a place
    # test only the shapes whose box holds it (`directory.indexing`).
    min_latitude = models.FloatField(null=True, blank=True, editable=False)
    max_latitude = models.FloatField(null=True, blank=True, editable=False)
    min_longitude = models.FloatField(null=True, blank=True, editable=False)
    max_longitude = models.FloatField(null=True, blank=True, editable=False)

    class Meta(Orderable.Meta):
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")
        indexes = [models.Index(fields=["extent_type"], name="service_area_extent_type")]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.extent_type == self.POLYGON:
            try:
                area = read_area(self.extent)
            except AreaError as error:
                raise ValidationError({"extent": error.message}) from None
            self._set_shape(area)

    def save(self, *args, **kwargs):
        # A shape is stored in its normal form with its box; anything else has no box.
        area = normalised(self.extent) if self.extent_type == self.POLYGON else None
        self._set_shape(area)
        super().save(*args, **kwargs)

    def _set_shape(self, area):
        if area is None:
            self.min_latitude = self.max_latitude = None
            self.min_longitude = self.max_longitude = None
            return
        self.extent = area.geojson
        self.min_latitude, self.max_latitude, self.min_longitude, self.max_longitude = area.box

    def districts(self):
        return [
            part.strip().upper()
            for part in self.extent.replace(";", ",").split(",")
            if part.strip()
        ]

    def radius(self):
        """(latitude, longitude, km) for a radius area, or None if the extent is not one."""
        try:
            lat, lon, km = (float(part) for part in self.extent.split(","))
        except ValueError:
            return None
        return lat, lon, km


class ServiceLanguage(HSDSRecord, Orderable):
    """A language the service is offered in."""

    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="languages")
    code = models.CharField(
        _("language code"), max_length=10, db_index=True, help_text=_("ISO 639, e.g. en, cy, ur")
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="unique_service_language")
        ]

    def __str__(self):
        return self.name or self.code


class CostOption(HSDSRecord, Orderable):
    """What a service costs, when it is not free."""

    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    option = models.CharField(_("what for"), max_length=255, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=9, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="GBP")
    amount_description = models.CharField(_("description"), max_length=255, blank=True)
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_to = models.DateField(_("until"), null=True, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("cost")
        verbose_name_plural = _("costs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0),
                name="cost_not_negative",
            )
        ]


class Contact(HSDSRecord, Orderable):
    """A named public contact for the service (not a person using it)."""

    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=255, blank=True)
    title = models.CharField(_("job title"), max_length=255, blank=True)
    department = models.CharField(_("department"), max_length=255, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")


class Funding(HSDSRecord, Orderable):
    """Where the money for a service, or for an organisation, comes from.

    A funding row belongs to a service, an organisation, or both (a grant to the
    organisation for this service); a feed lists it on each."""

    service = ParentalKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="funding",
        verbose_name=_("service"),
    )
    organization = ParentalKey(
        "directory.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="funding",
        verbose_name=_("organisation"),
    )
    source = models.TextField(
        _("source of funds"),
        help_text=_("Who pays for it, for example “NHS South East London” or “Donations”."),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("funding")
        verbose_name_plural = _("funding")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(service__isnull=False) | models.Q(organization__isnull=False),
                name="funding_has_a_recipient",
            ),
            models.CheckConstraint(condition=~models.Q(source=""), name="funding_has_a_source"),
        ]

    def __str__(self):
        return self.source


class RequiredDocument(HSDSRecord, Orderable):
    """A document people need to apply for or use a service (a referral letter, say)."""

    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="required_documents")
    document = models.TextField(
        _("document"), blank=True, help_text=_("What to bring, in plain language.")
    )
    uri = models.URLField(_("link to the document"), blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(document="") | ~models.Q(uri=""),
                name="required_document_says_what",
            )
        ]

    def __str__(self):
        return self.document or self.uri
