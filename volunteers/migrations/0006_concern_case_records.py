"""Safeguarding concerns become case records with an append-only history.

Each existing concern gets its "raised" entry (by the volunteer who raised it); one already
marked handled is closed with that time and an outcome saying it was handled before case
records were kept. On PostgreSQL a trigger refuses any change to the history other than
unlinking an erased person (ON DELETE SET NULL of `by`).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from core.db import AppendOnly


OLD_OUTCOME = "Marked handled before case records were kept."


def case_records(apps, schema_editor):
    Concern = apps.get_model("volunteers", "SafeguardingConcern")
    Action = apps.get_model("volunteers", "ConcernAction")
    for concern in Concern.objects.select_related("volunteer__user"):
        volunteer = concern.volunteer
        concern.raised_by = volunteer.user if volunteer else None
        Action.objects.create(
            concern=concern,
            kind="raised",
            at=concern.raised_at,
            by=concern.raised_by,
            by_label=volunteer.display_name if volunteer else "a volunteer",
        )
        if concern.handled_at:
            concern.status, concern.closed_at, concern.outcome = (
                "closed",
                concern.handled_at,
                OLD_OUTCOME,
            )
            Action.objects.create(
                concern=concern,
                kind="closed",
                at=concern.handled_at,
                by_label="-",
                text=OLD_OUTCOME,
            )
        concern.save()


def retire_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="volunteers",
        codename__in=[
            "add_safeguardingconcern",
            "change_safeguardingconcern",
            "delete_safeguardingconcern",
        ],
    ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('volunteers', '0005_coordinators_and_append_only_log'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ConcernAction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('raised', 'Raised'), ('action', 'Action taken'), ('handler', 'Handler changed'), ('referred', 'Referred to the local authority'), ('closed', 'Closed'), ('reopened', 'Reopened')], max_length=10, verbose_name='what')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='at')),
                ('by_label', models.CharField(max_length=150, verbose_name='by')),
                ('text', models.TextField(blank=True, verbose_name='details')),
            ],
            options={
                'verbose_name': 'concern history entry',
                'verbose_name_plural': 'concern history',
                'ordering': ['at', 'pk'],
                'default_permissions': [],
            },
        ),
        migrations.AlterModelOptions(
            name='safeguardingconcern',
            options={'default_permissions': ['view'], 'ordering': ['-raised_at'], 'permissions': [('handle_safeguardingconcern', 'Can handle safeguarding concerns: record actions, referrals and outcomes'), ('export_safeguardingconcern', 'Can export safeguarding concerns with their history')], 'verbose_name': 'safeguarding concern', 'verbose_name_plural': 'safeguarding concerns'},
        ),
        migrations.AddField(
            model_name='safeguardingconcern',
            name='closed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='closed at'),
        ),
        migrations.AddField(
            model_name='safeguardingconcern',
            name='handler',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='handled by'),
        ),
        migrations.AddField(
            model_name='safeguardingconcern',
            name='local_authority_reference',
            field=models.CharField(blank=True, max_length=60, verbose_name="local authority's reference"),
        ),
        migrations.AddField(
            model_name='safeguardingconcern',
            name='outcome',
            field=models.TextField(blank=True, verbose_name='outcome'),
        ),
        migrations.AddField(
            model_name='safeguardingconcern',
            name='raised_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='raised by'),
        ),
        migrations.AddField(
            model_name='safeguardingconcern',
            name='referred_to_local_authority',
            field=models.BooleanField(default=False, verbose_name='referred to the local authority'),
        ),
        migrations.AddField(
            model_name='safeguardingconcern',
            name='status',
            field=models.CharField(choices=[('open', 'Open'), ('closed', 'Closed')], default='open', max_length=10, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='safeguardingconcern',
            name='request',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='concerns', to='volunteers.helprequest', verbose_name='help request'),
        ),
        migrations.AlterField(
            model_name='safeguardingconcern',
            name='volunteer',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='concerns', to='volunteers.volunteer', verbose_name='volunteer'),
        ),
        migrations.AddField(
            model_name='concernaction',
            name='by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by'),
        ),
        migrations.AddField(
            model_name='concernaction',
            name='concern',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='actions', to='volunteers.safeguardingconcern'),
        ),
        migrations.RunPython(case_records, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='safeguardingconcern',
            name='handled_at',
        ),
        migrations.AddConstraint(
            model_name='safeguardingconcern',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('closed_at__isnull', True), ('status', 'open')), models.Q(('closed_at__isnull', False), ('status', 'closed'), models.Q(('outcome', ''), _negated=True)), _connector='OR'), name='vol_concern_closed_has_outcome'),
        ),
        AppendOnly(
            "volunteers_concernaction",
            "a safeguarding concern's history is append-only",
            fixed=["id", "concern_id", "kind", "at", "by_label", "text"],
            unlinkable=["by_id"],
        ),
        migrations.RunPython(retire_permissions, migrations.RunPython.noop),
    ]
