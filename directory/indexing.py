"""Keeping search in step with the data: derived flags, the search index and external engines.

Called when a service, its organisation, a location or a taxonomy term changes, by the HSDS
importer (once per batch of a few thousand services) and by
`manage.py rebuild_directory_index`. Inside `deferred()` the services saved are indexed once,
together, when the block ends.

The database engine's index is four tables, all rewritten per service in bulk:
- the text index (`directory.search.fulltext`: FTS5 on SQLite, a tsvector on PostgreSQL):
  each service's search terms by field, under its search key;
- `ServiceCategory`: each active service under its terms and their ancestors, with its name;
- `SearchPoint`: each active service's locations with coordinates, denormalised for
  searches near a place (see `directory.search.points`).

Services are read with a handful of plain queries per batch (no model instance per row or
per term) and the rows are written with multi-row inserts (`COPY` on PostgreSQL). Lists of
ids go to the database as one parameter (`directory.search.idset`), however many there are.
"""

import contextvars
import datetime as dt
import gc
import hashlib
import logging
import sqlite3
from contextlib import ExitStack, contextmanager
from types import SimpleNamespace

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django_tasks import task

from core.geo import bounding_box
from directory.areas import BOX_FIELDS
from directory.models import (
    IndexVersion,
    Location,
    Organization,
    Phone,
    Schedule,
    SearchArea,
    SearchCategorySet,
    SearchCell,
    SearchPoint,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCategory,
    TaxonomyTerm,
)
from directory.models.service import ServiceStatus, reaches_anywhere
from directory.schedules import is_open_24_7
from directory.search import fulltext
from directory.search.idset import id_set
from directory.search.points import cell_of, unit_vector
from directory.search.query import ACCESSIBILITY_FEATURES
from directory.search.taxonomy import CategoryNames
from directory.search.text import field_terms

logger = logging.getLogger(__name__)

BATCH_SIZE = 500  # services per batch for external engines, which load model instances
INDEX_BATCH_SIZE = 5000  # services per batch for the database index, read in bulk
SQLITE_MAX_PARAMETERS = 16_384  # values a statement; SQLite's default limit is 32,766
SQLITE_CACHE_KB = 256 * 1024
CATEGORY_SET_CHUNK = 500  # digests looked up a query
# The garbage collector's first threshold during an import or rebuild (`fewer_collections`).
# At 50,000 it ran 65 times in an import of 100,000 services (1.4 CPU s of about 68 on
# SQLite); at 500,000 not once, with the same peak RSS.
FEWER_COLLECTIONS_THRESHOLD = 500_000
SCHEDULE_FIELDS = (
    "closed",
    "valid_from",
    "valid_to",
    "dtstart",
    "freq",
    "interval",
    "opens_at",
    "closes_at",
    "byday",
)
REACHING_AREAS = (ServiceArea.RADIUS, ServiceArea.DISTRICTS, ServiceArea.POLYGON)


def external_engines():
    """Engines that keep their own copy of the data (Elasticsearch, when configured)."""
    if getattr(settings, "DIRECTORY_ELASTICSEARCH_SYNC", False):
        from directory.search.engines.elasticsearch import ElasticsearchEngine

        return [ElasticsearchEngine()]
    return []


def _services_for_indexing(ids):
    """Service instances with what external engines' documents read (Elasticsearch)."""
    return (
        Service.objects.filter(pk__in=id_set(ids))
        .select_related("organization")
        .prefetch_related(
            "categories",
            "languages",
            "service_areas",
            "schedules",
            "phones",
            "service_at_locations__location",
        )
    )


class ServiceRecord:
    """What indexing needs of one service, read in bulk: what `weighted_terms` reads
    (name, organisation, description, the ids of its categories and the taxonomy's names for
    them) and what the derived flags depend on."""

    def __init__(self, row, taxonomy):
        (
            self.pk,
            self.name,
            self.alternate_name,
            self.description,
            self.eligibility_description,
            self.organization_id,
            self.status,
            self.open_24_7,
            self.reaches_anywhere,
            self.search_key,
        ) = row
        self.organization = None
        self.category_ids = []
        self.schedules = []
        self.areas = []  # (extent type, extent, a shape's bounding box or Nones)
        self.locations = []  # (location id, type, latitude, longitude, accessibility flags)
        self.has_phone = False
        self.taxonomy = taxonomy  # a CategoryNames, read once for every batch

    @classmethod
    def of(cls, service, organization, category_ids, schedules, areas, phones, locations):
        """The record of rows in hand rather than read back: `service` (a Service, flags and
        search key as stored), its organisation (anything with pk and name, or None), the
        ids of its categories, its Schedule, ServiceArea and Phone rows, and its Location
        rows in order."""
        record = cls(
            (
                service.pk,
                service.name,
                service.alternate_name,
                service.description,
                service.eligibility_description,
                service.organization_id,
                service.status,
                service.open_24_7,
                service.reaches_anywhere,
                service.search_key,
            ),
            None,
        )
        record.organization = organization
        record.category_ids = list(category_ids)
        record.schedules = list(schedules)
        record.areas = [
            (area.extent_type, area.extent, tuple(getattr(area, name) for name in BOX_FIELDS))
            for area in areas
        ]
        record.has_phone = bool(phones)
        record.locations = [
            (loc.pk, loc.location_type, loc.latitude, loc.longitude)
            + tuple(getattr(loc, name) for name in ACCESSIBILITY_FEATURES)
            for loc in locations
        ]
        return record

    def derived_flags(self):
        """(open_24_7, reaches_anywhere), as Service.refresh_derived_fields computes them."""
        reaches = reaches_anywhere(
            [kind for kind, _extent, _box in self.areas],
            [loc[1] for loc in self.locations],
            self.has_phone,
        )
        return is_open_24_7(self.schedules), reaches


def _load(ids, taxonomy):
    """ServiceRecord for each existing service among `ids`, with everything indexing reads."""
    records = {}
    rows = Service.objects.filter(pk__in=id_set(ids)).values_list(
        "pk",
        "name",
        "alternate_name",
        "description",
        "eligibility_description",
        "organization_id",
        "status",
        "open_24_7",
        "reaches_anywhere",
        "search_key",
    )
    for row in rows:
        records[row[0]] = ServiceRecord(row, taxonomy)
    if not records:
        return records
    keys = id_set(list(records))
    org_ids = {record.organization_id for record in records.values()}
    organizations = {
        pk: SimpleNamespace(pk=pk, name=name)
        for pk, name in Organization.objects.filter(pk__in=id_set(org_ids)).values_list(
            "pk", "name"
        )
    }
    for record in records.values():
        record.organization = organizations.get(record.organization_id)
    through = Service.categories.through
    for service_id, term_id in through.objects.filter(service_id__in=keys).values_list(
        "service_id", "taxonomyterm_id"
    ):
        records[service_id].category_ids.append(term_id)
    for row in Schedule.objects.filter(service_id__in=keys).values_list(
        "service_id", *SCHEDULE_FIELDS
    ):
        fields = dict(zip(SCHEDULE_FIELDS, row[1:], strict=True))
        records[row[0]].schedules.append(SimpleNamespace(**fields))
    for service_id, kind, extent, *box in ServiceArea.objects.filter(
        service_id__in=keys
    ).values_list("service_id", "extent_type", "extent", *BOX_FIELDS):
        records[service_id].areas.append((kind, extent, tuple(box)))
    for service_id in Phone.objects.filter(service_id__in=keys).values_list(
        "service_id", flat=True
    ):
        records[service_id].has_phone = True
    location_fields = ("location_id", "location__location_type", "location__latitude")
    location_fields += (
        "location__longitude",
        *(f"location__{name}" for name in ACCESSIBILITY_FEATURES),
    )
    for row in (
        ServiceAtLocation.objects.filter(service_id__in=keys)
        .order_by("service_id", "sort_order", "pk")
        .values_list("service_id", *location_fields)
    ):
        records[row[0]].locations.append(row[1:])
    return records


def assign_keys(records, stored=True):
    """Give services indexed for the first time their search keys, the next numbers in
    order (see Service.search_key), and return their ids. With `stored=False` the services
    are about to be written, with their keys, by the caller (the HSDS importer)."""
    new = sorted((r for r in records.values() if r.search_key is None), key=_id_order)
    if not new:
        return set()
    # An update of the version row first: on PostgreSQL it holds the row's lock until
    # commit, so that two processes indexing at once take turns and never hand out the same
    # numbers. SQLite has one writer at a time anyway.
    IndexVersion.bump()
    last = Service.objects.aggregate(last=Max("search_key"))["last"] or 0
    for key, record in enumerate(new, start=last + 1):
        record.search_key = key
    if stored:
        _store_keys(new)
    return {record.pk for record in new}


def _store_keys(records):
    """Write the search keys just handed out to these services' rows."""
    pairs = [(record.pk, record.search_key) for record in records]
    table = Service._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} AS s SET search_key = v.key "  # noqa: S608
                "FROM unnest(%s::uuid[], %s::bigint[]) AS v(id, key) WHERE s.id = v.id",
                [[pk for pk, _k in pairs], [key for _p, key in pairs]],
            )
        else:
            prep = Service._meta.pk.get_db_prep_value
            cursor.executemany(
                f"UPDATE {table} SET search_key = %s WHERE id = %s",  # noqa: S608
                [(key, prep(pk, connection)) for pk, key in pairs],
            )


def _refresh_flags(records):
    """Store the derived flags that changed, in one UPDATE per combination of values."""
    changed = {}
    for record in records.values():
        flags = record.derived_flags()
        if flags != (record.open_24_7, record.reaches_anywhere):
            record.open_24_7, record.reaches_anywhere = flags
            changed.setdefault(flags, []).append(record.pk)
    for (open_24_7, reaches), ids in changed.items():
        Service.objects.filter(pk__in=id_set(ids)).update(
            open_24_7=open_24_7, reaches_anywhere=reaches
        )


NO_BOX = (None, None, None, None)


def area_box(kind, extent, box):
    """(south, north, west, east) of a shape (its bounding box) or a radius area "lat, lon,
    km" (its circle's); Nones for other kinds of area."""
    if kind == ServiceArea.POLYGON:
        return box if None not in box else NO_BOX
    if kind == ServiceArea.RADIUS:
        try:
            lat, lon, km = (float(part) for part in extent.split(","))
        except ValueError:
            return NO_BOX
        if -90 <= lat <= 90 and -180 <= lon <= 180 and km >= 0:
            return bounding_box(lat, lon, km)
    return NO_BOX


def _rows(records, taxonomy):
    """(text rows, category rows, point rows, area rows) for these services, to insert."""
    prep = Service._meta.pk.get_db_prep_value
    location_prep = Location._meta.pk.get_db_prep_value
    term_prep = TaxonomyTerm._meta.pk.get_db_prep_value
    texts, categories, points, areas = [], [], [], []
    # Services in search key order, then a stable sort by term below: term rows come out in
    # index order without comparing keys row by row.
    for record in sorted(records.values(), key=_key_order):
        key = prep(record.pk, connection)
        fields = field_terms(record)
        document = fulltext.document(fields)  # the text row's, copied onto the place rows
        texts.append(fulltext.row(record.search_key, fields, document))
        if record.status != ServiceStatus.ACTIVE:
            continue
        closure = taxonomy.closure(record.category_ids)
        categories.extend((key, term_prep(term_id, connection), record.name) for term_id in closure)
        filed = "," + ",".join(term_id.hex for term_id in closure) + "," if closure else ""
        located, seen = [], set()
        for location_id, _type, lat, lon, *flags in record.locations:
            if lat is None or lon is None or location_id in seen:
                continue
            seen.add(location_id)
            located.append(
                (
                    key,
                    location_prep(location_id, connection),
                    lat,
                    lon,
                    filed,
                    record.search_key,
                    *flags,
                )
            )
        # `shared`: the service has other points, so a count must not take each row for a
        # service of its own.
        points.extend((*row, len(located) > 1, document) for row in located)
        # A shape's row has its bounding box, not the shape (see database._covering_shapes).
        reaching = [
            (kind, "" if kind == ServiceArea.POLYGON else extent, box)
            for kind, extent, box in record.areas
            if kind in REACHING_AREAS and (kind != ServiceArea.POLYGON or None not in box)
        ]
        if record.reaches_anywhere:  # national areas included (derived_flags)
            reaching.insert(0, (SearchArea.ANYWHERE, "", NO_BOX))
        areas.extend(
            (
                key,
                kind,
                extent,
                record.name,
                filed,
                *area_box(kind, extent, box),
                record.search_key,
                bool(located),
                document,
            )
            for kind, extent, box in reaching
        )
    # In index order, (term, service) and (term, name, service): each insert then lands next
    # to the one before it in the B-tree.
    rank = {term: position for position, term in enumerate(sorted({row[1] for row in categories}))}
    categories.sort(key=lambda row: (rank[row[1]], row[2]))
    numbers = category_sets(row[4] for row in points)
    points = [
        (*row, numbers[row[4]], *unit_vector(row[2], row[3]), cell_of(row[2], row[3]))
        for row in points
    ]
    return texts, categories, points, areas


def category_sets(values):
    """{categories: its SearchCategorySet number} for these SearchPoint.categories values,
    numbering the sets not met before."""
    digests = {hashlib.sha256(value.encode()).hexdigest(): value for value in set(values)}
    numbers = {}
    for attempt in range(2):
        wanted = [digest for digest in digests if digests[digest] not in numbers]
        for start in range(0, len(wanted), CATEGORY_SET_CHUNK):
            chunk = wanted[start : start + CATEGORY_SET_CHUNK]
            for digest, pk in SearchCategorySet.objects.filter(digest__in=chunk).values_list(
                "digest", "pk"
            ):
                numbers[digests[digest]] = pk
        missing = [digest for digest in wanted if digests[digest] not in numbers]
        if not missing or attempt:
            break
        # Another process may add the same sets meanwhile: theirs are kept, and read back.
        SearchCategorySet.objects.bulk_create(
            [SearchCategorySet(digest=digest, categories=digests[digest]) for digest in missing],
            ignore_conflicts=True,
        )
    return numbers


def _id_order(record):
    return record.pk.int


def _key_order(record):
    return record.search_key


INDEX_MODELS = (ServiceCategory, SearchPoint, SearchArea)
CATEGORY_COLUMNS = ("service_id", "term_id", "name")
AREA_COLUMNS = (
    "service_id",
    "kind",
    "extent",
    "name",
    "categories",
    "min_latitude",
    "max_latitude",
    "min_longitude",
    "max_longitude",
    "service_key",
    "located",
    "document",
)
POINT_COLUMNS = (
    "service_id",
    "location_id",
    "latitude",
    "longitude",
    "categories",
    "service_key",
    *ACCESSIBILITY_FEATURES,
    "shared",
    "document",
    "category_set",
    "x",
    "y",
    "z",
    "cell",
)


def copy_rows(copy_sql, rows):
    """PostgreSQL's COPY of these rows; errors come back as Django's (IntegrityError,
    DataError), as from execute()."""
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(copy_sql) as copy,
    ):
        for row in rows:
            copy.write_row(row)


def insert_rows(model, columns, rows):
    """Multi-row inserts, or COPY on PostgreSQL: no model instance per row. `model` may be
    a table's name."""
    if not rows:
        return
    table = model if isinstance(model, str) else model._meta.db_table
    names = ", ".join(columns)
    if connection.vendor == "postgresql":
        copy_rows(f"COPY {table} ({names}) FROM STDIN", rows)
        return
    sqlite_insert(table, names, len(columns), rows)


def sqlite_parameters():
    """How many values one SQLite statement may bind: the library's limit (32,766 by default
    since SQLite 3.32, 999 before), at most SQLITE_MAX_PARAMETERS."""
    connection.ensure_connection()
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return min(limit, SQLITE_MAX_PARAMETERS)


def sqlite_insert(table, names, width, rows, suffix=""):
    """Rows of `width` values into `table` (quoted column `names`) on SQLite, in statements as
    large as the parameter limit allows; `suffix` follows each (ON CONFLICT ...).

    Few, large statements: a fifth faster than statements of a few hundred rows, and each
    is one call into SQLite, which runs it without Python's global lock (bench/README.md,
    the import's third round). The rows left over after the full statements go in
    statements of a power of two rows each: SQLite keeps the last 128 statements prepared,
    a few MB each at this size, and a statement for every length would fill that cache."""
    if not rows:
        return
    placeholders = "(" + ", ".join(["?"] * width) + ")"
    # Table and column names come from the models, values are parameters.
    head = f"INSERT INTO {table} ({names}) VALUES "  # noqa: S608
    for size, starts in sqlite_pieces(len(rows), width):
        sqlite_executemany(
            head + ", ".join([placeholders] * size) + suffix,
            ([value for row in rows[first : first + size] for value in row] for first in starts),
        )


def sqlite_executemany(sql, param_list):
    """`executemany` of a statement written with SQLite's own `?` placeholders, straight to
    the driver's cursor; database errors come back as Django's (IntegrityError, DataError),
    as from Django's cursor.

    Django's cursor rewrites every statement's `%s` placeholders to `?` with a regular
    expression, each call: for statements of thousands of values, about 2 ms a statement and
    1.3 CPU seconds of an import of 100,000 services. Like COPY on PostgreSQL (`copy_rows`),
    these statements are not in Django's query log."""
    with connection.cursor() as cursor, connection.wrap_database_errors:
        connection.validate_no_broken_transaction()
        cursor.cursor.executemany(sql, param_list)


def sqlite_pieces(count, width=1):
    """How `count` rows of `width` values go to SQLite: (rows a statement, the first row of
    each such statement), as many of the largest power of two rows the parameter limit
    allows as fit, then one statement of each power of two that the rest needs. So every
    table has a few statement shapes, however many rows its batches have (sqlite_insert)."""
    most = 1 << (max(1, sqlite_parameters() // width).bit_length() - 1)
    start = 0
    while start < count:
        size = min(most, 1 << ((count - start).bit_length() - 1))
        whole = start + (count - start) // size * size
        yield size, range(start, whole, size)
        start = whole


def _write_index(ids, records, taxonomy, fresh):
    """Replace the index rows of these services; those `fresh` (indexed for the first time,
    their search keys handed out just now) have none to remove."""
    IndexVersion.take_turns()
    ids = [pk for pk in ids if pk not in fresh]
    keys = id_set(ids)
    if ids:
        fulltext.delete([r.search_key for r in records.values() if r.pk not in fresh])
    for model in INDEX_MODELS if ids else ():
        model.objects.filter(service_id__in=keys)._raw_delete(model.objects.db)
    texts, categories, points, areas = _rows(records, taxonomy)
    insert_rows(fulltext.TEXT_TABLE, fulltext.columns(), texts)
    insert_rows(ServiceCategory, CATEGORY_COLUMNS, categories)
    insert_rows(SearchPoint, POINT_COLUMNS, points)
    insert_rows(SearchArea, AREA_COLUMNS, areas)


def _index_batch(ids, taxonomy):
    records = _load(ids, taxonomy)
    fresh = assign_keys(records)
    _refresh_flags(records)
    _write_index(ids, records, taxonomy, fresh)
    return records


@contextmanager
def _bulk_writes():
    """On SQLite, a page cache large enough for the index B-trees while writing in bulk
    (the default 2 MB makes every insert into a large index a read from disk)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KB}")
        try:
            yield
        finally:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


# The ids of services saved inside `deferred()`, in this context; None outside one.
_waiting = contextvars.ContextVar("directory_indexing_waiting", default=None)


@contextmanager
def deferred():
    """Index the services saved inside the block once, together, when it ends without an
    error, instead of at every save.

    A service built row by row (the service, its categories, its locations, each a save)
    is otherwise indexed once per row. Inside the block searches, flags and search keys lag
    behind the data until it ends; a block inside another joins it. Only this thread (and
    context) waits: a save by another one, such as a live server's, is indexed at once."""
    if _waiting.get() is not None:
        yield
        return
    waiting = {}
    token = _waiting.set(waiting)
    try:
        yield
    finally:
        _waiting.reset(token)
    index_services(waiting)


def index_services(ids, records=None, fresh=frozenset()):
    """Recompute flags and the search index for these services (any number of them; ids of
    services that no longer exist just lose their rows), and update external engines on
    commit; inside `deferred()`, when the block ends.

    A caller that has just written the services may pass their `records` ({id: ServiceRecord.of
    ...}, search keys given by `assign_keys`, derived flags as written with the services,
    from `ServiceRecord.derived_flags`) and the ids of those written for the first time
    (`fresh`, which have no rows to remove) instead of having them read back."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return
    waiting = _waiting.get()
    if waiting is not None:
        waiting.update(dict.fromkeys(ids))
        return
    taxonomy = CategoryNames()
    with _bulk_writes(), transaction.atomic():
        if records is not None:
            for record in records.values():
                record.taxonomy = taxonomy
            _write_index(ids, records, taxonomy, fresh)
        else:
            for start in range(0, len(ids), INDEX_BATCH_SIZE):
                _index_batch(ids[start : start + INDEX_BATCH_SIZE], taxonomy)
        IndexVersion.bump()
    engines = external_engines()
    if engines:
        transaction.on_commit(lambda: _sync_external(ids, engines))


def remove_terms(ids):
    """Drop the text index rows of these services, before the services are deleted (the
    rows are filed under their search keys, which go with them)."""
    keys = Service.objects.filter(pk__in=id_set(ids), search_key__isnull=False)
    fulltext.delete(list(keys.values_list("search_key", flat=True)))


def remove_services(ids):
    ids = list(ids)
    IndexVersion.bump()
    engines = external_engines()
    if engines:
        transaction.on_commit(lambda: [engine.delete_services(ids) for engine in engines])


def _sync_external(ids, engines):
    for engine in engines:
        try:
            engine.index_services(ids)
        except Exception:  # the database stays right; a rebuild brings the engine back in step
            logger.exception("Could not update %s for %d services", engine.name, len(ids))


@contextmanager
def fewer_collections():
    """During a bulk import or index rebuild: Python's cyclic garbage collector run less
    often, and never over what existed before (Django, the app).

    These make millions of small objects, most of them kept until their batch is written;
    with the default thresholds the collector runs every 700 of them and often walks the
    whole heap: a sixth (SQLite) to nearly half (PostgreSQL) of the importing process's CPU
    time. Rows hold no reference cycles, so there is little for it to find: the first
    threshold is raised to `FEWER_COLLECTIONS_THRESHOLD`. Python counts the objects made
    less those freed, and a batch's rows are freed once it is written, so an import in
    batches of the default size stays under it and the collector runs only when objects
    pile up (larger batches, or something keeping them)."""
    frozen = gc.get_freeze_count()
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(threshold[0], FEWER_COLLECTIONS_THRESHOLD), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        if not frozen:
            gc.unfreeze()


def rebuild(progress=None, engines=None):
    """Rebuild the search index (and external engines) for every service, in batches."""
    with fewer_collections():
        return _rebuild(progress, engines)


def _rebuild(progress, engines):
    ids = list(Service.objects.order_by("pk").values_list("pk", flat=True))
    engines = external_engines() if engines is None else engines
    taxonomy = CategoryNames()
    with transaction.atomic():
        fulltext.delete()
        # The cell counts first: the points' triggers then have none to take from.
        for model in (SearchCell, *INDEX_MODELS):
            model.objects.all()._raw_delete(model.objects.db)
    # Each external engine fills a new index, searched only once it is whole.
    with ExitStack() as rebuilding, _bulk_writes():
        for engine in engines:
            rebuilding.enter_context(engine.rebuilding())
        for start in range(0, len(ids), INDEX_BATCH_SIZE):
            batch = ids[start : start + INDEX_BATCH_SIZE]
            with transaction.atomic():
                _index_batch(batch, taxonomy)
            for engine in engines:
                engine.index_services(batch)
            if progress:
                progress(len(batch))
    IndexVersion.bump()
    analyze()
    return len(ids)


def drop_text_without_services():
    """Empty the text index when no service is left (a flushed or emptied database): it is
    kept by SQL of its own, outside the tables Django empties, and a new service given a
    search key again would find the old row in its way."""
    if fulltext.TEXT_TABLE not in connection.introspection.table_names():
        return  # not migrated this far yet
    if not Service.objects.exists():
        fulltext.delete()


def fill_if_empty(log=None):
    """Rebuild the index when it holds nothing while services exist: a database migrated
    from a version that kept the index in other tables, or restored without them.

    Run after every `migrate`; costs two small queries when the index is already there.
    """
    tables = set(connection.introspection.table_names())
    if not all(model._meta.db_table in tables for model in (Service, *INDEX_MODELS)):
        return 0  # not migrated this far yet
    if SearchPoint.objects.exists() or SearchArea.objects.exists():
        return 0
    if not Service.objects.filter(status=ServiceStatus.ACTIVE).exists():
        return 0
    count = rebuild(engines=[])
    if log:
        log(f"Directory: search index rebuilt for {count} services")
    return count


def analyze():
    """Refresh the query planner's statistics after a bulk change (SQLite never does it
    itself; PostgreSQL's autovacuum would, later). The services too: a rebuild that hands
    out search keys updates every row, and on PostgreSQL the old versions would stay in the
    way of searches until autovacuum came round."""
    if connection.vendor == "sqlite":
        command = "ANALYZE"
    elif connection.vendor == "postgresql" and not connection.in_atomic_block:
        command = "VACUUM (ANALYZE)"
    else:
        return
    with connection.cursor() as cursor:
        tables = [model._meta.db_table for model in (*INDEX_MODELS, SearchCell, Service)]
        if connection.vendor == "postgresql":
            tables.append(fulltext.TEXT_TABLE)
        for table in tables:
            cursor.execute(f"{command} {table}")


# Opening hours that start within this many days are looked at by the daily refresh, so that
# a day or two without the scheduler still catches them.
HOURS_STARTED_DAYS = 7


def refresh_hours_started():
    """Work out again the flags (and index) of the services with opening hours that started
    in the last HOURS_STARTED_DAYS days, since `open_24_7` counts hours only from their
    start; how many services were looked at."""
    today = timezone.localdate()
    since = today - dt.timedelta(days=HOURS_STARTED_DAYS)
    started = Q(valid_from__gt=since, valid_from__lte=today) | Q(
        dtstart__gt=since, dtstart__lte=today
    )
    ids = list(Schedule.objects.filter(started).values_list("service_id", flat=True).distinct())
    index_services(ids)
    return len(ids)


@task()
def refresh_hours_started_task():
    """The scheduled job (SCHEDULE["refresh_hours_started"])."""
    return refresh_hours_started()
