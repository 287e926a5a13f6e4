"""The demo volunteering: every state a screen shows, loaded once, logins printed."""

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
    assert HelpRequest.objects.exclude(no_match_reason="").filter(area="LS1").exists()
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
