
import django.db.models.deletion
import modelcluster.contrib.taggit
import modelcluster.fields
import wagtail.fields
from django.conf import settings
import core.pages
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
        ('wagtailcore', '0098_apitoken'),
        ('wagtaildocs', '0014_alter_document_file_size'),
    ]

    operations = [
        migrations.CreateModel(
            name='ResourceLibraryPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('introduction', models.TextField(blank=True, verbose_name='introduction')),
            ],
            options={
                'verbose_name': 'resource library',
                'verbose_name_plural': 'resource libraries',
            },
            bases=(core.pages.RoutedPageMixin, 'wagtailcore.page'),
        ),
        migrations.CreateModel(
            name='ResourcePage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('summary', models.TextField(help_text='One or two sentences shown in the library.', max_length=300, verbose_name='summary')),
                ('audience', models.CharField(choices=[('anyone', 'Anyone'), ('carers', 'Carers'), ('children', 'Children and young people'), ('professionals', 'Professionals')], default='anyone', max_length=16, verbose_name='audience')),
                ('body', wagtail.fields.StreamField([('heading', 2), ('paragraph', 3), ('figure', 6), ('quote', 9), ('download', 12), ('call_to_action', 18)], blank=True, block_lookup={0: ('wagtail.blocks.CharBlock', (), {'label': 'Heading', 'max_length': 120}), 1: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('h2', 'Section (level 2)'), ('h3', 'Sub-section (level 3)')], 'label': 'Level'}), 2: ('wagtail.blocks.StructBlock', [[('text', 0), ('level', 1)]], {}), 3: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'document-link', 'ol', 'ul', 'h3', 'h4'], 'icon': 'pilcrow', 'label': 'Paragraph'}), 4: ('wagtail.images.blocks.ImageBlock', [], {'label': 'Image'}), 5: ('wagtail.blocks.CharBlock', (), {'label': 'Caption', 'max_length': 250, 'required': False}), 6: ('wagtail.blocks.StructBlock', [[('image', 4), ('caption', 5)]], {}), 7: ('wagtail.blocks.TextBlock', (), {'label': 'Quotation'}), 8: ('wagtail.blocks.CharBlock', (), {'label': 'Said by', 'max_length': 120, 'required': False}), 9: ('wagtail.blocks.StructBlock', [[('quote', 7), ('attribution', 8)]], {}), 10: ('wagtail.documents.blocks.DocumentChooserBlock', (), {'label': 'Document'}), 11: ('wagtail.blocks.CharBlock', (), {'help_text': "Leave empty to use the document's title.", 'label': 'Link text', 'max_length': 120, 'required': False}), 12: ('wagtail.blocks.StructBlock', [[('document', 10), ('title', 11)]], {}), 13: ('wagtail.blocks.CharBlock', (), {'label': 'Title', 'max_length': 120}), 14: ('wagtail.blocks.TextBlock', (), {'label': 'Text', 'required': False}), 15: ('wagtail.blocks.PageChooserBlock', (), {'label': 'Page', 'required': False}), 16: ('wagtail.blocks.URLBlock', (), {'label': 'Or web address', 'required': False}), 17: ('wagtail.blocks.CharBlock', (), {'label': 'Link text', 'max_length': 80}), 18: ('wagtail.blocks.StructBlock', [[('title', 13), ('text', 14), ('page', 15), ('url', 16), ('link_text', 17)]], {})}, verbose_name='body')),
            ],
            options={
                'verbose_name': 'resource',
                'verbose_name_plural': 'resources',
            },
            bases=('wagtailcore.page',),
        ),
        migrations.CreateModel(
            name='StoryIndexPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('introduction', models.TextField(blank=True, verbose_name='introduction')),
                ('share_introduction', models.TextField(blank=True, help_text='Shown above the form where people share their own story.', verbose_name='introduction to sharing a story')),
            ],
            options={
                'verbose_name': 'story index page',
                'verbose_name_plural': 'story index pages',
            },
            bases=(core.pages.RoutedPageMixin, 'wagtailcore.page'),
        ),
        migrations.CreateModel(
            name='StoryPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('summary', models.TextField(help_text='One or two sentences shown in lists.', max_length=300, verbose_name='summary')),
                ('storyteller_name', models.CharField(blank=True, help_text='As the storyteller wants it shown. Leave empty to publish anonymously.', max_length=80, verbose_name="storyteller's name")),
                ('role', models.CharField(choices=[('carer', 'Carer'), ('bereaved', 'Bereaved'), ('living_with_illness', 'Living with illness'), ('volunteer', 'Volunteer'), ('professional', 'Professional')], max_length=24, verbose_name="storyteller's role")),
                ('content_note', models.CharField(blank=True, help_text='Shown before the story, for example: this story mentions suicide. Leave empty if none is needed.', max_length=200, verbose_name='content note')),
                ('body', wagtail.fields.StreamField([('paragraph', 0), ('heading', 3), ('quote', 6), ('figure', 9)], block_lookup={0: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link'], 'icon': 'pilcrow', 'label': 'Paragraph'}), 1: ('wagtail.blocks.CharBlock', (), {'label': 'Heading', 'max_length': 120}), 2: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('h2', 'Section (level 2)'), ('h3', 'Sub-section (level 3)')], 'label': 'Level'}), 3: ('wagtail.blocks.StructBlock', [[('text', 1), ('level', 2)]], {}), 4: ('wagtail.blocks.TextBlock', (), {'label': 'Quotation'}), 5: ('wagtail.blocks.CharBlock', (), {'label': 'Said by', 'max_length': 120, 'required': False}), 6: ('wagtail.blocks.StructBlock', [[('quote', 4), ('attribution', 5)]], {}), 7: ('wagtail.images.blocks.ImageBlock', [], {'label': 'Image'}), 8: ('wagtail.blocks.CharBlock', (), {'label': 'Caption', 'max_length': 250, 'required': False}), 9: ('wagtail.blocks.StructBlock', [[('image', 7), ('caption', 8)]], {})}, verbose_name='story')),
                ('featured', models.BooleanField(default=False, help_text='Featured stories are listed first.', verbose_name='featured')),
                ('consent_to_publish', models.BooleanField(default=False, verbose_name='the storyteller consented to publication')),
                ('consent_recorded_at', models.DateTimeField(blank=True, null=True, verbose_name='consent recorded at')),
                ('consent_how', models.CharField(blank=True, help_text='For example: the sharing form on the website, a signed form, by phone.', max_length=200, verbose_name='how consent was given')),
                ('anonymised', models.BooleanField(default=False, help_text='Names and places that could identify someone have been removed.', verbose_name='anonymised')),
                ('submitted_through_website', models.BooleanField(default=False, editable=False, verbose_name='shared through the website')),
                ('editorial_notes', models.TextField(blank=True, verbose_name='notes for editors')),
            ],
            options={
                'verbose_name': 'story',
                'verbose_name_plural': 'stories',
            },
            bases=(core.pages.RoutedPageMixin, 'wagtailcore.page'),
        ),
        migrations.CreateModel(
            name='ResourcePageTag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('content_object', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='tagged_items', to='stories.resourcepage')),
                ('tag', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='%(app_label)s_%(class)s_items', to='taggit.tag')),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.AddField(
            model_name='resourcepage',
            name='tags',
            field=modelcluster.contrib.taggit.ClusterTaggableManager(blank=True, help_text=None, through='stories.ResourcePageTag', to='taggit.Tag', verbose_name='topics'),
        ),
        migrations.CreateModel(
            name='StoryPageTag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('content_object', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='tagged_items', to='stories.storypage')),
                ('tag', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='%(app_label)s_%(class)s_items', to='taggit.tag')),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.AddField(
            model_name='storypage',
            name='tags',
            field=modelcluster.contrib.taggit.ClusterTaggableManager(blank=True, help_text=None, through='stories.StoryPageTag', to='taggit.Tag', verbose_name='topics'),
        ),
        migrations.CreateModel(
            name='ResourceFormatLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('format', models.CharField(choices=[('pdf', 'PDF'), ('easy_read', 'Easy read'), ('large_print', 'Large print'), ('audio', 'Audio'), ('bsl', 'British Sign Language video')], max_length=16, verbose_name='format')),
                ('language', models.CharField(choices=[('en', 'English'), ('cy', 'Welsh'), ('pl', 'Polish'), ('bn', 'Bengali'), ('ur', 'Urdu'), ('ar', 'Arabic')], max_length=8, verbose_name='language')),
                ('url', models.URLField(blank=True, help_text='For a video or recording kept elsewhere, such as a BSL video.', verbose_name='web address')),
                ('document', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='wagtaildocs.document', verbose_name='document')),
                ('page', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='formats', to='stories.resourcepage')),
            ],
            options={
                'verbose_name': 'format',
                'verbose_name_plural': 'formats',
                'ordering': ['sort_order'],
                'abstract': False,
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('document__isnull', False), ('url', '')), models.Q(('document__isnull', True), models.Q(('url', ''), _negated=True)), _connector='OR'), name='stories_resourceformatlink_document_or_url')],
            },
        ),
    ]
