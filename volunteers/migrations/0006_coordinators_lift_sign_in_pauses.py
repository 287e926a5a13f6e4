"""Coordinators may see and lift sign-in pauses (django-axes' access attempts)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Volunteer coordinators"
CODENAMES = ["view_accessattempt", "delete_accessattempt"]


def grant(apps, schema_editor):
    config = apps.get_app_config("axes")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.get(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="axes", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.get(name=GROUP)
    group.permissions.remove(
        *Permission.objects.filter(content_type__app_label="axes", codename__in=CODENAMES)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("axes", "0010_accessattemptexpiration"),
        ("volunteers", "0005_coordinators_and_append_only_log"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
