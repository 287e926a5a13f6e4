"""Volunteer matching benchmark: `volunteers.matching.shortlist` against a naive scan.

Run `python -m bench.volunteer_matching [--volunteers 50000] [--db sqlite|postgres|both]
[--repeat 60]`. Each database runs in its own process with bench/settings.py; the figures
go to bench/RESULTS.md (section "volunteer_matching"). See bench/README.md.

The corpus is seeded: volunteers live in English towns in proportion to population (so
London and the big cities are dense), with training, DBS checks, weekly availability,
skills, languages and a history of recent tasks. Requests are asked in towns chosen the
same way. The naive baseline loads every volunteer and their rows into Python once (not
timed) and then, for each request, checks every volunteer's rules and scores them all in
Python: what one would write without the database doing the filtering.
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
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/ccn_bench_volunteers"
SEED = 20260101
UNUSABLE = "!bench"  # an unusable password hash: nobody can sign in as a seeded volunteer
TARGET_P95_MS = 50.0
TARGET_RATIO = 20.0
SKILLS = ["driving", "shopping", "listening", "paperwork", "dogs", "gardening", "cooking"]
LANGS = ["en", "cy", "pl", "bn", "ur", "ar", "pa", "hi", "ro", "lt"]


def _seed(n_volunteers, progress):
    """The corpus: volunteers and everything the hard filters and the score read."""
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone
    from taggit.models import Tag, TaggedItem

    from bench.generate import england_towns
    from volunteers.eligibility import refresh as refresh_eligibility
    from volunteers.models import (
        DBSCheck,
        HelpRequest,
        Offer,
        TaskType,
        TermsConsent,
        TermsVersion,
        TrainingModule,
        TrainingRecord,
        Volunteer,
        WeeklyAvailability,
    )

    rng = random.Random(SEED)
    towns = england_towns()
    weights = [t.population for t in towns]
    today = timezone.localdate()
    now = timezone.now()
    user_model = get_user_model()
    with transaction.atomic():
        terms = TermsVersion.objects.create(
            version="bench", text="terms", published_at=now - dt.timedelta(days=30)
        )
        modules = [
            TrainingModule.objects.create(name=name)
            for name in ("Induction", "Safeguarding adults", "Bereavement awareness")
        ]
        task = TaskType.objects.create(name="Sitting", required_dbs=3, requires_barred_list=True)
        task.required_training.add(modules[0], modules[1])
        task.skills.add("listening", "cooking")
        tags = {name: Tag.objects.get_or_create(name=name)[0] for name in SKILLS}
        users = user_model.objects.bulk_create(
            user_model(username=f"bench{i}", email=f"bench{i}@example.org", password=UNUSABLE)
            for i in range(n_volunteers)
        )
        progress(f"  {len(users)} users")
        volunteers = []
        for user in users:
            town = rng.choices(towns, weights)[0]
            radius = max(1.0, town.radius_km) * 1.3
            angle, dist = rng.uniform(0, 2 * math.pi), radius * math.sqrt(rng.random())
            lat = town.latitude + dist / 111.0 * math.cos(angle)
            lon = town.longitude + dist / (111.0 * math.cos(math.radians(lat))) * math.sin(angle)
            status = rng.choices(["active", "applicant", "paused", "left"], [80, 8, 8, 4])[0]
            volunteer = Volunteer(
                user=user,
                display_name=f"Volunteer {user.pk}",
                status=status,
                email_verified_at=now,
                approved_at=None if status == "applicant" else now,
                languages=" ".join(["en"] + rng.sample(LANGS[1:], rng.choice([0, 0, 1, 2]))),
                home_area=town.name[:60],
                travel_radius_km=rng.choice([3, 5, 5, 8, 10, 15, 20]),
                max_active_tasks=rng.choice([1, 2, 2, 3]),
                resting_until=now + dt.timedelta(hours=6) if rng.random() < 0.05 else None,
            )
            volunteer.set_coordinates(lat, lon)
            volunteers.append(volunteer)
        volunteers = Volunteer.objects.bulk_create(volunteers, batch_size=2000)
        progress(f"  {len(volunteers)} volunteers")
        TermsConsent.objects.bulk_create(
            (TermsConsent(volunteer=v, terms=terms) for v in volunteers if rng.random() < 0.95),
            batch_size=5000,
        )
        records, checks, slots, tagged = [], [], [], []
        volunteer_type = ContentType.objects.get_for_model(Volunteer)
        for v in volunteers:
            for module in modules:
                if rng.random() < 0.8:
                    expired = rng.random() < 0.08
                    completed = today - dt.timedelta(days=rng.randint(30, 700))
                    expires = (
                        today - dt.timedelta(days=rng.randint(1, 300))
                        if expired
                        else today + dt.timedelta(days=rng.randint(30, 900))
                    )
                    records.append(
                        TrainingRecord(
                            volunteer=v,
                            module=module,
                            completed_on=min(completed, expires - dt.timedelta(days=1)),
                            expires_on=expires,
                        )
                    )
            if rng.random() < 0.7:
                issued = today - dt.timedelta(days=rng.randint(10, 1000))
                checks.append(
                    DBSCheck(
                        volunteer=v,
                        level=rng.choice([1, 2, 3, 3, 3]),
                        barred_list=rng.random() < 0.7,
                        issued_on=issued,
                        recheck_due=issued + dt.timedelta(days=rng.choice([365, 1095])),
                    )
                )
            for day in rng.sample(range(7), rng.randint(1, 4)):
                start = rng.choice([8, 9, 10, 13, 17])
                slots.append(
                    WeeklyAvailability(
                        volunteer=v,
                        weekday=day,
                        starts=dt.time(start),
                        ends=dt.time(min(start + rng.choice([3, 4, 8]), 22)),
                    )
                )
            for name in rng.sample(SKILLS, rng.randint(0, 3)):
                tagged.append(
                    TaggedItem(tag=tags[name], content_type=volunteer_type, object_id=v.pk)
                )
        TrainingRecord.objects.bulk_create(records, batch_size=5000)
        DBSCheck.objects.bulk_create(checks, batch_size=5000)
        WeeklyAvailability.objects.bulk_create(slots, batch_size=5000)
        TaggedItem.objects.bulk_create(tagged, batch_size=5000)
        # bulk_create sends no signals: fill the eligibility rows as every other write does.
        refresh_eligibility()
        progress(f"  {len(records)} training, {len(checks)} DBS, {len(slots)} availability")
        # A history of recent tasks, for the load part of the score and the task limit.
        past = []
        for i in range(n_volunteers // 10):
            town = rng.choices(towns, weights)[0]
            starts = now - dt.timedelta(days=rng.randint(1, 40))
            past.append(
                HelpRequest(
                    reference=f"B{i:07d}",
                    task_type=task,
                    area=town.name[:60],
                    latitude=round(town.latitude, 2),
                    longitude=round(town.longitude, 2),
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=2),
                    status="closed",
                    closed_at=starts + dt.timedelta(hours=2),
                )
            )
        past = HelpRequest.objects.bulk_create(past, batch_size=5000)
        Offer.objects.bulk_create(
            (
                Offer(
                    request=r,
                    volunteer=rng.choice(volunteers),
                    status="completed",
                    offered_at=r.starts_at - dt.timedelta(days=1),
                    responded_at=r.starts_at - dt.timedelta(hours=20),
                    expires_at=r.starts_at,
                )
                for r in past
            ),
            batch_size=5000,
        )
        progress(f"  {len(past)} past tasks")
    return task, towns, weights


def _requests(task, towns, weights, count):
    """Unsaved-in-spirit open requests (saved, so shortlist can exclude offered volunteers)."""
    from django.utils import timezone

    from volunteers.models import HelpRequest

    rng = random.Random(SEED + 1)
    out = []
    base = timezone.localdate() + dt.timedelta(days=1)
    for i in range(count):
        town = rng.choices(towns, weights)[0]
        day = base + dt.timedelta(days=rng.randint(0, 6))
        starts = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.choice([9, 10, 14]))))
        out.append(
            HelpRequest.objects.create(
                reference=f"Q{i:07d}",
                task_type=task,
                area=town.name[:60],
                latitude=town.latitude,
                longitude=town.longitude,
                radius_km=rng.choice([5, 10, 10, 15]),
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=2),
                language=rng.choice(["en", "en", "pl", "bn", "ur"]),
            )
        )
    return out


class NaiveMatcher:
    """Every volunteer and their rows in Python; each request checks and scores them all."""

    def __init__(self, task):
        from django.contrib.contenttypes.models import ContentType
        from taggit.models import TaggedItem

        from volunteers.models import (
            DBSCheck,
            Offer,
            TermsVersion,
            TrainingRecord,
            Volunteer,
            WeeklyAvailability,
        )

        terms = TermsVersion.current()
        self.task = task
        self.required = set(task.required_training.values_list("pk", flat=True))
        self.wanted = set(task.skills.values_list("name", flat=True))
        self.volunteers = list(Volunteer.objects.all().values())
        consented = set(terms.consents.values_list("volunteer_id", flat=True))
        self.training, self.checks, self.slots = {}, {}, {}
        for r in TrainingRecord.objects.values(
            "volunteer_id", "module_id", "completed_on", "expires_on"
        ):
            self.training.setdefault(r["volunteer_id"], []).append(r)
        for c in DBSCheck.objects.values():
            self.checks.setdefault(c["volunteer_id"], []).append(c)
        for s in WeeklyAvailability.objects.values():
            self.slots.setdefault(s["volunteer_id"], []).append(s)
        vtype = ContentType.objects.get_for_model(Volunteer)
        self.skills = {}
        for object_id, name in TaggedItem.objects.filter(content_type=vtype).values_list(
            "object_id", "tag__name"
        ):
            self.skills.setdefault(object_id, set()).add(name)
        self.offers = list(
            Offer.objects.values(
                "volunteer_id", "request_id", "status", "responded_at", "request__status"
            )
        )
        for v in self.volunteers:
            v["consented"] = v["id"] in consented

    def shortlist(self, request, limit=10):
        from django.utils import timezone

        from core.geo import distance_km

        now = timezone.now()
        starts, ends = timezone.localtime(request.starts_at), timezone.localtime(request.ends_at)
        day, start_t, end_t = starts.weekday(), starts.time(), ends.time()
        active, recent, asked = {}, {}, set()
        cutoff = now - dt.timedelta(days=30)
        for o in self.offers:
            if o["status"] == "accepted" and o["request__status"] == "accepted":
                active[o["volunteer_id"]] = active.get(o["volunteer_id"], 0) + 1
            if (
                o["status"] in ("accepted", "completed")
                and o["responded_at"]
                and o["responded_at"] >= cutoff
            ):
                recent[o["volunteer_id"]] = recent.get(o["volunteer_id"], 0) + 1
            if o["request_id"] == request.pk:
                asked.add(o["volunteer_id"])
        scored = []
        for v in self.volunteers:
            if v["status"] != "active" or not v["email_verified_at"] or not v["consented"]:
                continue
            valid = {
                r["module_id"]
                for r in self.training.get(v["id"], ())
                if r["completed_on"] <= starts.date() and r["expires_on"] >= ends.date()
            }
            if not self.required <= valid:
                continue
            if not any(
                c["level"] >= self.task.required_dbs
                and (c["barred_list"] or not self.task.requires_barred_list)
                and c["issued_on"] <= starts.date()
                and c["recheck_due"] >= ends.date()
                for c in self.checks.get(v["id"], ())
            ):
                continue
            km = distance_km(request.latitude, request.longitude, v["latitude"], v["longitude"])
            if km > request.radius_km or km > v["travel_radius_km"]:
                continue
            if not any(
                s["weekday"] == day and s["starts"] <= start_t and s["ends"] >= end_t
                for s in self.slots.get(v["id"], ())
            ):
                continue
            if active.get(v["id"], 0) >= v["max_active_tasks"]:
                continue
            if v["resting_until"] and v["resting_until"] > request.starts_at:
                continue
            if v["id"] in asked:
                continue
            reach = min(v["travel_radius_km"], request.radius_km)
            skills = len(self.skills.get(v["id"], set()) & self.wanted) / max(len(self.wanted), 1)
            speaks = 1.0 if request.language in v["languages"].split() else 0.0
            score = (
                0.4 * (1 - (km / reach) ** 2)
                + 0.25 * skills
                + 0.2 * speaks
                + 0.15 / (1 + recent.get(v["id"], 0))
            )
            scored.append((-score, km, v["id"]))
        scored.sort()
        return [vid for _s, _km, vid in scored[:limit]]


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1)]


def _child(db_url, n_volunteers, repeat):
    """Runs in its own process: migrate, seed, time both, print JSON."""
    os.environ["BENCH_DATABASE_URL"] = db_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from volunteers.matching import shortlist

    log = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    call_command("flush", "--noinput", verbosity=0) if _has_tables() else None
    call_command("migrate", "--noinput", verbosity=0)
    started = time.perf_counter()
    task, towns, weights = _seed(n_volunteers, log)
    seed_s = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    requests = _requests(task, towns, weights, repeat)
    naive = NaiveMatcher(task)
    fast_ms, naive_ms, sizes, agree = [], [], [], 0
    for request in requests[:3]:
        shortlist(request)
    for request in requests:
        t0 = time.perf_counter()
        result = shortlist(request)
        fast_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        expected = naive.shortlist(request)
        naive_ms.append((time.perf_counter() - t0) * 1000)
        sizes.append(len(result))
        agree += [c.volunteer.pk for c in result] == expected
    return {
        "vendor": connection.vendor,
        "version": _version(connection),
        "volunteers": n_volunteers,
        "seed_s": round(seed_s, 1),
        "queries": len(requests),
        "median_ms": round(statistics.median(fast_ms), 2),
        "p95_ms": round(_percentile(fast_ms, 0.95), 2),
        "naive_median_ms": round(statistics.median(naive_ms), 1),
        "naive_p95_ms": round(_percentile(naive_ms, 0.95), 1),
        "ratio_median": round(statistics.median(naive_ms) / statistics.median(fast_ms), 1),
        "mean_shortlist": round(statistics.mean(sizes), 1),
        "same_order": agree,
    }


def _version(connection):
    if connection.vendor == "postgresql":
        number = connection.cursor().connection.info.server_version
        return f"{number // 10000}.{number % 10000}"
    import sqlite3

    return sqlite3.sqlite_version


def _has_tables():
    from django.db import connection

    return "volunteers_volunteer" in connection.introspection.table_names()


def _report(results):
    lines = [
        "## Volunteer matching (`volunteers.matching.shortlist`)",
        "",
        f"Run {dt.date.today().isoformat()} on {platform.machine()}, Python "
        f"{platform.python_version()}, `python -m bench.volunteer_matching`. "
        f"Target: p95 under {TARGET_P95_MS:.0f} ms and at least {TARGET_RATIO:.0f} times "
        "faster than the naive baseline (every volunteer and their rows held in Python, "
        "loaded once and not timed; each request checks and scores them all). The machine "
        "is shared with other work, so the figures are indicative.",
        "",
        "| database | volunteers | requests | median ms | p95 ms | naive median ms | "
        "naive p95 ms | speed-up (median) | same top 10 as naive | targets met |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        met = r["p95_ms"] < TARGET_P95_MS and r["ratio_median"] >= TARGET_RATIO
        lines.append(
            f"| {r['vendor']} {r['version']} | {r['volunteers']:,} | {r['queries']} | "
            f"{r['median_ms']} | {r['p95_ms']} | {r['naive_median_ms']} | "
            f"{r['naive_p95_ms']} | {r['ratio_median']}x | {r['same_order']}/{r['queries']} | "
            f"{'yes' if met else 'no'} |"
        )
    lines += [
        "",
        "Each request is a 2-hour task needing two training modules and an enhanced DBS check "
        "with the barred list, in a town chosen by population, with a radius of 5-15 km; "
        f"the mean shortlist length was {', '.join(str(r['mean_shortlist']) for r in results)}.",
    ]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volunteers", type=int, default=50_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=60)
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.child, args.volunteers, args.repeat)))
        return
    from bench.databases import reset_database

    DATA_DIR.mkdir(exist_ok=True)
    urls = []
    if args.db in ("sqlite", "both"):
        urls.append(f"sqlite:///{DATA_DIR / f'volunteers_{args.volunteers}.sqlite3'}")
    if args.db in ("postgres", "both"):
        urls.append(args.pg_url)
    for url in urls:
        reset_database(url)
    results = []
    for url in urls:
        print(f"{url.split(':')[0]}: seeding {args.volunteers:,} volunteers...", flush=True)
        command = [
            sys.executable, "-m", "bench.volunteer_matching", "--child", url,
            "--volunteers", str(args.volunteers), "--repeat", str(args.repeat),
        ]  # fmt: skip
        out = subprocess.run(  # noqa: S603
            command, check=True, cwd=BENCH_DIR.parent, stdout=subprocess.PIPE, text=True
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(results[-1]), flush=True)
    from bench.results import write_section

    write_section("volunteer_matching", _report(results))
    print(_report(results))


if __name__ == "__main__":
    main()
