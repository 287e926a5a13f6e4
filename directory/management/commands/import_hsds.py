"""manage.py import_hsds: load an Open Referral feed (a JSON file, a CSV datapackage, or a
live HSDS/ORUK API)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory.hsds import csv_package
from directory.hsds.harvest import harvest
from directory.hsds.importer import (
    BATCH_SIZE,
    FeedError,
    Importer,
    Origin,
    check_size,
    write_report,
)

MAX_SIZE_MB = 200
SHOWN_ERRORS = 50


class Command(BaseCommand):
    help = (
        "Import services from an HSDS 3.0 feed: a JSON list, Page or single service, or a CSV "
        "datapackage (a directory or .zip). Records are matched by id: importing the same feed "
        "again updates them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            help=(
                "A .json file, a directory or .zip of CSV files, or the base address of an "
                "HSDS/ORUK API (https://...), whose /services is paged through."
            ),
        )
        parser.add_argument(
            "--source",
            metavar="NAME",
            help=(
                "The feed's name. Services keep it as their source; naming it also says the "
                "feed is the source's full list, so its services missing from it are retired. "
                "For an API address, the feed source of that name or address (made if new)."
            ),
        )
        parser.add_argument(
            "--changes",
            action="store_true",
            help="From an API: only services changed since the source's last harvest.",
        )
        parser.add_argument(
            "--modified-after",
            metavar="WHEN",
            help="From an API: only services changed on or after this ISO 8601 time.",
        )
        parser.add_argument(
            "--format", choices=["json", "csv"], help="Default: from the path (.json is JSON)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check everything, then roll it all back."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")
        parser.add_argument("--report", metavar="FILE", help="Write the full report as JSON.")
        parser.add_argument(
            "--max-size",
            type=float,
            default=MAX_SIZE_MB,
            metavar="MB",
            help=f"Refuse feeds larger than this many megabytes (default {MAX_SIZE_MB}).",
        )
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help="Services per transaction."
        )
        parser.add_argument(
            "--no-admin-search",
            action="store_true",
            help=(
                "Do not update Wagtail's search index (the admin's search of services, "
                "organisations and locations); much faster for large feeds. Run Wagtail's "
                "`manage.py update_index` afterwards."
            ),
        )

    def handle(self, path, **options):
        if path.startswith(("http://", "https://")):
            try:
                report = harvest(
                    path,
                    name=options["source"],
                    changes=options["changes"],
                    modified_after=options["modified_after"],
                    dry_run=options["dry_run"],
                    batch_size=options["batch_size"],
                    admin_search=not options["no_admin_search"],
                )
            except FeedError as error:
                raise CommandError(str(error)) from None
            if options["report"]:
                write_report(report, options["report"])
            self._summarise(report, options)
            return None
        if options["changes"] or options["modified_after"]:
            raise CommandError("--changes and --modified-after are for API addresses only.")
        source = Path(path)
        if not source.exists():
            raise CommandError(f"{source} does not exist.")
        kind = options["format"] or self._guess_format(source)
        max_size = int(options["max_size"] * 1024 * 1024)
        show_progress = not options["no_progress"] and sys.stderr.isatty()
        try:
            if kind == "json":
                if source.is_dir():
                    raise FeedError(f"{source} is a directory; use --format csv for a datapackage.")
                total = check_size(source, max_size)
                report = self._import_json(source, options, total, show_progress)
            else:
                report = self._import_csv(source, options, max_size, show_progress)
        except FeedError as error:
            raise CommandError(str(error)) from None
        if options["report"]:
            write_report(report, options["report"])
        self._summarise(report, options)
        return None

    def _guess_format(self, source):
        if source.is_dir() or source.suffix.lower() in {".zip", ".csv"}:
            return "csv"
        return "json"

    def _import_json(self, source, options, total, show_progress):
        bar = self._progress(show_progress, total=total, unit="B", unit_scale=True)
        with bar:
            importer = Importer(
                dry_run=options["dry_run"],
                batch_size=options["batch_size"],
                admin_search=not options["no_admin_search"],
                origin=_file_origin(source, options),
            )
            return importer.run_json(source, on_read=bar.update if show_progress else None)

    def _import_csv(self, source, options, max_size, show_progress):
        with csv_package.open_package(source, max_size=max_size) as package:
            bar = self._progress(show_progress, total=package.service_count, unit="service")
            with bar:
                importer = Importer(
                    dry_run=options["dry_run"],
                    batch_size=options["batch_size"],
                    term_definitions=package.term_definitions(),
                    organization_definitions=package.organizations(),
                    admin_search=not options["no_admin_search"],
                    progress=(lambda index: bar.update(1)) if show_progress else None,
                    origin=_file_origin(source, options),
                )
                report = importer.run(package.services())
            report.ignored_fields |= package.ignored_fields
            for where, message in package.problems:
                report.add("warning", None, None, where, message)
            return report

    def _progress(self, show, **kwargs):
        if not show:
            return _NoBar()
        from tqdm import tqdm

        return tqdm(file=sys.stderr, **kwargs)

    def _summarise(self, report, options):
        verb = "Would import" if report.dry_run else "Imported"
        if report.version:
            self.stdout.write(f"Read as {report.version}.")
        self.stdout.write(
            f"{verb} {report.created + report.updated} services: {report.created} created, "
            f"{report.updated} updated, {report.skipped} skipped, {report.unchanged} unchanged."
        )
        if report.retired:
            self.stdout.write(
                f"{len(report.retired)} services no longer in the feed were retired "
                "(made inactive): " + ", ".join(report.retired[:SHOWN_ERRORS])
            )
        if report.error_count:
            self.stdout.write(self.style.ERROR(f"{report.error_count} errors (record skipped):"))
            for entry in report.errors[:SHOWN_ERRORS]:
                self.stdout.write("  " + _line(entry))
            if report.error_count > SHOWN_ERRORS:
                self.stdout.write(f"  ... and {report.error_count - SHOWN_ERRORS} more")
        if report.warning_count:
            self.stdout.write(self.style.WARNING(f"{report.warning_count} warnings (imported):"))
            for entry in report.warnings[:SHOWN_ERRORS]:
                self.stdout.write("  " + _line(entry))
            if report.warning_count > SHOWN_ERRORS:
                self.stdout.write(f"  ... and {report.warning_count - SHOWN_ERRORS} more")
        if report.ignored_fields:
            self.stdout.write(
                "Ignored fields (HSDS fields this directory does not keep): "
                + ", ".join(sorted(report.ignored_fields))
            )
        if options["report"]:
            self.stdout.write(f"Full report written to {options['report']}.")
        if report.dry_run:
            self.stdout.write("Dry run: nothing was saved.")
        elif options["no_admin_search"]:
            self.stdout.write(
                "The admin's search was not updated: run `manage.py update_index` to update it."
            )


def _line(entry):
    where = f"record {entry['index']}" if entry["index"] is not None else "feed"
    ident = f" ({entry['id']})" if entry["id"] else ""
    field = f" {entry['field']}:" if entry["field"] else ""
    return f"{where}{ident}{field} {entry['message']}"


class _NoBar:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _file_origin(source, options):
    """A file's services keep its name as their source; a --source name makes it a full feed."""
    name = options.get("source")
    return Origin.of_file(source, name, full=bool(name))
