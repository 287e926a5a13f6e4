"""The volunteers' tables. The coordinators' group is kept by volunteers.roles after every
migrate.

The access log's and the concern history's triggers are PostgreSQL's (core.db.AppendOnly):
they refuse every UPDATE and DELETE of a row except erasure's unlinking (a person set to
NULL, the viewer's name replaced by "erased"), which the foreign keys' ON DELETE SET NULL and
`volunteers.retention` do.

A request's feedback mark and "why no match", and an offer's wellbeing mark and reason, are
the last columns of their tables, where the tables have always had them."""

import django.db.models.deletion
import django.db.models.manager
import django.utils.timezone
import taggit.managers
import volunteers.models.requests
from django.conf import settings
from django.db import migrations, models

from core.db import AppendOnly


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HelpRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reference', models.CharField(default=volunteers.models.requests.new_reference, max_length=8, unique=True, verbose_name='reference')),
                ('requested_by', models.CharField(choices=[('self', 'the person themselves'), ('carer', 'a carer or relative'), ('professional', 'a professional on their behalf')], default='self', max_length=12, verbose_name='asked for by')),
                ('area', models.CharField(max_length=60, verbose_name='area')),
                ('latitude', models.FloatField(verbose_name='latitude (coarse)')),
                ('longitude', models.FloatField(verbose_name='longitude (coarse)')),
                ('radius_km', models.PositiveSmallIntegerField(default=10, verbose_name='how far volunteers may come (km)')),
                ('starts_at', models.DateTimeField(verbose_name='from')),
                ('ends_at', models.DateTimeField(verbose_name='until')),
                ('language', models.CharField(default='en', max_length=10, verbose_name='language')),
                ('status', models.CharField(choices=[('open', 'waiting for a volunteer'), ('accepted', 'a volunteer has accepted'), ('closed', 'closed'), ('withdrawn', 'withdrawn')], default='open', max_length=10, verbose_name='status')),
                ('accepted_at', models.DateTimeField(blank=True, null=True, verbose_name='accepted at')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed at')),
                ('outcome', models.TextField(blank=True, verbose_name='outcome')),
                ('hours', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, verbose_name='hours given')),
                ('may_ask_feedback', models.BooleanField(default=False, verbose_name='agreed to one feedback email')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='received at')),
                ('redacted_at', models.DateTimeField(blank=True, null=True, verbose_name='contact details removed at')),
            ],
            options={
                'verbose_name': 'help request',
                'verbose_name_plural': 'help requests',
                'ordering': ['starts_at'],
                'permissions': [('coordinate', "Can coordinate volunteering: take requests by phone, see who may be matched, withdraw consent and open a person's contact details (logged)")],
                'default_permissions': ['view'],
            },
        ),
        migrations.CreateModel(
            name='TermsVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.CharField(max_length=20, unique=True, verbose_name='version')),
                ('text', models.TextField(verbose_name='wording')),
                ('published_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='published at')),
            ],
            options={
                'verbose_name': 'volunteering terms version',
                'verbose_name_plural': 'volunteering terms versions',
                'ordering': ['-published_at'],
            },
        ),
        migrations.CreateModel(
            name='TrainingModule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, unique=True, verbose_name='name')),
                ('valid_for_months', models.PositiveSmallIntegerField(default=24, verbose_name='valid for (months)')),
                ('renewal_warning_days', models.PositiveSmallIntegerField(default=42, verbose_name='warn this many days before expiry')),
            ],
            options={
                'verbose_name': 'training module',
                'verbose_name_plural': 'training modules',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='AccessLog',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('request_reference', models.CharField(max_length=8, verbose_name='request')),
                ('viewer_label', models.CharField(max_length=150, verbose_name='viewer')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='at')),
                ('shown', models.BooleanField(verbose_name='shown')),
                ('reason', models.CharField(choices=[('accepted', 'Shown to the accepted volunteer'), ('coordinator', 'Shown to a coordinator'), ('redacted', 'Refused: details removed under the retention rules'), ('no_consent', 'Refused: consent withdrawn'), ('not_open', 'Refused: request no longer open'), ('not_accepted', 'Refused: not the volunteer who accepted'), ('standing', 'Refused: volunteering not active'), ('terms', 'Refused: current terms not agreed'), ('not_qualified', 'Refused: training or checks do not cover the task')], max_length=60, verbose_name='reason')),
                ('viewer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='viewed by')),
                ('request', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='access_log', to='volunteers.helprequest')),
            ],
            options={
                'verbose_name': 'contact access log entry',
                'verbose_name_plural': 'contact access log',
                'ordering': ['-at'],
                'default_permissions': ['view'],
                'base_manager_name': 'unlinking',
                'default_manager_name': 'objects',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unlinking', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='HelpSeekerContact',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, verbose_name='name')),
                ('phone', models.CharField(blank=True, max_length=40, verbose_name='phone')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='email')),
                ('address', models.TextField(verbose_name='address')),
                ('notes', models.TextField(blank=True, verbose_name='notes for the volunteer')),
                ('request', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='contact', to='volunteers.helprequest')),
            ],
            options={
                'verbose_name': "help-seeker's contact details",
                'verbose_name_plural': "help-seekers' contact details",
            },
        ),
        migrations.CreateModel(
            name='SafeguardingConcern',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('details', models.TextField(verbose_name='what happened')),
                ('raised_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='raised at')),
                ('status', models.CharField(choices=[('open', 'Open'), ('closed', 'Closed')], default='open', max_length=10, verbose_name='status')),
                ('referred_to_local_authority', models.BooleanField(default=False, verbose_name='referred to the local authority')),
                ('local_authority_reference', models.CharField(blank=True, max_length=60, verbose_name="local authority's reference")),
                ('outcome', models.TextField(blank=True, verbose_name='outcome')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed at')),
                ('handler', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='handled by')),
                ('raised_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='raised by')),
                ('request', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='concerns', to='volunteers.helprequest', verbose_name='help request')),
            ],
            options={
                'verbose_name': 'safeguarding concern',
                'verbose_name_plural': 'safeguarding concerns',
                'ordering': ['-raised_at'],
                'permissions': [('handle_safeguardingconcern', 'Can handle safeguarding concerns: record actions, referrals and outcomes'), ('export_safeguardingconcern', 'Can export safeguarding concerns with their history')],
                'default_permissions': ['view'],
            },
        ),
        migrations.CreateModel(
            name='ConcernAction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('raised', 'Raised'), ('action', 'Action taken'), ('handler', 'Handler changed'), ('referred', 'Referred to the local authority'), ('closed', 'Closed'), ('reopened', 'Reopened')], max_length=10, verbose_name='what')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='at')),
                ('by_label', models.CharField(max_length=150, verbose_name='by')),
                ('text', models.TextField(blank=True, verbose_name='details')),
                ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                ('concern', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='actions', to='volunteers.safeguardingconcern')),
            ],
            options={
                'verbose_name': 'concern history entry',
                'verbose_name_plural': 'concern history',
                'ordering': ['at', 'pk'],
                'default_permissions': [],
                'base_manager_name': 'unlinking',
                'default_manager_name': 'objects',
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('unlinking', django.db.models.manager.Manager()),
            ],
        ),
        migrations.CreateModel(
            name='TaskType',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, unique=True, verbose_name='name')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('required_dbs', models.PositiveSmallIntegerField(choices=[(0, 'no check needed'), (1, 'basic'), (2, 'standard'), (3, 'enhanced')], default=0, verbose_name='DBS check needed')),
                ('requires_barred_list', models.BooleanField(default=False, verbose_name='barred-list check needed')),
                ('default_radius_km', models.PositiveSmallIntegerField(default=10, verbose_name='how far volunteers may come (km)')),
                ('skills', taggit.managers.TaggableManager(blank=True, help_text='A comma-separated list of tags.', through='taggit.TaggedItem', to='taggit.Tag', verbose_name='useful skills')),
                ('required_training', models.ManyToManyField(blank=True, related_name='task_types', to='volunteers.trainingmodule', verbose_name='training needed')),
            ],
            options={
                'verbose_name': 'task type',
                'verbose_name_plural': 'task types',
                'ordering': ['name'],
            },
        ),
        migrations.AddField(
            model_name='helprequest',
            name='task_type',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='requests', to='volunteers.tasktype', verbose_name='type of help'),
        ),
        migrations.CreateModel(
            name='Volunteer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('display_name', models.CharField(max_length=120, verbose_name='name')),
                ('status', models.CharField(choices=[('applicant', 'Applicant'), ('active', 'Approved and active'), ('paused', 'Paused'), ('left', 'Left')], default='applicant', max_length=10, verbose_name='status')),
                ('email_verified_at', models.DateTimeField(blank=True, null=True, verbose_name='email verified at')),
                ('approved_at', models.DateTimeField(blank=True, null=True, verbose_name='approved at')),
                ('languages', models.CharField(blank=True, help_text='Language codes separated by spaces, for example: en cy pl.', max_length=200, verbose_name='languages')),
                ('home_area', models.CharField(help_text='A postcode district or a town.', max_length=60, verbose_name='home area')),
                ('latitude', models.FloatField(verbose_name='latitude (coarse)')),
                ('longitude', models.FloatField(verbose_name='longitude (coarse)')),
                ('travel_radius_km', models.PositiveSmallIntegerField(default=5, verbose_name='travel radius (km)')),
                ('max_active_tasks', models.PositiveSmallIntegerField(default=2, verbose_name='most tasks at once')),
                ('rest_hours', models.PositiveSmallIntegerField(default=24, verbose_name='rest after each task (hours)')),
                ('resting_until', models.DateTimeField(blank=True, null=True, verbose_name='resting until')),
                ('unit_x', models.FloatField(default=0, editable=False)),
                ('unit_y', models.FloatField(default=0, editable=False)),
                ('unit_z', models.FloatField(default=0, editable=False)),
                ('language', models.CharField(default='en', max_length=10, verbose_name='language for emails')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='signed up at')),
                ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approved by')),
                ('skills', taggit.managers.TaggableManager(blank=True, help_text='A comma-separated list of tags.', through='taggit.TaggedItem', to='taggit.Tag', verbose_name='skills')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='volunteer', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'volunteer',
                'verbose_name_plural': 'volunteers',
                'ordering': ['display_name'],
                'indexes': [
                    models.Index(fields=['latitude', 'longitude'], name='vol_volunteer_latlon'),
                ],
                'constraints': [
                    models.CheckConstraint(condition=models.Q(('latitude__gte', -90), ('latitude__lte', 90), ('longitude__gte', -180), ('longitude__lte', 180)), name='vol_volunteer_coordinates_range'),
                    models.CheckConstraint(condition=models.Q(('travel_radius_km__gte', 1), ('travel_radius_km__lte', 100)), name='vol_volunteer_radius_range'),
                    models.CheckConstraint(condition=models.Q(('max_active_tasks__gte', 1), ('max_active_tasks__lte', 20)), name='vol_volunteer_max_tasks_range'),
                    models.CheckConstraint(condition=models.Q(('status__in', ['applicant', 'left']), ('approved_at__isnull', False), _connector='OR'), name='vol_volunteer_approved_before_active'),
                ],
            },
        ),
        migrations.CreateModel(
            name='TrainingRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('completed_on', models.DateField(verbose_name='completed on')),
                ('expires_on', models.DateField(verbose_name='expires on')),
                ('module', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='records', to='volunteers.trainingmodule')),
                ('volunteer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='training', to='volunteers.volunteer')),
            ],
            options={
                'verbose_name': 'training record',
                'verbose_name_plural': 'training records',
                'ordering': ['expires_on'],
                'indexes': [
                    models.Index(fields=['volunteer', 'module', 'expires_on'], name='vol_training_valid'),
                ],
                'constraints': [
                    models.CheckConstraint(condition=models.Q(('expires_on__gt', models.F('completed_on'))), name='vol_training_expiry_order'),
                ],
            },
        ),
        migrations.CreateModel(
            name='TermsConsent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('agreed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='agreed at')),
                ('terms', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='consents', to='volunteers.termsversion')),
                ('volunteer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='terms_consents', to='volunteers.volunteer')),
            ],
            options={
                'verbose_name': 'consent to volunteering terms',
                'verbose_name_plural': 'consents to volunteering terms',
                'constraints': [
                    models.UniqueConstraint(fields=('volunteer', 'terms'), name='vol_terms_once'),
                ],
            },
        ),
        migrations.CreateModel(
            name='TaskEligibility',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('valid_from', models.DateField(verbose_name='valid from')),
                ('valid_until', models.DateField(verbose_name='valid until')),
                ('task_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='eligibility', to='volunteers.tasktype')),
                ('volunteer', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='eligibility', to='volunteers.volunteer')),
            ],
            options={
                'verbose_name': 'eligibility for a type of task',
                'verbose_name_plural': 'eligibility for types of task',
                'constraints': [
                    models.CheckConstraint(condition=models.Q(('valid_until__gte', models.F('valid_from'))), name='vol_eligible_order'),
                    models.UniqueConstraint(fields=('volunteer', 'task_type', 'valid_until', 'valid_from'), name='vol_eligible_once'),
                ],
            },
        ),
        migrations.AddField(
            model_name='safeguardingconcern',
            name='volunteer',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='concerns', to='volunteers.volunteer', verbose_name='volunteer'),
        ),
        migrations.CreateModel(
            name='Offer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('offered', 'offered'), ('accepted', 'accepted'), ('declined', 'declined'), ('expired', 'timed out'), ('handed_back', 'handed back'), ('completed', 'completed'), ('closed', 'taken by someone else'), ('withdrawn', 'withdrawn')], default='offered', max_length=12, verbose_name='status')),
                ('score', models.FloatField(default=0, verbose_name='match score')),
                ('distance_km', models.FloatField(default=0, verbose_name='distance (km)')),
                ('offered_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='offered at')),
                ('expires_at', models.DateTimeField(verbose_name='answer by')),
                ('responded_at', models.DateTimeField(blank=True, null=True, verbose_name='answered at')),
                ('checked_in_at', models.DateTimeField(blank=True, null=True, verbose_name='checked in at')),
                ('reminded_at', models.DateTimeField(blank=True, null=True, verbose_name='reminder sent at')),
                ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='offers', to='volunteers.helprequest')),
                ('volunteer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='offers', to='volunteers.volunteer')),
                ('wellbeing_invited_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='wellbeing check sent at')),
                ('reason', models.JSONField(blank=True, default=dict, verbose_name='why this volunteer')),
            ],
            options={
                'verbose_name': 'offer',
                'verbose_name_plural': 'offers',
                'ordering': ['-offered_at'],
                'default_permissions': ['view'],
                'indexes': [
                    models.Index(fields=['status', 'expires_at'], name='vol_offer_due'),
                ],
                'constraints': [
                    models.UniqueConstraint(fields=('request', 'volunteer'), name='vol_offer_once'),
                    models.UniqueConstraint(condition=models.Q(('status__in', ['accepted', 'completed'])), fields=('request',), name='vol_offer_one_acceptance'),
                ],
            },
        ),
        migrations.AddField(
            model_name='helprequest',
            name='accepted_volunteer',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='accepted_requests', to='volunteers.volunteer', verbose_name='accepted by'),
        ),
        migrations.AddField(
            model_name='helprequest',
            name='feedback_invited_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='feedback email sent at'),
        ),
        migrations.AddField(
            model_name='helprequest',
            name='no_match_reason',
            field=models.JSONField(blank=True, default=list, verbose_name='why no volunteer was found'),
        ),
        migrations.CreateModel(
            name='DBSCheck',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('level', models.PositiveSmallIntegerField(choices=[(1, 'basic'), (2, 'standard'), (3, 'enhanced')], default=3, verbose_name='type')),
                ('barred_list', models.BooleanField(default=False, verbose_name="includes the adults' barred list")),
                ('issued_on', models.DateField(verbose_name='issued on')),
                ('update_service', models.BooleanField(default=False, verbose_name='on the DBS Update Service')),
                ('recheck_due', models.DateField(verbose_name='recheck due')),
                ('volunteer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='dbs_checks', to='volunteers.volunteer')),
            ],
            options={
                'verbose_name': 'DBS check',
                'verbose_name_plural': 'DBS checks',
                'ordering': ['recheck_due'],
                'indexes': [
                    models.Index(fields=['volunteer', 'recheck_due'], name='vol_dbs_valid'),
                ],
                'constraints': [
                    models.CheckConstraint(condition=models.Q(('recheck_due__gt', models.F('issued_on'))), name='vol_dbs_recheck_order'),
                    models.CheckConstraint(condition=models.Q(('level__gte', 1), ('level__lte', 3)), name='vol_dbs_level'),
                ],
            },
        ),
        migrations.CreateModel(
            name='WeeklyAvailability',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('weekday', models.PositiveSmallIntegerField(choices=[(0, 'Monday'), (1, 'Tuesday'), (2, 'Wednesday'), (3, 'Thursday'), (4, 'Friday'), (5, 'Saturday'), (6, 'Sunday')], verbose_name='day')),
                ('starts', models.TimeField(verbose_name='from')),
                ('ends', models.TimeField(verbose_name='until')),
                ('volunteer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='availability', to='volunteers.volunteer')),
            ],
            options={
                'verbose_name': 'weekly availability',
                'verbose_name_plural': 'weekly availability',
                'ordering': ['weekday', 'starts'],
                'indexes': [
                    models.Index(fields=['volunteer', 'weekday'], name='vol_avail_day'),
                ],
                'constraints': [
                    models.CheckConstraint(condition=models.Q(('starts__lt', models.F('ends'))), name='vol_avail_order'),
                    models.CheckConstraint(condition=models.Q(('weekday__lte', 6)), name='vol_avail_weekday'),
                ],
            },
        ),
        migrations.CreateModel(
            name='ContactConsent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('wording_version', models.CharField(max_length=20, verbose_name='wording version')),
                ('given_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='given at')),
                ('channel', models.CharField(choices=[('web', 'on the website'), ('phone', 'by phone'), ('in_person', 'in person'), ('on_behalf', 'by someone on their behalf')], max_length=10, verbose_name='how')),
                ('recorded_by_role', models.CharField(choices=[('self', 'the person themselves'), ('carer', 'a carer or relative'), ('professional', 'a professional on their behalf')], max_length=12, verbose_name='recorded by (role)')),
                ('withdrawn_at', models.DateTimeField(blank=True, null=True, verbose_name='withdrawn at')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='consents', to='volunteers.helprequest')),
            ],
            options={
                'verbose_name': 'consent to share contact details',
                'verbose_name_plural': 'consents to share contact details',
                'ordering': ['-given_at'],
                'constraints': [models.CheckConstraint(condition=models.Q(('withdrawn_at__isnull', True), ('withdrawn_at__gte', models.F('given_at')), _connector='OR'), name='vol_consent_withdrawn_after_given'), models.UniqueConstraint(condition=models.Q(('withdrawn_at__isnull', True)), fields=('request',), name='vol_consent_one_standing')],
            },
        ),
        migrations.AddConstraint(
            model_name='safeguardingconcern',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('closed_at__isnull', True), ('status', 'open')), models.Q(('closed_at__isnull', False), ('status', 'closed'), models.Q(('outcome', ''), _negated=True)), _connector='OR'), name='vol_concern_closed_has_outcome'),
        ),
        migrations.AddConstraint(
            model_name='helprequest',
            constraint=models.CheckConstraint(condition=models.Q(('ends_at__gt', models.F('starts_at'))), name='vol_request_time_order'),
        ),
        migrations.AddConstraint(
            model_name='helprequest',
            constraint=models.CheckConstraint(condition=models.Q(('latitude__gte', -90), ('latitude__lte', 90), ('longitude__gte', -180), ('longitude__lte', 180)), name='vol_request_coordinates_range'),
        ),
        migrations.AddConstraint(
            model_name='helprequest',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'accepted'), _negated=True), ('accepted_volunteer__isnull', False), _connector='OR'), name='vol_request_accepted_has_volunteer'),
        ),
        migrations.AddConstraint(
            model_name='helprequest',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'open'), _negated=True), ('accepted_volunteer__isnull', True), _connector='OR'), name='vol_request_open_has_no_volunteer'),
        ),
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
        AppendOnly(
            "volunteers_concernaction",
            "a safeguarding concern's history is append-only",
            fixed=["id", "concern_id", "kind", "at", "by_label", "text"],
            unlinkable=["by_id"],
        ),
    ]
