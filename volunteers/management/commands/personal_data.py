import json

from django.core.management.base import BaseCommand, CommandError

from volunteers import retention
from volunteers.models import HelpRequest, Volunteer


class Command(BaseCommand):
    help = (
        "Export (as JSON) or erase what is held about a help-seeker (by request reference) "
        "or a volunteer (by email address). The contact access log keeps its rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"])
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--request", help="a help request's reference")
        who.add_argument("--volunteer", help="a volunteer's email address")

    def handle(self, *args, action, request=None, volunteer=None, **options):
        try:
            if request:
                subject = HelpRequest.objects.get(reference=request.strip().upper())
            else:
                subject = retention.find_volunteer(volunteer.strip())
        except (HelpRequest.DoesNotExist, Volunteer.DoesNotExist):
            raise CommandError("Nobody found with that reference or email address.") from None
        is_request = isinstance(subject, HelpRequest)
        if action == "export":
            data = (retention.export_request if is_request else retention.export_volunteer)(subject)
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
        else:
            (retention.erase_request if is_request else retention.erase_volunteer)(subject)
            self.stdout.write("Erased. The contact access log keeps its rows without the person.")
