"""Importing an Open Referral feed: each service record read, checked, mapped and written.

The steps, each in its own module:

1. read (`directory.hsds.read`, `directory.hsds.csv_package`, `directory.hsds.harvest`): a
   JSON file, a CSV datapackage or a live API, as a stream of service objects;
2. detect the version (`directory.hsds.versions`): HSDS 3.0 and ORUK 3.0 are read as they are,
   ORUK 1.0 and HSDS 1.x/2.x records are mapped onto HSDS 3.0 first;
3. validate (`directory.hsds.validate`): an HSDS 3.0 record is checked against the vendored
   official JSON Schemas; what breaks them is reported as a warning naming the record and the
   field, and the field is then repaired or dropped by the mapping;
4. map (`directory.hsds.fields`, `directory.hsds.mapping`): the record becomes unsaved model
   rows in full before anything is written, so a record that is unusable is reported and
   skipped whole;
5. write (`directory.hsds.write`, `directory.hsds.bulk`): good records in batches, each in one
   transaction with bulk upserts, then indexed for search;
6. report (`directory.hsds.report`): the counts, every problem, and what was not kept.

Lenient in: a record is skipped only when it is unusable; a bad field is repaired or dropped
with a warning naming the record, the field and what was done. A service id given twice: the
later copy replaces the earlier, with a warning on the later record naming the first; a copy
without an organisation keeps the one already known. A dry run writes everything and rolls it
back, so it reports what a real run would.
"""

import datetime as dt
import hashlib
import itertools
import json
import os
import uuid
from contextlib import nullcontext, suppress
from dataclasses import dataclass
from types import SimpleNamespace

import orjson
from django.db import connection, transaction
from django.utils import timezone

from core import page_cache
from directory import indexing
from directory.hsds.bulk import _sqlite_settings, fast_delete, fast_insert, update_admin_search
from directory.hsds.fields import KNOWN, Problems
from directory.hsds.mapping import ServiceBuilder, new_row
from directory.hsds.read import FeedError, check_size, iter_json_services
from directory.hsds.report import MAX_LISTED, ImportReport, write_report
from directory.hsds.validate import SchemaCheck
from directory.hsds.versions import HSDS_3, Upgrade, record_version
from directory.hsds.write import ORGANIZATION_FIELDS, BatchWriter
from directory.models import (
    IndexVersion,
    Organization,
    Service,
    TaxonomyTerm,
)

# What other parts of the site take from here.
__all__ = [
    "BATCH_SIZE",
    "KNOWN",
    "MAX_LISTED",
    "FeedError",
    "ImportReport",
    "Importer",
    "Origin",
    "check_size",
    "fast_delete",
    "fast_insert",
    "iter_json_services",
    "new_row",
    "record_hash",
    "write_report",
]


BATCH_SIZE = 2000
# On SQLite, services written in one transaction (several batches; `_batches_per_commit`).
SQLITE_SERVICES_PER_COMMIT = 10_000


@dataclass
class Origin:
    """Where a feed comes from. Every service imported keeps it (a ServiceOrigin row). With
    `full`, the feed lists all the source's services: those it imported before and no longer
    lists are retired (made inactive, never deleted)."""

    name: str
    url: str = ""
    source_id: uuid.UUID | None = None  # a FeedSource's id
    full: bool = False
    fetched_at: dt.datetime | None = None

    @classmethod
    def of_file(cls, path, name=None, full=False):
        """A file's feed, fetched now, named `name` or else by the file's own name."""
        return cls(name=name or os.path.basename(path), full=full, fetched_at=timezone.now())


def record_hash(record, origin_name):
    """A fingerprint of a record as the feed gave it, to see that it has not changed: its JSON
    with the keys sorted, so the order a publisher writes them in does not count. orjson
    writes it in a fifth of the time of the standard library, whose 1 s for 20,000 records
    was a tenth of an import; what orjson refuses (an integer beyond 64 bits, which a JSON
    feed may hold) is written by the standard library."""
    value = [origin_name, record]
    try:
        text = orjson.dumps(value, option=orjson.OPT_SORT_KEYS, default=str)
    except orjson.JSONEncodeError:
        text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode()
    return hashlib.sha256(text).hexdigest()


class Importer(BatchWriter):
    """Reads service objects from an iterable and writes the good ones in batches."""

    def __init__(
        self,
        *,
        dry_run=False,
        batch_size=BATCH_SIZE,
        progress=None,
        geocode=True,
        term_definitions=None,
        organization_definitions=None,
        admin_search=True,
        origin=None,
    ):
        super().__init__(
            ImportReport(dry_run=dry_run),
            origin=origin,
            dry_run=dry_run,
            admin_search=admin_search,
            geocode=geocode,
        )
        self.batch_size = batch_size
        self.progress = progress
        self.schema = SchemaCheck(self.report)
        self.seen_organizations = set()
        # service id -> (index of the first record with it, its organisation's id, as read);
        # ids as integers, which take half the memory of UUID objects in a large feed.
        self.seen = {}
        # record index -> its fields where the reader read halves of surrogate pairs as U+FFFD
        self.cut = {}
        # Organisations a feed lists on their own (a CSV package's organizations table), so
        # that those without services are kept too; read after the services.
        self.organization_definitions = organization_definitions or ()
        self.builder = ServiceBuilder(
            self.report,
            self.known_terms,
            self._organization_exists,
            self._term_exists,
            self._organization_of,
        )
        # Terms a CSV package defines in its own table are checked once, up front; a bad one
        # is left out, and services that use it are reported when they reach for it.
        for data in (term_definitions or {}).values():
            problems = Problems()
            self.builder._term(data, "taxonomy_term", SimpleNamespace(terms=[]), problems)
            for name, message in problems.errors:
                self.report.add("error", None, data.get("id"), name, message)

    def _organization_exists(self, pk):
        return (
            pk in self.written_organizations
            or pk in self.seen_organizations
            or Organization.objects.filter(pk=pk).exists()
        )

    def _organization_of(self, pk):
        if pk is None:
            return None
        if pk.int in self.seen:
            organization = self.seen[pk.int][1]
            return None if organization is None else uuid.UUID(int=organization)
        return Service.objects.filter(pk=pk).values_list("organization_id", flat=True).first()

    def cut_characters(self, index, paths):
        """The reader read half a surrogate pair as U+FFFD in these fields of record `index`
        (the `on_cut` of `iter_json_services` and `iter_api_services`): reported as the
        record is."""
        self.cut[index] = paths

    def _term_exists(self, pk):
        return str(pk) in self.written_terms or TaxonomyTerm.objects.filter(pk=pk).exists()

    def run_json(self, path, on_read=None):
        """Import the JSON feed at `path` (`iter_json_services`, which tells this importer of
        each character it had to repair); returns the ImportReport. Raises FeedError."""
        return self.run(iter_json_services(path, on_read=on_read, on_cut=self.cut_characters))

    def run(self, records):
        """Import (index, service dict) pairs; returns the ImportReport."""
        with _sqlite_settings(), indexing.fewer_collections():
            self._run_all(records)
        if not self.dry_run:
            page_cache.purge()  # the directory's pages show what was imported
        return self.report

    def _run_all(self, records):
        if self.dry_run:
            # Everything is written and then rolled back, so a dry run meets every check a
            # real one would, database constraints included.
            with transaction.atomic():
                self._run(records)
                transaction.set_rollback(True)
        else:
            self._run(records)

    def _batches(self, records):
        batch = []
        for index, record in records:
            for path in self.cut.pop(index, ()):
                self.report.add(
                    "warning",
                    index,
                    record.get("id") if isinstance(record, dict) else None,
                    path,
                    "half of a surrogate pair (text cut in the middle of a character) was "
                    "read as U+FFFD, the replacement character.",
                )
            data = self._upgrade(record, index)
            violations = []
            if data is record:  # an HSDS 3.0 record, as the feed gave it
                data, violations = self.schema.check(data, index)
            if isinstance(data, dict) and data.get("id"):
                with suppress(ValueError):
                    self.listed.add(uuid.UUID(str(data["id"])).int)
            built = self.builder.build(data, index, violations)
            if built is not None:
                if self.origin is not None:
                    built.id_in_feed = str(record.get("id"))[:255]
                    built.content_hash = record_hash(record, self.origin.name)
                organization = built.service.organization_id
                first, _organization = self.seen.setdefault(
                    built.service.pk.int, (index, organization and organization.int)
                )
                if first != index:
                    self.report.add(
                        "warning",
                        index,
                        str(built.service.pk),
                        "id",
                        f"this id was already used by record {first}; this later copy replaces it.",
                    )
                batch.append(built)
                self.seen_organizations.add(organization)
                self.seen[built.service.pk.int] = (first, organization and organization.int)
            if len(batch) >= self.batch_size:
                yield batch
                batch = []
            if self.progress:
                self.progress(index)
        if batch:
            yield batch

    def _run(self, records):
        batches = self._batches(records)
        together = self._batches_per_commit()
        more = True
        while more:
            more = False
            # With more than one batch a commit, each batch is a savepoint in the transaction
            # (one refused is rolled back alone and its records retried, as on its own).
            with transaction.atomic() if together > 1 else nullcontext():
                for count, batch in enumerate(itertools.islice(batches, together), start=1):
                    self._write(batch)
                    more = count == together
        self._end()

    def _batches_per_commit(self):
        """On SQLite, batches committed together: `SQLITE_SERVICES_PER_COMMIT` services.

        A commit writes every page the transaction changed to the log, and the directory's
        tables have indexes on random UUIDs, so each batch changes pages all over them: at
        the end of an import of 100,000 services nearly every leaf page of those indexes,
        once per batch. Committing every fifth batch writes each such page once for five
        (bench/README.md, the import's eighth round). PostgreSQL commits every batch, its
        foreign-key checks with it. Inside a caller's transaction (a dry run) the caller's
        commit stands."""
        if connection.vendor != "sqlite" or connection.in_atomic_block:
            return 1
        return max(1, SQLITE_SERVICES_PER_COMMIT // self.batch_size)

    def _end(self):
        with transaction.atomic():
            self._write_unused_terms()
            self._write_organizations()
            self._finish()
            self._retire_missing()
            # Term and organisation links changed above; this also makes the commit a write,
            # which on PostgreSQL waits for the log and so for every batch before it.
            IndexVersion.bump()

    def _upgrade(self, data, index):
        """The record in the HSDS 3.0 shape: older ones are mapped (see versions.py)."""
        version = record_version(data)
        if self.report.version is None:
            self.report.version = version
        elif version != self.report.version:
            self.report.add(
                "warning",
                index,
                data.get("id"),
                "",
                f"this record is in the shape of {version}, the feed's first of "
                f"{self.report.version}; read as {version}.",
            )
        if version == HSDS_3:
            return data

        def warn(name, message):
            self.report.add("warning", index, data.get("id"), name, message)

        return Upgrade(version, self.report.ignored_fields, warn).service(data)

    def _write_organizations(self):
        """Organisations the feed lists on their own that no service brought in."""
        rows = []
        now = timezone.now()
        for data in self.organization_definitions:
            record_id = data.get("id") if isinstance(data, dict) else None
            try:
                pk = uuid.UUID(str(record_id))
            except ValueError:
                pk = None
            if pk is not None and pk in self.written_organizations:
                continue
            problems = Problems()
            if isinstance(data, dict):
                organization, parent = self.builder.organization_row(data, "organization", problems)
                programs, funding = self.builder.organization_children(
                    data, "organization", organization.pk, problems
                )
            else:
                problems.errors.append(("organization", "is not an object."))
            for name, message in problems.warnings:
                self.report.add("warning", None, record_id, name, message)
            if problems.errors:
                for name, message in problems.errors:
                    self.report.add("error", None, record_id, name, message)
                continue
            organization.created_at = organization.last_modified = now
            rows.append((organization, programs, funding))
            if parent is not None:
                self.pending_parents[organization.pk] = parent
            self.written_organizations.add(organization.pk)
        for start in range(0, len(rows), self.batch_size):
            chunk = rows[start : start + self.batch_size]
            fast_insert(Organization, [row for row, _p, _f in chunk], update=ORGANIZATION_FIELDS)
            self._write_organization_children(
                [row.pk for row, _p, _f in chunk],
                [program for _o, programs, _f in chunk for program in programs],
                [entry for _o, _p, funding in chunk for entry in funding],
            )
            if self.admin_search and not self.dry_run:
                update_admin_search(Organization, [row.pk for row, _p, _f in chunk])
