"""Writing the whole directory as an HSDS 3.0 feed: a streamed JSON list or a CSV datapackage."""

import json
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django_tasks import task

from directory.hsds import csv_package
from directory.hsds.serialize import (
    organization_children,
    organization_to_hsds,
    service_to_hsds,
    services_queryset,
    taxonomy_term_to_hsds,
    taxonomy_terms_queryset,
)
from directory.models import Organization, Service
from directory.models.service import ServiceStatus

CHUNK_SIZE = 500


def iter_services(chunk_size=CHUNK_SIZE, queryset=None):
    """Every service (or those of `queryset`) as an HSDS object, fetched `chunk_size` at a
    time (id order, so stable)."""
    queryset = Service.objects.all() if queryset is None else queryset
    queryset = services_queryset(queryset.order_by("pk"))
    for service in queryset.iterator(chunk_size=chunk_size):
        yield service_to_hsds(service, full=True)


def iter_organizations(chunk_size=CHUNK_SIZE):
    """Every organisation as an HSDS object with its identifiers (id order)."""
    organizations = Organization.objects.order_by("pk").prefetch_related("funding", "programs")
    for organization in organizations.iterator(chunk_size=chunk_size):
        data = organization_to_hsds(organization, nested=False)
        data.update(organization_children(organization))
        yield data


def iter_terms():
    """Every taxonomy term, parents before children, each with its taxonomy."""
    terms = list(taxonomy_terms_queryset().order_by("taxonomy__name", "code"))
    written = set()
    by_id = {term.pk: term for term in terms}

    def walk(term):
        if term.pk in written:
            return
        written.add(term.pk)
        parent = by_id.get(term.parent_id)
        if parent is not None:
            yield from walk(parent)
        yield taxonomy_term_to_hsds(term)

    for term in terms:
        yield from walk(term)


def write_json(stream, services=None):
    """Write services as a JSON list, one at a time; returns how many were written."""
    services = iter_services() if services is None else services
    count = 0
    stream.write("[")
    for data in services:
        stream.write(",\n" if count else "\n")
        stream.write(json.dumps(data, ensure_ascii=False, sort_keys=False))
        count += 1
    stream.write("\n]\n" if count else "]\n")
    return count


def export_json(path, services=None):
    with open(path, "w", encoding="utf-8") as stream:
        return write_json(stream, services)


def export_csv(path, services=None):
    """Write a CSV datapackage to a directory, or to a .zip when `path` ends in .zip."""
    everything = services is None
    services = iter_services() if everything else services
    path = Path(path)
    as_zip = path.suffix.lower() == ".zip"
    folder = Path(tempfile.mkdtemp(prefix="hsds-export-")) if as_zip else path
    try:
        writer = csv_package.PackageWriter(folder)
        count = 0
        try:
            for data in services:
                writer.add(data)
                count += 1
            if everything:
                # Organisations without services and terms no service uses (parents, say)
                # have tables of their own here, so the package holds the whole directory.
                for organization in iter_organizations():
                    writer.add_organization(organization)
                for term in iter_terms():
                    writer.add_term(term)
        finally:
            writer.close()
        if as_zip:
            csv_package.zip_folder(folder, path)
    finally:
        if as_zip:
            csv_package.remove_folder(folder)
    return count


# -- bulk downloads --------------------------------------------------------------------------
#
# The whole published directory (active services, as the API lists them) at stable URLs under
# /api/hsds/download/, so that a harvester need not page through the API. Written by a
# scheduled job (SCHEDULE["write_bulk_downloads"]) into HSDS_DOWNLOAD_DIR; each file is
# replaced whole, so a download never sees one half-written.

DOWNLOADS = {
    "services.json": "application/json",
    "services.ndjson": "application/x-ndjson",
    "datapackage.zip": "application/zip",
}


def download_dir():
    return Path(settings.HSDS_DOWNLOAD_DIR)


def published_services():
    return Service.objects.filter(status=ServiceStatus.ACTIVE)


def _replace(path, write):
    """Write to a temporary file beside `path`, then move it into place in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    try:
        write(temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def write_bulk_downloads():
    """Write every download; returns how many services each holds."""
    folder = download_dir()

    def ndjson(path):
        with open(path, "w", encoding="utf-8") as stream:
            for data in iter_services(queryset=published_services()):
                stream.write(json.dumps(data, ensure_ascii=False) + "\n")

    def package(path):
        # export_csv writes a .zip only to a name ending in .zip.
        zipped = f"{path}.zip"
        try:
            export_csv(zipped, iter_services(queryset=published_services()))
            os.replace(zipped, path)
        finally:
            if os.path.exists(zipped):
                os.unlink(zipped)

    _replace(
        folder / "services.json",
        lambda path: export_json(path, iter_services(queryset=published_services())),
    )
    _replace(folder / "services.ndjson", ndjson)
    _replace(folder / "datapackage.zip", package)
    return published_services().count()


@task()
def write_bulk_downloads_task():
    """The scheduled job (SCHEDULE["write_bulk_downloads"])."""
    return write_bulk_downloads()
