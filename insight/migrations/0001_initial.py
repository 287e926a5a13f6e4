
import insight.models
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='Figure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(verbose_name='month')),
                ('area_kind', models.CharField(choices=[('all', 'Whole site'), ('authority', 'Local authority'), ('district', 'Postcode district')], max_length=10, verbose_name='kind of area')),
                ('area', models.CharField(blank=True, max_length=60, verbose_name='area')),
                ('measure', models.CharField(max_length=40, verbose_name='measure')),
                ('breakdown', models.CharField(blank=True, max_length=80, verbose_name='breakdown')),
                ('value', models.FloatField(verbose_name='value')),
            ],
            options={
                'verbose_name': 'figure',
                'verbose_name_plural': 'figures',
                'permissions': [('view_insight', 'Can see the insight dashboard (anonymous figures by area)')],
                'default_permissions': [],
                'indexes': [models.Index(fields=['area_kind', 'area', 'month'], name='insight_figure_area_month')],
                'constraints': [models.UniqueConstraint(fields=('month', 'area_kind', 'area', 'measure', 'breakdown'), name='insight_figure_once'), models.CheckConstraint(condition=models.Q(('month__day', 1)), name='insight_figure_month_start')],
            },
        ),
        migrations.CreateModel(
            name='SearchCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(verbose_name='day')),
                ('district', models.CharField(blank=True, max_length=4, verbose_name='postcode district')),
                ('category', models.CharField(blank=True, max_length=100, verbose_name='category')),
                ('searches', models.PositiveIntegerField(default=0, verbose_name='searches')),
                ('nothing_near', models.PositiveIntegerField(default=0, verbose_name='searches with nothing near')),
            ],
            options={
                'verbose_name': 'search count',
                'verbose_name_plural': 'search counts',
                'default_permissions': [],
                'constraints': [models.UniqueConstraint(fields=('day', 'district', 'category'), name='insight_search_count_once'), models.CheckConstraint(condition=models.Q(('nothing_near__lte', models.F('searches'))), name='insight_search_nothing_near_within')],
            },
        ),
        migrations.CreateModel(
            name='SurveyInvitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('survey', models.CharField(choices=[('helped', 'Outcome survey for the person helped'), ('wellbeing', 'Volunteer wellbeing check')], max_length=12, verbose_name='survey')),
                ('request_id', models.BigIntegerField(blank=True, null=True, verbose_name='help request')),
                ('offer_id', models.BigIntegerField(blank=True, null=True, verbose_name='task')),
                ('token', models.CharField(default=insight.models.new_token, max_length=64, unique=True)),
                ('language', models.CharField(default='en', max_length=10, verbose_name='language')),
                ('month', models.DateField(verbose_name='month')),
                ('district', models.CharField(blank=True, max_length=4, verbose_name='postcode district')),
                ('answered', models.BooleanField(default=False, verbose_name='answered')),
            ],
            options={
                'verbose_name': 'survey invitation',
                'verbose_name_plural': 'survey invitations',
                'default_permissions': [],
                'constraints': [models.UniqueConstraint(condition=models.Q(('request_id__isnull', False)), fields=('request_id',), name='insight_invite_once_per_request'), models.UniqueConstraint(condition=models.Q(('offer_id__isnull', False)), fields=('offer_id',), name='insight_invite_once_per_task')],
            },
        ),
        migrations.CreateModel(
            name='SurveyTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(verbose_name='month')),
                ('district', models.CharField(blank=True, max_length=4, verbose_name='postcode district')),
                ('survey', models.CharField(max_length=12, verbose_name='survey')),
                ('question', models.CharField(max_length=20, verbose_name='question')),
                ('answer', models.CharField(max_length=12, verbose_name='answer')),
                ('count', models.PositiveIntegerField(default=0, verbose_name='count')),
            ],
            options={
                'verbose_name': 'survey tally',
                'verbose_name_plural': 'survey tallies',
                'default_permissions': [],
                'constraints': [models.UniqueConstraint(fields=('month', 'district', 'survey', 'question', 'answer'), name='insight_survey_tally_once')],
            },
        ),
    ]
