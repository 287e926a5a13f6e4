"""Harvesting a live Open Referral API: a second instance of this site publishes over real
HTTP on the loopback, and this one imports from it, keeps each service's source, changes
nothing on an identical harvest, asks only for changes when told to, and retires what a full
harvest no longer finds."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
import requests
from django.core.management import call_command

from directory.hsds.harvest import harvest_due_sources
from directory.models import FeedSource, Service, ServiceOrigin
from tests import snapshots
from tests.directory.test_import_hsds import ids, service
from tests.processes import wait_for


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def publisher_database(migrated_snapshot, django_db_blocker, tmp_path):
    """A database of its own for the publisher: a copy of the migrated test database (on the
    same engine), as `manage.py migrate` would leave it."""
    from django.db import connections

    with django_db_blocker.unblock():
        database = snapshots.copy(migrated_snapshot, "publisher", tmp_path)
    yield database.url(connections["default"])
    with django_db_blocker.unblock():
        snapshots.drop(database)


class Publisher:
    """Another instance of the site, with its own database, serving its API."""

    def __init__(self, processes, tmp_path, database_url):
        self.processes = processes
        self.tmp_path = tmp_path
        self.env = {
            "DATABASE_URL": database_url,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "HSDS_DOWNLOAD_DIR": str(tmp_path / "downloads"),
        }
        # Nothing left to migrate: the copy is already up to date.
        result = processes.run("migrate", "--check", "--no-input", timeout=300, **self.env)
        assert result.returncode == 0, result.stdout + result.stderr

    def publish(self, records, name):
        """Replace what the publisher lists with `records` (a full feed of its own)."""
        path = self.tmp_path / f"{name}.json"
        path.write_text(json.dumps(records))
        result = self.processes.run(
            "import_hsds",
            str(path),
            "--no-progress",
            "--source",
            "own feed",
            timeout=300,
            **self.env,
        )
        assert result.returncode == 0, result.stdout + result.stderr

    def start(self):
        port = free_port()
        self.process = self.processes.start(
            "runserver", "--noreload", f"127.0.0.1:{port}", **self.env
        )
        self.url = f"http://127.0.0.1:{port}/api/hsds"

        def answers():
            try:
                return requests.get(self.url + "/", timeout=2).status_code == 200
            except requests.RequestException:
                return False

        wait_for(answers, timeout=120, what=f"the publisher at {self.url}")


def harvest(*args):
    out = StringIO()
    call_command("import_hsds", *args, "--no-progress", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_harvesting_a_live_api_keeps_sources_and_stays_in_sync(
    processes, publisher_database, tmp_path
):
    publisher = Publisher(processes, tmp_path, publisher_database)
    publisher.publish([service(1), service(2), service(3)], "first")
    publisher.start()

    report = tmp_path / "report.json"
    output = harvest(publisher.url, "--source", "Neighbouring directory", "--report", str(report))
    assert "3 created, 0 updated, 0 skipped, 0 unchanged" in output, output
    source = FeedSource.objects.get(name="Neighbouring directory")
    assert source.url == publisher.url and source.last_full_harvest_at is not None
    origin = ServiceOrigin.objects.get(pk=ids(1002))
    assert (origin.source, origin.feed_name, origin.feed_url, origin.id_in_feed) == (
        source,
        "Neighbouring directory",
        publisher.url,
        ids(1002),
    )
    assert origin.fetched_at is not None
    assert Service.objects.get(pk=ids(1001)).phones.get().number == "020 7946 0000"

    # The same again: nothing changes, last_modified included.
    before = dict(Service.objects.values_list("pk", "last_modified"))
    output = harvest(publisher.url, "--source", "Neighbouring directory")
    assert "0 created, 0 updated, 0 skipped, 3 unchanged" in output, output
    assert dict(Service.objects.values_list("pk", "last_modified")) == before

    # The publisher renames one service and drops another.
    publisher.publish([service(1), service(2, name="Renamed support")], "second")
    source.harvest_on_schedule = True
    source.save()
    # On schedule, after a recent full harvest: only what changed is asked for.
    [(name, changed)] = harvest_due_sources().items()
    assert (name, changed) == ("Neighbouring directory", 1)
    assert Service.objects.get(pk=ids(1002)).name == "Renamed support"
    assert Service.objects.get(pk=ids(1003)).status == "active"  # not retired by a partial one

    # A full harvest retires (never deletes) what the source no longer lists.
    output = harvest(publisher.url, "--source", "Neighbouring directory", "--report", str(report))
    assert "2 unchanged" in output and "1 services no longer in the feed were retired" in output
    retired = Service.objects.get(pk=ids(1003))
    assert retired.status == "inactive"
    assert json.loads(report.read_text())["retired_ids"] == [ids(1003)]
    source.refresh_from_db()
    assert source.last_report["retired"] == 1


@pytest.mark.django_db
def test_an_unreachable_api_is_a_clear_error_and_changes_nothing(tmp_path):
    from django.core.management.base import CommandError

    url = f"http://127.0.0.1:{free_port()}/api/hsds"
    with pytest.raises(CommandError, match="could not be reached"):
        harvest(url, "--source", "Nowhere")
    assert not Service.objects.exists()


class FixedAPI(BaseHTTPRequestHandler):
    """Answers every request for the list of services with one page of bytes, as written."""

    page = b""

    def do_GET(self):  # noqa: N802 - the name http.server calls
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.page)))
        self.end_headers()
        self.wfile.write(self.page)

    def log_message(self, *args):
        pass


@pytest.fixture
def fixed_api():
    """The URL of an HSDS API whose /services answers `FixedAPI.page`, set by the test."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), FixedAPI)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/hsds"
    finally:
        server.shutdown()
        server.server_close()
        FixedAPI.page = b""


@pytest.mark.django_db
def test_half_a_surrogate_pair_harvested_is_read_as_a_replacement_character_with_a_warning(
    fixed_api, tmp_path
):
    """An API whose text was cut in the middle of an emoji (by a length limit counted in
    UTF-16) escapes the half left, as a JSON writer must; it is stored as U+FFFD and named
    in the report, as in a feed file, and a U+FFFD the API gave itself is not."""
    cut = service(2, description="Walks for everyone \ud83d")
    cut["phones"][0]["description"] = "\ude00 evenings"
    given = service(3, description="A replacement character the API gave: \ufffd")
    page = {"contents": [service(1), cut, given], "total_pages": 1, "page_number": 1}
    FixedAPI.page = json.dumps(page).encode("ascii")  # each half written as a \u escape

    report = tmp_path / "report.json"
    output = harvest(fixed_api, "--source", "Cut text", "--report", str(report))

    assert "3 created, 0 updated, 0 skipped" in output, output
    warnings = json.loads(report.read_text())["warnings"]
    repairs = [w for w in warnings if "U+FFFD" in w["message"]]
    assert [(w["index"], w["id"], w["field"]) for w in repairs] == [
        (1, cut["id"], "description"),
        (1, cut["id"], "phones[0].description"),
    ]
    assert Service.objects.get(pk=cut["id"]).description == "Walks for everyone \ufffd"
    assert Service.objects.get(pk=given["id"]).description.endswith("gave: \ufffd")
