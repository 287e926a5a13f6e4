"""The HSDS 3.0 CSV datapackage: reading it as nested service objects, and writing one.

Reading. The tables are joined back into the nested JSON shape, so CSV and JSON feeds go
through the same checks. Service-level tables (phones, schedules ...) are not held in memory:
each is read once and spooled into a temporary SQLite file, indexed by the id it hangs from
(service_id, location_id, link_id ...). `services.csv` is then read row by row, and for each
batch of services one indexed query per table fetches their rows, whatever order the CSV
files are in. Memory stays flat however big the package is; the spool costs one sequential
write of the data.

Writing. `PackageWriter` takes service objects as `directory.hsds.serialize.service_to_hsds`
makes them and appends their rows to one CSV file per table as it goes, writing shared
records (organisations, locations, taxonomy terms, programmes, funding) once; a funding row
that belongs to a service and to its organisation carries both ids.
"""

import contextlib
import csv
import io
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from directory.hsds import versions
from directory.hsds.importer import KNOWN, FeedError
from directory.hsds.schema_fields import LINK_COLUMNS, csv_columns, table_kinds

csv.field_size_limit(10 * 1024 * 1024)

# Table -> columns, in the order of the HSDS 3.0 tabular examples (`schema_fields`).
COLUMNS = csv_columns()
# File names a package may use for a table (the HSDS example and the UK profile differ).
FILE_NAMES = {
    "service_at_location": ["service_at_location.csv", "service_at_locations.csv"],
    "attributes": ["attributes.csv", "attribute.csv"],
    "schedules": ["schedules.csv", "schedule.csv"],
    "addresses": ["addresses.csv", "address.csv"],
    "taxonomies": ["taxonomies.csv", "taxonomy.csv"],
}
# The HSDS object kind (for KNOWN) of each table, and the columns a table cannot do without.
KINDS = table_kinds()
REQUIRED_COLUMNS = {"services": ["id", "name"], "taxonomy_terms": ["id", "name"]}
# How each spooled table is keyed: the column (or columns, with a prefix) it hangs from.
SPOOL_KEYS = {
    "organizations": [("", "id")],
    "organization_identifiers": [("", "organization_id")],
    "locations": [("", "id")],
    "addresses": [("", "location_id")],
    "accessibility": [("", "location_id")],
    "service_at_location": [("", "service_id")],
    "phones": [("", "service_id")],
    "schedules": [("", "service_id"), ("sal:", "service_at_location_id")],
    "service_areas": [("", "service_id")],
    "languages": [("service:", "service_id"), ("phone:", "phone_id")],
    "cost_options": [("", "service_id")],
    "contacts": [("", "service_id")],
    "funding": [("service:", "service_id"), ("organization:", "organization_id")],
    "programs": [("", "organization_id")],
    "required_documents": [("", "service_id")],
    "attributes": [("", "link_id")],
}
BATCH = 500
# Records many services share, written once each.
SHARED = {"organizations", "locations", "taxonomies", "taxonomy_terms", "funding", "programs"}


def _present(row):
    return {key: value for key, value in row.items() if value not in ("", None)}


class Package:
    """An opened CSV datapackage: its services as nested HSDS objects, read in batches."""

    def __init__(self, files, spool_path):
        self.files = files  # table -> callable returning a text stream
        self.ignored_fields = set()
        self.problems = []  # (where, message) about the package as a whole
        self.db = sqlite3.connect(spool_path)
        self.db.execute("CREATE TABLE rows (tbl TEXT, key TEXT, pos INTEGER, data TEXT)")
        self._terms = None
        for table in SPOOL_KEYS:
            if table in files:
                self._spool(table)
        self.db.execute("CREATE INDEX rows_key ON rows (tbl, key)")
        self.service_count = sum(1 for _ in self._rows("services"))

    def close(self):
        self.db.close()

    def _rows(self, table):
        """(line number, row dict) for each row of a table, checking its columns."""
        opener = self.files.get(table)
        if opener is None:
            return
        name = f"{table}.csv"
        try:
            with opener() as stream:
                reader = csv.reader(stream)
                header = next(reader, None)
                if header is None:
                    return
                header = [column.strip() for column in header]
                self._check_header(table, header)
                width = len(header)
                for row in reader:
                    if not row or row == [""]:
                        continue
                    if len(row) != width:
                        raise FeedError(
                            f"{name} line {reader.line_num}: {len(row)} values for {width} "
                            "columns (a quoting error, or the wrong columns)."
                        )
                    yield reader.line_num, dict(zip(header, row, strict=True))
        except csv.Error as error:
            raise FeedError(f"{name} is not valid CSV: {error}") from None
        except UnicodeDecodeError as error:
            raise FeedError(f"{name} is not UTF-8 text: {error}") from None

    def _check_header(self, table, header):
        name = f"{table}.csv"
        if len(set(header)) != len(header):
            raise FeedError(f"{name} names a column twice: {', '.join(header)}.")
        missing = [c for c in REQUIRED_COLUMNS.get(table, ["id"]) if c not in header]
        if missing:
            raise FeedError(
                f"{name} has no {', '.join(missing)} column; it has: {', '.join(header)}."
            )
        known = KNOWN[KINDS[table]] | LINK_COLUMNS
        for column in header:
            if column not in known:
                self.ignored_fields.add(f"{KINDS[table]}.{column}")

    def _spool(self, table):
        keys = SPOOL_KEYS[table]
        batch = []
        with self.files[table]() as stream:
            header = [column.strip() for column in next(csv.reader(stream), [])]
        self._check_header(table, header)
        if not any(column in header for _prefix, column in keys):
            # The UK example's phones.csv hangs phones from contacts only, say: nothing in it
            # belongs to a service, which is worth saying but is not an error.
            self.problems.append(
                (
                    f"{table}.csv",
                    f"has no {' or '.join(c for _p, c in keys)} column; "
                    "none of its rows belong to a service, so it was not read.",
                )
            )
            return
        for line, row in self._rows(table):
            data = json.dumps(_present(row))
            for prefix, column in keys:
                if row.get(column):
                    batch.append((table, prefix + row[column], line, data))
            if len(batch) >= 5000:
                self.db.executemany("INSERT INTO rows VALUES (?, ?, ?, ?)", batch)
                batch = []
        if batch:
            self.db.executemany("INSERT INTO rows VALUES (?, ?, ?, ?)", batch)

    def _fetch(self, table, keys):
        """key -> [row dicts] for these keys, in file order."""
        found = {}
        keys = list(keys)
        for start in range(0, len(keys), 900):
            chunk = keys[start : start + 900]
            marks = ",".join("?" * len(chunk))
            for key, data in self.db.execute(
                f"SELECT key, data FROM rows WHERE tbl = ? AND key IN ({marks}) ORDER BY pos",  # noqa: S608
                [table, *chunk],
            ):
                found.setdefault(key, []).append(json.loads(data))
        return found

    def term_definitions(self):
        """Taxonomy terms defined in the package, each with its taxonomy as taxonomy_detail."""
        if self._terms is None:
            taxonomies = {row["id"]: _present(row) for _line, row in self._rows("taxonomies")}
            self._terms = {}
            for _line, row in self._rows("taxonomy_terms"):
                term = _present(row)
                detail = taxonomies.get(term.get("taxonomy_id"))
                if detail is not None:
                    term["taxonomy_detail"] = detail
                self._terms[term["id"]] = term
        return self._terms

    def organizations(self):
        """Every organisation in the package, with its identifiers, one at a time."""
        for _line, row in self._rows("organizations"):
            organization = _present(row)
            key = organization.get("id", "")
            found = self._fetch("organization_identifiers", [key])
            organization["organization_identifiers"] = found.get(key, [])
            organization["programs"] = self._fetch("programs", [key]).get(key, [])
            funding = self._fetch("funding", [f"organization:{key}"])
            organization["funding"] = funding.get(f"organization:{key}", [])
            yield organization

    def services(self):
        """(index, nested service dict) for each row of services.csv, in file order."""
        batch = []
        for index, (_line, row) in enumerate(self._rows("services")):
            batch.append((index, _present(row)))
            if len(batch) >= BATCH:
                yield from self._nest(batch)
                batch = []
        if batch:
            yield from self._nest(batch)

    def _nest(self, batch):
        ids = [row.get("id", "") for _index, row in batch]
        child = {
            table: self._fetch(table, ids)
            for table in (
                "phones",
                "schedules",
                "service_areas",
                "cost_options",
                "contacts",
                "service_at_location",
                "attributes",
                "required_documents",
            )
        }
        service_funding = self._fetch("funding", [f"service:{i}" for i in ids])
        service_languages = self._fetch("languages", [f"service:{i}" for i in ids])
        organizations = self._fetch(
            "organizations", {row.get("organization_id", "") for _i, row in batch}
        )
        identifiers = self._fetch("organization_identifiers", list(organizations))
        programs = self._fetch("programs", list(organizations))
        organization_funding = self._fetch("funding", [f"organization:{o}" for o in organizations])
        sals = [sal for i in ids for sal in child["service_at_location"].get(i, [])]
        location_ids = {sal.get("location_id", "") for sal in sals}
        locations = self._fetch("locations", location_ids)
        addresses = self._fetch("addresses", location_ids)
        accessibility = self._fetch("accessibility", location_ids)
        sal_schedules = self._fetch("schedules", [f"sal:{sal.get('id')}" for sal in sals])
        phones = [phone for i in ids for phone in child["phones"].get(i, [])]
        phone_languages = self._fetch("languages", [f"phone:{p.get('id')}" for p in phones])
        nested_ids = [
            row.get("id")
            for table in ("schedules", "service_areas")
            for i in ids
            for row in child[table].get(i, [])
        ]
        nested_ids += [row.get("id") for rows in accessibility.values() for row in rows]
        nested_attributes = self._fetch("attributes", nested_ids)

        def with_attributes(row):
            found = nested_attributes.get(row.get("id"))
            return {**row, "attributes": found} if found else row

        for index, row in batch:
            service_id = row.get("id", "")
            service = dict(row)
            org_rows = organizations.get(row.get("organization_id", ""))
            if org_rows:
                org = dict(org_rows[0])
                org["organization_identifiers"] = identifiers.get(org["id"], [])
                org["programs"] = programs.get(org["id"], [])
                org["funding"] = organization_funding.get(f"organization:{org['id']}", [])
                service["organization"] = org
            service["phones"] = [
                {**phone, "languages": phone_languages.get(f"phone:{phone.get('id')}", [])}
                for phone in child["phones"].get(service_id, [])
            ]
            service["schedules"] = [
                with_attributes(s) for s in child["schedules"].get(service_id, [])
            ]
            service["service_areas"] = [
                with_attributes(a) for a in child["service_areas"].get(service_id, [])
            ]
            service["languages"] = service_languages.get(f"service:{service_id}", [])
            service["cost_options"] = child["cost_options"].get(service_id, [])
            service["contacts"] = child["contacts"].get(service_id, [])
            service["funding"] = service_funding.get(f"service:{service_id}", [])
            service["required_documents"] = child["required_documents"].get(service_id, [])
            service["attributes"] = child["attributes"].get(service_id, [])
            service["service_at_locations"] = []
            for sal in child["service_at_location"].get(service_id, []):
                sal = dict(sal)
                location_id = sal.get("location_id", "")
                location_rows = locations.get(location_id)
                if location_rows:
                    location = dict(location_rows[0])
                    location["addresses"] = addresses.get(location_id, [])
                    location["accessibility"] = [
                        with_attributes(a) for a in accessibility.get(location_id, [])
                    ]
                    sal["location"] = location
                sal["schedules"] = [
                    with_attributes(s)
                    for s in sal_schedules.get(f"sal:{sal.get('id')}", [])
                    if s.get("service_id") in (None, "", service_id)
                ]
                service["service_at_locations"].append(sal)
            yield index, service


def _find_files(names, opener):
    """table -> opener, from a list of file names in a package (any folder depth)."""
    by_base = {}
    for name in names:
        base = name.rsplit("/", 1)[-1].lower()
        by_base.setdefault(base, name)
    files = {}
    for table in COLUMNS:
        for candidate in FILE_NAMES.get(table, [f"{table}.csv"]):
            if candidate in by_base:
                files[table] = opener(by_base[candidate])
                break
    return files, by_base


def _datapackage_paths(text, problems):
    """Resource paths named by datapackage.json, or {} (with a problem noted) if unreadable."""
    try:
        package = json.loads(text)
        return {
            resource["name"]: resource["path"]
            for resource in package.get("resources", [])
            if isinstance(resource, dict) and "name" in resource and "path" in resource
        }
    except (ValueError, AttributeError, TypeError):
        problems.append(
            (
                "datapackage.json",
                f"is not a JSON datapackage (it reads “{text[:60].strip()}”); "
                "the standard HSDS file names were used.",
            )
        )
        return {}


@contextlib.contextmanager
def open_package(source, max_size=None):
    """Open a datapackage directory or .zip; yields a `Package`."""
    source = Path(source)
    problems = []
    with (
        tempfile.TemporaryDirectory(prefix="hsds-import-") as spool_dir,
        contextlib.ExitStack() as stack,
    ):
        if source.is_dir():
            names = [
                str(path.relative_to(source)).replace(os.sep, "/")
                for path in source.rglob("*")
                if path.is_file()
            ]
            total = sum((source / name).stat().st_size for name in names if name.endswith(".csv"))

            def opener(name):
                return lambda: open(source / name, encoding="utf-8-sig", newline="")  # noqa: SIM115

            def read_text(name):
                return (source / name).read_text(encoding="utf-8", errors="replace")

        elif zipfile.is_zipfile(source):
            archive = stack.enter_context(zipfile.ZipFile(source))
            names = [info.filename for info in archive.infolist() if not info.is_dir()]
            # The unpacked size, not the zip's: a small zip can hold a very large package.
            total = sum(info.file_size for info in archive.infolist())

            def opener(name):
                return lambda: io.TextIOWrapper(
                    archive.open(name), encoding="utf-8-sig", newline=""
                )

            def read_text(name):
                return archive.read(name).decode("utf-8", errors="replace")

        else:
            raise FeedError(f"{source} is neither a directory nor a .zip of CSV files.")
        if max_size is not None and total > max_size:
            raise FeedError(
                f"{source} holds {total / 1e6:.1f} MB of data, over the "
                f"{max_size / 1e6:.0f} MB limit (raise it with --max-size)."
            )
        files, by_base = _find_files(names, opener)
        version, evidence = versions.package_version(
            by_base,
            read_text(by_base["datapackage.json"]) if "datapackage.json" in by_base else None,
        )
        if version != versions.HSDS_3:
            raise FeedError(versions.old_package_message(source, version, evidence))
        if "datapackage.json" in by_base:
            paths = _datapackage_paths(read_text(by_base["datapackage.json"]), problems)
            folder = by_base["datapackage.json"].rpartition("/")[0]
            for name, path in paths.items():
                table = {"service_at_locations": "service_at_location"}.get(name, name)
                full = f"{folder}/{path}" if folder else path
                if table in COLUMNS and full in names:
                    files[table] = opener(full)
        else:
            problems.append(("datapackage.json", "is missing; the standard file names were used."))
        if "services" not in files:
            raise FeedError(f"{source} has no services.csv: it is not an HSDS CSV package.")
        package = Package(files, os.path.join(spool_dir, "spool.sqlite3"))
        package.problems.extend(problems)
        try:
            yield package
        finally:
            package.close()


# -- writing ---------------------------------------------------------------------------------


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class PackageWriter:
    """Writes service objects into one CSV file per table, plus datapackage.json."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._files = {}
        self._writers = {}
        self._seen = {table: set() for table in SHARED}
        for table, columns in COLUMNS.items():
            stream = open(self.folder / f"{table}.csv", "w", encoding="utf-8", newline="")  # noqa: SIM115
            self._files[table] = stream
            self._writers[table] = csv.writer(stream, lineterminator="\n")
            self._writers[table].writerow(columns)

    def _row(self, table, data, **links):
        """Write a row once per id (shared records such as locations appear many times)."""
        if table in SHARED:
            if data.get("id") in self._seen[table]:
                return
            self._seen[table].add(data.get("id"))
        values = {**data, **links}
        self._writers[table].writerow([_cell(values.get(c)) for c in COLUMNS[table]])

    def _attributes(self, rows):
        for attribute in rows or []:
            term = attribute.get("taxonomy_term")
            if term is not None:
                self._term(term)
            self._row("attributes", attribute)

    def _term(self, term):
        detail = term.get("taxonomy_detail")
        if detail is not None:
            self._row("taxonomies", detail)
        self._row("taxonomy_terms", term)

    def add_organization(self, organization):
        """Append an organisation (as `organization_to_hsds(nested=False)` gives it, with
        `organization_identifiers`) unless it is written already."""
        if organization["id"] not in self._seen["organizations"]:
            for identifier in organization.get("organization_identifiers", []):
                self._row("organization_identifiers", identifier)
            for program in organization.get("programs", []):
                self._row("programs", program, organization_id=organization["id"])
            for funding in organization.get("funding", []):
                self._row("funding", funding, organization_id=organization["id"])
        self._row("organizations", organization)

    def add_term(self, term):
        """Append a taxonomy term (with `taxonomy_detail`) unless it is written already."""
        self._term(term)

    def add(self, service):
        """Append one service (as `service_to_hsds(service, full=True)` gives it)."""
        service_id = service["id"]
        organization = service.get("organization")
        if organization is not None:
            self.add_organization(organization)
        self._row("services", service)
        for phone in service.get("phones", []):
            self._row("phones", phone, service_id=service_id)
            for language in phone.get("languages", []):
                self._row("languages", language, phone_id=phone["id"])
        for schedule in service.get("schedules", []):
            self._row("schedules", schedule, service_id=service_id)
            self._attributes(schedule.get("attributes"))
        for area in service.get("service_areas", []):
            self._row("service_areas", area, service_id=service_id)
            self._attributes(area.get("attributes"))
        for language in service.get("languages", []):
            self._row("languages", language, service_id=service_id)
        for option in service.get("cost_options", []):
            self._row("cost_options", option, service_id=service_id)
        for contact in service.get("contacts", []):
            self._row("contacts", contact, service_id=service_id)
        for funding in service.get("funding", []):
            self._row("funding", funding, service_id=service_id)
        for document in service.get("required_documents", []):
            self._row("required_documents", document, service_id=service_id)
        program = service.get("program")
        if program is not None:
            self._row("programs", program)
        self._attributes(service.get("attributes"))
        for sal in service.get("service_at_locations", []):
            location = sal.get("location") or {}
            self._row(
                "service_at_location",
                sal,
                service_id=service_id,
                location_id=sal.get("location_id") or location.get("id"),
            )
            if location and location["id"] not in self._seen["locations"]:
                for address in location.get("addresses", []):
                    self._row("addresses", address, location_id=location["id"])
                for entry in location.get("accessibility", []):
                    self._row("accessibility", entry, location_id=location["id"])
                    self._attributes(entry.get("attributes"))
                self._row("locations", location)

    def close(self):
        for stream in self._files.values():
            stream.close()
        descriptor = {
            "name": "hsds-export",
            "title": "Compassionate Communities directory (Open Referral HSDS 3.0)",
            "profile": "tabular-data-package",
            "resources": [
                {
                    "name": table,
                    "path": f"{table}.csv",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "schema": {"fields": [{"name": c, "type": "string"} for c in columns]},
                }
                for table, columns in COLUMNS.items()
            ],
        }
        (self.folder / "datapackage.json").write_text(
            json.dumps(descriptor, indent=2) + "\n", encoding="utf-8"
        )


def zip_folder(folder, target):
    """Zip a written package folder into `target` (files at the top level of the zip)."""
    target = Path(target)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(Path(folder).iterdir()):
            archive.write(path, path.name)


def remove_folder(folder):
    shutil.rmtree(folder, ignore_errors=True)
