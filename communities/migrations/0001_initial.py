
import django.db.models.deletion
import modelcluster.fields
import wagtail.fields
from django.conf import settings
import core.pages
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [
        migrations.CreateModel(
            name='EventIndexPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('introduction', models.TextField(blank=True, verbose_name='introduction')),
            ],
            options={
                'verbose_name': 'events page',
                'verbose_name_plural': 'events pages',
            },
            bases=(core.pages.RoutedPageMixin, 'wagtailcore.page'),
        ),
        migrations.CreateModel(
            name='GroupIndexPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('introduction', models.TextField(blank=True, verbose_name='introduction')),
            ],
            options={
                'verbose_name': 'community groups index',
                'verbose_name_plural': 'community groups indexes',
            },
            bases=('wagtailcore.page',),
        ),
        migrations.CreateModel(
            name='CommunityGroupPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('summary', models.TextField(help_text='One or two sentences shown in lists.', max_length=400, verbose_name='who we are')),
                ('description', wagtail.fields.RichTextField(blank=True, verbose_name='what we do')),
                ('area', models.CharField(help_text='For example: Hackney, east London', max_length=200, verbose_name='where')),
                ('contact_name', models.CharField(blank=True, max_length=120, verbose_name='contact name')),
                ('contact_email', models.EmailField(blank=True, max_length=254, verbose_name='contact email')),
                ('contact_phone', models.CharField(blank=True, max_length=40, verbose_name='contact phone')),
                ('website', models.URLField(blank=True, verbose_name='website')),
                ('languages', models.CharField(blank=True, help_text='The languages spoken at the group, for example: English, Bengali', max_length=200, verbose_name='languages')),
                ('accessibility', models.TextField(blank=True, help_text='Step-free access, hearing loop, quiet space, what to expect on arrival.', verbose_name='accessibility')),
                ('trusted', models.BooleanField(default=False, help_text="A trusted group's editors publish their events without moderation.", verbose_name='trusted group')),
                ('editors_group', models.OneToOneField(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='community_group_page', to='auth.group', verbose_name='editors group')),
            ],
            options={
                'verbose_name': 'community group',
                'verbose_name_plural': 'community groups',
                'permissions': [('trust_community_group', 'Can mark a community group as trusted')],
            },
            bases=(core.pages.RoutedPageMixin, 'wagtailcore.page'),
        ),
        migrations.CreateModel(
            name='EventPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('summary', models.TextField(max_length=400, verbose_name='summary')),
                ('description', wagtail.fields.RichTextField(blank=True, verbose_name='description')),
                ('event_type', models.CharField(choices=[('death_cafe', 'Death Café'), ('bereavement_group', 'Bereavement support group'), ('walk', 'Walking group'), ('talk', 'Talk or workshop'), ('social', 'Social or coffee morning'), ('faith', 'Faith or remembrance gathering')], db_index=True, max_length=30, verbose_name='type of event')),
                ('language', models.CharField(choices=[('en', 'English'), ('cy', 'Welsh'), ('pl', 'Polish'), ('bn', 'Bengali'), ('ur', 'Urdu'), ('ar', 'Arabic'), ('pa', 'Punjabi'), ('gu', 'Gujarati'), ('so', 'Somali'), ('bsl', 'British Sign Language')], db_index=True, default='en', max_length=8, verbose_name='language')),
                ('start_date', models.DateField(verbose_name='date')),
                ('start_time', models.TimeField(verbose_name='starts at')),
                ('end_time', models.TimeField(verbose_name='ends at')),
                ('time_zone', models.CharField(choices=[('Europe/London', 'Europe/London'), ('Europe/Dublin', 'Europe/Dublin')], default='Europe/London', max_length=64, verbose_name='time zone')),
                ('repeat', models.CharField(blank=True, choices=[('', 'Does not repeat'), ('weekly', 'Weekly'), ('monthly', 'Monthly on the same weekday (for example the second Tuesday)')], default='', max_length=10, verbose_name='repeats')),
                ('repeat_interval', models.PositiveSmallIntegerField(default=1, help_text='1 for every week or month, 2 for every other, and so on.', verbose_name='every')),
                ('monthly_week', models.SmallIntegerField(blank=True, choices=[(1, 'First'), (2, 'Second'), (3, 'Third'), (4, 'Fourth'), (-1, 'Last')], help_text='Leave empty to use the week of the first date.', null=True, verbose_name='which week of the month')),
                ('repeat_count', models.PositiveSmallIntegerField(blank=True, help_text='Leave empty to keep repeating.', null=True, verbose_name='number of times')),
                ('repeat_until', models.DateField(blank=True, null=True, verbose_name='repeat until')),
                ('online', models.BooleanField(default=False, verbose_name='online event')),
                ('online_url', models.URLField(blank=True, verbose_name='online link')),
                ('online_link_for_booked_only', models.BooleanField(default=True, verbose_name='show the online link only to people who booked')),
                ('venue_name', models.CharField(blank=True, max_length=200, verbose_name='venue')),
                ('address', models.TextField(blank=True, verbose_name='address')),
                ('postcode', models.CharField(blank=True, help_text='Used to put the event on the map and find it by distance.', max_length=40, verbose_name='postcode or town')),
                ('latitude', models.FloatField(blank=True, editable=False, null=True, verbose_name='latitude')),
                ('longitude', models.FloatField(blank=True, editable=False, null=True, verbose_name='longitude')),
                ('accessibility', models.TextField(blank=True, verbose_name='accessibility')),
                ('free', models.BooleanField(default=True, verbose_name='free')),
                ('cost', models.CharField(blank=True, help_text='For example: £3, or pay what you can', max_length=120, verbose_name='cost')),
                ('capacity', models.PositiveIntegerField(blank=True, help_text='How many people can come each time. Leave empty for no booking.', null=True, verbose_name='places')),
                ('first_starts_at', models.DateTimeField(db_index=True, editable=False, null=True)),
                ('last_ends_at', models.DateTimeField(db_index=True, editable=False, null=True)),
            ],
            options={
                'verbose_name': 'event',
                'verbose_name_plural': 'events',
                'indexes': [models.Index(fields=['latitude', 'longitude'], name='event_coordinates')],
            },
            bases=(core.pages.RoutedPageMixin, 'wagtailcore.page'),
        ),
        migrations.CreateModel(
            name='EventException',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('date', models.DateField(verbose_name='date')),
                ('event', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='exceptions', to='communities.eventpage')),
            ],
            options={
                'verbose_name': 'date it does not happen',
                'ordering': ['sort_order'],
                'abstract': False,
                'constraints': [models.UniqueConstraint(fields=('event', 'date'), name='event_exception_unique_date')],
            },
        ),
        migrations.CreateModel(
            name='Booking',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('starts_at', models.DateTimeField(verbose_name='occurrence')),
                ('name', models.CharField(max_length=120, verbose_name='your name')),
                ('email', models.EmailField(max_length=254, verbose_name='your email address')),
                ('language', models.CharField(default='en', max_length=10)),
                ('status', models.CharField(choices=[('confirmed', 'Booked'), ('waiting', 'On the waiting list'), ('cancelled', 'Cancelled')], db_index=True, max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('cancelled_at', models.DateTimeField(blank=True, null=True)),
                ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='bookings', to='communities.eventpage')),
            ],
            options={
                'verbose_name': 'booking',
                'verbose_name_plural': 'bookings',
                'ordering': ['created_at', 'pk'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'cancelled'), _negated=True), fields=('event', 'starts_at', 'email'), name='booking_one_per_person_per_occurrence')],
            },
        ),
        migrations.CreateModel(
            name='OccurrenceSeats',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('starts_at', models.DateTimeField()),
                ('booked', models.PositiveIntegerField(default=0)),
                ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='seats', to='communities.eventpage')),
            ],
            options={
                'verbose_name': 'places taken',
                'constraints': [models.UniqueConstraint(fields=('event', 'starts_at'), name='seats_one_per_occurrence'), models.CheckConstraint(condition=models.Q(('booked__gte', 0)), name='seats_booked_not_negative')],
            },
        ),
    ]
