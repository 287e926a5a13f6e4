from django.db import migrations, models


def empty_search_rows(apps, schema_editor):
    """Rows written before these fields would all read "not shared" and "not located": drop
    them, and the rebuild that runs after every migrate when the search index is empty
    (indexing.fill_if_empty) rewrites them all."""
    for name in ("SearchPoint", "SearchArea"):
        apps.get_model("directory", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0007_search_rows_carry_term_weights"),
    ]

    operations = [
        migrations.RunPython(empty_search_rows, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name="searchpoint",
            name="search_point_near",
        ),
        migrations.AddField(
            model_name="searchpoint",
            name="shared",
            field=models.BooleanField(default=False),
        ),
        # The tables are empty: `weights` goes back in after `located`, so that reading the
        # short columns of a row never reads past its long list of weights.
        migrations.RemoveField(
            model_name="searcharea",
            name="weights",
        ),
        migrations.AddField(
            model_name="searcharea",
            name="located",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="searcharea",
            name="weights",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddIndex(
            model_name="searchpoint",
            index=models.Index(
                fields=[
                    "band",
                    "longitude",
                    "latitude",
                    "x",
                    "y",
                    "z",
                    "service",
                    "categories",
                    "terms_a",
                    "terms_b",
                    "shared",
                    "weights",
                ],
                name="search_point_near",
            ),
        ),
    ]
