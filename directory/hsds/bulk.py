"""Writing many rows at once: inserts, upserts and deletes by raw SQL, and batch transactions."""

import functools
import operator
import uuid
from contextlib import contextmanager

from django.db import connection, transaction

from directory import indexing
from directory.search.idset import id_set

# -- raw bulk writes -------------------------------------------------------------------------
#
# Django's bulk_create compiles every value of every row through the ORM; for an import of a
# hundred thousand services that is most of the time spent writing. These write the same rows
# with one prepared statement (SQLite) or multi-row VALUES (PostgreSQL), converting only the
# values whose database form differs from the Python one. No signals are sent, as with
# bulk_create; auto_now fields are filled by the caller.

PLAIN_TYPES = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "EmailField",
    "FloatField",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
    "URLField",
}


def _converter(field):
    target = field.target_field if field.is_relation else field
    kind = target.get_internal_type()
    if kind in PLAIN_TYPES:
        return None
    if kind in ("DateField", "TimeField") and connection.vendor == "sqlite":
        return str  # what Django's SQLite backend stores for a date or a naive time
    if kind == "DateTimeField":
        # Most rows of a batch share the time of the import: convert each value once.
        return functools.lru_cache(maxsize=256)(
            lambda value: field.get_db_prep_save(value, connection)
        )
    if kind == "UUIDField":
        if connection.features.has_native_uuid_field:
            return None
        return lambda value: value.hex if isinstance(value, uuid.UUID) else value
    return lambda value: field.get_db_prep_save(value, connection)


def _columns(model):
    """(column, attname, converter) of every concrete field but an automatic primary key."""
    return [
        (field.column, field.attname, _converter(field))
        for field in model._meta.concrete_fields
        if not (field.primary_key and field.get_internal_type() in ("AutoField", "BigAutoField"))
    ]


def _reader(names):
    """A function giving an object's attributes `names` as a tuple."""
    if len(names) == 1:
        (name,) = names
        return lambda obj: (getattr(obj, name),)
    return operator.attrgetter(*names)


def _rows(objects, columns):
    """Each object's values in the order of `columns`, converted where the database's form
    differs: one C call reads a row's values, and only the columns that need it are
    converted."""
    read = _reader([attname for _column, attname, _convert in columns])
    converting = [(i, convert) for i, (_c, _a, convert) in enumerate(columns) if convert]
    if not converting:
        return [read(obj) for obj in objects]
    rows = []
    for obj in objects:
        row = list(read(obj))
        for i, convert in converting:
            value = row[i]
            if value is not None:
                row[i] = convert(value)
        rows.append(row)
    return rows


def fast_insert(model, objects, update=None):
    """Insert model instances; with `update` (field names), update those fields of rows whose
    id is already stored instead (an upsert by primary key).

    Plain inserts go to PostgreSQL with COPY, upserts through a staging table; on SQLite, rows
    go in multi-row statements as large as it allows (indexing.sqlite_insert)."""
    objects = list(objects)
    if not objects:
        return
    qn = connection.ops.quote_name
    columns = _columns(model)
    names = ", ".join(qn(column) for column, _a, _c in columns)
    table = qn(model._meta.db_table)
    rows = _rows(objects, columns)
    conflict = ""
    if update:
        sets = ", ".join(
            f"{qn(c)} = EXCLUDED.{qn(c)}" for c in (model._meta.get_field(n).column for n in update)
        )
        conflict = f" ON CONFLICT ({qn(model._meta.pk.column)}) DO UPDATE SET {sets}"
    if connection.vendor == "postgresql":
        if update:
            _copy_upsert(model, table, names, rows, conflict)
        else:
            indexing.copy_rows(f"COPY {table} ({names}) FROM STDIN", rows)
        return
    indexing.sqlite_insert(table, names, len(columns), rows, conflict)


def _copy_upsert(model, table, names, rows, conflict):
    """An upsert on PostgreSQL: the rows are copied into a temporary table shaped like the
    model's, then inserted from it in one statement. A multi-row INSERT would send every value
    as a parameter of a query text that the driver has to build anew each time."""
    qn = connection.ops.quote_name
    staging = qn(f"import_{model._meta.db_table}")
    with transaction.atomic(), connection.cursor() as cursor:
        # Dropped at commit, and at once below, so each call starts from an empty table.
        cursor.execute(
            f"CREATE TEMPORARY TABLE {staging} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP"
        )
        indexing.copy_rows(f"COPY {staging} ({names}) FROM STDIN", rows)
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM {staging}{conflict}"  # noqa: S608
        )
        cursor.execute(f"DROP TABLE {staging}")


def update_admin_search(model, ids):
    """Index these rows in Wagtail's search backends (what its post_save handler would do)."""
    from wagtail.search.backends import get_search_backends

    if not ids:
        return
    backends = list(get_search_backends(with_auto_update=True))
    if not backends:
        return
    objects = list(model.get_indexed_objects().filter(pk__in=ids))
    for backend in backends:
        backend.add_bulk(model, objects)


def stored_owners(model, pks):
    """(id, service id) of the stored rows of `model` with these ids."""
    if not pks:
        return []
    return list(model.objects.filter(pk__in=id_set(pks)).values_list("pk", "service_id"))


def fast_delete(model, column, ids):
    """Delete the rows of `model` whose `column` is one of `ids` (no signals, no cascades)."""
    field = model._meta.get_field(column.removesuffix("_id"))
    convert = _converter(field)
    values = [value if convert is None else convert(value) for value in ids]
    qn = connection.ops.quote_name
    if not values:
        return
    sql = f"DELETE FROM {qn(model._meta.db_table)} WHERE {qn(field.column)} "  # noqa: S608
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql + "= ANY(%s)", [values])  # one array parameter
        return
    # In as few statement shapes as inserts, for SQLite's cache of prepared statements.
    for size, starts in indexing.sqlite_pieces(len(values)):
        indexing.sqlite_executemany(
            sql + f"IN ({', '.join(['?'] * size)})",
            [values[first : first + size] for first in starts],
        )


# The most memory SQLite is to hold while importing (its page cache most of it), in bytes; see
# `_sqlite_settings`.
IMPORT_SQLITE_HEAP = 160 * 1024 * 1024


@contextmanager
def _sqlite_settings():
    """On SQLite, while importing: no memory-mapped reads, the page cache that indexing uses
    for its bulk writes kept for the whole import, and SQLite's memory held to
    `IMPORT_SQLITE_HEAP` (`PRAGMA soft_heap_limit`, for the process; set back afterwards).

    An import writes pages all over the search index and reads few of them again, so
    mapping the file only grows the process by the size of the database (searches keep
    their mapping; see directory/signals.py); and a cache that shrank between batches would
    read the index's pages back for every batch. That cache (`indexing.SQLITE_CACHE_KB`, 256
    MB) fills once the database outgrows it, which made the peak RSS of a 100,000-service import
    about 570 MB; under the heap limit SQLite reuses its cached pages instead of adding more
    (a dirty one is first written to the log, as when a transaction outgrows the cache), and
    the pages it drops stay in the operating system's file cache. Measured on the benchmark's
    feed of 100,000 services: 432 MB instead of 571 MB, with the same CPU time (79.6 s against
    76.7 s, one run each on a busy machine)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA mmap_size")
        (mmap_size,) = cursor.fetchone() or (0,)
        cursor.execute("PRAGMA cache_size")
        (cache_size,) = cursor.fetchone()
        cursor.execute("PRAGMA soft_heap_limit")
        (heap_limit,) = cursor.fetchone()
        cursor.execute("PRAGMA mmap_size = 0")
        cursor.execute(f"PRAGMA cache_size = {-indexing.SQLITE_CACHE_KB}")
        if not 0 < heap_limit <= IMPORT_SQLITE_HEAP:
            cursor.execute(f"PRAGMA soft_heap_limit = {IMPORT_SQLITE_HEAP}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA mmap_size = {int(mmap_size)}")
            cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")
            cursor.execute(f"PRAGMA soft_heap_limit = {int(heap_limit)}")


@contextmanager
def _batch_transaction():
    """One batch's transaction. On PostgreSQL its commit does not wait for the write-ahead
    log to reach the disk: a crash could lose the last batches written, never corrupt them,
    and the import, which can be run again, is not over until a commit that does wait (the
    final one of `Importer.run`, whose flush takes every batch before it too). Inside a
    caller's transaction (a dry run, say) the caller's commit is left as it is."""
    own = not connection.in_atomic_block
    with transaction.atomic():
        if own and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield
