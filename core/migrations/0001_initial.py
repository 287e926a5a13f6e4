"""Core's tables, and the table that holds rate-limit counts when the site runs without Redis
(settings.CACHES)."""

import core.illustrations
import core.models
import core.pages
import django.db.models.deletion
import wagtail.fields
from django.conf import settings
from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations, models

RATE_LIMIT_TABLE = "core_rate_limit_cache"


def create_rate_limit_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, RATE_LIMIT_TABLE, dry_run=False)


def drop_rate_limit_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(RATE_LIMIT_TABLE)}")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('wagtailcore', '0098_apitoken'),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='FormSubmission',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=64, unique=True, verbose_name='key')),
                ('result_url', models.CharField(blank=True, max_length=500, verbose_name='result page')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='received')),
            ],
            options={
                'verbose_name': 'form submission',
                'verbose_name_plural': 'form submissions',
            },
        ),
        migrations.CreateModel(
            name='SchedulerBeat',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=64, unique=True, verbose_name='name')),
                ('beat_at', models.DateTimeField(verbose_name='last seen')),
            ],
            options={
                'verbose_name': 'scheduler heartbeat',
                'verbose_name_plural': 'scheduler heartbeats',
            },
        ),
        migrations.CreateModel(
            name='StandardPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('introduction', models.TextField(blank=True, verbose_name='introduction')),
                ('body', wagtail.fields.StreamField([('heading', 2), ('paragraph', 3), ('figure', 6), ('quote', 9), ('call_to_action', 15)], blank=True, block_lookup={0: ('wagtail.blocks.CharBlock', (), {'label': 'Heading', 'max_length': 120}), 1: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('h2', 'Section (level 2)'), ('h3', 'Sub-section (level 3)')], 'label': 'Level'}), 2: ('wagtail.blocks.StructBlock', [[('text', 0), ('level', 1)]], {}), 3: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'document-link', 'ol', 'ul', 'h3', 'h4'], 'icon': 'pilcrow', 'label': 'Paragraph'}), 4: ('wagtail.images.blocks.ImageBlock', [], {'label': 'Image'}), 5: ('wagtail.blocks.CharBlock', (), {'label': 'Caption', 'max_length': 250, 'required': False}), 6: ('wagtail.blocks.StructBlock', [[('image', 4), ('caption', 5)]], {}), 7: ('wagtail.blocks.TextBlock', (), {'label': 'Quotation'}), 8: ('wagtail.blocks.CharBlock', (), {'label': 'Said by', 'max_length': 120, 'required': False}), 9: ('wagtail.blocks.StructBlock', [[('quote', 7), ('attribution', 8)]], {}), 10: ('wagtail.blocks.CharBlock', (), {'label': 'Title', 'max_length': 120}), 11: ('wagtail.blocks.TextBlock', (), {'label': 'Text', 'required': False}), 12: ('wagtail.blocks.PageChooserBlock', (), {'label': 'Page', 'required': False}), 13: ('wagtail.blocks.URLBlock', (), {'label': 'Or web address', 'required': False}), 14: ('wagtail.blocks.CharBlock', (), {'label': 'Link text', 'max_length': 80}), 15: ('wagtail.blocks.StructBlock', [[('title', 10), ('text', 11), ('page', 12), ('url', 13), ('link_text', 14)]], {})}, verbose_name='body')),
            ],
            options={
                'verbose_name': 'standard page',
                'verbose_name_plural': 'standard pages',
            },
            bases=(core.pages.PrivacyCheckedPageMixin, core.pages.ChildRouteMixin, 'wagtailcore.page'),
        ),
        migrations.CreateModel(
            name='HomePage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('introduction', models.TextField(blank=True, help_text='One or two sentences under the main heading.', verbose_name='introduction')),
                ('actions', wagtail.fields.StreamField([('link', 5)], blank=True, block_lookup={0: ('wagtail.blocks.PageChooserBlock', (), {'label': 'Page', 'required': False}), 1: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('ask_for_help', 'Form: ask for help'), ('volunteer_sign_up', 'Form: sign up to volunteer'), ('site_search', 'Search this website')], 'label': 'Or form', 'required': False}), 2: ('wagtail.blocks.CharBlock', (), {'help_text': "Leave empty to use the page's title.", 'label': 'Title', 'max_length': 80, 'required': False}), 3: ('wagtail.blocks.TextBlock', (), {'help_text': "One sentence. Leave empty to use the page's introduction.", 'label': 'Text', 'required': False}), 4: ('wagtail.blocks.ChoiceBlock', [], {'choices': core.illustrations.illustration_choices, 'label': 'Illustration', 'required': False}), 5: ('wagtail.blocks.StructBlock', [[('page', 0), ('site_link', 1), ('title', 2), ('text', 3), ('illustration', 4)]], {})}, help_text='Two to four things a visitor can do next, after searching.', verbose_name='actions')),
                ('features', wagtail.fields.StreamField([('link', 5)], blank=True, block_lookup={0: ('wagtail.blocks.PageChooserBlock', (), {'label': 'Page', 'required': False}), 1: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('ask_for_help', 'Form: ask for help'), ('volunteer_sign_up', 'Form: sign up to volunteer'), ('site_search', 'Search this website')], 'label': 'Or form', 'required': False}), 2: ('wagtail.blocks.CharBlock', (), {'help_text': "Leave empty to use the page's title.", 'label': 'Title', 'max_length': 80, 'required': False}), 3: ('wagtail.blocks.TextBlock', (), {'help_text': "One sentence. Leave empty to use the page's introduction.", 'label': 'Text', 'required': False}), 4: ('wagtail.blocks.ChoiceBlock', [], {'choices': core.illustrations.illustration_choices, 'label': 'Illustration', 'required': False}), 5: ('wagtail.blocks.StructBlock', [[('page', 0), ('site_link', 1), ('title', 2), ('text', 3), ('illustration', 4)]], {})}, help_text='Up to three sections to read, each with an illustration.', verbose_name='stories and guides')),
                ('body', wagtail.fields.StreamField([('heading', 2), ('paragraph', 3), ('figure', 6), ('quote', 9), ('call_to_action', 15)], blank=True, block_lookup={0: ('wagtail.blocks.CharBlock', (), {'label': 'Heading', 'max_length': 120}), 1: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('h2', 'Section (level 2)'), ('h3', 'Sub-section (level 3)')], 'label': 'Level'}), 2: ('wagtail.blocks.StructBlock', [[('text', 0), ('level', 1)]], {}), 3: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'document-link', 'ol', 'ul', 'h3', 'h4'], 'icon': 'pilcrow', 'label': 'Paragraph'}), 4: ('wagtail.images.blocks.ImageBlock', [], {'label': 'Image'}), 5: ('wagtail.blocks.CharBlock', (), {'label': 'Caption', 'max_length': 250, 'required': False}), 6: ('wagtail.blocks.StructBlock', [[('image', 4), ('caption', 5)]], {}), 7: ('wagtail.blocks.TextBlock', (), {'label': 'Quotation'}), 8: ('wagtail.blocks.CharBlock', (), {'label': 'Said by', 'max_length': 120, 'required': False}), 9: ('wagtail.blocks.StructBlock', [[('quote', 7), ('attribution', 8)]], {}), 10: ('wagtail.blocks.CharBlock', (), {'label': 'Title', 'max_length': 120}), 11: ('wagtail.blocks.TextBlock', (), {'label': 'Text', 'required': False}), 12: ('wagtail.blocks.PageChooserBlock', (), {'label': 'Page', 'required': False}), 13: ('wagtail.blocks.URLBlock', (), {'label': 'Or web address', 'required': False}), 14: ('wagtail.blocks.CharBlock', (), {'label': 'Link text', 'max_length': 80}), 15: ('wagtail.blocks.StructBlock', [[('title', 10), ('text', 11), ('page', 12), ('url', 13), ('link_text', 14)]], {})}, verbose_name='body')),
                ('search_page', models.ForeignKey(blank=True, help_text='The directory page that the search at the top of the home page sends to. Without one, the home page has no search.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='find support search')),
            ],
            options={
                'verbose_name': 'home page',
                'verbose_name_plural': 'home pages',
            },
            bases=(core.pages.PrivacyCheckedPageMixin, core.pages.ChildRouteMixin, 'wagtailcore.page'),
        ),
        migrations.CreateModel(
            name='Postcode',
            fields=[
                ('postcode', models.CharField(help_text='Normalised: upper case, one space before the last three characters.', max_length=8, primary_key=True, serialize=False, verbose_name='postcode')),
                ('latitude', models.FloatField(verbose_name='latitude')),
                ('longitude', models.FloatField(verbose_name='longitude')),
                ('district', models.CharField(db_index=True, max_length=4, verbose_name='postcode district')),
                ('area', models.CharField(db_index=True, max_length=3, verbose_name='postcode area')),
                ('terminated_on', models.DateField(blank=True, help_text='When Royal Mail stopped using the postcode; empty while it is live.', null=True, verbose_name='terminated on')),
                ('authority_code', models.CharField(blank=True, max_length=9, verbose_name='local authority code')),
            ],
            options={
                'verbose_name': 'postcode',
                'verbose_name_plural': 'postcodes',
                'constraints': [models.CheckConstraint(condition=models.Q(('latitude__gte', -90), ('latitude__lte', 90)), name='core_postcode_latitude_range'), models.CheckConstraint(condition=models.Q(('longitude__gte', -180), ('longitude__lte', 180)), name='core_postcode_longitude_range')],
            },
        ),
        migrations.CreateModel(
            name='PostcodeDistrict',
            fields=[
                ('district', models.CharField(max_length=4, primary_key=True, serialize=False, verbose_name='postcode district')),
                ('area', models.CharField(db_index=True, max_length=3, verbose_name='postcode area')),
                ('latitude', models.FloatField(verbose_name='latitude')),
                ('longitude', models.FloatField(verbose_name='longitude')),
                ('radius_km', models.FloatField(help_text='Roughly how far the district reaches from its centre.', verbose_name='radius (km)')),
                ('postcode_count', models.PositiveIntegerField(default=0, verbose_name='number of postcodes')),
                ('source', models.CharField(choices=[('sample', 'approximate sample'), ('postcodes', 'computed from postcodes')], max_length=10, verbose_name='source')),
                ('authority_code', models.CharField(blank=True, max_length=9, verbose_name='local authority code')),
            ],
            options={
                'verbose_name': 'postcode district',
                'verbose_name_plural': 'postcode districts',
                'constraints': [models.CheckConstraint(condition=models.Q(('latitude__gte', -90), ('latitude__lte', 90)), name='core_postcodedistrict_latitude_range'), models.CheckConstraint(condition=models.Q(('longitude__gte', -180), ('longitude__lte', 180)), name='core_postcodedistrict_longitude_range'), models.CheckConstraint(condition=models.Q(('radius_km__gte', 0)), name='core_postcodedistrict_radius_positive')],
            },
        ),
        migrations.CreateModel(
            name='ScheduledRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('job', models.CharField(max_length=64, verbose_name='job')),
                ('due_at', models.DateTimeField(verbose_name='due at')),
                ('claimed_at', models.DateTimeField(auto_now_add=True, verbose_name='claimed at')),
                ('task_result_id', models.CharField(blank=True, max_length=64, verbose_name='task result id')),
            ],
            options={
                'verbose_name': 'scheduled run',
                'verbose_name_plural': 'scheduled runs',
                'indexes': [models.Index(fields=['due_at'], name='scheduled_run_due_at')],
                'constraints': [models.UniqueConstraint(fields=('job', 'due_at'), name='one_run_per_schedule')],
            },
        ),
        migrations.CreateModel(
            name='SiteSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('organisation_name', models.CharField(default='Compassionate Communities', max_length=120, verbose_name='organisation name')),
                ('organisation_url', models.URLField(blank=True, verbose_name='organisation website')),
                ('charity_number', models.CharField(blank=True, max_length=20, verbose_name='registered charity number')),
                ('contact_email', models.EmailField(blank=True, max_length=254, verbose_name='contact email')),
                ('emergency_number', models.CharField(default='999', help_text='The number to call when someone is in danger.', max_length=10, verbose_name='emergency number')),
                ('crisis_lines', wagtail.fields.StreamField([('helpline', 5)], blank=True, block_lookup={0: ('wagtail.blocks.CharBlock', (), {'help_text': 'For example: Samaritans', 'label': 'Name', 'max_length': 80}), 1: ('wagtail.blocks.RegexBlock', (), {'error_messages': {'invalid': 'Enter a telephone number using digits and spaces.'}, 'help_text': 'As people should dial it, for example: 116 123', 'label': 'Telephone number', 'max_length': 20, 'regex': '^\\+?[0-9 ]{3,20}$'}), 2: ('wagtail.blocks.BooleanBlock', (), {'default': True, 'label': 'Free to call', 'required': False}), 3: ('wagtail.blocks.BooleanBlock', (), {'default': True, 'label': 'Open 24 hours', 'required': False}), 4: ('wagtail.blocks.CharBlock', (), {'help_text': 'Used when the line is not open 24 hours, for example: 7pm to 11pm', 'label': 'Opening hours', 'max_length': 80, 'required': False}), 5: ('wagtail.blocks.StructBlock', [[('name', 0), ('number', 1), ('free', 2), ('open_24_hours', 3), ('hours', 4)]], {})}, default=core.models.default_crisis_lines, help_text='Shown after the emergency number in the help bar at the top of every page.', verbose_name='crisis lines')),
                ('accessibility_page', models.ForeignKey(blank=True, help_text='Linked from the foot of every page.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='accessibility statement')),
                ('privacy_page', models.ForeignKey(blank=True, help_text='Linked from the foot of every page.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='privacy notice')),
                ('site', models.OneToOneField(editable=False, on_delete=django.db.models.deletion.CASCADE, to='wagtailcore.site')),
            ],
            options={
                'verbose_name': 'site settings',
            },
        ),
        migrations.RunPython(create_rate_limit_table, drop_rate_limit_table),
    ]
