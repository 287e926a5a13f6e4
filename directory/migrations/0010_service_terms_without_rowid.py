"""On SQLite, the term table becomes a WITHOUT ROWID table: its rows are stored in the B-tree
of their primary key (term, service key), which text searches read by, instead of in a rowid
table beside an index of that key. One B-tree fewer to write, and a search reads each term's
weight where it finds the term. PostgreSQL has no such distinction; nothing changes there.

Django remakes a SQLite table (as a rowid table) when one of its fields is altered; a later
migration that alters ServiceTerm must make it WITHOUT ROWID again (a test checks)."""

from django.db import migrations

TABLE = "directory_serviceterm"
COLUMNS = '"term" varchar(40) NOT NULL, "weight" smallint unsigned NOT NULL CHECK ("weight" >= 0), "service_key" bigint NOT NULL, PRIMARY KEY ("term", "service_key")'  # noqa: E501
LOOKUP = (
    f'CREATE INDEX "service_term_lookup" ON "{TABLE}" ("service_key", "term", "weight")'
)


def remake(without_rowid):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        suffix = " WITHOUT ROWID" if without_rowid else ""
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f'CREATE TABLE "{TABLE}__new" ({COLUMNS}){suffix}')
            cursor.execute(
                f'INSERT INTO "{TABLE}__new" ("term", "weight", "service_key") '  # noqa: S608
                f'SELECT "term", "weight", "service_key" FROM "{TABLE}"'
            )
            cursor.execute(f'DROP TABLE "{TABLE}"')
            cursor.execute(f'ALTER TABLE "{TABLE}__new" RENAME TO "{TABLE}"')
            cursor.execute(LOOKUP)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0009_service_search_key"),
    ]

    operations = [
        migrations.RunPython(remake(True), remake(False), elidable=False),
    ]
