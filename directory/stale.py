"""Services nobody has verified for a while are flagged to their editors and shown as such."""

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone
from django_tasks import task

from directory.models import Service
from directory.notifications import editor_emails


def stale_after_months():
    return getattr(settings, "DIRECTORY_STALE_AFTER_MONTHS", 12)


def stale_cutoff(today=None, months=None):
    """Services last verified before this date are stale."""
    today = today or timezone.localdate()
    months = stale_after_months() if months is None else months
    return today - relativedelta(months=months)


def stale_services(queryset=None, today=None, months=None):
    queryset = Service.objects.active() if queryset is None else queryset
    return queryset.stale(stale_cutoff(today=today, months=months))


def notify_stale_services(months=None, dry_run=False):
    """Email each organisation's editors its stale services; returns what was (or would be)
    sent as [(organisation, [services], [recipients])]."""
    from itertools import groupby

    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils.translation import gettext as _

    services = (
        stale_services(months=months)
        .select_related("organization")
        .order_by("organization__name", "organization_id", "name")
    )
    report = []
    for _org_id, group in groupby(services, key=lambda s: s.organization_id):
        group = list(group)
        organization = group[0].organization
        recipients = editor_emails(organization)
        report.append((organization, group, recipients))
        if dry_run or not recipients:
            continue
        send_mail(
            subject=_("%(count)d directory entries need checking") % {"count": len(group)},
            message=render_to_string(
                "directory/email/stale_services.txt",
                {
                    "organization": organization,
                    "services": group,
                    "months": stale_after_months() if months is None else months,
                    "admin_url": settings.SITE_URL,
                },
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )
    return report


@task()
def flag_stale_services_task():
    """The scheduled job (SCHEDULE["flag_stale_services"]); how many services were flagged."""
    return sum(len(services) for _org, services, _recipients in notify_stale_services())
