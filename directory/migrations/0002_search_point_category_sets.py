"""Searches near a place count points by the number of their set of categories
(`SearchCategorySet`, `SearchPoint.category_set`), measure them by their point on the unit
sphere (`SearchPoint.x`, `y`, `z`: a squared chord in SQL, no trigonometry), and on
PostgreSQL read them from the spatial index alone: the GiST index of
`ll_to_earth(latitude, longitude)` carries (INCLUDE) every column those searches read from
a point, so an index-only scan answers them without fetching the points' rows. SQLite's
R*Tree is unchanged: it gives the points' ids.

The fields are added with ALTER TABLE (nullable, no default), so SQLite does not remake the
table and the R*Tree's triggers stay. The point and area rows are emptied: `migrate` then
refills the index (`indexing.fill_if_empty`)."""

from django.db import migrations, models

POINTS = "directory_searchpoint"
COVERED = (
    "latitude, longitude, x, y, z, service_id, categories, category_set, shared, service_key, "
    "step_free, accessible_toilet, hearing_loop, parking"
)


def earth_index(include):
    def make(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("DROP INDEX IF EXISTS search_point_earth")
        schema_editor.execute(
            f"CREATE INDEX search_point_earth ON {POINTS} "
            f"USING gist (ll_to_earth(latitude, longitude)){include}"
        )

    return make


def empty_index(apps, schema_editor):
    for name in ("SearchPoint", "SearchArea"):
        model = apps.get_model("directory", name)
        model.objects.all()._raw_delete(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="SearchCategorySet",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("digest", models.CharField(max_length=64, unique=True)),
                ("categories", models.TextField(blank=True)),
            ],
        ),
        migrations.AddField(
            model_name="searchpoint",
            name="category_set",
            field=models.BigIntegerField(null=True),
        ),
        *(
            migrations.AddField(
                model_name="searchpoint", name=name, field=models.FloatField(null=True)
            )
            for name in ("x", "y", "z")
        ),
        migrations.RunPython(empty_index, migrations.RunPython.noop),
        migrations.RunPython(earth_index(f" INCLUDE ({COVERED})"), earth_index("")),
    ]
