import django.db.models.deletion
from django.db import migrations, models


def empty_search_rows(apps, schema_editor):
    """Term rows filed under service ids cannot be kept; the other index tables are emptied
    too, so that the rebuild that runs after every migrate when the search index is empty
    (indexing.fill_if_empty) rewrites them all and hands out the search keys."""
    for name in ("ServiceTerm", "ServiceCategory", "SearchPoint", "SearchArea"):
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
        # The table is empty: the column is replaced rather than converted (PostgreSQL has
        # no cast from uuid to bigint, even for no rows).
        migrations.RemoveConstraint(model_name="serviceterm", name="unique_service_term"),
        migrations.RemoveIndex(model_name="serviceterm", name="service_term_lookup"),
        migrations.RemoveField(model_name="serviceterm", name="service"),
        migrations.AddField(
            model_name="serviceterm",
            name="service",
            field=models.ForeignKey(
                db_column="service_key",
                db_constraint=False,
                db_index=False,
                default=0,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="search_terms",
                to="directory.service",
                to_field="search_key",
            ),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="serviceterm",
            constraint=models.UniqueConstraint(
                fields=("term", "service"), name="unique_service_term"
            ),
        ),
        migrations.AddIndex(
            model_name="serviceterm",
            index=models.Index(fields=["service", "term", "weight"], name="service_term_lookup"),
        ),
    ]
