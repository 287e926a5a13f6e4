"""Writing built service records to the database, a batch at a time."""

import uuid
from types import SimpleNamespace

from django.db import DataError, IntegrityError
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify

from core.geo import GeocodeError
from directory import indexing
from directory.geocoding import coordinates_for
from directory.hsds.bulk import (
    _batch_transaction,
    fast_delete,
    fast_insert,
    stored_owners,
    update_admin_search,
)
from directory.hsds.mapping import new_row
from directory.hsds.schema_fields import stored_fields
from directory.models import (
    Address,
    Contact,
    CostOption,
    Funding,
    Location,
    LocationAccessibility,
    Organization,
    Phone,
    Program,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceLanguage,
    ServiceOrigin,
    Taxonomy,
    TaxonomyTerm,
)
from directory.models.location import LocationType
from directory.models.service import ServiceStatus
from directory.search.idset import id_set
from directory.search.taxonomy import expand_categories

# Written by the importer for the search index (see Importer._index_records).
INDEX_FIELDS = ["open_24_7", "reaches_anywhere", "search_key"]
# The fields an import updates on stored rows, from the HSDS fields of each (`schema_fields`).
SERVICE_FIELDS = stored_fields("service", Service)
ORGANIZATION_FIELDS = stored_fields("organization", Organization)
LOCATION_FIELDS = stored_fields("location", Location)
PROGRAM_FIELDS = stored_fields("program", Program)
ORIGIN_FIELDS = ["source", "feed_name", "feed_url", "id_in_feed", "fetched_at", "content_hash"]
CHILD_MODELS = [
    Schedule,
    ServiceAtLocation,
    Phone,
    ServiceArea,
    ServiceLanguage,
    CostOption,
    Contact,
    RequiredDocument,
]
# Not among CHILD_MODELS: funding rows may belong to an organisation as well as a service,
# so they are written on their own (`_write_organization_children`, `_write_rows`).


class BatchWriter:
    """Writes built service records, a batch in a transaction, and what links them at the end.

    A batch the database refuses is written again a record at a time, so a clash the checks
    could not see skips that record and nothing else. Term and organisation links that name
    something further on in the feed are kept pending and made by `_finish`; with a full feed
    from a source, `_retire_missing` retires that source's services the feed no longer lists.
    """

    def __init__(self, report, *, origin=None, dry_run=False, admin_search=True, geocode=True):
        self.report = report
        self.origin = origin
        self.dry_run = dry_run
        # Bulk writes send no signals, so Wagtail's own search (the admin's snippet search)
        # is brought up to date here, a batch at a time.
        self.admin_search = admin_search
        self.geocode = geocode
        self.listed = set()  # ids (as integers) of every service the feed lists, imported or not
        self.known_terms = {}  # term id -> definition, as read from the feed so far
        self.written_terms = {}  # term id -> the definition last written
        self.written_organizations = set()
        self.pending_parents = {}  # organisation id -> parent id, set at the end
        self.pending_term_parents = {}
        self.pending_location_organizations = {}
        self.pending_programs = {}  # service id -> (programme id, record index)

    def _retire_missing(self):
        """After a full feed: the source's active services it no longer lists are made
        inactive (kept, with their history, and out of searches)."""
        if self.origin is None or not self.origin.full:
            return
        active = Service.objects.filter(
            origin__feed_name=self.origin.name, status=ServiceStatus.ACTIVE
        )
        missing = sorted(
            pk for pk in active.values_list("pk", flat=True) if pk.int not in self.listed
        )
        if not missing:
            return
        now = timezone.now()
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            Service.objects.filter(pk__in=chunk).update(
                status=ServiceStatus.INACTIVE, last_modified=now
            )
        self.report.retired = [str(pk) for pk in missing]
        if not self.dry_run:
            indexing.index_services(missing)

    def _write_unused_terms(self):
        """Terms the feed defines that no service uses (parents, say) are kept too."""
        for term_id, data in list(self.known_terms.items()):
            if self.written_terms.get(term_id) != data:
                self._write_term(data, None)
                self.written_terms[term_id] = data

    # A batch is one transaction; if the database refuses it, each record is retried in its
    # own, so a clash the checks could not see skips that record and nothing else.
    def _write(self, batch):
        terms = dict(self.written_terms)
        try:
            with _batch_transaction():
                counts = self._write_rows(batch, check_stored=False)
        except (IntegrityError, DataError):
            self.written_terms = terms
            for built in batch:
                terms = dict(self.written_terms)
                try:
                    with _batch_transaction():
                        counts = self._write_rows([built], check_stored=True)
                except (IntegrityError, DataError) as error:
                    self.written_terms = terms
                    self.report.add(
                        "error",
                        built.index,
                        str(built.service.pk),
                        "",
                        f"the database refused this record: {error}",
                    )
                    self.report.skipped += 1
                else:
                    self._count(counts)
        else:
            self._count(counts)

    def _count(self, counts):
        created, updated, organizations, unchanged = counts
        self.report.created += created
        self.report.updated += updated
        self.report.unchanged += unchanged
        self.written_organizations.update(organizations)

    def _write_rows(self, batch, check_stored):
        # A later copy of a service replaces an earlier one (reported when read). Organisations
        # are taken from every copy: a later one may name by id only the organisation an
        # earlier one gave in full.
        organizations = {b.organization.pk: b for b in batch if b.organization is not None}
        by_id = {}
        for built in batch:
            by_id[built.service.pk] = built
        unchanged = self._unchanged(by_id) if self.origin is not None else []
        for pk in unchanged:
            del by_id[pk]
        batch = list(by_id.values())
        ids = list(by_id)
        if not batch:
            return 0, 0, set(), len(unchanged)
        existing = dict(Service.objects.filter(pk__in=id_set(ids)).values_list("pk", "search_key"))
        # A new service has no rows to replace (one of its ids stored for another service
        # would make the inserts below fail).
        stored = [pk for pk in ids if pk in existing]
        self._check_clashes(batch, check_stored)
        self._claim_funding(batch)
        self._write_terms(batch)

        for pk, built in organizations.items():
            if built.organization_parent is not None:
                self.pending_parents[pk] = built.organization_parent
        organization_records = list(organizations.values())
        organizations = {pk: built.organization for pk, built in organizations.items()}
        locations = {}
        places_of = {}
        for built in batch:
            for location, addresses, accessibility in built.locations:
                locations[location.pk] = (location, addresses, accessibility)
                places_of[location.pk] = built
            self.pending_location_organizations.update(built.location_organizations)
        now = timezone.now()
        if organizations:
            for organization in organizations.values():
                organization.created_at = organization.last_modified = now
            fast_insert(Organization, organizations.values(), update=ORGANIZATION_FIELDS)
        # The services' funding goes first: what their organisations list is written next, and
        # a row the organisation still lists but the service no longer does stays the former's.
        fast_delete(Funding, "service_id", stored)
        self._write_organization_children(
            list(organizations),
            [p for built in [*organization_records, *batch] for p in built.programs],
            [row for built in organization_records for row in built.organization_funding],
        )
        self._link_programs(batch)
        if locations:
            for location, addresses, _x in locations.values():
                location.created_at = location.last_modified = now
                if self.geocode and not self._fill_coordinates(location, addresses):
                    built = places_of[location.pk]
                    self.report.add(
                        "warning",
                        built.index,
                        str(built.service.pk),
                        f"location {location.pk}",
                        "no coordinates, and its postcode or town was not found; the place is "
                        "kept but will not show in searches near a place.",
                    )
            fast_insert(
                Location, [entry[0] for entry in locations.values()], update=LOCATION_FIELDS
            )
            fast_delete(Address, "location_id", list(locations))
            fast_delete(LocationAccessibility, "location_id", list(locations))
            fast_insert(Address, [a for e in locations.values() for a in e[1]])
            fast_insert(LocationAccessibility, [a for e in locations.values() for a in e[2]])

        for built in batch:
            # The feed's own time where it gave one, so that re-exporting a feed gives it back
            # unchanged; otherwise the time of this import.
            built.service.created_at = now
            built.service.last_modified = built.last_modified or now
        # What the search index needs, from the rows in hand: the derived flags and search
        # keys are then written with the services instead of by updates afterwards.
        records, fresh = self._index_records(batch, existing, organizations, locations)
        fast_insert(
            Service,
            [built.service for built in batch],
            update=[*SERVICE_FIELDS, *INDEX_FIELDS],
        )
        for model in CHILD_MODELS:
            fast_delete(model, "service_id", stored)
        through = Service.categories.through
        fast_delete(through, "service_id", stored)
        fast_insert(ServiceAtLocation, [r for b in batch for r in b.service_at_locations])
        fast_insert(Schedule, [r for b in batch for r in b.schedules])
        fast_insert(Phone, [r for b in batch for r in b.phones])
        fast_insert(ServiceArea, [r for b in batch for r in b.service_areas])
        fast_insert(ServiceLanguage, [r for b in batch for r in b.languages])
        fast_insert(CostOption, [r for b in batch for r in b.cost_options])
        fast_insert(Contact, [r for b in batch for r in b.contacts])
        fast_insert(RequiredDocument, [r for b in batch for r in b.required_documents])
        # A row stored already as the organisation's alone now belongs to the service too.
        fast_insert(
            Funding,
            [r for b in batch for r in b.funding],
            update=["service", "organization", "source", "sort_order"],
        )
        fast_insert(
            through,
            [
                new_row(through, service_id=b.service.pk, taxonomyterm_id=term)
                for b in batch
                for term in b.term_ids
            ],
        )
        if not self.dry_run:
            # One call per batch: it writes the index in bulk.
            indexing.index_services(ids, records=records, fresh=fresh)
            if self.admin_search:
                update_admin_search(Service, ids)
                update_admin_search(Organization, list(organizations))
                update_admin_search(Location, list(locations))
        if self.origin is not None:
            fast_insert(
                ServiceOrigin,
                [self._origin_row(built) for built in batch],
                update=ORIGIN_FIELDS,
            )
        return len(ids) - len(existing), len(existing), set(organizations), len(unchanged)

    def _claim_funding(self, batch):
        """Funding ids are often an organisation's, repeated on each of its services: a row
        is kept for the first service that lists it (in this batch, or stored already), and
        left out of the others with a warning, the services kept."""
        ids = [row.pk for built in batch for row in built.funding]
        stored = dict(stored_owners(Funding, ids)) if ids else {}
        services = {built.service.pk for built in batch}
        owners = {pk: owner for pk, owner in stored.items() if owner not in (None, *services)}
        for built in batch:
            kept = []
            for row in built.funding:
                owner = owners.setdefault(row.pk, built.service.pk)
                if owner == built.service.pk:
                    kept.append(row)
                    continue
                self.report.add(
                    "warning",
                    built.index,
                    str(built.service.pk),
                    f"funding[{row.sort_order}].id",
                    f"{row.pk} is service {owner}'s funding already; left out here.",
                )
            built.funding = kept

    def _write_organization_children(self, organization_ids, programs, funding):
        """The programmes and funding the organisations written list. An organisation's own
        funding is replaced by what the feed lists; a row that belongs to a service as well
        keeps that link. Programmes are added and updated, never deleted by an import (like
        organisations and places, services elsewhere may name them)."""
        if organization_ids:
            Funding.objects.filter(
                organization_id__in=id_set(organization_ids), service__isnull=True
            ).delete()
        fast_insert(
            Funding, {row.pk: row for row in funding}.values(), update=["organization", "source"]
        )
        fast_insert(Program, {row.pk: row for row in programs}.values(), update=PROGRAM_FIELDS)

    def _link_programs(self, batch):
        """Each service's programme, when it is stored and its organisation's; one not known
        yet is linked at the end (`_finish`), and reported if it never is."""
        wanted = {built.program_id for built in batch if built.program_id is not None}
        owners = dict(
            Program.objects.filter(pk__in=id_set(wanted)).values_list("pk", "organization_id")
            if wanted
            else ()
        )
        for built in batch:
            service = built.service
            program_id, service.program_id = built.program_id, None
            if program_id is None:
                continue
            owner = owners.get(program_id)
            if owner is None:
                self.pending_programs[service.pk] = (program_id, built.index)
            elif owner != service.organization_id:
                self._other_organisations_program(service.pk, program_id, built.index)
            else:
                service.program_id = program_id

    def _other_organisations_program(self, service_id, program_id, index):
        self.report.add(
            "warning",
            index,
            str(service_id),
            "program_id",
            f"programme {program_id} is another organisation's; the service is kept without "
            "a programme.",
        )

    def _origin_row(self, built):
        return new_row(
            ServiceOrigin,
            service_id=built.service.pk,
            source_id=self.origin.source_id,
            feed_name=self.origin.name[:200],
            feed_url=self.origin.url[:2000],
            id_in_feed=built.id_in_feed,
            fetched_at=self.origin.fetched_at or timezone.now(),
            content_hash=built.content_hash,
        )

    def _unchanged(self, by_id):
        """Ids of services the feed gives exactly as when last imported from it; only when
        they were fetched is noted."""
        # Found by id alone and the feed compared here: with `feed_name` in the query, SQLite
        # (which has no statistics before an ANALYZE) read the rows by that column's index,
        # every service imported from the feed so far, for each batch.
        stored = ServiceOrigin.objects.filter(pk__in=id_set(list(by_id))).values_list(
            "pk", "feed_name", "content_hash"
        )
        same = [
            pk
            for pk, feed_name, digest in stored
            if digest and feed_name == self.origin.name and by_id[pk].content_hash == digest
        ]
        if same:
            ServiceOrigin.objects.filter(pk__in=id_set(same)).update(
                fetched_at=self.origin.fetched_at or timezone.now()
            )
        return same

    def _index_records(self, batch, existing, organizations, locations):
        """indexing.ServiceRecord of each service of the batch, its derived flags set on the
        service and its search key on both (new services get theirs here); and the ids of the
        services indexed for the first time."""
        names = {pk: org.name for pk, org in organizations.items()}
        missing = {b.service.organization_id for b in batch} - set(names)
        if missing:
            names.update(
                Organization.objects.filter(pk__in=id_set(missing)).values_list("pk", "name")
            )
        records = {}
        for built in batch:
            service = built.service
            service.search_key = existing.get(service.pk)
            org_id = service.organization_id
            records[service.pk] = indexing.ServiceRecord.of(
                service,
                SimpleNamespace(pk=org_id, name=names[org_id]) if org_id in names else None,
                built.term_ids,
                built.schedules,
                built.service_areas,
                built.phones,
                [locations[sal.location_id][0] for sal in built.service_at_locations],
            )
        fresh = indexing.assign_keys(records, stored=False)
        for built in batch:
            record = records[built.service.pk]
            record.open_24_7, record.reaches_anywhere = record.derived_flags()
            built.service.open_24_7 = record.open_24_7
            built.service.reaches_anywhere = record.reaches_anywhere
            built.service.search_key = record.search_key
        return records, fresh

    def _check_clashes(self, batch, check_stored):
        """Child ids twice in this batch, and with `check_stored` ids that belong to another
        service already stored. A batch is written without the second check: such an id
        makes the database refuse the batch (primary keys are unique), and each record is
        then written on its own with the check, which names the id and its owner."""
        owners = {}
        for built in batch:
            for model, pk in built.child_ids():
                if model in (Location, Address, LocationAccessibility):
                    continue
                owner = owners.setdefault((model, pk), built.service.pk)
                if owner != built.service.pk:
                    raise IntegrityError(f"{model._meta.model_name} {pk} is in two services")
        services = {built.service.pk for built in batch}
        for model in CHILD_MODELS if check_stored else ():
            pks = [pk for (m, pk) in owners if m is model]
            for pk, service_id in stored_owners(model, pks):
                if service_id not in services:
                    raise IntegrityError(
                        f"{model._meta.model_name} {pk} belongs to another service ({service_id})."
                    )

    def _fill_coordinates(self, location, addresses):
        """Coordinates from the address where the feed gave none; False if they were needed
        and could not be found."""
        if location.has_coordinates or location.location_type == LocationType.VIRTUAL:
            return True
        address = next(
            (a for a in addresses if a.address_type == LocationType.PHYSICAL),
            addresses[0] if addresses else None,
        )
        if address is None:
            return True
        try:
            location.latitude, location.longitude = coordinates_for(address)
        except GeocodeError:
            return False
        return True

    def _write_terms(self, batch):
        for built in batch:
            for data in built.terms:
                term_id = str(data["id"]) if data.get("id") else None
                if term_id is None or self.written_terms.get(term_id) == data:
                    continue
                self._write_term(data, built.index)
                self.written_terms[term_id] = data

    def _write_term(self, data, index):
        taxonomy = self._taxonomy_for(data, index)
        term_id = uuid.UUID(str(data["id"]))
        code = slugify(str(data.get("code") or data.get("name")))[:100] or "term"
        if TaxonomyTerm.objects.filter(taxonomy=taxonomy, code=code).exclude(pk=term_id).exists():
            new_code = f"{code[:91]}-{str(term_id)[:8]}"
            self.report.add(
                "warning",
                index,
                str(term_id),
                "taxonomy_term.code",
                f"code “{code}” is taken by another term in {taxonomy}; stored as {new_code}.",
            )
            code = new_code
        values = {
            "taxonomy": taxonomy,
            "code": code,
            "name": strip_tags(str(data.get("name") or "")),
            "description": strip_tags(str(data.get("description") or "")),
            "term_uri": data.get("term_uri") or "",
            "language": data.get("language") or "",
        }
        parent_id = uuid.UUID(str(data["parent_id"])) if data.get("parent_id") else None
        if parent_id is not None and parent_id != term_id and self._term_exists(parent_id):
            # Linked now, so that the services filed under the term are indexed under its
            # parent too; a parent further on in the feed is linked at the end (_finish).
            values["parent_id"] = parent_id
        elif parent_id is not None:
            self.pending_term_parents[term_id] = parent_id
        term = TaxonomyTerm.objects.filter(pk=term_id).first()
        if term is None:
            TaxonomyTerm.objects.create(id=term_id, **values)
        elif any(getattr(term, name) != value for name, value in values.items()):
            # Saving an unchanged term would reindex every service that uses it.
            for name, value in values.items():
                setattr(term, name, value)
            term.save()

    def _taxonomy_for(self, data, index):
        detail = data.get("taxonomy_detail") or {}
        taxonomy_id = detail.get("id") or data.get("taxonomy_id")
        name = detail.get("name") or data.get("taxonomy") or "Imported terms"
        if taxonomy_id:
            taxonomy = Taxonomy.objects.filter(pk=taxonomy_id).first()
            if taxonomy is not None:
                if detail and (taxonomy.name, taxonomy.uri, taxonomy.version) != (
                    detail.get("name"),
                    detail.get("uri") or "",
                    detail.get("version") or "",
                ):
                    same_name = Taxonomy.objects.filter(name=detail["name"]).exclude(pk=taxonomy.pk)
                    if not same_name.exists():
                        taxonomy.name = detail["name"]
                    taxonomy.description = detail.get("description") or ""
                    taxonomy.uri = detail.get("uri") or ""
                    taxonomy.version = detail.get("version") or ""
                    taxonomy.save()
                return taxonomy
        by_name = Taxonomy.objects.filter(name=name).first()
        if by_name is not None:
            if taxonomy_id:
                self.report.add(
                    "warning",
                    index,
                    str(data.get("id")),
                    "taxonomy_term.taxonomy_id",
                    f"taxonomy {taxonomy_id} is not known; the term joins the taxonomy "
                    f"named “{name}”.",
                )
            return by_name
        return Taxonomy.objects.create(
            id=uuid.UUID(str(taxonomy_id)) if taxonomy_id else uuid.uuid4(),
            name=name,
            description=detail.get("description") or "",
            uri=detail.get("uri") or "",
            version=detail.get("version") or "",
        )

    def _finish(self):
        """Links that could only be made once everything was read: parents of terms and orgs."""
        moved = []
        for term_id, parent_id in self.pending_term_parents.items():
            if parent_id != term_id and TaxonomyTerm.objects.filter(pk=parent_id).exists():
                if (
                    TaxonomyTerm.objects.filter(pk=term_id)
                    .exclude(parent_id=parent_id)
                    .update(parent_id=parent_id)
                ):
                    moved.append(term_id)
            else:
                self.report.add(
                    "warning",
                    None,
                    str(term_id),
                    "taxonomy_term.parent_id",
                    f"parent term {parent_id} is not in the feed or here; no parent set.",
                )
        if moved and not self.dry_run:
            # Their services were indexed without the new parents; a term's descendants'
            # services likewise.
            codes = TaxonomyTerm.objects.filter(pk__in=moved).values_list("code", flat=True)
            beneath = expand_categories(codes)
            filed = Service.objects.filter(categories__in=beneath).values_list("pk", flat=True)
            indexing.index_services(filed.distinct())
        for location_id, org_id in self.pending_location_organizations.items():
            if Organization.objects.filter(pk=org_id).exists():
                Location.objects.filter(pk=location_id).update(organization_id=org_id)
            else:
                self.report.add(
                    "warning",
                    None,
                    str(location_id),
                    "location.organization_id",
                    f"organisation {org_id} is not in the feed or here; the location is kept "
                    "without one.",
                )
        for service_id, (program_id, index) in self.pending_programs.items():
            organization_id = (
                Service.objects.filter(pk=service_id).values_list("organization_id", flat=True)
            ).first()
            if organization_id is None:
                continue  # the record was refused after all
            owner = (
                Program.objects.filter(pk=program_id).values_list("organization_id", flat=True)
            ).first()
            if owner == organization_id:
                Service.objects.filter(pk=service_id).update(program_id=program_id)
            elif owner is not None:
                self._other_organisations_program(service_id, program_id, index)
            else:
                self.report.add(
                    "warning",
                    index,
                    str(service_id),
                    "program_id",
                    f"programme {program_id} is not in the feed or here; the service is kept "
                    "without a programme.",
                )
        for org_id, parent_id in self.pending_parents.items():
            if Organization.objects.filter(pk=parent_id).exists():
                Organization.objects.filter(pk=org_id).update(parent_organization_id=parent_id)
            else:
                self.report.add(
                    "warning",
                    None,
                    str(org_id),
                    "organization.parent_organization_id",
                    f"parent organisation {parent_id} is not in the feed or here; not linked.",
                )
