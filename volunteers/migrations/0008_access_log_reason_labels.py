"""The access log's reasons get labels (no change to the table)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('volunteers', '0007_approved_means_active'),
    ]

    operations = [
        migrations.AlterField(
            model_name='accesslog',
            name='reason',
            field=models.CharField(choices=[('accepted', 'Shown to the accepted volunteer'), ('coordinator', 'Shown to a coordinator'), ('redacted', 'Refused: details removed under the retention rules'), ('no_consent', 'Refused: consent withdrawn'), ('not_open', 'Refused: request no longer open'), ('not_accepted', 'Refused: not the volunteer who accepted'), ('standing', 'Refused: volunteering not active'), ('terms', 'Refused: current terms not agreed'), ('not_qualified', 'Refused: training or checks do not cover the task')], max_length=60, verbose_name='reason'),
        ),
    ]
