"""Permissions the read-only records no longer declare, and an append-only access log.

(The coordinators' group is kept by volunteers.roles after every migrate.)

The access log's trigger is PostgreSQL's: it refuses every UPDATE and DELETE of a row except
erasure's unlinking (the request or the viewer set to NULL, the viewer's name replaced by
"erased"), which the foreign keys' ON DELETE SET NULL and `volunteers.retention` do.
"""

from django.db import migrations

from core.db import AppendOnly

# Permissions the read-only models no longer declare.
RETIRED = [
    f"{action}_{model}"
    for model in ("helprequest", "offer", "accesslog")
    for action in ("add", "change", "delete")
]



def retire_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="volunteers", codename__in=RETIRED).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("volunteers", "0004_records_and_standing"),
    ]

    operations = [
        migrations.RunPython(retire_permissions, migrations.RunPython.noop),
        AppendOnly(
            "volunteers_accesslog",
            "the contact access log is append-only",
            fixed=["id", "request_reference", "at", "shown", "reason"],
            unlinkable=["request_id"],
            also=[
                # erasure replaces a person's name as it unlinks them
                "((NEW.viewer_id IS NOT DISTINCT FROM OLD.viewer_id"
                " AND NEW.viewer_label = OLD.viewer_label)"
                " OR (NEW.viewer_id IS NULL AND NEW.viewer_label IN (OLD.viewer_label, 'erased')))"
            ],
        ),
    ]
