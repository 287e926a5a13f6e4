"""Where imported services come from: the feeds harvested, and each service's record there."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class FeedSource(models.Model):
    """An Open Referral API (HSDS 3.0, ORUK 3.0 or ORUK 1.0) that services are harvested from.

    A harvest pages through its /services; after the first full one, a scheduled harvest asks
    only for what changed since the last (`modified_after`), and a full one now and then
    retires the services it no longer lists."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    url = models.URLField(
        _("API address"),
        max_length=2000,
        help_text=_("The base address of the API, such as https://example.org/api/hsds."),
    )
    harvest_on_schedule = models.BooleanField(
        _("harvest on schedule"),
        default=False,
        help_text=_("Fetch changes every night and everything once a week."),
    )
    last_harvested_at = models.DateTimeField(_("last harvested"), null=True, blank=True)
    last_full_harvest_at = models.DateTimeField(_("last full harvest"), null=True, blank=True)
    last_report = models.JSONField(_("last report"), default=dict, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("feed source")
        verbose_name_plural = _("feed sources")

    def __str__(self):
        return self.name


class ServiceOrigin(models.Model):
    """The feed a service was imported from, its id there and when it was last fetched.

    `content_hash` is of the record as the feed gave it: a record that has not changed since
    the last import is left as it is, its last_modified included."""

    service = models.OneToOneField(
        "directory.Service",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="origin",
        verbose_name=_("service"),
    )
    source = models.ForeignKey(
        FeedSource,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="origins",
        verbose_name=_("feed source"),
    )
    feed_name = models.CharField(_("feed"), max_length=200, db_index=True)
    feed_url = models.URLField(_("feed address"), max_length=2000, blank=True)
    id_in_feed = models.CharField(_("id in the feed"), max_length=255, blank=True)
    fetched_at = models.DateTimeField(_("fetched"))
    content_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("service origin")
        verbose_name_plural = _("service origins")

    def __str__(self):
        return f"{self.feed_name}: {self.id_in_feed}"
