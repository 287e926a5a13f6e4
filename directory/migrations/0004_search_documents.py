"""PostgreSQL: the place index's rows carry their service's text document, under a GIN
index each, so that text near a place is tested on the rows in the circle
(`directory.search.fulltext.row_match_sql`). The point and area rows are emptied: `migrate`
then refills the index (`indexing.fill_if_empty`)."""

import django.contrib.postgres.search
from django.db import migrations

DOCUMENT_INDEXES = {
    "search_point_document": "directory_searchpoint",
    "search_area_document": "directory_searcharea",
}


def document_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table in DOCUMENT_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX {name} ON {table} USING gin (document)")


def no_document_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in DOCUMENT_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def empty_index(apps, schema_editor):
    for name in ("SearchPoint", "SearchArea", "SearchCell"):
        model = apps.get_model("directory", name)
        model.objects.all()._raw_delete(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_search_cells")]

    operations = [
        migrations.AddField(
            model_name="searcharea",
            name="document",
            field=django.contrib.postgres.search.SearchVectorField(null=True),
        ),
        migrations.AddField(
            model_name="searchpoint",
            name="document",
            field=django.contrib.postgres.search.SearchVectorField(null=True),
        ),
        migrations.RunPython(empty_index, migrations.RunPython.noop),
        migrations.RunPython(document_indexes, no_document_indexes),
    ]
