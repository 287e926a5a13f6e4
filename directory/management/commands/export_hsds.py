"""manage.py export_hsds: write every service as an HSDS 3.0 JSON list or CSV datapackage."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory.hsds import exporter


class Command(BaseCommand):
    help = (
        "Export every service as Open Referral HSDS 3.0: a JSON list (streamed) or a CSV "
        "datapackage in a directory or .zip."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A .json file, or a directory or .zip for CSV.")
        parser.add_argument(
            "--format", choices=["json", "csv"], help="Default: csv for .zip or a directory."
        )

    def handle(self, path, **options):
        target = Path(path)
        kind = options["format"] or (
            "csv" if target.suffix.lower() == ".zip" or target.is_dir() else "json"
        )
        if kind == "json" and target.is_dir():
            raise CommandError(f"{target} is a directory; give a file name for JSON.")
        if kind == "csv" and target.exists() and target.is_file() and target.suffix != ".zip":
            raise CommandError(f"{target} is a file; give a directory or a .zip for CSV.")
        try:
            count = (exporter.export_json if kind == "json" else exporter.export_csv)(target)
        except OSError as error:
            raise CommandError(f"Could not write {target}: {error}") from None
        self.stdout.write(f"Exported {count} services to {target} ({kind}).")
