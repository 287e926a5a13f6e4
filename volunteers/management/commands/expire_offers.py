from django.core.management.base import BaseCommand

from volunteers.offers import expire_offers


class Command(BaseCommand):
    help = "Time out unanswered offers and pass each request to the next volunteer."

    def handle(self, *args, **options):
        self.stdout.write(f"{expire_offers()} offer(s) timed out.")
