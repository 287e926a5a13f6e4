"""Organisations that run services, and their programmes; each has its own editors."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable
from wagtail.search import index

from .base import HSDSRecord, Timestamped


class Organization(index.Indexed, Timestamped, ClusterableModel):
    """A charity, hospice, council team or group that provides services."""

    name = models.CharField(_("name"), max_length=255)
    alternate_name = models.CharField(_("other name"), max_length=255, blank=True)
    description = models.TextField(_("description"))
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.URLField(_("logo URL"), blank=True)
    uri = models.URLField(_("URI"), blank=True)
    parent_organization = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="child_organizations",
        verbose_name=_("parent organisation"),
    )
    legal_status = models.CharField(_("legal status"), max_length=100, blank=True)
    tax_status = models.CharField(_("tax status"), max_length=100, blank=True)
    tax_id = models.CharField(_("tax ID"), max_length=100, blank=True)
    year_incorporated = models.PositiveSmallIntegerField(
        _("year incorporated"), null=True, blank=True
    )
    charity_number = models.CharField(_("registered charity number"), max_length=20, blank=True)
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="directory_organizations",
        verbose_name=_("editors"),
        help_text=_("People who may edit this organisation's services and locations."),
    )

    search_fields = [
        index.SearchField("name"),
        index.SearchField("alternate_name"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        permissions = [
            ("edit_any_organization", _("Can edit every organisation's directory records")),
        ]

    def __str__(self):
        return self.name


class Program(HSDSRecord, Orderable):
    """A programme: a collection of an organisation's related services, under one name."""

    organization = ParentalKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="programs",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=255)
    alternate_name = models.CharField(_("other name"), max_length=255, blank=True)
    description = models.TextField(_("description"))

    class Meta(Orderable.Meta):
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="program_has_a_name")
        ]

    def __str__(self):
        return self.name
