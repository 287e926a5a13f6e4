"""Training modules and DBS checks a volunteer holds, and what each kind of task needs."""

from django.contrib.admin import display as admin_display
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from .people import Volunteer


class TrainingModule(models.Model):
    """A course volunteers complete, valid for a number of months."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    valid_for_months = models.PositiveSmallIntegerField(_("valid for (months)"), default=24)
    renewal_warning_days = models.PositiveSmallIntegerField(
        _("warn this many days before expiry"), default=42
    )

    class Meta:
        verbose_name = _("training module")
        verbose_name_plural = _("training modules")
        ordering = ["name"]

    def __str__(self):
        return self.name


class TrainingRecord(models.Model):
    """A volunteer's completion of a training module."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="training")
    module = models.ForeignKey(TrainingModule, on_delete=models.PROTECT, related_name="records")
    completed_on = models.DateField(_("completed on"))
    expires_on = models.DateField(_("expires on"))

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["expires_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gt=F("completed_on")), name="vol_training_expiry_order"
            )
        ]
        # Matching probes each candidate's record for a module: one index lookup per row.
        indexes = [
            models.Index(fields=["volunteer", "module", "expires_on"], name="vol_training_valid")
        ]

    def __str__(self):
        return f"{self.module} ({self.completed_on})"


class DBSLevel(models.IntegerChoices):
    """Disclosure and Barring Service check levels, in increasing order of depth."""

    NONE = 0, _("no check needed")
    BASIC = 1, _("basic")
    STANDARD = 2, _("standard")
    ENHANCED = 3, _("enhanced")


class DBSCheck(models.Model):
    """A DBS certificate a coordinator has seen."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="dbs_checks")
    level = models.PositiveSmallIntegerField(
        _("type"), choices=DBSLevel.choices[1:], default=DBSLevel.ENHANCED
    )
    barred_list = models.BooleanField(_("includes the adults' barred list"), default=False)
    issued_on = models.DateField(_("issued on"))
    update_service = models.BooleanField(_("on the DBS Update Service"), default=False)
    recheck_due = models.DateField(_("recheck due"))

    class Meta:
        verbose_name = _("DBS check")
        verbose_name_plural = _("DBS checks")
        ordering = ["recheck_due"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recheck_due__gt=F("issued_on")), name="vol_dbs_recheck_order"
            ),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=3), name="vol_dbs_level"),
        ]
        indexes = [models.Index(fields=["volunteer", "recheck_due"], name="vol_dbs_valid")]

    def __str__(self):
        return f"{self.get_level_display()} ({self.issued_on:%d/%m/%Y})"

    @admin_display(description=_("Includes the adults' barred list"))
    def barred_list_label(self):
        return _("Yes") if self.barred_list else _("No")

    @admin_display(description=_("On the DBS Update Service"))
    def update_service_label(self):
        return _("Yes") if self.update_service else _("No")


class TaskType(models.Model):
    """A kind of help (a lift, shopping, sitting with someone) and what it requires."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    required_training = models.ManyToManyField(
        TrainingModule, verbose_name=_("training needed"), blank=True, related_name="task_types"
    )
    required_dbs = models.PositiveSmallIntegerField(
        _("DBS check needed"), choices=DBSLevel.choices, default=DBSLevel.NONE
    )
    requires_barred_list = models.BooleanField(_("barred-list check needed"), default=False)
    skills = TaggableManager(verbose_name=_("useful skills"), blank=True, related_name="task_types")
    default_radius_km = models.PositiveSmallIntegerField(
        _("how far volunteers may come (km)"), default=10
    )

    class Meta:
        verbose_name = _("task type")
        verbose_name_plural = _("task types")
        ordering = ["name"]

    def __str__(self):
        # In the reader's language where the catalogues know the name (the starter types).
        return gettext(self.name) if self.name else ""


class TaskEligibility(models.Model):
    """A period in which a volunteer holds every training module and the DBS check that a
    type of task needs, each by a single record valid for the whole period.

    Derived from training records and DBS checks by `volunteers.eligibility.refresh`, so that
    matching reads one indexed row per volunteer instead of probing their records.
    """

    # The index below starts with the volunteer, so the foreign key needs no index of its own.
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="eligibility", db_index=False
    )
    task_type = models.ForeignKey(TaskType, on_delete=models.CASCADE, related_name="eligibility")
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))

    class Meta:
        verbose_name = _("eligibility for a type of task")
        verbose_name_plural = _("eligibility for types of task")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("valid_from")), name="vol_eligible_order"
            ),
            models.UniqueConstraint(
                fields=["volunteer", "task_type", "valid_until", "valid_from"],
                name="vol_eligible_once",
            ),
        ]

    def __str__(self):
        return f"{self.volunteer} / {self.task_type} ({self.valid_from} - {self.valid_until})"
