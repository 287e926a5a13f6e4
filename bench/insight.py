"""Insight dashboard benchmark: the admin dashboard at 50,000 volunteers, 500,000 closed
requests and a year of daily search counts.

Run `python -m bench.insight [--volunteers 50000] [--requests 500000] [--db sqlite|postgres|both]
[--repeat 30]`; `--requests` is the number of closed requests, and a quarter as many again end
unmatched (open past their time, or withdrawn). Each database runs in its own process with
bench/settings.py; the figures go to bench/RESULTS.md (section "insight"). See bench/README.md.

The corpus is seeded: volunteers and requests spread over the sample postcode districts in
proportion to a size per district, requests received over the last twelve months, each with
a first offer and most accepted and closed; daily search counts for every district and five
categories over a year. The figures are then computed by the site's own monthly refresh
(timed), and the dashboard is asked for through Django's test client as a signed-in
commissioner with several filters (timed: the whole request, template rendering included).
Last, the open-data downloads of every figure (all months, every area, CSV and JSON) are
read to the end, timing the first chunk and the whole stream.
"""

import argparse
import datetime as dt
import json
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
DATA_DIR = BENCH_DIR / "data"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/ccn_bench_insight"
SEED = 20260101
TARGET_MS = 200.0
CATEGORIES = ["bereavement-counselling", "hospice", "carers", "befriending", "funerals"]
BATCH = 5000
UNUSABLE = "!bench"  # an unusable password hash: nobody can sign in as a seeded volunteer


def unmatched_for(closed):
    """The requests that end unmatched beside `closed` closed ones: a fifth of all requests."""
    return closed // 4


def _seed(n_volunteers, n_closed, log):
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from core.geo.sample import load_sample_districts
    from core.models import PostcodeDistrict
    from insight.models import SearchCount
    from volunteers.models import HelpRequest, Offer, TaskType, Volunteer

    rng = random.Random(SEED)
    load_sample_districts()
    districts = list(PostcodeDistrict.objects.values_list("district", "latitude", "longitude"))
    sizes = [rng.paretovariate(1.5) for _ in districts]
    now = timezone.now()
    user_model = get_user_model()
    with transaction.atomic():
        tasks = [
            TaskType.objects.create(name=name)
            for name in ("A lift", "Shopping", "Sitting with someone", "Paperwork")
        ]
        users = user_model.objects.bulk_create(
            [
                user_model(username=f"bench{i}", email=f"bench{i}@example.org", password=UNUSABLE)
                for i in range(n_volunteers)
            ],
            batch_size=BATCH,
        )
        homes = rng.choices(districts, sizes, k=n_volunteers)
        volunteers = Volunteer.objects.bulk_create(
            [
                Volunteer(
                    user=user,
                    display_name=f"Volunteer {i}",
                    status="active",
                    email_verified_at=now,
                    approved_at=now - dt.timedelta(days=400),
                    home_area=code,
                    latitude=round(lat, 2),
                    longitude=round(lon, 2),
                )
                for i, (user, (code, lat, lon)) in enumerate(zip(users, homes, strict=True))
            ],
            batch_size=BATCH,
        )
    log(f"{n_volunteers:,} volunteers")
    ids = [v.pk for v in volunteers]
    start = now - dt.timedelta(days=365)
    n_requests = n_closed + unmatched_for(n_closed)
    # Exactly n_closed closed requests, the unmatched ones spread among them at random.
    closing = [True] * n_closed + [False] * (n_requests - n_closed)
    rng.shuffle(closing)
    made = 0
    while made < n_requests:
        count = min(BATCH * 4, n_requests - made)
        with transaction.atomic():
            requests = []
            for matched in closing[made : made + count]:
                code, lat, lon = rng.choices(districts, sizes)[0]
                created = start + dt.timedelta(seconds=rng.uniform(0, 364 * 86400))
                requests.append(
                    HelpRequest(
                        task_type=rng.choice(tasks),
                        requested_by=rng.choice(["self", "carer", "carer", "professional"]),
                        area=code,
                        latitude=round(lat, 2),
                        longitude=round(lon, 2),
                        starts_at=created + dt.timedelta(days=2),
                        ends_at=created + dt.timedelta(days=2, hours=2),
                        status="closed" if matched else rng.choice(["open", "withdrawn"]),
                        accepted_volunteer_id=rng.choice(ids) if matched else None,
                        accepted_at=created + dt.timedelta(hours=rng.lognormvariate(2, 0.8))
                        if matched
                        else None,
                        closed_at=created + dt.timedelta(days=2, hours=3) if matched else None,
                        hours=rng.choice([1, 2, 2, 3]) if matched else None,
                        no_match_reason=[] if matched else [["qualified", 0]],
                        reference=f"{made + len(requests):08X}",
                    )
                )
            requests = HelpRequest.objects.bulk_create(requests, batch_size=BATCH)
            Offer.objects.bulk_create(
                [
                    Offer(
                        request=r,
                        volunteer_id=r.accepted_volunteer_id or rng.choice(ids),
                        status="completed" if r.accepted_volunteer_id else "expired",
                        offered_at=r.starts_at
                        - dt.timedelta(days=2)
                        + dt.timedelta(hours=rng.lognormvariate(0.8, 0.9)),
                        expires_at=r.starts_at,
                    )
                    for r in requests
                ],
                batch_size=BATCH,
            )
        made += count
        log(f"{made:,} requests")
    # bulk_create stamps created_at with now; receive each request two days before it starts.
    HelpRequest.objects.update(created_at=F("starts_at") - dt.timedelta(days=2))
    rows = []
    day = timezone.localdate() - dt.timedelta(days=365)
    while day <= timezone.localdate():
        for (code, _lat, _lon), size in zip(districts, sizes, strict=True):
            total = int(size * 5 * rng.random()) + 1
            rows.append(
                SearchCount(day=day, district=code, searches=total, nothing_near=total // 8)
            )
            for category in rng.sample(CATEGORIES, 2):
                rows.append(SearchCount(day=day, district=code, category=category, searches=1))
        day += dt.timedelta(days=1)
    SearchCount.objects.bulk_create(rows, batch_size=BATCH)
    log(f"{len(rows):,} daily search counts")
    return _months(), len(rows)


def _download(client, path, closing_chunks):
    """(ms to the first chunk, ms to the last, bytes, rows) for one streamed download: one
    chunk for the head, one per figure, then `closing_chunks`."""
    t0 = time.perf_counter()
    response = client.get(path)
    if response.status_code != 200 or not response.streaming:
        raise RuntimeError(
            f"{path} answered {response.status_code}, streaming {response.streaming}"
        )
    chunks = iter(response.streaming_content)
    size = len(next(chunks))
    first_ms = (time.perf_counter() - t0) * 1000
    rows = 0
    for chunk in chunks:
        size += len(chunk)
        rows += 1
    response.close()
    return first_ms, (time.perf_counter() - t0) * 1000, size, rows - closing_chunks


def _months():
    """This month and the twelve before it, newest first."""
    from django.utils import timezone

    from insight.figures import month_start, previous_month

    month = month_start(timezone.localdate())
    months = []
    for _ in range(13):
        months.append(month)
        month = previous_month(month)
    return months


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1)]


def _child(db_url, n_volunteers, n_requests, repeat, reuse=False):
    os.environ["BENCH_DATABASE_URL"] = db_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from insight.figures import refresh
    from insight.models import Figure, SearchCount
    from insight.roles import ensure_groups
    from volunteers.models import HelpRequest

    log = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    call_command("migrate", "--noinput", verbosity=0)
    started = time.perf_counter()
    if reuse and HelpRequest.objects.filter(status="closed").count() == n_requests:
        Figure.objects.all().delete()
        get_user_model().objects.filter(username="commissioner").delete()
        months, searches = _months(), SearchCount.objects.count()
        log("reusing the seeded corpus")
    else:
        months, searches = _seed(n_volunteers, n_requests, log)
    seed_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    refresh_s = []
    for month in months:
        t0 = time.perf_counter()
        refresh(month)
        refresh_s.append(time.perf_counter() - t0)
        log(f"refreshed {month:%Y-%m} in {refresh_s[-1]:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    ensure_groups()
    user = get_user_model().objects.create_user("commissioner", "c@example.org", "bench-pw-1")
    user.groups.add(Group.objects.get(name="Commissioners"))
    client = Client()
    client.force_login(user)
    first, last = months[-2], months[0]
    filters = {
        "whole site, 12 months": {},
        "4 authorities side by side": {"area_kind": "authority"},
        "6 districts, 12 months": {
            "area_kind": "district",
            "area": "SE13,SE15,LS6,M14,BS5,CF24",
        },
        "busiest districts, 13 months": {
            "area_kind": "district",
            "month_from": f"{first:%Y-%m}",
            "month_to": f"{last:%Y-%m}",
        },
    }
    timings = {}
    for name, params in filters.items():
        for _ in range(3):
            _check(client.get("/admin/insight/", params))
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            response = client.get("/admin/insight/", params)
            times.append((time.perf_counter() - t0) * 1000)
            _check(response)
        timings[name] = {
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(_percentile(times, 0.95), 1),
        }
        log(f"{name}: {timings[name]}")
    downloads = {}
    for name, path, closing in (
        ("CSV", "/en/our-impact/figures.csv", 0),
        ("JSON", "/en/our-impact/figures.json", 1),
    ):
        runs = [_download(client, path, closing) for _ in range(3)]
        downloads[name] = {
            "first_ms": round(statistics.median(r[0] for r in runs), 1),
            "whole_s": round(statistics.median(r[1] for r in runs) / 1000, 2),
            "mb": round(runs[-1][2] / 1e6, 1),
            "rows": runs[-1][3],
        }
        log(f"download {name}: {downloads[name]}")
    return {
        "vendor": connection.vendor,
        "version": _version(connection),
        "volunteers": n_volunteers,
        "requests": HelpRequest.objects.count(),
        "closed": HelpRequest.objects.filter(status="closed").count(),
        "search_rows": searches,
        "figures": Figure.objects.count(),
        "seed_s": round(seed_s, 1),
        "refresh_median_s": round(statistics.median(refresh_s), 2),
        "refresh_max_s": round(max(refresh_s), 2),
        "repeat": repeat,
        "timings": timings,
        "downloads": downloads,
        "load": " ".join(f"{value:.2f}" for value in os.getloadavg()),
    }


def _check(response):
    if response.status_code != 200:
        raise RuntimeError(f"the dashboard answered {response.status_code}")


def _version(connection):
    if connection.vendor == "postgresql":
        number = connection.cursor().connection.info.server_version
        return f"{number // 10000}.{number % 10000}"
    import sqlite3

    return sqlite3.sqlite_version


def _report(results):
    lines = [
        "## Insight dashboard (`/admin/insight/`)",
        "",
        f"Run {dt.date.today().isoformat()} on {platform.machine()}, Python "
        f"{platform.python_version()}, `python -m bench.insight`. Target: the dashboard "
        f"answers in under {TARGET_MS:.0f} ms (p95, the whole request through Django's test "
        "client as a signed-in commissioner, every chart and table rendered). The figures "
        "come from the monthly `Figure` rows that the hourly refresh writes; the refresh "
        "itself (one month, from the records) is timed too. The machine is shared with other "
        "work, so the figures are indicative.",
        "",
        "| database | volunteers | closed requests | all requests | daily search rows | figures | "
        "refresh one month (median / max s) | filters | median ms | p95 ms | under target |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    loads = "; ".join(f"{r['vendor']} {r['load']}" for r in results if "load" in r)
    for r in results:
        for name, t in r["timings"].items():
            lines.append(
                f"| {r['vendor']} {r['version']} | {r['volunteers']:,} | {r['closed']:,} | "
                f"{r['requests']:,} | "
                f"{r['search_rows']:,} | {r['figures']:,} | "
                f"{r['refresh_median_s']} / {r['refresh_max_s']} | {name} | "
                f"{t['median_ms']} | {t['p95_ms']} | {'yes' if t['p95_ms'] < TARGET_MS else 'no'} |"
            )
    lines += [
        "",
        "Beside the closed requests, a fifth of all requests ended unmatched (open past their "
        "time, or withdrawn); every request has one offer, so the first-offer times are "
        "computed over as many offers as requests.",
        "",
        "Open-data downloads of every figure (all months, every kind of area, no filter), read "
        "to the end through the same client, the median of three:",
        "",
        "| database | download | first chunk ms | whole download s | size MB | rows |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        for name, d in r.get("downloads", {}).items():
            lines.append(
                f"| {r['vendor']} {r['version']} | {name} | {d['first_ms']} | {d['whole_s']} | "
                f"{d['mb']} | {d['rows']:,} |"
            )
    lines += [
        "",
        f"Load average (1, 5, 15 min) just after each database's requests were timed: {loads}.",
    ]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volunteers", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=500_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument(
        "--reuse", action="store_true", help="Keep a corpus of the same size seeded before."
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        result = _child(args.child, args.volunteers, args.requests, args.repeat, args.reuse)
        print(json.dumps(result))
        return
    from bench.databases import reset_database

    DATA_DIR.mkdir(exist_ok=True)
    urls = []
    if args.db in ("sqlite", "both"):
        urls.append(f"sqlite:///{DATA_DIR / f'insight_{args.requests}.sqlite3'}")
    if args.db in ("postgres", "both"):
        urls.append(args.pg_url)
    for url in urls:
        if not args.reuse:
            reset_database(url)
    results = []
    for url in urls:
        print(f"{url.split(':')[0]}: seeding {args.requests:,} requests...", flush=True)
        command = [
            sys.executable, "-m", "bench.insight", "--child", url,
            "--volunteers", str(args.volunteers), "--requests", str(args.requests),
            "--repeat", str(args.repeat), *(["--reuse"] if args.reuse else []),
        ]  # fmt: skip
        out = subprocess.run(  # noqa: S603
            command, check=True, cwd=BENCH_DIR.parent, stdout=subprocess.PIPE, text=True
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(results[-1]), flush=True)
    from bench.results import write_section

    write_section("insight", _report(results))
    print(_report(results))


if __name__ == "__main__":
    main()
