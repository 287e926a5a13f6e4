"""manage.py refresh_insight: recompute the insight figures for recent months."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from insight.figures import month_start, previous_month, refresh


class Command(BaseCommand):
    help = "Recompute the monthly insight figures (this month and the months before it)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--months", type=int, default=2, help="How many months back to recompute (1-60)."
        )

    def handle(self, *args, months=2, **options):
        if not 1 <= months <= 60:
            raise CommandError("--months must be between 1 and 60.")
        month = month_start(timezone.localdate())
        for _ in range(months):
            count = refresh(month)
            self.stdout.write(f"{month:%Y-%m}: {count} figures")
            month = previous_month(month)
