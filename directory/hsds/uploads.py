"""HSDS feeds uploaded in the admin: checking the file, and importing it as a background task.

The upload is checked before anything is stored: its size against
`settings.DIRECTORY_IMPORT_MAX_UPLOAD_MB`, its kind (a JSON feed or a zipped CSV
datapackage) and, for JSON, its syntax from end to end. The import then runs as a django-tasks
task (`run_import`) with the same `Importer` as `manage.py import_hsds`; each record is
written whole or skipped whole, and the report is stored on the `HSDSImport`.
"""

import logging
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from directory.hsds import csv_package, split
from directory.hsds.importer import FeedError, Importer, Origin
from directory.models import HSDSImport

logger = logging.getLogger(__name__)

DEFAULT_MAX_UPLOAD_MB = 20


def max_upload_bytes():
    return int(getattr(settings, "DIRECTORY_IMPORT_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB) * 1e6)


def check_upload(uploaded):
    """The format ("json" or "csv") of an uploaded feed, or a ValidationError saying why not."""
    limit = max_upload_bytes()
    if uploaded.size > limit:
        raise ValidationError(
            _(
                "This file is %(size)s MB. The largest file you can import here is "
                "%(limit)s MB: split the feed, or ask for it to be imported on the server."
            )
            % {"size": f"{uploaded.size / 1e6:.1f}", "limit": f"{limit / 1e6:g}"},
            code="too_large",
        )
    uploaded.seek(0)
    head = uploaded.read(4096)
    uploaded.seek(0)
    if head.startswith(b"PK"):
        return _check_zip(uploaded)
    start = split.first_byte(head)
    if start not in (b"[", b"{"):
        raise ValidationError(
            _(
                "This is neither an HSDS JSON feed nor a zipped CSV datapackage. Upload a "
                ".json file (a list of services) or a .zip of the CSV files."
            ),
            code="unknown_format",
        )
    return _check_json(uploaded)


def _check_json(uploaded):
    """The whole file read as the import will read it (`directory.hsds.split`); an upload is
    at most `max_upload_bytes()`, so it is read in one piece."""
    try:
        split.check(uploaded.read())
    except split.Unreadable as error:
        if error.kind == "utf-8":
            raise ValidationError(
                _("This file is not UTF-8 text, so nothing was imported."), code="bad_json"
            ) from None
        raise ValidationError(
            _("This file is not valid JSON, so nothing was imported. The parser said: %(error)s")
            % {"error": error.message},
            code="bad_json",
        ) from None
    finally:
        uploaded.seek(0)
    return "json"


def _check_zip(uploaded):
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = [name.rsplit("/", 1)[-1].lower() for name in archive.namelist()]
            broken = archive.testzip()
    except zipfile.BadZipFile:
        raise ValidationError(
            _("This zip file is damaged or incomplete, so nothing was imported."),
            code="bad_zip",
        ) from None
    finally:
        uploaded.seek(0)
    if broken is not None:
        raise ValidationError(
            _("%(name)s in this zip file is damaged, so nothing was imported.") % {"name": broken},
            code="bad_zip",
        )
    if "services.csv" not in names:
        raise ValidationError(
            _(
                "This zip file has no services.csv, so it is not an HSDS CSV datapackage. "
                "Nothing was imported."
            ),
            code="not_a_package",
        )
    return "csv"


def import_file(path, kind, name=None):
    """Run the importer on a stored feed; returns its ImportReport. Raises FeedError. Its
    services keep `name` (the uploaded file's) as their source."""
    origin = Origin.of_file(path, name)
    if kind == "json":
        importer = Importer(origin=origin)
        return importer.run_json(path)
    with csv_package.open_package(path, max_size=max_upload_bytes() * 20) as package:
        importer = Importer(
            term_definitions=package.term_definitions(),
            organization_definitions=package.organizations(),
            origin=origin,
        )
        report = importer.run(package.services())
        report.ignored_fields |= package.ignored_fields
        for where, message in package.problems:
            report.add("warning", None, None, where, message)
        return report


@task()
def run_import(import_id):
    """Import an uploaded feed and store its report on the HSDSImport."""
    upload = HSDSImport.objects.get(pk=import_id)
    upload.status = HSDSImport.Status.RUNNING
    upload.save(update_fields=["status"])
    try:
        report = import_file(upload.file.path, upload.format, upload.original_name)
    except FeedError as error:
        upload.status = HSDSImport.Status.FAILED
        upload.message = str(error).replace(upload.file.path, upload.original_name)
    except Exception:
        logger.exception("HSDS import %s failed", upload.pk)
        upload.status = HSDSImport.Status.FAILED
        upload.message = _(
            "The import stopped with an unexpected error. Services written before it stopped "
            "are kept; the rest were not imported."
        )
        raise
    else:
        upload.status = HSDSImport.Status.DONE
        upload.report = report.as_dict()
    finally:
        upload.finished_at = timezone.now()
        upload.save(update_fields=["status", "message", "report", "finished_at"])
    return upload.status
