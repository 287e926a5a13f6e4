from django.core.management.base import BaseCommand

from volunteers.notifications import send_expiry_warnings


class Command(BaseCommand):
    help = "Queue emails to volunteers whose training or DBS check expires soon."

    def handle(self, *args, **options):
        result = send_expiry_warnings.enqueue()
        self.stdout.write(f"Expiry warnings queued ({result.id}).")
