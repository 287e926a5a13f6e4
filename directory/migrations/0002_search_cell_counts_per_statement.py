"""On PostgreSQL, the grid's counts (directory_searchcell) are kept by statement triggers
that read the points each statement wrote from its transition tables and change each count
once, by the number of its points, instead of a trigger run for every point: an import's
COPY of 2,000 services' points changes a count row once, not once per point.

PostgreSQL allows transition tables only on a trigger of one event with no column list, so
there is one trigger for each event; on UPDATE only the points whose counted columns changed
are moved. SQLite has no statement triggers and keeps its row triggers (0001)."""

from importlib import import_module

from django.db import migrations

POINTS = "directory_searchpoint"
CELLS = "directory_searchcell"
CELL_KEY = "(cell, category_set, owner)"
OWNER = "CASE WHEN {0}.shared THEN {0}.service_id::text ELSE '' END"
# The counted columns: a point whose cell, category set, sharing or service changes moves.
MOVED = (
    "(o.cell, o.category_set, o.shared, o.service_id) "
    "IS DISTINCT FROM (n.cell, n.category_set, n.shared, n.service_id)"
)


def _counts(points, row, where=""):
    """Count rows' keys and numbers of `points` (a FROM clause whose point is `row`)."""
    return (
        f"SELECT {row}.cell, {row}.category_set, {OWNER.format(row)} AS owner, "  # noqa: S608
        f"count(*) AS services FROM {points} "
        f"WHERE {row}.cell IS NOT NULL AND {row}.category_set IS NOT NULL {where} "
        "GROUP BY 1, 2, 3"
    )


def _take(points, row, where=""):
    # Names and SQL made here, no values.
    counts = _counts(points, row, where)
    return (
        f"UPDATE {CELLS} SET services = {CELLS}.services - gone.services "  # noqa: S608
        f"FROM ({counts}) gone WHERE {CELLS}.cell = gone.cell "
        f"AND {CELLS}.category_set = gone.category_set AND {CELLS}.owner = gone.owner; "
        f"DELETE FROM {CELLS} USING ({counts}) gone WHERE {CELLS}.services <= 0 "
        f"AND {CELLS}.cell = gone.cell AND {CELLS}.category_set = gone.category_set "
        f"AND {CELLS}.owner = gone.owner;"
    )


def _add(points, row, where=""):
    return (
        f"INSERT INTO {CELLS} (cell, category_set, owner, services) "  # noqa: S608
        f"{_counts(points, row, where)} "
        f"ON CONFLICT {CELL_KEY} DO UPDATE SET services = {CELLS}.services + EXCLUDED.services;"
    )


def _function(name, body):
    return (
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n    {body}\n    RETURN NULL;\nEND\n$$"
    )


MOVED_FROM = "old_points o JOIN new_points n ON n.id = o.id"
STATEMENT_TRIGGERS = [
    f"DROP TRIGGER {CELLS}_count ON {POINTS}",
    f"DROP FUNCTION {CELLS}_count()",
    _function(f"{CELLS}_add", _add("new_points n", "n")),
    _function(f"{CELLS}_take", _take("old_points o", "o")),
    _function(
        f"{CELLS}_move",
        _take(MOVED_FROM, "o", f"AND {MOVED}") + "\n    " + _add(MOVED_FROM, "n", f"AND {MOVED}"),
    ),
    f"CREATE TRIGGER {CELLS}_add AFTER INSERT ON {POINTS} REFERENCING NEW TABLE AS new_points "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {CELLS}_add()",
    f"CREATE TRIGGER {CELLS}_take AFTER DELETE ON {POINTS} REFERENCING OLD TABLE AS old_points "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {CELLS}_take()",
    f"CREATE TRIGGER {CELLS}_move AFTER UPDATE ON {POINTS} "
    "REFERENCING OLD TABLE AS old_points NEW TABLE AS new_points "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {CELLS}_move()",
]


ROW_TRIGGER = [
    *(f"DROP TRIGGER {CELLS}_{event} ON {POINTS}" for event in ("add", "take", "move")),
    *(f"DROP FUNCTION {CELLS}_{event}()" for event in ("add", "take", "move")),
    # 0001's function and row trigger, as 0001 makes them.
    *import_module("directory.migrations.0001_initial")._postgresql_cell_triggers()[:2],
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(_run(STATEMENT_TRIGGERS), _run(ROW_TRIGGER))]
