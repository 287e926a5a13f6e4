"""manage.py flag_stale_services: tell each organisation's editors which services need checking."""

from django.core.management.base import BaseCommand

from directory.stale import notify_stale_services, stale_after_months


class Command(BaseCommand):
    help = "Email each organisation's editors a list of its services not verified recently."

    def add_arguments(self, parser):
        parser.add_argument(
            "--months",
            type=int,
            default=None,
            help=f"Stale after this many months (default: the setting, {stale_after_months()}).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )

    def handle(self, *args, months=None, dry_run=False, **options):
        report = notify_stale_services(months=months, dry_run=dry_run)
        for organization, services, recipients in report:
            self.stdout.write(
                f"{organization.name}: {len(services)} to check -> "
                f"{', '.join(recipients) or 'no editors or email'}"
            )
        total = sum(len(services) for _org, services, _r in report)
        verb = "would be flagged" if dry_run else "flagged"
        self.stdout.write(
            self.style.SUCCESS(f"{total} services {verb} in {len(report)} organisations")
        )
