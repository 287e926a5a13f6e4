from django.core.management.base import BaseCommand

from communities.retention import remove_past_bookings


class Command(BaseCommand):
    help = "Delete event bookings (names and email addresses) for dates past the retention period."

    def handle(self, *args, **options):
        count = remove_past_bookings()
        self.stdout.write(f"Removed {count} booking(s) for past dates.")
