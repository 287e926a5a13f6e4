"""The demo volunteering: every state a screen shows, loaded once, logins printed."""

import polib
import pytest

from volunteers import demo
from volunteers.models import HelpRequest, Offer, SafeguardingConcern, Volunteer

pytestmark = pytest.mark.django_db


def test_demo_has_every_state_and_prints_logins(settings, tmp_path, home):
    settings.VAR_DIR = tmp_path
    lines = []
    demo.load(lines.append)
    statuses = set(HelpRequest.objects.values_list("status", flat=True))
    assert statuses == {"open", "accepted", "closed", "withdrawn"}
    assert HelpRequest.objects.exclude(no_match_reason=[]).filter(area="LS1").exists()
    assert Offer.objects.filter(status="offered", volunteer__user__username=demo.VOLUNTEER_USERNAME)
    assert Volunteer.objects.filter(status="applicant").exists()
    assert SafeguardingConcern.objects.exists()
    text = "\n".join(lines)
    assert demo.VOLUNTEER_USERNAME in text and demo.COORDINATOR_USERNAME in text
    password = (tmp_path / "demo-volunteer-password.txt").read_text().strip()
    assert password in text
    count = Volunteer.objects.count()
    demo.load(lines.append)
    assert Volunteer.objects.count() == count


def test_demo_task_types_are_in_every_catalogue(settings):
    # A task type's name is shown in the reader's language (TaskType.__str__), and the demo's
    # come from volunteers/demo.yaml, where no message extraction finds them.
    names = {spec["name"] for spec in demo.CONTENT["task_types"]}
    catalogues = sorted((settings.BASE_DIR / "locale").glob("*/LC_MESSAGES/django.po"))
    assert catalogues
    for path in catalogues:
        translated = {entry.msgid for entry in polib.pofile(str(path)).translated_entries()}
        assert names <= translated, (path, names - translated)
