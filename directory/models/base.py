"""What every directory record shares: an HSDS UUID and timestamps."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class HSDSRecord(models.Model):
    """A record with the UUID that Open Referral feeds use to identify it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True


class Timestamped(HSDSRecord):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_modified = models.DateTimeField(_("last modified"), auto_now=True, db_index=True)

    class Meta:
        abstract = True
