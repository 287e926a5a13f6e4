"""Directory search benchmark: the database engine against a naive in-Python scan.

Run `python -m bench.directory_search [--services 100000] [--db sqlite|postgres|both]
[--repeat 50]`. Each database runs in its own process (Django is set up once per process);
the figures are written to bench/RESULTS.md. See bench/README.md.
"""

import argparse
import datetime as dt
import gc
import json
import math
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench import CORPUS_VERSION
from bench.databases import reset_database
from bench.results import write_section

BENCH_DIR = Path(__file__).resolve().parent
DATA_DIR = BENCH_DIR / "data"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/ccn_bench"
QUERY_SEED = 7
WARMUP = 3
MIN_QUERIES = 10
DEFAULT_SERVICES = 100_000
# p95 targets by corpus size: 25 ms up to 100,000 services, 50 ms at 1,000,000 (PostgreSQL).
TARGET_P95_MS = {100_000: 25.0, 1_000_000: 50.0}
TARGET_RATIO = 20.0

# What people type, from the commonest to the rarer; each is asked near a town.
TEXT_QUERIES = [
    "bereavement counselling",
    "grief support",
    "carers group",
    "hospice at home",
    "befriending",
    "funeral costs",
    "children grief",
    "palliative care nurses",
    "death cafe",
    "suicide bereavement",
    "help after a death",
    "respite for carers",
    "volunteer drivers",
    "spiritual care",
    "helpline",
    "will writing",
    "baby loss",
    "mental health crisis",
    "dementia carers",
    "lonely older people",
]
NEAR_RADII_KM = (5.0, 10.0, 25.0)
QUERY_TYPES = {
    "text_near": "text + near (10 km) + facets",
    "near": "near only (5/10/25 km) + facets",
    "facet": "category filter only + facets",
}


# ---------------------------------------------------------------------------------------------
# The naive baseline: everything in Python lists and dicts, scanned for every query.


class NaiveDirectory:
    """All services with their locations, categories, areas and terms, held in memory.

    What someone would write without an index: load everything once, then for each query
    scan every service, compute every distance and count facets in Python. It follows the
    same rules as the database engine for the parts of `SearchQuery` the benchmark uses.
    """

    def __init__(self):
        from directory.models import (
            Service,
            ServiceArea,
            ServiceAtLocation,
            TaxonomyTerm,
        )
        from directory.search import fulltext

        self.services = {
            pk: {"name": name, "remote": remote}
            for pk, name, remote in Service.objects.active().values_list(
                "pk", "name", "reaches_anywhere"
            )
        }
        self.locations = {}
        for service_id, lat, lon in ServiceAtLocation.objects.values_list(
            "service_id", "location__latitude", "location__longitude"
        ):
            if lat is not None:
                self.locations.setdefault(service_id, []).append((lat, lon))
        self.categories = {}
        for service_id, term_id in Service.categories.through.objects.values_list(
            "service_id", "taxonomyterm_id"
        ):
            self.categories.setdefault(service_id, []).append(term_id)
        self.areas = {}
        for service_id, kind, extent in ServiceArea.objects.values_list(
            "service_id", "extent_type", "extent"
        ):
            self.areas.setdefault(service_id, []).append((kind, extent))
        self.terms = {}
        service_of = dict(Service.objects.values_list("search_key", "pk"))
        for key, weights in fulltext.indexed_terms().items():
            self.terms[service_of[key]] = {sys.intern(term): w for term, w in weights.items()}
        tree = list(TaxonomyTerm.objects.values_list("id", "code", "parent_id"))
        self.parent = {term_id: parent for term_id, _code, parent in tree}
        self.code = {term_id: code for term_id, code, _parent in tree}
        self.children = {}
        for term_id, _code, parent in tree:
            self.children.setdefault(parent, []).append(term_id)

    def search(self, query):
        from core.geo import distance_km
        from directory.search import Hit, SearchResults

        terms = query.terms
        scores = {}
        for pk in self.services:
            if terms:
                weights = self.terms.get(pk, {})
                if not all(term in weights for term in terms):
                    continue
                scores[pk] = sum(weights[term] for term in terms)
            else:
                scores[pk] = 0
        name = {pk: self.services[pk]["name"] for pk in scores}
        if query.near:
            local = []
            for pk in scores:
                nearest = min(
                    (
                        distance_km(query.latitude, query.longitude, lat, lon)
                        for lat, lon in self.locations.get(pk, ())
                    ),
                    default=None,
                )
                if nearest is not None and nearest <= query.radius_km:
                    local.append(Hit(pk, distance_km=round(nearest, 3), score=float(scores[pk])))
            local.sort(key=lambda h: (h.distance_km, name[h.service_id], str(h.service_id)))
            near_ids = {hit.service_id for hit in local}
            remote = [
                pk for pk in scores if pk not in near_ids and self._covers(pk, query, distance_km)
            ]
            remote.sort(key=lambda pk: (-scores[pk], name[pk], str(pk)))
            ranked = local + [Hit(pk, remote=True, score=float(scores[pk])) for pk in remote]
        else:
            order = sorted(scores, key=lambda pk: (-scores[pk], name[pk], str(pk)))
            ranked = [Hit(pk, score=float(scores[pk])) for pk in order]

        facets = {}
        for hit in ranked:
            counted = set()
            for term_id in self.categories.get(hit.service_id, ()):
                while term_id is not None and term_id not in counted:
                    counted.add(term_id)
                    term_id = self.parent.get(term_id)
            for term_id in counted:
                facets[self.code[term_id]] = facets.get(self.code[term_id], 0) + 1
        if query.categories:
            wanted = self._expand(query.categories)
            ranked = [
                hit
                for hit in ranked
                if any(t in wanted for t in self.categories.get(hit.service_id, ()))
            ]
        page = ranked[query.offset : query.offset + query.page_size]
        return SearchResults(hits=page, total=len(ranked), facets=facets, query=query)

    def _covers(self, pk, query, distance_km):
        from directory.areas import covers

        if self.services[pk]["remote"]:
            return True
        for kind, extent in self.areas.get(pk, ()):
            if kind == "national":
                return True
            if kind == "districts" and query.district:
                pattern = rf"(^|[^A-Z0-9]){query.district}([^A-Z0-9]|$)"
                if re.search(pattern, extent, re.IGNORECASE):
                    return True
            if kind == "radius":
                try:
                    lat, lon, km = (float(part) for part in extent.split(","))
                except ValueError:
                    continue
                if distance_km(query.latitude, query.longitude, lat, lon) <= km:
                    return True
            if kind == "geojson" and covers(extent, query.latitude, query.longitude):
                return True
        return False

    def _expand(self, codes):
        todo = [term_id for term_id, code in self.code.items() if code in codes]
        found = set()
        while todo:
            term_id = todo.pop()
            if term_id not in found:
                found.add(term_id)
                todo.extend(self.children.get(term_id, ()))
        return found


# ---------------------------------------------------------------------------------------------
# Queries and timing.


def make_queries(count, seed=QUERY_SEED):
    """{query type: [SearchQuery, ...]}, the same for every database and every run."""
    from bench.generate import england_towns, nearest_district, postcode_districts
    from directory.models import TaxonomyTerm
    from directory.search import SearchQuery

    rng = random.Random(seed)
    towns = england_towns()
    weights = [town.population for town in towns]
    districts = postcode_districts()
    codes = sorted(TaxonomyTerm.objects.values_list("code", flat=True))

    def near(radius):
        # Someone types a postcode or a street: a point within a couple of km of the centre.
        town = rng.choices(towns, weights=weights)[0]
        lat = town.latitude + rng.uniform(-0.015, 0.015)
        lon = town.longitude + rng.uniform(-0.025, 0.025)
        return {
            "latitude": lat,
            "longitude": lon,
            "radius_km": radius,
            "district": nearest_district(districts, lat, lon),
        }

    return {
        "text_near": [
            SearchQuery(text=TEXT_QUERIES[i % len(TEXT_QUERIES)], **near(10.0))
            for i in range(count)
        ],
        "near": [SearchQuery(**near(NEAR_RADII_KM[i % len(NEAR_RADII_KM)])) for i in range(count)],
        "facet": [SearchQuery(categories=(codes[i % len(codes)],)) for i in range(count)],
    }


def timed(function, queries, budget=None):
    """(milliseconds per query, results), after a few untimed warm-up calls.

    With a budget (seconds), stops once it is spent and at least MIN_QUERIES have run, so
    that a slow engine cannot hold up the whole run; the report says how many ran.
    """
    for query in queries[:WARMUP]:
        function(query)
    times, results = [], []
    for query in queries:
        started = time.perf_counter()
        results.append(function(query))
        times.append((time.perf_counter() - started) * 1000)
        if budget and len(times) >= MIN_QUERIES and sum(times) > budget * 1000:
            break
    return times, results


def summary(times):
    ordered = sorted(times)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    return {"median": statistics.median(ordered), "p95": p95, "max": ordered[-1]}


def same_results(a, b):
    """Whether two SearchResults agree on the page (ids, distances), total and facets."""
    return (
        a.ids == b.ids
        and [h.distance_km for h in a.hits] == [h.distance_km for h in b.hits]
        and a.total == b.total
        and a.facets == b.facets
    )


# ---------------------------------------------------------------------------------------------
# One database, in its own process.


def _meta_path(vendor, services, seed):
    return DATA_DIR / f"{vendor}-{services}-{seed}.json"


def _database_url(vendor, services, seed, pg_url):
    if vendor == "sqlite":
        return f"sqlite:///{DATA_DIR / f'directory-{services}-{seed}.sqlite3'}"
    parts = urlsplit(pg_url)
    return urlunsplit(parts._replace(path=f"{parts.path}_{services}_{seed}"))


def run_worker(args):
    """Build or reuse the corpus on one database, time the queries, write a JSON summary."""
    meta_path = _meta_path(args.db, args.services, args.seed)
    url = _database_url(args.db, args.services, args.seed, args.pg_url)
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    reuse = (
        not args.rebuild
        and meta.get("version") == CORPUS_VERSION
        and (args.db != "sqlite" or Path(urlsplit(url).path).exists())
    )
    if not reuse:
        reset_database(url)
    os.environ["BENCH_DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.generate import generate
    from directory.models import Service

    if reuse and Service.objects.count() != args.services:
        reuse = False
        connection.close()
        reset_database(url)
    if not reuse:
        print(f"[{args.db}] building {args.services} services (cached for later runs)")
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        migrate_seconds = time.perf_counter() - started
        report = generate(args.services, seed=args.seed, progress=print)
        meta = {
            "version": CORPUS_VERSION,
            "built": dt.datetime.now().isoformat(timespec="seconds"),
            "counts": report.counts,
            "seconds": {"migrate": migrate_seconds, **report.seconds},
        }
        meta_path.write_text(json.dumps(meta, indent=2))
    else:
        print(f"[{args.db}] reusing the corpus built {meta['built']}")
        # The site's schema may have moved on since the corpus was built.
        call_command("migrate", verbosity=0)
        from bench.generate import BuildReport, index_corpus
        from directory.models import SearchPoint

        if not SearchPoint.objects.exists():
            # An index from an earlier version of the site: rebuild it as the site would.
            report = BuildReport(seconds=meta["seconds"], counts=meta["counts"])
            ids = list(Service.objects.values_list("pk", flat=True))
            index_corpus(report, ids, progress=print)
            meta["seconds"], meta["counts"] = report.seconds, report.counts
            meta_path.write_text(json.dumps(meta, indent=2))

    if args.build_only:
        return
    if args.import_hsds:
        return time_import(args, url)
    result = {
        "db": args.db,
        "services": args.services,
        "versions": _versions(connection),
        "corpus": meta,
        "engine": args.engine,
    }
    result["load_average"] = _load_average()
    result.update(measure(args))
    out = DATA_DIR / f"result-{args.db}-{args.services}-{args.engine}.json"
    out.write_text(json.dumps(result, indent=2))
    print(f"[{args.db}] wrote {out.relative_to(BENCH_DIR.parent)}")


def time_import(args, url):
    """Export the corpus with export_hsds, then time import_hsds into an empty database."""
    import subprocess as sp

    from django.core.management import call_command

    feed = DATA_DIR / f"feed-{args.services}-{args.seed}.json"
    if not feed.exists():
        started = time.perf_counter()
        call_command("export_hsds", str(feed), format="json")
        print(f"[import] export_hsds: {time.perf_counter() - started:.1f} s")
    target = DATA_DIR / "import-target.sqlite3"
    target.unlink(missing_ok=True)
    env = {
        **os.environ,
        "BENCH_DATABASE_URL": f"sqlite:///{target}",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
    }
    manage = [sys.executable, "manage.py"]
    root = BENCH_DIR.parent
    sp.run([*manage, "migrate", "--verbosity=0"], check=True, env=env, cwd=root)  # noqa: S603
    started = time.perf_counter()
    sp.run(  # noqa: S603
        [*manage, "import_hsds", str(feed), "--no-progress", "--max-size", "2000"],
        check=True,
        env=env,
        cwd=root,
    )
    seconds = time.perf_counter() - started
    out = {"services": args.services, "feed_mb": feed.stat().st_size / 1e6, "seconds": seconds}
    (DATA_DIR / f"import-{args.services}.json").write_text(json.dumps(out, indent=2))
    print(f"[import] import_hsds of {args.services} services: {seconds:.1f} s")


def _engine(name):
    from directory.search.engines.database import DatabaseEngine

    return DatabaseEngine()


def warm_cache():
    """The database's pages in memory before timing, as a site's are once it has been up a
    while: the SQLite file read through once, PostgreSQL's directory tables and indexes
    loaded with pg_prewarm where the server has it. This machine's memory is reclaimed from
    idle page cache (a VM), so without it the first queries of each type, and at times
    whole runs, read the indexes back from disk."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with open(connection.settings_dict["NAME"], "rb") as database:
            while database.read(1 << 20):
                pass
        return "SQLite file read through"
    try:
        with connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
            cursor.execute(
                "SELECT count(pg_prewarm(c.oid::regclass)) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i') "
                "AND c.relname LIKE 'directory%%'"
            )
            return f"{cursor.fetchone()[0]} PostgreSQL relations prewarmed"
    except Exception as error:  # noqa: BLE001 - timing goes on, with the cache as it is
        return f"no prewarming ({error})"


def measure(args):
    from directory.search import search

    engine = _engine(args.engine)
    queries = make_queries(args.repeat)
    started = time.perf_counter()
    naive = NaiveDirectory()
    out = {"baseline_load_seconds": time.perf_counter() - started, "types": {}}
    # The baseline's copy of the directory is millions of objects that a web process would
    # not hold: keep them out of the garbage collector's passes, which would otherwise walk
    # them all in the middle of timed queries (of either side).
    gc.collect()
    gc.freeze()
    print(f"[{args.db}] {warm_cache()}")
    for kind, batch in queries.items():
        engine_ms, engine_results = timed(lambda q: search(q, engine), batch, args.budget)
        batch = batch[: len(engine_results)]
        naive_ms, naive_results = timed(naive.search, batch, args.budget)
        batch = batch[: len(naive_results)]
        engine_results = engine_results[: len(batch)]
        mismatched = [
            i
            for i, (a, b) in enumerate(zip(engine_results, naive_results, strict=True))
            if not same_results(a, b)
        ]
        out["types"][kind] = {
            "engine_queries": len(engine_ms),
            "queries": len(batch),
            "engine_ms": summary(engine_ms),
            "baseline_ms": summary(naive_ms),
            "mean_total_hits": statistics.mean(r.total for r in engine_results),
            "mismatched": len(mismatched),
            "first_mismatch": repr(batch[mismatched[0]]) if mismatched else None,
        }
        e, b = out["types"][kind]["engine_ms"], out["types"][kind]["baseline_ms"]
        print(
            f"[{args.db}] {kind:9} engine median {e['median']:8.1f} ms p95 {e['p95']:8.1f} | "
            f"baseline median {b['median']:8.1f} ms p95 {b['p95']:8.1f} | "
            f"x{b['median'] / e['median']:.1f} | mismatched {len(mismatched)}/{len(batch)}"
        )
    return out


def _versions(connection):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        server = cursor.fetchone()[0]
    return {"python": platform.python_version(), connection.vendor: server}


# ---------------------------------------------------------------------------------------------
# The report.


def _machine():
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "cpus": os.cpu_count(),
        "ram_gb": round(memory_kb / 1024 / 1024, 1),
        "platform": platform.platform(),
    }


def _load_average():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def target_p95_ms(services):
    """The p95 target at this many services: the target of the nearest size at or above it."""
    return next(
        (ms for size, ms in sorted(TARGET_P95_MS.items()) if services <= size),
        max(TARGET_P95_MS.values()),
    )


def section_name(services):
    """The RESULTS.md section of a corpus size: 'directory_search' for the default size, and
    one of its own for each other size, so a run at 1,000,000 keeps the 100,000 figures."""
    return "directory_search" if services == DEFAULT_SERVICES else f"directory_search_{services}"


def write_results(results, path):
    """The corpus size's section of bench/RESULTS.md (bench/results.py, `section_name`)."""
    machine = _machine()
    first = results[0]
    target_ms = target_p95_ms(first["services"])
    lines = [
        "## Directory search"
        + ("" if first["services"] == DEFAULT_SERVICES else f" at {first['services']:,} services"),
        "",
        f"Written by `python -m bench.directory_search` on {dt.date.today().isoformat()}.",
        f"Machine: {machine['cpus']} CPUs (`nproc`), {machine['ram_gb']} GB RAM, "
        f"{machine['platform']}; Python {first['versions']['python']}"
        + "".join(
            f"; {'SQLite' if r['db'] == 'sqlite' else 'PostgreSQL'} "
            f"{r['versions'].get('sqlite') or r['versions'].get('postgresql')}"
            for r in results
        )
        + ".",
        "Load average (1, 5, 15 min, from `uptime`) when each database's queries were timed: "
        + "; ".join(f"{r['db']} {r.get('load_average', '?')}" for r in results)
        + ".",
        f"Corpus: {first['services']:,} services (see bench/README.md for its shape). "
        f"Engine: `{first['engine']}`.",
        "",
        "The machine is shared, so absolute times are noisy: read the medians and the ratios.",
        "Fewer than the requested queries means the per-type time budget (`--budget`) ran out:",
        "the engine's median and p95 are over every query it ran, the baseline's over those it",
        "ran (the first ones of the same list), and the answers are compared on the queries both",
        "ran ('both'). Ratio = baseline median / engine median",
        "(above 1: the engine is faster). 'Same answers': page ids, distances, total and facets",
        "identical between engine and baseline.",
        f"Targets: p95 under {target_ms:.0f} ms per query on the engine, and at least "
        f"{TARGET_RATIO:.0f} times faster than the naive baseline.",
        "",
        "| database | query | queries (engine / both) | mean hits | engine median | engine p95 "
        "| baseline median | baseline p95 | **ratio of medians** | same answers | targets |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        for kind, t in r["types"].items():
            e, b = t["engine_ms"], t["baseline_ms"]
            ratio = b["median"] / e["median"]
            met = e["p95"] < target_ms and ratio >= TARGET_RATIO
            lines.append(
                f"| {r['db']} | {QUERY_TYPES[kind]} | {t.get('engine_queries', t['queries'])} / "
                f"{t['queries']} | {t['mean_total_hits']:,.0f} "
                f"| **{e['median']:.1f} ms** | {e['p95']:.1f} ms | {b['median']:.1f} ms "
                f"| {b['p95']:.1f} ms | **×{ratio:.1f}** "
                f"| {t['queries'] - t['mismatched']}/{t['queries']} "
                f"| {'met' if met else 'missed'} |"
            )
    lines += [
        "",
        "### Building the corpus",
        "",
        "| step | " + " | ".join(r["db"] for r in results) + " |",
        "|---|" + "---:|" * len(results),
    ]
    steps = []
    for r in results:
        steps += [s for s in r["corpus"]["seconds"] if s not in steps]
    for step in steps:
        cells = [
            f"{r['corpus']['seconds'][step]:.1f} s" if step in r["corpus"]["seconds"] else "-"
            for r in results
        ]
        lines.append(f"| {step} | " + " | ".join(cells) + " |")
    lines.append(
        "| baseline: load every row into Python | "
        + " | ".join(f"{r['baseline_load_seconds']:.1f} s" for r in results)
        + " |"
    )
    lines += [
        "",
        "Rows: "
        + ", ".join(
            f"{label.split('.')[-1]} {count:,}"
            for label, count in first["corpus"]["counts"].items()
        )
        + ".",
    ]
    write_section(section_name(first["services"]), "\n".join(lines), path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=DEFAULT_SERVICES)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=50, help="queries of each type")
    parser.add_argument("--seed", type=int, default=20260101, help="the corpus's seed")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL))
    parser.add_argument("--rebuild", action="store_true", help="build the corpus again")
    parser.add_argument(
        "--engine",
        choices=["database"],
        default="database",
        help="the directory search engine to time",
    )
    parser.add_argument("--results", type=Path, default=BENCH_DIR / "RESULTS.md")
    parser.add_argument(
        "--import-hsds",
        action="store_true",
        help="time manage.py import_hsds of the corpus, exported with export_hsds (SQLite)",
    )
    parser.add_argument(
        "--report-only", action="store_true", help="write RESULTS.md from the last runs' figures"
    )
    parser.add_argument("--build-only", action="store_true", help="build the corpus, time nothing")
    parser.add_argument(
        "--budget",
        type=float,
        default=90.0,
        help="seconds of timed queries per query type and side, after at least 10 queries",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    DATA_DIR.mkdir(exist_ok=True)
    if args.worker:
        return run_worker(args)

    vendors = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    if args.report_only:
        outs = [DATA_DIR / f"result-{v}-{args.services}-{args.engine}.json" for v in vendors]
        write_results([json.loads(out.read_text()) for out in outs if out.exists()], args.results)
        return
    results = []
    for vendor in vendors:
        command = [sys.executable, "-m", "bench.directory_search", "--worker", "--db", vendor]
        for option in ("services", "repeat", "seed", "pg_url", "engine", "budget"):
            command += [f"--{option.replace('_', '-')}", str(getattr(args, option))]
        command += [
            flag
            for flag in ("--rebuild", "--build-only", "--import-hsds")
            if getattr(args, flag[2:].replace("-", "_"))
        ]
        subprocess.run(command, check=True, cwd=BENCH_DIR.parent)  # noqa: S603
        if args.build_only or args.import_hsds:
            continue
        out = DATA_DIR / f"result-{vendor}-{args.services}-{args.engine}.json"
        results.append(json.loads(out.read_text()))
    if results:
        write_results(results, args.results)
        print(f"Figures written to {args.results}")


if __name__ == "__main__":
    main()
