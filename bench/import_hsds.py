"""Times `manage.py import_hsds` of a seeded HSDS 3.0 JSON feed, on SQLite and PostgreSQL.

The feed is written straight from `bench.generate.CorpusBuilder`'s rows (no database) in the
shape `export_hsds` writes: each service with its organisation, locations (with an address and
accessibility), schedules, languages, areas, phones and categories (nested taxonomy terms). It
is cached in bench/data/. Each database is emptied and migrated (not timed), then a child
process runs `import_hsds` (timed: wall clock, and its own peak RSS from getrusage); that is
done `--repeat` times and the median kept. Then a last child imports the same feed again,
which must add none (today's code leaves every service as it was; older code rewrote them).

With `--baseline COMMIT` (default e66218b, the importer before it was split into modules and
checked each record against the HSDS schemas) the same runs are made with that commit's code
too, from a git worktree in var/bench-import/, side by side: every attempt imports the feed
with both codes in turn, the order flipping each attempt, into the same database emptied and
migrated by that side's own migrations. `--baseline none` times this code only.
"""

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.worktree import worktree

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
DATA_DIR = BENCH_DIR / "data"
BASELINE_DIR = ROOT / "var" / "bench-import" / "baseline-code"
DEFAULT_BASELINE = "e66218b"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/ccn_bench_import"
FEED_VERSION = 1
TARGET_SECONDS = 60
TARGET_RSS_MB = 500


# -- the feed --------------------------------------------------------------------------------


def _starter_terms():
    """The starter taxonomy as unsaved rows with stable ids: code -> TaxonomyTerm."""
    from directory.hsds.serialize import derived_id
    from directory.models import Taxonomy, TaxonomyTerm
    from directory.taxonomy import STARTER_TERMS, TAXONOMY_NAME, TAXONOMY_URI

    taxonomy = Taxonomy(
        id=derived_id("bench-taxonomy"),
        name=TAXONOMY_NAME,
        description="Categories of end-of-life, bereavement and community support.",
        uri=TAXONOMY_URI,
        version="1.0",
    )
    terms = {}
    for code, name, description, children in STARTER_TERMS:
        parent = TaxonomyTerm(
            id=derived_id("bench-term", code),
            taxonomy=taxonomy,
            code=code,
            name=name,
            description=description,
        )
        terms[code] = parent
        for child_code, child_name, child_description in children:
            terms[child_code] = TaxonomyTerm(
                id=derived_id("bench-term", child_code),
                taxonomy=taxonomy,
                code=child_code,
                name=child_name,
                description=child_description,
                parent_id=parent.id,
            )
    return terms


def _by_service(rows):
    grouped = {}
    for row in rows:
        grouped.setdefault(row.service_id, []).append(row)
    return grouped


def write_feed(path, services, seed, progress=print):
    """Write the corpus of `services` services as an HSDS JSON list; returns how many."""
    from bench.generate import CorpusBuilder, postcode_districts
    from directory.hsds import serialize as s
    from directory.hsds.exporter import write_json
    from directory.models import (
        Address,
        Organization,
        Phone,
        Schedule,
        Service,
        ServiceArea,
        ServiceAtLocation,
        ServiceLanguage,
    )

    started = time.perf_counter()
    terms = _starter_terms()
    objects = CorpusBuilder(services, seed, terms).build()
    progress(f"[feed] built {services:,} services in {time.perf_counter() - started:.1f} s")
    by_id = {term.id: term for term in terms.values()}
    categories = {}
    for row in objects[Service.categories.through]:
        categories.setdefault(row.service_id, []).append(by_id[row.taxonomyterm_id])
    phones = _by_service(objects[Phone])
    schedules = _by_service(objects[Schedule])
    areas = _by_service(objects[ServiceArea])
    languages = _by_service(objects[ServiceLanguage])
    places = _by_service(objects[ServiceAtLocation])
    organizations = {
        org.id: s.organization_to_hsds(org, nested=False) for org in objects[Organization]
    }
    districts = postcode_districts()
    term_json = {term.id: s.taxonomy_term_to_hsds(term) for term in terms.values()}

    locations = {}

    def location(loc):
        if loc.id not in locations:
            district = min(
                districts[:: max(1, len(districts) // 400)],
                key=lambda d: (d[1] - loc.latitude) ** 2 + (d[2] - loc.longitude) ** 2,
            )[0]
            address = Address(
                id=s.derived_id("bench-address", loc.id),
                location_id=loc.id,
                address_1=f"{loc.name[-1]} High Street",
                city=loc.name.rsplit(" ", 3)[0],
                state_province="England",
                postal_code=f"{district} 1AA",
                country="GB",
            )
            data = s.location_to_hsds(loc, full=False)
            data["addresses"] = [s.address_to_hsds(address)]
            data["accessibility"] = s.accessibility_to_hsds(_NoRows(loc))
            locations[loc.id] = data
        return locations[loc.id]

    def service_dicts():
        for service in objects[Service]:
            data = s.service_to_hsds(service, full=False, with_organization=False)
            data["organization"] = organizations[service.organization_id]
            cost_options = [s.free_cost_option(service)] if service.free else []
            data.update(
                phones=[s.phone_to_hsds(p) for p in phones.get(service.id, [])],
                schedules=[s.schedule_to_hsds(r) for r in schedules.get(service.id, [])],
                service_areas=[s.service_area_to_hsds(a) for a in areas.get(service.id, [])],
                languages=[s.language_to_hsds(x) for x in languages.get(service.id, [])],
                cost_options=cost_options,
                contacts=[],
                attributes=[
                    {
                        "id": s.derived_id("attribute", service.id, term.id),
                        "link_id": str(service.id),
                        "link_entity": "service",
                        "link_type": s.CATEGORY_LINK_TYPE,
                        "taxonomy_term_id": str(term.id),
                        "taxonomy_term": term_json[term.id],
                    }
                    for term in categories.get(service.id, [])
                ]
                + [s._local_attribute("service", service.id, "free", str(service.free).lower())],
                service_at_locations=[
                    {"id": str(sal.id), "location": location(sal.location)}
                    for sal in places.get(service.id, [])
                ],
            )
            yield data

    started = time.perf_counter()
    with open(path, "w", encoding="utf-8") as stream:
        count = write_json(stream, service_dicts())
    progress(f"[feed] wrote {path.name} in {time.perf_counter() - started:.1f} s")
    return count


class _NoRows:
    """A location whose free-text accessibility rows are none (the corpus has only features)."""

    def __init__(self, location):
        self._location = location
        self.accessibility = _Empty()

    def __getattr__(self, name):
        return getattr(self._location, name)


class _Empty:
    def all(self):
        return []


# -- databases -------------------------------------------------------------------------------


def _reset(vendor, url):
    if vendor == "sqlite":
        Path(urlsplit(url).path).unlink(missing_ok=True)
        return
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _env(url):
    return {**os.environ, "BENCH_DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings"}


def _child(url, *args, code=ROOT):
    """Run this module as a child on database `url`, with the code in the directory `code`;
    its last output line is JSON."""
    command = [sys.executable, "-m", "bench.import_hsds", "--child", *args]
    done = subprocess.run(  # noqa: S603
        command, env=_env(url), cwd=code, check=True, stdout=subprocess.PIPE, text=True
    )
    lines = done.stdout.strip().splitlines()
    for line in lines[:-1]:
        print("   ", line)
    return json.loads(lines[-1])


def run_child(args):
    """In the child: migrate, or import and report time, peak RSS and row counts."""
    import django

    django.setup()
    from django.core.management import call_command

    if args.child == "migrate":
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(json.dumps({"seconds": time.perf_counter() - started}))
        return
    from directory.hsds.importer import BATCH_SIZE, Importer, Origin

    started = time.perf_counter()
    cpu_started = time.process_time()
    # As `import_hsds --no-admin-search`: Wagtail's own search index (the admin's snippet
    # search) is left out of the timing; see bench/README.md.
    # As `import_hsds FILE`, the file's name is its services' source.
    importer = Importer(
        batch_size=args.batch_size or BATCH_SIZE,
        admin_search=False,
        origin=Origin.of_file(args.feed),
    )
    report = importer.run_json(args.feed)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # The feed's reading process (directory.hsds.split), where the code has one.
    reader_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    from directory.models import Location, Organization, Service, ServiceAtLocation

    counts = {
        model.__name__: model.objects.count()
        for model in (Service, Organization, Location, ServiceAtLocation)
    }
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "batch_size": importer.batch_size,
                "peak_rss_mb": peak_kb / 1024,
                "reader_rss_mb": reader_kb / 1024,
                "created": report.created,
                "updated": report.updated,
                "unchanged": getattr(report, "unchanged", 0),
                "skipped": report.skipped,
                "errors": report.error_count,
                "warnings": report.warning_count,
                "first_errors": report.errors[:3],
                "counts": counts,
            }
        )
    )


def _database_url(vendor, pg_url):
    if vendor == "sqlite":
        return f"sqlite:///{DATA_DIR / 'import-target.sqlite3'}"
    return pg_url


def _print_run(vendor, name, result):
    print(
        f"[{vendor}] {name}: {result['seconds']:.1f} s, "
        f"peak RSS {result['peak_rss_mb']:.0f} MB, {result['created']} created, "
        f"{result['updated']} updated, {result.get('unchanged', 0)} unchanged, "
        f"{result['skipped']} skipped"
    )


def measure(vendor, args, feed, sides):
    """For each side ({name: code directory}): the first import `args.repeat` times, each
    into a database emptied and migrated anew by that side (the median run is reported, with
    every run's seconds and the highest peak RSS), then a re-import of the feed into the
    database the side's last import filled. The sides take turns, the order flipping each
    attempt; the last attempt's order is kept for the re-imports."""
    url = _database_url(vendor, args.pg_url)
    options = ["--batch-size", str(args.batch_size)] if args.batch_size else []
    imports = {name: [] for name in sides}
    reimports = {}
    names = list(sides)
    for attempt in range(1, args.repeat + 1):
        order = names if attempt % 2 else names[::-1]
        for name in order:
            code = sides[name]
            _reset(vendor, url)
            migrate = _child(url, "migrate", code=code)
            print(f"[{vendor} {name}] migrated in {migrate['seconds']:.0f} s")
            result = _child(url, "import", "--feed", str(feed), *options, code=code)
            _print_run(f"{vendor} {name}", f"import {attempt} of {args.repeat}", result)
            imports[name].append(result)
            if attempt == args.repeat:
                # Re-import into what this side has just filled, before the other side
                # empties the database.
                reimport = _child(url, "import", "--feed", str(feed), *options, code=code)
                _print_run(f"{vendor} {name}", "re-import", reimport)
                reimport["runs"] = [reimport["seconds"]]
                reimports[name] = reimport
    measured = {}
    for name in names:
        runs = imports[name]
        median = dict(sorted(runs, key=lambda run: run["seconds"])[len(runs) // 2])
        median["runs"] = [run["seconds"] for run in runs]
        median["peak_rss_mb"] = max(run["peak_rss_mb"] for run in runs)
        median["reader_rss_mb"] = max(run.get("reader_rss_mb", 0) for run in runs)
        measured[name] = {"import": median, "re-import": reimports[name]}
    return measured


def _versions():
    import sqlite3

    versions = f"Python {platform.python_version()}; SQLite {sqlite3.sqlite_version}"
    try:
        import psycopg

        with psycopg.connect(DEFAULT_PG_URL.rsplit("/", 1)[0] + "/postgres") as conn:
            versions += "; PostgreSQL " + conn.execute("SHOW server_version").fetchone()[0]
    except Exception:  # noqa: BLE001 - the version line is informative only
        versions += "; PostgreSQL (not reachable)"
    return versions


def write_results(args, feed, feed_seconds, results, heads):
    from bench.results import write_section

    lines = [
        "## Importing an HSDS feed",
        "",
        f"Written by `python -m bench.import_hsds` on {dt.date.today().isoformat()}.",
        f"Machine: {os.cpu_count()} CPUs (shared, so times are noisy); {_versions()}.",
        f"Feed: {args.services:,} services, seed {args.seed}, a "
        f"{feed.stat().st_size / 1e6:.0f} MB JSON list in the shape `export_hsds` writes"
        + (f" (written in {feed_seconds:.0f} s)." if feed_seconds else " (cached)."),
        f"Batches of {_batch(results):,} services. Targets: under {TARGET_SECONDS} s and "
        f"{TARGET_RSS_MB} MB peak RSS for the first import.",
        "Code: "
        + "; ".join(f"{name} = {head}" for name, head in heads.items())
        + (", in turn in the same run (see the module's docstring)." if len(heads) > 1 else "."),
        "",
        "| database | code | run | seconds (median) | each run | services/s | CPU seconds "
        "(this process) | peak RSS | reading process's peak RSS | created | updated | "
        "unchanged | skipped | services stored | targets |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for vendor, sides in results.items():
        for side, runs in sides.items():
            for name, run in runs.items():
                met = run["seconds"] < TARGET_SECONDS and run["peak_rss_mb"] < TARGET_RSS_MB
                each = ", ".join(f"{one:.1f}" for one in run.get("runs", [run["seconds"]]))
                lines.append(
                    f"| {vendor} | {side} | {name} | **{run['seconds']:.1f}** | {each} "
                    f"| {args.services / run['seconds']:,.0f} "
                    f"| {run.get('cpu_seconds', 0):.0f} | {run['peak_rss_mb']:.0f} MB "
                    f"| {_reader(run)} "
                    f"| {run['created']:,} | {run['updated']:,} | {run.get('unchanged', 0):,} "
                    f"| {run['skipped']:,} | {run['counts']['Service']:,} "
                    f"| {'met' if met else 'missed'} |"
                )
    if len(heads) > 1:
        lines += ["", "| database | run | seconds, this code ÷ baseline | peak RSS ÷ baseline |"]
        lines.append("|---|---|---:|---:|")
        for vendor, sides in results.items():
            now, base = sides["this code"], sides["baseline"]
            for name in now:
                lines.append(
                    f"| {vendor} | {name} "
                    f"| {now[name]['seconds'] / base[name]['seconds']:.2f} "
                    f"| {now[name]['peak_rss_mb'] / base[name]['peak_rss_mb']:.2f} |"
                )
    lines += [
        "",
        "Seconds: the median of the first imports, each into a database emptied and "
        "migrated anew (`--repeat`), every run's figure beside it, and one re-import of the "
        "feed into the database the last one filled; peak RSS is the highest of the runs. "
        "Each is the wall clock of `Importer.run` in a child process (reading, validating, "
        "writing, the directory's search indexing), migrations excluded, as "
        "`import_hsds --no-admin-search` (Wagtail's admin search index is not updated). "
        "SQLite runs as the site runs it (`journal_mode=WAL`, `synchronous=NORMAL`, "
        "`config/settings/base.py`). "
        "Peak RSS: the child's "
        "`getrusage(RUSAGE_SELF).ru_maxrss`, Django and the app loaded. On SQLite it "
        "includes SQLite's page cache (`directory.indexing.SQLITE_CACHE_KB` while the "
        "search index is written, SQLite's whole heap held to "
        "`directory.hsds.bulk.IMPORT_SQLITE_HEAP` by code that has that limit); "
        "the import turns off the connection's memory-mapped reads (`PRAGMA mmap_size`, "
        "set in `directory/signals.py` for searches), which would add the pages of the "
        "database file it touches. "
        "The reading process's peak RSS: `getrusage(RUSAGE_CHILDREN)` of the child, the "
        "process of `directory.hsds.split` that checks the feed and hands over its services "
        "(none for code that reads the feed in the importer's own process). Nearly all "
        "of it is the feed's file mapped into memory: clean pages of the file cache, which "
        "the system takes back under pressure, not memory the import allocates; the target "
        "counts the importer's own process.",
    ]
    write_section("import_hsds", "\n".join(lines), args.results)


def _reader(run):
    reader = run.get("reader_rss_mb", 0)
    return f"{reader:.0f} MB" if reader else "none"


def _batch(results):
    return results[next(iter(results))]["this code"]["import"]["batch_size"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_IMPORT_PG_URL", DEFAULT_PG_URL))
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument(
        "--repeat", type=int, default=3, help="first imports per database; the median is kept"
    )
    parser.add_argument(
        "--baseline",
        default=DEFAULT_BASELINE,
        help="a commit whose code is timed side by side with this one ('none': this code only)",
    )
    parser.add_argument("--results", type=Path, default=BENCH_DIR / "RESULTS.md")
    parser.add_argument("--no-results", action="store_true", help="print, do not write figures")
    parser.add_argument(
        "--report-only", action="store_true", help="write RESULTS.md from the last runs' figures"
    )
    parser.add_argument("--child", choices=["migrate", "import", "feed"], help=argparse.SUPPRESS)
    parser.add_argument("--feed", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    DATA_DIR.mkdir(exist_ok=True)
    if args.child == "feed":
        import django

        django.setup()
        started = time.perf_counter()
        write_feed(Path(args.feed), args.services, args.seed)
        print(json.dumps({"seconds": time.perf_counter() - started}))
        return
    if args.child:
        return run_child(args)

    feed = DATA_DIR / f"hsds-feed-{FEED_VERSION}-{args.services}-{args.seed}.json"
    feed_seconds = None
    if not feed.exists() and not args.report_only:
        partial = feed.with_suffix(".partial")
        done = _child(
            _database_url("sqlite", None),
            "feed",
            "--feed",
            str(partial),
            "--services",
            str(args.services),
            "--seed",
            str(args.seed),
        )
        partial.rename(feed)
        feed_seconds = done["seconds"]
    vendors = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    sides = {"this code": ROOT}
    heads = {"this code": "the working tree"}
    if args.baseline != "none":
        heads["baseline"] = worktree(BASELINE_DIR, args.baseline)
        sides["baseline"] = BASELINE_DIR
    results = {}
    for vendor in vendors:
        saved = DATA_DIR / f"import-result-{vendor}-{args.services}.json"
        if args.report_only:
            results[vendor] = json.loads(saved.read_text())
            continue
        results[vendor] = measure(vendor, args, feed, sides)
        saved.write_text(json.dumps(results[vendor], indent=2))
    if args.report_only:
        heads = {side: heads.get(side, side) for side in results[vendors[0]]}
    if not args.no_results:
        write_results(args, feed, feed_seconds, results, heads)
        print(f"Figures written to {args.results}")


if __name__ == "__main__":
    main()
