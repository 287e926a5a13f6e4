"""Volunteers: their profile, consent to the volunteering terms, and weekly availability."""

import math

from django.conf import settings
from django.contrib.admin import display as admin_display
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

# Home areas are stored to two decimal places (about a kilometre): enough to match on
# distance, too coarse to find a house.
COARSE_DECIMALS = 2


def coarse(value):
    return round(float(value), COARSE_DECIMALS)


def unit_vector(latitude, longitude):
    """The point on the unit sphere for a latitude and longitude.

    Matching compares squared chord lengths between these vectors, which order points
    exactly as great-circle distance does but need only arithmetic in SQL (no trigonometry,
    which SQLite runs as Python functions, row by row).
    """
    phi, lam = math.radians(latitude), math.radians(longitude)
    return math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)


class TermsVersion(models.Model):
    """One wording of the volunteering terms; the newest published one must be agreed to."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    text = models.TextField(_("wording"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        verbose_name = _("volunteering terms version")
        verbose_name_plural = _("volunteering terms versions")
        ordering = ["-published_at"]

    def __str__(self):
        return self.version

    @classmethod
    def current(cls):
        return cls.objects.filter(published_at__lte=timezone.now()).first()


class Volunteer(models.Model):
    """A person who volunteers, linked to their sign-in account."""

    class Status(models.TextChoices):
        # "Approved" is not a state of its own: approving makes a volunteer active
        # (volunteers.standing.approve).
        APPLICANT = "applicant", _("Applicant")
        ACTIVE = "active", _("Approved and active")
        PAUSED = "paused", _("Paused")
        LEFT = "left", _("Left")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer"
    )
    display_name = models.CharField(_("name"), max_length=120)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.APPLICANT
    )
    email_verified_at = models.DateTimeField(_("email verified at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    skills = TaggableManager(verbose_name=_("skills"), blank=True)
    languages = models.CharField(
        _("languages"),
        max_length=200,
        blank=True,
        help_text=_("Language codes separated by spaces, for example: en cy pl."),
    )
    home_area = models.CharField(
        _("home area"), max_length=60, help_text=_("A postcode district or a town.")
    )
    latitude = models.FloatField(_("latitude (coarse)"))
    longitude = models.FloatField(_("longitude (coarse)"))
    travel_radius_km = models.PositiveSmallIntegerField(_("travel radius (km)"), default=5)
    max_active_tasks = models.PositiveSmallIntegerField(_("most tasks at once"), default=2)
    rest_hours = models.PositiveSmallIntegerField(_("rest after each task (hours)"), default=24)
    resting_until = models.DateTimeField(_("resting until"), null=True, blank=True)
    # The coarse home on the unit sphere, kept in step with latitude and longitude by save().
    unit_x = models.FloatField(editable=False, default=0)
    unit_y = models.FloatField(editable=False, default=0)
    unit_z = models.FloatField(editable=False, default=0)
    language = models.CharField(
        _("language for emails"), max_length=10, default=settings.LANGUAGE_CODE
    )
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["display_name"]
        indexes = [models.Index(fields=["latitude", "longitude"], name="vol_volunteer_latlon")]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90)
                & Q(longitude__gte=-180, longitude__lte=180),
                name="vol_volunteer_coordinates_range",
            ),
            models.CheckConstraint(
                condition=Q(travel_radius_km__gte=1, travel_radius_km__lte=100),
                name="vol_volunteer_radius_range",
            ),
            models.CheckConstraint(
                condition=Q(max_active_tasks__gte=1, max_active_tasks__lte=20),
                name="vol_volunteer_max_tasks_range",
            ),
            # Nobody is approved, active or paused without a coordinator's approval.
            models.CheckConstraint(
                condition=Q(status__in=["applicant", "left"]) | Q(approved_at__isnull=False),
                name="vol_volunteer_approved_before_active",
            ),
        ]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.set_coordinates(self.latitude, self.longitude)
        super().save(*args, **kwargs)

    def set_coordinates(self, latitude, longitude):
        """Store a home point coarsely, with its unit vector (also for bulk_create)."""
        self.latitude, self.longitude = coarse(latitude), coarse(longitude)
        self.unit_x, self.unit_y, self.unit_z = unit_vector(self.latitude, self.longitude)

    @admin_display(description=_("hours given"))
    def hours_given(self):
        if hasattr(self, "hours_total"):
            return self.hours_total or 0
        closed = self.accepted_requests.filter(status="closed")
        return closed.aggregate(total=models.Sum("hours"))["total"] or 0

    @property
    def language_codes(self):
        return self.languages.split()

    def has_current_consent(self):
        terms = TermsVersion.current()
        return terms is not None and self.terms_consents.filter(terms=terms).exists()


class TermsConsent(models.Model):
    """A volunteer's agreement to one version of the terms."""

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="terms_consents"
    )
    terms = models.ForeignKey(TermsVersion, on_delete=models.PROTECT, related_name="consents")
    agreed_at = models.DateTimeField(_("agreed at"), default=timezone.now)

    class Meta:
        verbose_name = _("consent to volunteering terms")
        verbose_name_plural = _("consents to volunteering terms")
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "terms"], name="vol_terms_once")
        ]

    def __str__(self):
        return f"{self.volunteer} / {self.terms}"


class WeeklyAvailability(models.Model):
    """A time on a day of the week when a volunteer is usually free."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("weekly availability")
        verbose_name_plural = _("weekly availability")
        ordering = ["weekday", "starts"]
        indexes = [models.Index(fields=["volunteer", "weekday"], name="vol_avail_day")]
        constraints = [
            models.CheckConstraint(condition=Q(starts__lt=F("ends")), name="vol_avail_order"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="vol_avail_weekday"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.starts:%H:%M}-{self.ends:%H:%M}"
