"""manage.py load_demo: demo content for every part of the site, idempotent, no network."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from core.demo import site
from core.indexing import deferred_indexing


class Command(BaseCommand):
    help = "Load demo content. Safe to run again: it only adds what is missing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-admin", action="store_true", help="Do not print the demo admin login."
        )

    def handle(self, *args, no_admin=False, **options):
        # Building requests and bookings in their various states sends the emails those steps
        # send; nobody is there to read them, so they go nowhere instead of to the terminal,
        # at once rather than through the task queue. The search and reference indexes are
        # brought up to date once at the end, not on each of the thousand saves.
        with (
            override_settings(
                EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
                TASKS={"default": {"BACKEND": settings.TASKS_BACKENDS["immediate"]}},
            ),
            deferred_indexing(),
        ):
            username, password = site.load(self.stdout.write)
        if no_admin:
            return
        base = settings.SITE_URL
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Site:  {base}/"))
        self.stdout.write(self.style.SUCCESS(f"Admin: {base}/admin/"))
        self.stdout.write(self.style.SUCCESS(f"       username {username}, password {password}"))
        self.stdout.write("")
