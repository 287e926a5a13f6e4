from django.core.management.base import BaseCommand

from volunteers.retention import redact_closed


class Command(BaseCommand):
    help = "Remove contact details of requests closed longer ago than the retention period."

    def handle(self, *args, **options):
        count = redact_closed()
        self.stdout.write(f"Contact details removed from {count} closed request(s).")
