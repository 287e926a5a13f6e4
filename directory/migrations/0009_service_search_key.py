import django.db.models.deletion
from django.db import migrations, models


def empty_search_rows(apps, schema_editor):
    """The term table is made anew below (its rows were filed under service ids); the other
    index tables are emptied too, so that the rebuild that runs after every migrate when the
    search index is empty (indexing.fill_if_empty) rewrites them all and hands out the
    search keys."""
    for name in ("ServiceCategory", "SearchPoint", "SearchArea"):
        apps.get_model("directory", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0008_search_rows_shared_and_located"),
    ]

    operations = [
        migrations.RunPython(empty_search_rows, migrations.RunPython.noop),
        migrations.AddField(
            model_name="service",
            name="search_key",
            field=models.PositiveBigIntegerField(
                blank=True, editable=False, null=True, unique=True, verbose_name="search key"
            ),
        ),
        # Made anew, keyed by (term, service key) with no surrogate id: its rows are derived
        # and rewritten by the rebuild anyway.
        migrations.DeleteModel(name="ServiceTerm"),
        migrations.CreateModel(
            name="ServiceTerm",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "term",
                        "service",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("term", models.CharField(max_length=40)),
                ("weight", models.PositiveSmallIntegerField()),
                (
                    "service",
                    models.ForeignKey(
                        db_column="service_key",
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="search_terms",
                        to="directory.service",
                        to_field="search_key",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["service", "term", "weight"], name="service_term_lookup")
                ],
            },
        ),
    ]
