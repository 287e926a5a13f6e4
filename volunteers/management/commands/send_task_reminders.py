from django.core.management.base import BaseCommand

from volunteers.notifications import send_task_reminders


class Command(BaseCommand):
    help = (
        "Queue reminder emails to volunteers whose accepted task is tomorrow; each task is "
        "reminded once, so running this more often than daily is safe."
    )

    def handle(self, *args, **options):
        result = send_task_reminders.enqueue()
        self.stdout.write(f"Task reminders queued ({result.id}).")
