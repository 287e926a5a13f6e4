"""Approved volunteers become active: "approved" is no longer a state of its own."""

from django.db import migrations, models


def approved_to_active(apps, schema_editor):
    # A coordinator approved these volunteers; matching only ever offered to "active" ones, so
    # they were never matched. Approval now makes a volunteer active.
    Volunteer = apps.get_model("volunteers", "Volunteer")
    Volunteer.objects.filter(status="approved").update(status="active")


class Migration(migrations.Migration):

    dependencies = [
        ('volunteers', '0006_concern_case_records'),
    ]

    operations = [
        migrations.RunPython(approved_to_active, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='volunteer',
            name='status',
            field=models.CharField(choices=[('applicant', 'Applicant'), ('active', 'Approved and active'), ('paused', 'Paused'), ('left', 'Left')], default='applicant', max_length=10, verbose_name='status'),
        ),
    ]
