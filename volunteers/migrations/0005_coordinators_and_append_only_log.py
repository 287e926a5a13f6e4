"""Permissions the read-only records no longer declare, and an append-only access log.

(The coordinators' group is kept by volunteers.roles after every migrate.)

The access log's trigger is PostgreSQL's: it refuses every UPDATE and DELETE of a row except
erasure's unlinking (the request or the viewer set to NULL, the viewer's name replaced by
"erased"), which the foreign keys' ON DELETE SET NULL and `volunteers.retention` do.
"""

from django.db import migrations

# Permissions the read-only models no longer declare.
RETIRED = [
    f"{action}_{model}"
    for model in ("helprequest", "offer", "accesslog")
    for action in ("add", "change", "delete")
]

TRIGGER = """
CREATE FUNCTION volunteers_accesslog_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND NEW.id = OLD.id
        AND NEW.request_reference = OLD.request_reference
        AND NEW.at = OLD.at
        AND NEW.shown = OLD.shown
        AND NEW.reason = OLD.reason
        AND (NEW.request_id IS NOT DISTINCT FROM OLD.request_id OR NEW.request_id IS NULL)
        AND (
            (NEW.viewer_id IS NOT DISTINCT FROM OLD.viewer_id
                AND NEW.viewer_label = OLD.viewer_label)
            OR (NEW.viewer_id IS NULL
                AND NEW.viewer_label IN (OLD.viewer_label, 'erased'))
        )
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the contact access log is append-only'
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER volunteers_accesslog_append_only
    BEFORE UPDATE OR DELETE ON volunteers_accesslog
    FOR EACH ROW EXECUTE FUNCTION volunteers_accesslog_append_only();
"""
DROP_TRIGGER = """
DROP TRIGGER IF EXISTS volunteers_accesslog_append_only ON volunteers_accesslog;
DROP FUNCTION IF EXISTS volunteers_accesslog_append_only();
"""


def retire_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="volunteers", codename__in=RETIRED).delete()


def append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER)


def not_append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("volunteers", "0004_records_and_standing"),
    ]

    operations = [
        migrations.RunPython(retire_permissions, migrations.RunPython.noop),
        migrations.RunPython(append_only, not_append_only),
    ]
