"""The README's production steps, followed on a fresh copy of the project.

The tracked files of this checkout are copied to an empty folder (so nothing that is not
committed or not meant to be, var/ or a built static folder, helps). There, with production
settings and PostgreSQL: migrate, collectstatic with the manifest storage, `check --deploy`
(only the warning the README documents), demo content, then `make serve` starts gunicorn
and the task worker. Over real HTTP, as a reverse proxy would send it: the home page, a
search near a postcode, a story, an event, the HSDS API and a hashed static file answer 200;
the worker sends an email; the access log holds paths and statuses but no query string and
no signed token; and stopping `make serve` stops every process it started.

`make test` runs this after the two database legs (`make test-production`).
"""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(sys.executable).parent.parent
PG_URL = os.environ.get("PRODUCTION_PG_URL", "postgres://postgres@127.0.0.1:5432/ccn_production")

pytestmark = pytest.mark.production


def descendants(pid):
    """Every process started under `pid`, read from /proc."""
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def alive(pid):
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_copy(target):
    """The checkout's files as a clone would have them (tracked, or new and not ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, (item.decode() for item in listed)):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def fresh_database():
    admin_url, name = PG_URL.rsplit("/", 1)
    try:
        with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL at {admin_url} is needed for the production leg: {error}")


def fetch(base, path, tries=1):
    """GET as the reverse proxy in front would send it (HTTPS terminated before us)."""
    request = urllib.request.Request(  # noqa: S310 (a URL of our own, on the loopback)
        base + path, headers={"X-Forwarded-Proto": "https"}
    )
    for attempt in range(tries):
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")
        except OSError:
            if attempt == tries - 1:
                raise
            time.sleep(0.5)
    raise AssertionError("unreachable")


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    project = tmp_path_factory.mktemp("clone")
    fresh_copy(project)
    fresh_database()
    port = free_port()
    var = project / "var"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_")) and key not in {"DATABASE_URL", "VAR_DIR"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=PG_URL,
        VAR_DIR=str(var),
        SITE_URL=f"https://127.0.0.1:{port}",
        # The worker's emails go to its output, which is the log below.
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        WEB_CONCURRENCY="2",
        PATH=f"{VENV / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    python = str(VENV / "bin" / "python")

    def manage(*args):
        result = subprocess.run(
            [python, "manage.py", *args],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stderr[-3000:]}"
        return result.stdout + result.stderr

    manage("migrate", "--noinput")
    manage("collectstatic", "--noinput")
    checked = manage("check", "--deploy")
    manage("load_demo")
    urls = manage(
        "shell",
        "-c",
        "from stories.models import StoryPage; from communities.models import EventPage; "
        "print(StoryPage.objects.live().filter(locale__language_code='en').first().url); "
        "print(EventPage.objects.live().filter(locale__language_code='en').first().url)",
    ).split()[-2:]

    log = open(project / "serve.log", "w")  # noqa: SIM115 (closed below)
    serve = subprocess.Popen(
        ["make", "-o", f"{VENV}/.installed", f"VENV={VENV}", f"PORT={port}", "serve"],
        cwd=project,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        fetch(base, "/en/", tries=120)
        yield {
            "base": base,
            "check": checked,
            "story": urls[0],
            "event": urls[1],
            "manage": manage,
            "log": project / "serve.log",
            "serve": serve,
        }
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGTERM)
            serve.wait(timeout=60)
        log.close()


def test_the_deploy_check_warns_only_about_what_the_readme_documents(deployed):
    warnings = set(re.findall(r"\((security\.W\d+)\)", deployed["check"]))
    assert warnings == {"security.W021"}
    assert "security.W021" in (ROOT / "README.md").read_text()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/en/",
        "/en/find-help/?q=bereavement&near=SE13",
        "/en/find-help/?near=SE8+4AA",
        "story",
        "event",
        "/api/hsds/",
        "/api/hsds/services?per_page=5",
    ],
)
def test_pages_answer_200(deployed, path):
    status, body = fetch(deployed["base"], deployed.get(path, path))
    assert status == 200, body[:2000]


def test_a_hashed_static_file_is_served(deployed):
    _status, home = fetch(deployed["base"], "/en/")
    stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', home)
    assert stylesheet, "the page should link a manifest (hashed) stylesheet"
    status, body = fetch(deployed["base"], stylesheet.group(1))
    assert status == 200 and body


def test_the_worker_sends_queued_email(deployed):
    deployed["manage"](
        "shell",
        "-c",
        "from volunteers.notifications import send_verification_email as t; "
        "from volunteers.models import Volunteer; "
        "t.enqueue(Volunteer.objects.first().pk, 'https://example.org/verify/')",
    )
    for _ in range(120):
        if "Subject: Confirm your email address" in deployed["log"].read_text():
            break
        time.sleep(0.5)
    assert "Subject: Confirm your email address" in deployed["log"].read_text()


def test_the_access_log_keeps_no_query_string_and_no_token(deployed):
    fetch(deployed["base"], "/en/find-help/?q=grief&near=SE13+7QT")
    fetch(deployed["base"], "/en/ask-for-help/withdraw/MQ:1xYjda:duudn0lDcWYiRZAiSegxu/")
    time.sleep(1)
    log = deployed["log"].read_text()
    assert '"GET /en/find-help/" 200' in log
    assert "SE13" not in log and "near=" not in log and "grief" not in log
    assert "duudn0lDcWYiRZAiSegxu" not in log
    assert '"GET /en/ask-for-help/withdraw/[token]/" 404' in log
    assert "Traceback" not in log


def test_stopping_serve_stops_every_process(deployed):
    serve = deployed["serve"]
    started = descendants(serve.pid)
    commands = " ".join(
        (Path("/proc") / str(pid) / "cmdline").read_text().replace("\0", " ") for pid in started
    )
    for name in ["honcho", "gunicorn", "db_worker", "run_scheduler"]:
        assert name in commands, name
    os.kill(serve.pid, signal.SIGTERM)
    serve.wait(timeout=60)
    for _ in range(60):
        left = [pid for pid in started if alive(pid)]
        if not left:
            break
        time.sleep(0.5)
    assert not left, f"still running after make serve stopped: {left}"
    with pytest.raises(OSError):
        fetch(deployed["base"], "/en/")
