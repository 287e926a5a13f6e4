"""Services nobody has verified for a while are flagged to their editors and shown as such."""

import datetime as dt

from django.conf import settings
from django.utils import timezone


def stale_after_months():
    return getattr(settings, "DIRECTORY_STALE_AFTER_MONTHS", 12)


def stale_cutoff(today=None, months=None):
    """Services last verified before this date are stale."""
    today = today or timezone.localdate()
    months = stale_after_months() if months is None else months
    year, month = divmod(today.month - 1 - months, 12)
    year += today.year
    month += 1
    day = min(today.day, 28)
    return dt.date(year, month, day)


def stale_services(queryset=None, today=None, months=None):
    from directory.models import Service

    queryset = Service.objects.active() if queryset is None else queryset
    return queryset.stale(stale_cutoff(today=today, months=months))
