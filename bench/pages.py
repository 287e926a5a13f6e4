"""Public pages served by gunicorn: this code against an older commit, side by side.

    .venv/bin/python -m bench.pages                  # e66218b against the working tree
    .venv/bin/python -m bench.pages --rounds 5 --seconds 4

Each side is a directory of code: "new" is this checkout, "old" a git worktree of
`--old-commit` (default e66218b) in var/bench-pages/old-code with only the static-files fix
of `--fix-commit` applied (the vendored Leaflet source map, without which collectstatic's
manifest storage stops). Each side gets its own VAR_DIR under var/bench-pages/ with a
SQLite database migrated and filled by `load_demo`, and its collected static files; those
are made once and reused (`--rebuild` makes them again).

Both sides run the same server with the same production settings and environment:
`gunicorn config.wsgi` with `--workers` sync workers (default 2), DJANGO_SETTINGS_MODULE=
config.settings.production, the local-memory cache (no REDIS_URL), HTTPS announced by the
X-Forwarded-Proto header a reverse proxy would send. The two servers run at the same time
and are timed in turn: every round times each page on the old side and then the new one
(the order flips every round), for `--seconds` each, with `--clients` threads sending
requests one after another on new connections. Between pages and rounds nothing is
restarted, so caches stay warm as they would on a live site.

The directory search near a postcode asks a different query on every request (a word, a
postcode district and a radius never used before in the run), so neither side can answer it
from a cache; both sides get the same sequence. The figures (requests per second, median
and p95 latency per side, the ratio of requests per second) go to the `pages` section of
bench/RESULTS.md.
"""

import argparse
import http.client
import itertools
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.results import write_section
from bench.worktree import worktree

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "bench-pages"
SECRET = "bench-pages-" + "x" * 60
STATIC_FIX_FILES = ["static/vendor/leaflet/leaflet.js.map", "static/vendor/leaflet/SOURCE.md"]

WORDS = [
    "bereavement", "carers", "counselling", "grief", "support", "death", "cafe", "group",
    "children", "listening", "walk", "advice", "hospice", "loss", "friends", "talking",
]  # fmt: skip
DISTRICTS = [
    "SE13", "SE1", "SE4", "SE6", "SE10", "SE15", "E8", "E1", "E2", "E5", "E9", "E17",
    "N1", "N4", "N16", "N7", "EC1", "EC2", "NW1", "NW5", "SW9", "SW2", "W2", "WC1",
]  # fmt: skip
RADII = [1, 2, 3, 5, 10, 15, 25]


def log(message):
    print(message, flush=True)


def run(command, cwd, env=None, quiet=True):
    result = subprocess.run(  # noqa: S603 - the benchmark's own commands
        command, cwd=cwd, env=env, capture_output=quiet, text=True, check=False
    )
    if result.returncode != 0:
        if quiet:
            sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"failed: {' '.join(map(str, command))} (in {cwd})")
    return result.stdout if quiet else ""


def side_env(var_dir, port):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS", "TEST_", "VIRTUAL_ENV"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{port}",
        VAR_DIR=str(var_dir),
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def old_code(commit, fix_commit):
    """The worktree of the old commit, with only the static-files fix applied."""
    code = WORK / "old-code"
    fresh = not (code / "manage.py").exists()
    head = worktree(code, commit)
    if fresh:
        run(["git", "checkout", fix_commit, "--", *STATIC_FIX_FILES], code)
    return code, head


def prepare(name, code, port, rebuild):
    """Migrate, load the demo and collect static files for one side (once)."""
    var_dir = WORK / name
    ready = var_dir / ".ready"
    if rebuild and var_dir.exists():
        shutil.rmtree(var_dir)
    if ready.exists():
        return var_dir
    var_dir.mkdir(parents=True, exist_ok=True)
    env = side_env(var_dir, port)
    python = sys.executable
    log(f"{name}: migrate, load_demo, collectstatic")
    run([python, "manage.py", "migrate", "--noinput"], code, env)
    run([python, "manage.py", "load_demo", "--no-admin"], code, env)
    run([python, "manage.py", "collectstatic", "--noinput"], code, env)
    ready.touch()
    return var_dir


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(code, var_dir, port, workers):
    env = side_env(var_dir, port)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--forwarded-allow-ips",
        "127.0.0.1",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=code, env=env, start_new_session=True)  # noqa: S603
    for _ in range(600):
        try:
            status, _body = get(port, "/en/")
            if status == 200:
                return process
        except OSError:
            pass
        if process.poll() is not None:
            raise SystemExit(f"gunicorn for {code} stopped at start")
        time.sleep(0.1)
    raise SystemExit(f"gunicorn for {code} did not answer")


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(
            "GET", path, headers={"X-Forwarded-Proto": "https", "Accept-Language": "en"}
        )
        response = connection.getresponse()
        body = response.read()
        return response.status, body
    finally:
        connection.close()


def timed(port, paths, seconds, clients):
    """Requests for `seconds` from `clients` threads; (requests per second, latencies)."""
    latencies = []
    errors = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client():
        mine = []
        while time.perf_counter() < deadline:
            with lock:
                path = next(paths)
            began = time.perf_counter()
            status, _body = get(port, path)
            mine.append(time.perf_counter() - began)
            if status != 200:
                errors.append((path, status))
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise SystemExit(f"errors on port {port}: {errors[:5]}")
    return len(latencies) / elapsed, latencies


def fresh_searches(directory_path):
    """Directory searches near a postcode, each asked once in the whole run."""
    for word, district, radius in itertools.product(WORDS, DISTRICTS, RADII):
        yield f"{directory_path}?q={word}&near={district}&radius={radius}"


def pages_of(port):
    """The timed pages, found on the demo site the same way on both sides."""
    import re

    story_index = "/en/stories/"
    _status, index_html = get(port, story_index)
    stories = re.findall(r'href="(/en/stories/[\w-]+/)"', index_html.decode())
    # The index's own routes (the feed, the sharing form) are not stories.
    routes = {story_index, story_index + "feed/", story_index + "share/"}
    story = next(path for path in stories if path not in routes)
    return {
        "home page": "/en/",
        "story": story,
        "story index": story_index,
        "site search": "/en/search/?q=grief",
    }


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old-commit", default="e66218b")
    parser.add_argument("--fix-commit", default="a46be25")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--no-results", action="store_true")
    options = parser.parse_args(argv)

    old_dir, old_head = old_code(options.old_commit, options.fix_commit)
    new_head = run(["git", "rev-parse", "--short", "HEAD"], ROOT).strip()
    dirty = bool(run(["git", "status", "--porcelain", "--untracked-files=no"], ROOT).strip())
    ports = {"old": free_port(), "new": free_port()}
    codes = {"old": old_dir, "new": ROOT}
    var_dirs = {name: prepare(name, codes[name], ports[name], options.rebuild) for name in codes}
    servers = {}
    try:
        for name in codes:
            servers[name] = serve(codes[name], var_dirs[name], ports[name], options.workers)
        pages = pages_of(ports["new"])
        # Both sides get the same sequence of never-asked searches, each its own iterator.
        searches = {name: fresh_searches("/en/find-help/") for name in codes}
        targets = {**dict.fromkeys(pages, 6), "directory search near a postcode": 3}
        figures = {label: {"old": ([], []), "new": ([], [])} for label in targets}
        # One untimed pass, as a visitor would have warmed the site before.
        for name in codes:
            for path in pages.values():
                get(ports[name], path)
        for round_number in range(options.rounds):
            order = ["old", "new"] if round_number % 2 == 0 else ["new", "old"]
            for label in targets:
                for name in order:
                    paths = itertools.repeat(pages[label]) if label in pages else searches[name]
                    rate, latencies = timed(ports[name], paths, options.seconds, options.clients)
                    figures[label][name][0].append(rate)
                    figures[label][name][1].extend(latencies)
                    log(f"round {round_number + 1} {label} {name}: {rate:.1f} req/s")
    finally:
        for process in servers.values():
            stop(process)

    load = os.getloadavg()
    lines = [
        "## Public pages (bench/pages.py)",
        "",
        f"Old: {options.old_commit} (worktree at {old_head}, Leaflet source map from "
        f"{options.fix_commit}); new: {new_head}{' with uncommitted changes' if dirty else ''}.",
        f"gunicorn, {options.workers} sync workers each, production settings, SQLite, the demo; "
        f"{options.rounds} alternating rounds of {options.seconds:g} s per page and side, "
        f"{options.clients} client threads; load average after the run "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}.",
        "",
        "| page | old req/s | new req/s | ratio | target | old median / p95 ms "
        "| new median / p95 ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, target in targets.items():
        old_rates, old_lat = figures[label]["old"]
        new_rates, new_lat = figures[label]["new"]
        old_rate = statistics.median(old_rates)
        new_rate = statistics.median(new_rates)
        ratio = new_rate / old_rate
        lines.append(
            f"| {label} | {old_rate:.1f} | {new_rate:.1f} | ×{ratio:.1f} "
            f"| ×{target} {'met' if ratio >= target else 'missed'} "
            f"| {statistics.median(old_lat) * 1000:.1f} / {percentile(old_lat, 0.95) * 1000:.1f} "
            f"| {statistics.median(new_lat) * 1000:.1f} / {percentile(new_lat, 0.95) * 1000:.1f} |"
        )
    lines += [
        "",
        "Requests per second are the median of the rounds; latencies are over every request "
        "of a side. The directory search asks a new word, postcode district and radius on "
        "every request (the same sequence on both sides), so no page cache answers it; the "
        "helplines open now for a word are kept for the minute on the new side.",
    ]
    markdown = "\n".join(lines)
    print(markdown)
    if not options.no_results:
        write_section("pages", markdown)


if __name__ == "__main__":
    main()
