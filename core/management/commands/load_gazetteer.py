"""manage.py load_gazetteer FILE...: UK postcodes from ONSPD or GeoNames files."""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from core.geo.loader import BATCH_SIZE, GazetteerFileError, load_files


class Command(BaseCommand):
    help = (
        "Load UK postcodes from ONS Postcode Directory CSVs or GeoNames postal-code files "
        "(plain, .gz or .zip). Safe to run again: it updates postcodes already loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--include-terminated",
            action="store_true",
            help="Also load postcodes Royal Mail no longer uses (ONSPD only).",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show a progress bar."
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="Rows per insert.")

    def handle(self, *args, files, include_terminated, no_progress, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        show = not no_progress and sys.stderr.isatty()

        def progress(label, total):
            return tqdm(
                total=total,
                desc=label,
                unit="B",
                unit_scale=True,
                unit_divisor=1024,
                disable=not show,
                file=sys.stderr,
            )

        try:
            stats = load_files(
                files,
                include_terminated=include_terminated,
                batch_size=batch_size,
                progress=progress,
            )
        except GazetteerFileError as error:
            raise CommandError(str(error)) from error

        self.stdout.write(f"Rows read: {stats.read:,}")
        self.stdout.write(
            f"Postcodes saved: {stats.saved:,} ({stats.inserted:,} new, {stats.updated:,} updated)"
        )
        skipped = sum(stats.skipped.values())
        reasons = ", ".join(f"{count:,} {reason}" for reason, count in stats.skipped.most_common())
        self.stdout.write(f"Rows skipped: {skipped:,}" + (f" ({reasons})" if reasons else ""))
        self.stdout.write(self.style.SUCCESS(f"Postcode districts refreshed: {stats.districts:,}"))
