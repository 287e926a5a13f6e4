"""Logs: JSON lines with a request id when asked, and never a help-seeker's details.

Every logger is opened up to DEBUG while a help request carrying a marker in its name,
email, address and notes goes through its whole life by the public pages: asked for
(once with a bad phone number that also carries the marker), offered, accepted, its
details revealed to the volunteer and a coordinator, and withdrawn. Neither the captured
records nor the JSON formatter's output may contain the marker.
"""

import io
import json
import logging
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import import_string
from django_guid.log_filters import CorrelationId

from core.geo.sample import load_sample_districts
from tests.volunteers.factories import TaskTypeFactory, UserFactory, VolunteerFactory
from tests.volunteers.test_leaks import MARKER
from tests.volunteers.test_views import help_data
from volunteers.models import HelpRequest, Offer

pytestmark = pytest.mark.django_db


def json_formatter():
    """The formatter LOG_FORMAT=json uses, built from the LOGGING setting."""
    options = dict(settings.LOGGING["formatters"]["json"])
    return import_string(options.pop("()"))(**options)


@pytest.fixture
def all_logs(caplog):
    """Every logger at DEBUG, propagating to caplog and to a JSON handler; their text."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(CorrelationId())
    handler.setFormatter(json_formatter())
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    loggers = [root] + [
        logging.getLogger(name)
        for name, each in list(logging.root.manager.loggerDict.items())
        if isinstance(each, logging.Logger)
    ]
    saved = [(each, each.level, each.propagate, each.disabled) for each in loggers]
    for each in loggers:
        each.setLevel(logging.DEBUG)
        each.disabled = False
        if each is not root:
            each.propagate = True
    root.addHandler(handler)
    caplog.set_level(logging.DEBUG)

    def text():
        records = "\n".join(
            f"{record.getMessage()} {record.exc_text or ''} {record.__dict__!r}"
            for record in caplog.records
        )
        return records + caplog.text + stream.getvalue()

    text.json_lines = lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    yield text
    root.removeHandler(handler)
    for each, level, propagate, disabled in saved:
        each.setLevel(level)
        each.propagate = propagate
        each.disabled = disabled


def test_a_help_request_leaves_no_personal_data_in_the_logs(client, home, terms, all_logs):
    load_sample_districts()
    task = TaskTypeFactory(name="Sitting with someone")
    volunteer = VolunteerFactory()
    marked = {
        "name": f"Name {MARKER}",
        "email": f"{MARKER.lower()}@example.org",
        "address": f"1 {MARKER} Road",
        "notes": f"Notes {MARKER}",
    }
    url = reverse("volunteers:ask_for_help")
    refused = client.post(url, help_data(task, phone=f"0207 {MARKER}", **marked))
    assert refused.status_code == 200
    response = client.post(url, help_data(task, **marked))
    assert response.status_code == 302
    help_request = HelpRequest.objects.get()
    offer = Offer.objects.get(request=help_request, volunteer=volunteer, status="offered")

    client.force_login(volunteer.user)
    client.post(reverse("volunteers:accept", args=[offer.pk]))
    dashboard = client.get(reverse("volunteers:dashboard"))
    assert MARKER in dashboard.content.decode()  # revealed to the volunteer who accepted
    coordinator = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(coordinator)
    contact = client.get(reverse("volunteers_contact", args=[help_request.pk]))
    assert MARKER in contact.content.decode()  # and to a coordinator

    client.logout()
    page = client.get(response.url)
    withdraw_url = re.search(r'href="([^"]+/withdraw/[^"]+)"', page.content.decode()).group(1)
    client.post(withdraw_url)
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.WITHDRAWN

    logged = all_logs()
    assert logged.strip(), "the journey should have logged something"
    assert MARKER not in logged and MARKER.lower() not in logged


def test_json_log_lines_carry_the_request_id(client, home, all_logs):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    lines = [line for line in all_logs.json_lines() if line["logger"] == "django.request"]
    assert lines and lines[-1]["request_id"] == request_id
    assert lines[-1]["level"] == "WARNING" and "time" in lines[-1]
