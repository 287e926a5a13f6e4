"""Grid cells for searches near a place: each search point carries its cell
(`SearchPoint.cell`, `directory.search.points.cell_of`) and `SearchCell` counts the points of
each cell per set of categories (and per service, for services with several points). The
counts are kept by triggers on the points' table on both databases, so that every way of
writing or deleting points (indexing, Django's cascades, raw deletes) keeps them right.

On PostgreSQL the points' GiST index carries the cell too. The point and area rows are
emptied: `migrate` then refills the index (`indexing.fill_if_empty`), and the triggers the
counts."""

from django.db import migrations, models

POINTS = "directory_searchpoint"
CELLS = "directory_searchcell"
VERSION = "directory_indexversion"
KEY = "(cell, category_set, owner)"


def _sqlite_owner(row):
    return f"CASE WHEN {row}.shared THEN {row}.service_id ELSE '' END"


def _matches(row, owner):
    return f"cell = {row}.cell AND category_set = {row}.category_set AND owner = {owner}"


def _sqlite_sql():
    old, new = _sqlite_owner("old"), _sqlite_owner("new")
    counted = "{0}.cell IS NOT NULL AND {0}.category_set IS NOT NULL"
    # Names and SQL made here, no values.
    take = (
        f"UPDATE {CELLS} SET services = services - 1 WHERE {_matches('old', old)}; "  # noqa: S608
        f"DELETE FROM {CELLS} WHERE {_matches('old', old)} AND services <= 0;"
    )
    add = (
        f"INSERT INTO {CELLS} (cell, category_set, owner, services) "
        f"SELECT new.cell, new.category_set, {new}, 1 WHERE {counted.format('new')} "
        f"ON CONFLICT {KEY} DO UPDATE SET services = services + 1;"
    )
    return [
        f"CREATE TRIGGER {CELLS}_insert AFTER INSERT ON {POINTS} BEGIN {add} END",
        f"CREATE TRIGGER {CELLS}_delete AFTER DELETE ON {POINTS} "
        f"WHEN {counted.format('old')} BEGIN {take} END",
        f"CREATE TRIGGER {CELLS}_update AFTER UPDATE OF cell, category_set, shared, "
        f"service_id ON {POINTS} BEGIN {take} {add} END",
    ]


def _postgresql_sql():
    def owner(row):
        return f"CASE WHEN {row}.shared THEN {row}.service_id::text ELSE '' END"

    return [
        f"""CREATE FUNCTION {CELLS}_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.cell IS NOT NULL
            AND OLD.category_set IS NOT NULL THEN
        UPDATE {CELLS} SET services = services - 1 WHERE {_matches("OLD", owner("OLD"))};
        DELETE FROM {CELLS} WHERE {_matches("OLD", owner("OLD"))} AND services <= 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.cell IS NOT NULL
            AND NEW.category_set IS NOT NULL THEN
        INSERT INTO {CELLS} (cell, category_set, owner, services)
        VALUES (NEW.cell, NEW.category_set, {owner("NEW")}, 1)
        ON CONFLICT {KEY} DO UPDATE SET services = {CELLS}.services + 1;
    END IF;
    RETURN NULL;
END
$$""",  # noqa: S608 - names and SQL made here, no values
        f"CREATE TRIGGER {CELLS}_count AFTER INSERT OR DELETE OR UPDATE OF cell, "
        f"category_set, shared, service_id ON {POINTS} "
        f"FOR EACH ROW EXECUTE FUNCTION {CELLS}_count()",
        # A cell's count rows are shared by every service in it, so two transactions writing
        # points must not lock them in opposite orders. Before any statement that writes
        # points (indexing, and Django's cascades, which reach the points before the
        # indexing that follows them), the transaction locks the index version's row, which
        # every bump also locks and holds until commit: writers of points take turns.
        f"""CREATE FUNCTION {POINTS}_take_turns() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM {VERSION} WHERE id = 1 FOR NO KEY UPDATE;
    RETURN NULL;
END
$$""",  # noqa: S608 - names and SQL made here, no values
        f"CREATE TRIGGER {POINTS}_take_turns BEFORE INSERT OR DELETE OR UPDATE ON {POINTS} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {POINTS}_take_turns()",
    ]


def triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    sql = (
        _sqlite_sql() if vendor == "sqlite" else _postgresql_sql() if vendor == "postgresql" else []
    )
    for statement in sql:
        schema_editor.execute(statement)


def no_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for event in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {CELLS}_{event}")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {CELLS}_count ON {POINTS}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {CELLS}_count()")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {POINTS}_take_turns ON {POINTS}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {POINTS}_take_turns()")


COVERED = (
    "latitude, longitude, x, y, z, cell, service_id, categories, category_set, shared, "
    "service_key, step_free, accessible_toilet, hearing_loop, parking"
)
COVERED_BEFORE = (
    "latitude, longitude, x, y, z, service_id, categories, category_set, shared, service_key, "
    "step_free, accessible_toilet, hearing_loop, parking"
)


def earth_index(covered):
    """PostgreSQL: the points' GiST index carrying these columns (the cell too, read by the
    searches' reads of the cells across a circle's edge)."""

    def make(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("DROP INDEX IF EXISTS search_point_earth")
        schema_editor.execute(
            f"CREATE INDEX search_point_earth ON {POINTS} "
            f"USING gist (ll_to_earth(latitude, longitude)) INCLUDE ({covered})"
        )

    return make


def empty_index(apps, schema_editor):
    for name in ("SearchPoint", "SearchArea", "SearchCell"):
        model = apps.get_model("directory", name)
        model.objects.all()._raw_delete(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_search_point_category_sets")]

    operations = [
        migrations.AddField(
            model_name="searchpoint",
            name="cell",
            field=models.IntegerField(null=True),
        ),
        migrations.CreateModel(
            name="SearchCell",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("cell", models.IntegerField()),
                ("category_set", models.BigIntegerField()),
                ("owner", models.CharField(blank=True, max_length=36)),
                ("services", models.IntegerField(default=0)),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["cell", "category_set", "owner", "services"],
                        name="search_cell_counts",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("cell", "category_set", "owner"), name="unique_search_cell"
                    )
                ],
            },
        ),
        migrations.RunPython(empty_index, migrations.RunPython.noop),
        migrations.RunPython(triggers, no_triggers),
        migrations.RunPython(earth_index(COVERED), earth_index(COVERED_BEFORE)),
    ]
