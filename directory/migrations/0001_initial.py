"""The directory's tables, and the database's own indexes for the search index, made by SQL
at the end since Django has no model for them:
- SQLite: the R*Tree of the search points (`directory.search.points.BOX_TABLE`), kept in
  step with `directory_searchpoint` by three triggers, and the FTS5 text index
  (`directory.search.fulltext.TEXT_TABLE`);
- PostgreSQL: earthdistance (and the cube extension it needs) with a GiST index on the
  points' `ll_to_earth(latitude, longitude)` that carries (INCLUDE) every column the
  searches near a place read from a point, so that an index-only scan answers them; the
  text index as a tsvector table under a GIN index; and a GIN index on the copy of each
  service's document that its point and area rows carry (`fulltext.row_match_sql`);
- both: the grid's counts (`SearchCell`), kept by triggers on the points whichever way
  their rows are written or deleted (indexing, Django's cascades, raw deletes), and on
  PostgreSQL a trigger by which writers of points take turns (below).
Django remakes a SQLite table when a field is altered or removed, and the triggers go with
it: a later migration that does so to SearchPoint must make them again.

Models and columns are not all in the models' order: the bounding boxes and search keys of
the search tables and service areas, a service's programme, and a taxonomy term's parent
(before its taxonomy) are where the tables have always had them; programmes, funding and
required documents are made last, so that content types and permissions keep their ids."""

import core.pages
import django.contrib.postgres.search
import django.db.models.deletion
import modelcluster.fields
import modelsearch.index
import uuid
from django.conf import settings
from django.db import migrations, models

BOX = "directory_searchpoint_box"  # directory.search.points.BOX_TABLE
POINTS = "directory_searchpoint"
AREAS = "directory_searcharea"
TEXT = "directory_service_text"  # directory.search.fulltext.TEXT_TABLE
CELLS = "directory_searchcell"
VERSION = "directory_indexversion"
CELL_KEY = "(cell, category_set, owner)"
# The columns of the points that searches near a place read, carried by the GiST index.
COVERED = (
    "latitude, longitude, x, y, z, cell, service_id, categories, category_set, shared, "
    "service_key, step_free, accessible_toilet, hearing_loop, parking"
)


def _matches(row, owner):
    return f"cell = {row}.cell AND category_set = {row}.category_set AND owner = {owner}"


def _sqlite_cell_triggers():
    def owner(row):
        return f"CASE WHEN {row}.shared THEN {row}.service_id ELSE '' END"

    counted = "{0}.cell IS NOT NULL AND {0}.category_set IS NOT NULL"
    # Names and SQL made here, no values.
    take = (
        f"UPDATE {CELLS} SET services = services - 1 WHERE {_matches('old', owner('old'))}; "  # noqa: S608
        f"DELETE FROM {CELLS} WHERE {_matches('old', owner('old'))} AND services <= 0;"
    )
    add = (
        f"INSERT INTO {CELLS} (cell, category_set, owner, services) "
        f"SELECT new.cell, new.category_set, {owner('new')}, 1 WHERE {counted.format('new')} "
        f"ON CONFLICT {CELL_KEY} DO UPDATE SET services = services + 1;"
    )
    return [
        f"CREATE TRIGGER {CELLS}_insert AFTER INSERT ON {POINTS} BEGIN {add} END",
        f"CREATE TRIGGER {CELLS}_delete AFTER DELETE ON {POINTS} "
        f"WHEN {counted.format('old')} BEGIN {take} END",
        f"CREATE TRIGGER {CELLS}_update AFTER UPDATE OF cell, category_set, shared, "
        f"service_id ON {POINTS} BEGIN {take} {add} END",
    ]


def _postgresql_cell_triggers():
    def owner(row):
        return f"CASE WHEN {row}.shared THEN {row}.service_id::text ELSE '' END"

    return [
        f"""CREATE FUNCTION {CELLS}_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.cell IS NOT NULL
            AND OLD.category_set IS NOT NULL THEN
        UPDATE {CELLS} SET services = services - 1 WHERE {_matches("OLD", owner("OLD"))};
        DELETE FROM {CELLS} WHERE {_matches("OLD", owner("OLD"))} AND services <= 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.cell IS NOT NULL
            AND NEW.category_set IS NOT NULL THEN
        INSERT INTO {CELLS} (cell, category_set, owner, services)
        VALUES (NEW.cell, NEW.category_set, {owner("NEW")}, 1)
        ON CONFLICT {CELL_KEY} DO UPDATE SET services = {CELLS}.services + 1;
    END IF;
    RETURN NULL;
END
$$""",  # noqa: S608 - names and SQL made here, no values
        f"CREATE TRIGGER {CELLS}_count AFTER INSERT OR DELETE OR UPDATE OF cell, "
        f"category_set, shared, service_id ON {POINTS} "
        f"FOR EACH ROW EXECUTE FUNCTION {CELLS}_count()",
        # A cell's count rows are shared by every service in it, so two transactions writing
        # points must not lock them in opposite orders. Before any statement that writes
        # points (indexing, and Django's cascades, which reach the points before the
        # indexing that follows them), the transaction locks the index version's row, which
        # every bump also locks and holds until commit: writers of points take turns.
        f"""CREATE FUNCTION {POINTS}_take_turns() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM {VERSION} WHERE id = 1 FOR NO KEY UPDATE;
    RETURN NULL;
END
$$""",  # noqa: S608 - names and SQL made here, no values
        f"CREATE TRIGGER {POINTS}_take_turns BEFORE INSERT OR DELETE OR UPDATE ON {POINTS} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {POINTS}_take_turns()",
    ]


SEARCH_INDEX_SQL = {
    "sqlite": [
        f"CREATE VIRTUAL TABLE {BOX} USING rtree("
        "id, min_latitude, max_latitude, min_longitude, max_longitude)",
        f"CREATE TRIGGER {BOX}_insert AFTER INSERT ON {POINTS} BEGIN "
        f"INSERT INTO {BOX} VALUES (new.id, new.latitude, new.latitude, new.longitude, "
        "new.longitude); END",
        f"CREATE TRIGGER {BOX}_delete AFTER DELETE ON {POINTS} BEGIN "
        f"DELETE FROM {BOX} WHERE id = old.id; END",
        f"CREATE TRIGGER {BOX}_update AFTER UPDATE OF latitude, longitude ON {POINTS} BEGIN "
        f"UPDATE {BOX} SET min_latitude = new.latitude, max_latitude = new.latitude, "
        "min_longitude = new.longitude, max_longitude = new.longitude WHERE id = new.id; END",
        # Terms between spaces, split back by the ascii tokenizer (`_` is a word character).
        f"CREATE VIRTUAL TABLE {TEXT} USING fts5(name, alternate_name, organization, body, "
        "categories, tokenize = \"ascii tokenchars '_'\", detail = none)",
        *_sqlite_cell_triggers(),
    ],
    "postgresql": [
        "CREATE EXTENSION IF NOT EXISTS cube",
        "CREATE EXTENSION IF NOT EXISTS earthdistance",
        f"CREATE INDEX search_point_earth ON {POINTS} "
        f"USING gist (ll_to_earth(latitude, longitude)) INCLUDE ({COVERED})",
        f"CREATE TABLE {TEXT} (service_key bigint PRIMARY KEY, document tsvector NOT NULL)",
        f"CREATE INDEX {TEXT}_document ON {TEXT} USING gin (document)",
        f"CREATE INDEX search_point_document ON {POINTS} USING gin (document)",
        f"CREATE INDEX search_area_document ON {AREAS} USING gin (document)",
        *_postgresql_cell_triggers(),
    ],
}
DROP_SEARCH_INDEX_SQL = {
    "sqlite": [
        *(f"DROP TRIGGER {BOX}_{event}" for event in ("insert", "delete", "update")),
        *(f"DROP TRIGGER {CELLS}_{event}" for event in ("insert", "delete", "update")),
        f"DROP TABLE {BOX}",
        f"DROP TABLE {TEXT}",
    ],
    "postgresql": [
        f"DROP TRIGGER {POINTS}_take_turns ON {POINTS}",
        f"DROP FUNCTION {POINTS}_take_turns()",
        f"DROP TRIGGER {CELLS}_count ON {POINTS}",
        f"DROP FUNCTION {CELLS}_count()",
        "DROP INDEX search_area_document",
        "DROP INDEX search_point_document",
        "DROP INDEX search_point_earth",
        f"DROP TABLE {TEXT}",
    ],
}


def search_index(apps, schema_editor):
    for sql in SEARCH_INDEX_SQL.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def no_search_index(apps, schema_editor):
    for sql in DROP_SEARCH_INDEX_SQL.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('wagtailcore', '0098_apitoken'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DirectoryPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('introduction', models.TextField(blank=True, verbose_name='introduction')),
            ],
            options={
                'verbose_name': 'directory page',
                'verbose_name_plural': 'directory pages',
            },
            bases=(core.pages.PrivacyCheckedPageMixin, core.pages.RoutedPageMixin, 'wagtailcore.page'),
        ),
        migrations.CreateModel(
            name='FeedSource',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('name', models.CharField(max_length=200, unique=True, verbose_name='name')),
                ('url', models.URLField(help_text='The base address of the API, such as https://example.org/api/hsds.', max_length=2000, verbose_name='API address')),
                ('harvest_on_schedule', models.BooleanField(default=False, help_text='Fetch changes every night and everything once a week.', verbose_name='harvest on schedule')),
                ('last_harvested_at', models.DateTimeField(blank=True, null=True, verbose_name='last harvested')),
                ('last_full_harvest_at', models.DateTimeField(blank=True, null=True, verbose_name='last full harvest')),
                ('last_report', models.JSONField(blank=True, default=dict, verbose_name='last report')),
            ],
            options={
                'verbose_name': 'feed source',
                'verbose_name_plural': 'feed sources',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='IndexVersion',
            fields=[
                ('id', models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ('version', models.PositiveBigIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='Location',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('last_modified', models.DateTimeField(auto_now=True, db_index=True, verbose_name='last modified')),
                ('location_type', models.CharField(choices=[('physical', 'A place people can visit'), ('postal', 'A postal address'), ('virtual', 'Online or by phone')], default='physical', max_length=10, verbose_name='type')),
                ('name', models.CharField(blank=True, max_length=255, verbose_name='name')),
                ('alternate_name', models.CharField(blank=True, max_length=255, verbose_name='other name')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('transportation', models.TextField(blank=True, help_text='Buses, trains, parking, step-free routes.', verbose_name='how to get there')),
                ('url', models.URLField(blank=True, help_text='For online locations.', verbose_name='web address')),
                ('latitude', models.FloatField(blank=True, null=True, verbose_name='latitude')),
                ('longitude', models.FloatField(blank=True, null=True, verbose_name='longitude')),
                ('external_identifier', models.CharField(blank=True, max_length=100, verbose_name='external identifier')),
                ('external_identifier_type', models.CharField(blank=True, max_length=50, verbose_name='external identifier type')),
                ('step_free', models.BooleanField(default=False, verbose_name='step-free access')),
                ('accessible_toilet', models.BooleanField(default=False, verbose_name='accessible toilet')),
                ('hearing_loop', models.BooleanField(default=False, verbose_name='hearing loop')),
                ('parking', models.BooleanField(default=False, verbose_name='parking')),
            ],
            options={
                'verbose_name': 'location',
                'verbose_name_plural': 'locations',
                'ordering': ['name'],
            },
            bases=(modelsearch.index.Indexed, models.Model),
        ),
        migrations.CreateModel(
            name='Service',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('last_modified', models.DateTimeField(auto_now=True, db_index=True, verbose_name='last modified')),
                ('name', models.CharField(max_length=255, verbose_name='name')),
                ('alternate_name', models.CharField(blank=True, max_length=255, verbose_name='other name')),
                ('description', models.TextField(help_text='What the service does, in plain language.', verbose_name='description')),
                ('url', models.URLField(blank=True, verbose_name='website')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='email')),
                ('status', models.CharField(choices=[('active', 'Active'), ('inactive', 'Inactive'), ('defunct', 'Closed for good'), ('temporarily closed', 'Temporarily closed')], default='active', max_length=20, verbose_name='status')),
                ('interpretation_services', models.TextField(blank=True, verbose_name='interpreting')),
                ('application_process', models.TextField(blank=True, verbose_name='how to get this service')),
                ('wait_time', models.CharField(blank=True, max_length=255, verbose_name='waiting time')),
                ('fees_description', models.TextField(blank=True, verbose_name='costs')),
                ('free', models.BooleanField(default=True, help_text='Untick if people pay for any part of this service.', verbose_name='free to use')),
                ('accreditations', models.TextField(blank=True, verbose_name='accreditations')),
                ('licenses', models.TextField(blank=True, verbose_name='licences')),
                ('eligibility_description', models.TextField(blank=True, verbose_name='who it is for')),
                ('minimum_age', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='minimum age')),
                ('maximum_age', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='maximum age')),
                ('alert', models.CharField(blank=True, help_text='A short notice shown at the top, for example a change of opening times.', max_length=500, verbose_name='alert')),
                ('assured_date', models.DateField(blank=True, db_index=True, help_text='When someone last confirmed these details with the organisation.', null=True, verbose_name='last verified')),
                ('assurer_email', models.EmailField(blank=True, max_length=254, verbose_name='verified by (email)')),
                ('open_24_7', models.BooleanField(default=False, editable=False, verbose_name='open 24 hours, 7 days')),
                ('reaches_anywhere', models.BooleanField(default=False, editable=False, help_text='National, online or telephone services that are not tied to one place.', verbose_name='can be reached from anywhere')),
                ('search_key', models.PositiveBigIntegerField(blank=True, editable=False, null=True, unique=True, verbose_name='search key')),
            ],
            options={
                'verbose_name': 'service',
                'verbose_name_plural': 'services',
                'ordering': ['name'],
            },
            bases=(modelsearch.index.Indexed, models.Model),
        ),
        migrations.CreateModel(
            name='Taxonomy',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('name', models.CharField(max_length=200, unique=True, verbose_name='name')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('uri', models.URLField(blank=True, verbose_name='URI')),
                ('version', models.CharField(blank=True, max_length=50, verbose_name='version')),
            ],
            options={
                'verbose_name': 'taxonomy',
                'verbose_name_plural': 'taxonomies',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='HSDSImport',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('file', models.FileField(upload_to='hsds-imports/', verbose_name='file')),
                ('original_name', models.CharField(max_length=255, verbose_name='file name')),
                ('format', models.CharField(choices=[('json', 'HSDS JSON feed'), ('csv', 'HSDS CSV datapackage (zip)')], max_length=8, verbose_name='format')),
                ('status', models.CharField(choices=[('queued', 'Waiting to start'), ('running', 'Importing'), ('done', 'Finished'), ('failed', 'Could not be read')], default='queued', max_length=16, verbose_name='status')),
                ('message', models.TextField(blank=True, verbose_name='message')),
                ('report', models.JSONField(blank=True, default=dict, verbose_name='report')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
            ],
            options={
                'verbose_name': 'HSDS import',
                'verbose_name_plural': 'HSDS imports',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='Address',
            fields=[
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('address_type', models.CharField(choices=[('physical', 'A place people can visit'), ('postal', 'A postal address'), ('virtual', 'Online or by phone')], default='physical', max_length=10, verbose_name='type')),
                ('attention', models.CharField(blank=True, max_length=255, verbose_name='for the attention of')),
                ('address_1', models.CharField(max_length=255, verbose_name='address line 1')),
                ('address_2', models.CharField(blank=True, max_length=255, verbose_name='address line 2')),
                ('city', models.CharField(max_length=100, verbose_name='town or city')),
                ('region', models.CharField(blank=True, max_length=100, verbose_name='region')),
                ('state_province', models.CharField(blank=True, max_length=100, verbose_name='county')),
                ('postal_code', models.CharField(max_length=12, verbose_name='postcode')),
                ('country', models.CharField(default='GB', max_length=2, verbose_name='country code')),
                ('location', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='addresses', to='directory.location')),
            ],
            options={
                'verbose_name': 'address',
                'verbose_name_plural': 'addresses',
                'ordering': ['sort_order'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='LocationAccessibility',
            fields=[
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('description', models.TextField(verbose_name='description')),
                ('details', models.TextField(blank=True, verbose_name='details')),
                ('url', models.URLField(blank=True, verbose_name='more information')),
                ('location', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='accessibility', to='directory.location')),
            ],
            options={
                'verbose_name': 'accessibility information',
                'verbose_name_plural': 'accessibility information',
                'ordering': ['sort_order'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='Organization',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('last_modified', models.DateTimeField(auto_now=True, db_index=True, verbose_name='last modified')),
                ('name', models.CharField(max_length=255, verbose_name='name')),
                ('alternate_name', models.CharField(blank=True, max_length=255, verbose_name='other name')),
                ('description', models.TextField(verbose_name='description')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='email')),
                ('website', models.URLField(blank=True, verbose_name='website')),
                ('logo', models.URLField(blank=True, verbose_name='logo URL')),
                ('uri', models.URLField(blank=True, verbose_name='URI')),
                ('legal_status', models.CharField(blank=True, max_length=100, verbose_name='legal status')),
                ('tax_status', models.CharField(blank=True, max_length=100, verbose_name='tax status')),
                ('tax_id', models.CharField(blank=True, max_length=100, verbose_name='tax ID')),
                ('year_incorporated', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='year incorporated')),
                ('charity_number', models.CharField(blank=True, max_length=20, verbose_name='registered charity number')),
                ('editors', models.ManyToManyField(blank=True, help_text="People who may edit this organisation's services and locations.", related_name='directory_organizations', to=settings.AUTH_USER_MODEL, verbose_name='editors')),
                ('parent_organization', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='child_organizations', to='directory.organization', verbose_name='parent organisation')),
            ],
            options={
                'verbose_name': 'organisation',
                'verbose_name_plural': 'organisations',
                'ordering': ['name'],
                'permissions': [('edit_any_organization', "Can edit every organisation's directory records")],
            },
            bases=(modelsearch.index.Indexed, models.Model),
        ),
        migrations.AddField(
            model_name='location',
            name='organization',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='locations', to='directory.organization', verbose_name='organisation'),
        ),
        migrations.CreateModel(
            name='ServiceOrigin',
            fields=[
                ('service', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='origin', serialize=False, to='directory.service', verbose_name='service')),
                ('feed_name', models.CharField(db_index=True, max_length=200, verbose_name='feed')),
                ('feed_url', models.URLField(blank=True, max_length=2000, verbose_name='feed address')),
                ('id_in_feed', models.CharField(blank=True, max_length=255, verbose_name='id in the feed')),
                ('fetched_at', models.DateTimeField(verbose_name='fetched')),
                ('content_hash', models.CharField(blank=True, max_length=64)),
            ],
            options={
                'verbose_name': 'service origin',
                'verbose_name_plural': 'service origins',
            },
        ),
        migrations.AddField(
            model_name='service',
            name='organization',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='services', to='directory.organization', verbose_name='organisation'),
        ),
        migrations.CreateModel(
            name='SearchPoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('latitude', models.FloatField()),
                ('longitude', models.FloatField()),
                ('categories', models.TextField(blank=True)),
                ('step_free', models.BooleanField(default=False)),
                ('accessible_toilet', models.BooleanField(default=False)),
                ('hearing_loop', models.BooleanField(default=False)),
                ('parking', models.BooleanField(default=False)),
                ('shared', models.BooleanField(default=False)),
                ('location', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='search_points', to='directory.location')),
                ('service', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='search_points', to='directory.service')),
                ('service_key', models.PositiveBigIntegerField(null=True)),
                ('category_set', models.BigIntegerField(null=True)),
                ('x', models.FloatField(null=True)),
                ('y', models.FloatField(null=True)),
                ('z', models.FloatField(null=True)),
                ('cell', models.IntegerField(null=True)),
                ('document', django.contrib.postgres.search.SearchVectorField(null=True)),
            ],
            options={
                'constraints': [
                    models.UniqueConstraint(fields=('service', 'location'), name='unique_search_point'),
                ],
            },
        ),
        migrations.CreateModel(
            name='SearchArea',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=20)),
                ('extent', models.TextField(blank=True)),
                ('name', models.CharField(max_length=255)),
                ('categories', models.TextField(blank=True)),
                ('located', models.BooleanField(default=False)),
                ('service', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='search_areas', to='directory.service')),
                ('max_latitude', models.FloatField(null=True)),
                ('max_longitude', models.FloatField(null=True)),
                ('min_latitude', models.FloatField(null=True)),
                ('min_longitude', models.FloatField(null=True)),
                ('service_key', models.PositiveBigIntegerField(null=True)),
                ('document', django.contrib.postgres.search.SearchVectorField(null=True)),
            ],
            options={
                'indexes': [
                    models.Index(fields=['kind'], name='search_area_kind'),
                    models.Index(condition=models.Q(('min_latitude__isnull', False)), fields=['kind', 'min_latitude', 'max_latitude', 'min_longitude', 'max_longitude'], name='search_area_box'),
                ],
            },
        ),
        migrations.CreateModel(
            name='Phone',
            fields=[
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('number', models.CharField(max_length=40, verbose_name='number')),
                ('extension', models.PositiveIntegerField(blank=True, null=True, verbose_name='extension')),
                ('type', models.CharField(blank=True, choices=[('voice', 'Voice'), ('text', 'Text message'), ('textphone', 'Textphone'), ('fax', 'Fax'), ('video', 'Video call')], default='voice', max_length=10, verbose_name='type')),
                ('description', models.CharField(blank=True, max_length=500, verbose_name='description')),
                ('languages', models.CharField(blank=True, help_text='Language codes, e.g. en, cy', max_length=100, verbose_name='languages')),
                ('service', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='phones', to='directory.service')),
            ],
            options={
                'verbose_name': 'phone',
                'verbose_name_plural': 'phones',
                'ordering': ['sort_order'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='CostOption',
            fields=[
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('option', models.CharField(blank=True, max_length=255, verbose_name='what for')),
                ('amount', models.DecimalField(blank=True, decimal_places=2, max_digits=9, null=True, verbose_name='amount')),
                ('currency', models.CharField(default='GBP', max_length=3, verbose_name='currency')),
                ('amount_description', models.CharField(blank=True, max_length=255, verbose_name='description')),
                ('valid_from', models.DateField(blank=True, null=True, verbose_name='from')),
                ('valid_to', models.DateField(blank=True, null=True, verbose_name='until')),
                ('service', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='cost_options', to='directory.service')),
            ],
            options={
                'verbose_name': 'cost',
                'verbose_name_plural': 'costs',
                'ordering': ['sort_order'],
                'abstract': False,
                'constraints': [
                    models.CheckConstraint(condition=models.Q(('amount__isnull', True), ('amount__gte', 0), _connector='OR'), name='cost_not_negative'),
                ],
            },
        ),
        migrations.CreateModel(
            name='Contact',
            fields=[
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('name', models.CharField(blank=True, max_length=255, verbose_name='name')),
                ('title', models.CharField(blank=True, max_length=255, verbose_name='job title')),
                ('department', models.CharField(blank=True, max_length=255, verbose_name='department')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='email')),
                ('service', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='contacts', to='directory.service')),
            ],
            options={
                'verbose_name': 'contact',
                'verbose_name_plural': 'contacts',
                'ordering': ['sort_order'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='ServiceArea',
            fields=[
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('name', models.CharField(max_length=255, verbose_name='name')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('extent_type', models.CharField(choices=[('national', 'The whole country'), ('region', 'A named region'), ('radius', 'Within a distance of a point'), ('districts', 'A list of postcode districts'), ('geojson', 'A shape on the map (GeoJSON)')], default='districts', max_length=10, verbose_name='kind of area')),
                ('extent', models.TextField(blank=True, help_text='For districts: SE13, SE6, BR1 ... For a radius: latitude, longitude, km. For a shape: a GeoJSON Polygon or MultiPolygon (or a Feature holding one).', verbose_name='extent')),
                ('uri', models.URLField(blank=True, verbose_name='URI')),
                ('service', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='service_areas', to='directory.service')),
                ('max_latitude', models.FloatField(blank=True, editable=False, null=True)),
                ('max_longitude', models.FloatField(blank=True, editable=False, null=True)),
                ('min_latitude', models.FloatField(blank=True, editable=False, null=True)),
                ('min_longitude', models.FloatField(blank=True, editable=False, null=True)),
            ],
            options={
                'verbose_name': 'service area',
                'verbose_name_plural': 'service areas',
                'ordering': ['sort_order'],
                'abstract': False,
                'indexes': [
                    models.Index(fields=['extent_type'], name='service_area_extent_type'),
                ],
            },
        ),
        migrations.CreateModel(
            name='ServiceAtLocation',
            fields=[
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('description', models.TextField(blank=True, verbose_name='notes for this location')),
                ('location', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='service_at_locations', to='directory.location', verbose_name='location')),
                ('service', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='service_at_locations', to='directory.service')),
            ],
            options={
                'verbose_name': 'service at a location',
                'verbose_name_plural': 'service locations',
                'ordering': ['sort_order'],
                'abstract': False,
                'constraints': [
                    models.UniqueConstraint(fields=('service', 'location'), name='unique_service_location'),
                ],
            },
        ),
        migrations.CreateModel(
            name='Schedule',
            fields=[
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('freq', models.CharField(blank=True, choices=[('WEEKLY', 'Every week'), ('MONTHLY', 'Every month')], default='WEEKLY', max_length=10, verbose_name='repeats')),
                ('interval', models.PositiveSmallIntegerField(default=1, verbose_name='every')),
                ('byday', models.CharField(blank=True, help_text='MO,TU,WE,TH,FR,SA,SU; monthly rules may use 1MO (first Monday), -1FR (last Friday)', max_length=60, verbose_name='days')),
                ('bymonthday', models.CharField(blank=True, max_length=60, verbose_name='days of the month')),
                ('opens_at', models.TimeField(blank=True, null=True, verbose_name='opens at')),
                ('closes_at', models.TimeField(blank=True, null=True, verbose_name='closes at')),
                ('valid_from', models.DateField(blank=True, null=True, verbose_name='from')),
                ('valid_to', models.DateField(blank=True, null=True, verbose_name='until')),
                ('dtstart', models.DateField(blank=True, null=True, verbose_name='first occurrence')),
                ('closed', models.BooleanField(default=False, help_text='Closed between these dates (e.g. bank holidays).', verbose_name='closed')),
                ('description', models.CharField(blank=True, max_length=500, verbose_name='description')),
                ('notes', models.CharField(blank=True, max_length=500, verbose_name='notes')),
                ('attending_type', models.CharField(blank=True, max_length=255, verbose_name='how people attend')),
                ('schedule_link', models.URLField(blank=True, verbose_name='timetable link')),
                ('service', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='schedules', to='directory.service')),
                ('service_at_location', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='schedules', to='directory.serviceatlocation', verbose_name='only at this location')),
            ],
            options={
                'verbose_name': 'opening time',
                'verbose_name_plural': 'opening times',
                'ordering': ['sort_order'],
                'abstract': False,
                'constraints': [
                    models.CheckConstraint(condition=models.Q(('opens_at__isnull', True), ('closes_at__isnull', True), ('opens_at__lt', models.F('closes_at')), _connector='OR'), name='schedule_opens_before_it_closes'),
                    models.CheckConstraint(condition=models.Q(('valid_from__isnull', True), ('valid_to__isnull', True), ('valid_from__lte', models.F('valid_to')), _connector='OR'), name='schedule_valid_range'),
                    models.CheckConstraint(condition=models.Q(('interval__gte', 1)), name='schedule_interval_positive'),
                ],
            },
        ),
        migrations.CreateModel(
            name='ServiceFeedback',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('edit', 'Something needs changing'), ('closed', 'The service has closed')], max_length=10, verbose_name='what is wrong')),
                ('message', models.TextField(max_length=2000, verbose_name='message')),
                ('email', models.EmailField(blank=True, help_text='Only if you would like a reply.', max_length=254, verbose_name='your email (optional)')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='sent')),
                ('resolved_at', models.DateTimeField(blank=True, null=True, verbose_name='resolved')),
                ('service', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='feedback', to='directory.service')),
            ],
            options={
                'verbose_name': 'feedback about a service',
                'verbose_name_plural': 'feedback about services',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='ServiceLanguage',
            fields=[
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('code', models.CharField(db_index=True, help_text='ISO 639, e.g. en, cy, ur', max_length=10, verbose_name='language code')),
                ('name', models.CharField(blank=True, max_length=100, verbose_name='name')),
                ('note', models.CharField(blank=True, max_length=255, verbose_name='note')),
                ('service', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='languages', to='directory.service')),
            ],
            options={
                'verbose_name': 'language',
                'verbose_name_plural': 'languages',
                'ordering': ['sort_order'],
                'abstract': False,
                'constraints': [
                    models.UniqueConstraint(fields=('service', 'code'), name='unique_service_language'),
                ],
            },
        ),
        migrations.CreateModel(
            name='TaxonomyTerm',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('code', models.SlugField(max_length=100, verbose_name='code')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('term_uri', models.URLField(blank=True, verbose_name='term URI')),
                ('language', models.CharField(blank=True, max_length=10, verbose_name='language')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='directory.taxonomyterm', verbose_name='parent term')),
                ('taxonomy', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='terms', to='directory.taxonomy', verbose_name='taxonomy')),
                ('maps_to', models.ForeignKey(blank=True, help_text="For a term of another taxonomy (for example an imported feed's service types): the category of this site's own taxonomy its services are found under.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='mapped_from', to='directory.taxonomyterm', verbose_name='found under')),
            ],
            options={
                'verbose_name': 'taxonomy term',
                'verbose_name_plural': 'taxonomy terms',
                'ordering': ['taxonomy__name', 'name'],
                'constraints': [
                    models.UniqueConstraint(fields=('taxonomy', 'code'), name='unique_term_code'),
                    models.CheckConstraint(condition=models.Q(('parent', models.F('id')), _negated=True), name='term_not_own_parent'),
                    models.CheckConstraint(condition=models.Q(('maps_to', models.F('id')), _negated=True), name='term_not_mapped_to_itself'),
                ],
            },
        ),
        migrations.CreateModel(
            name='ServiceCategory',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(default='', max_length=255)),
                ('service', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='category_index', to='directory.service')),
                ('term', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='service_index', to='directory.taxonomyterm')),
            ],
            options={
                'indexes': [
                    models.Index(fields=['service'], name='service_category_service'),
                    models.Index(fields=['term', 'name', 'service'], name='service_category_listing'),
                ],
                'constraints': [
                    models.UniqueConstraint(fields=('term', 'service'), name='unique_service_category'),
                ],
            },
        ),
        migrations.AddField(
            model_name='service',
            name='categories',
            field=modelcluster.fields.ParentalManyToManyField(blank=True, related_name='services', to='directory.taxonomyterm', verbose_name='categories'),
        ),
        migrations.AddIndex(
            model_name='location',
            index=models.Index(fields=['latitude', 'longitude'], name='location_lat_lon'),
        ),
        migrations.AddConstraint(
            model_name='location',
            constraint=models.CheckConstraint(condition=models.Q(('latitude__isnull', True), models.Q(('latitude__gte', -90), ('latitude__lte', 90)), _connector='OR'), name='location_latitude_range'),
        ),
        migrations.AddConstraint(
            model_name='location',
            constraint=models.CheckConstraint(condition=models.Q(('longitude__isnull', True), models.Q(('longitude__gte', -180), ('longitude__lte', 180)), _connector='OR'), name='location_longitude_range'),
        ),
        migrations.AddConstraint(
            model_name='location',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('latitude__isnull', True), ('longitude__isnull', True)), models.Q(('latitude__isnull', False), ('longitude__isnull', False)), _connector='OR'), name='location_coordinates_together'),
        ),
        migrations.AddField(
            model_name='serviceorigin',
            name='source',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='origins', to='directory.feedsource', verbose_name='feed source'),
        ),
        migrations.CreateModel(
            name='Funding',
            fields=[
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('source', models.TextField(help_text='Who pays for it, for example “NHS South East London” or “Donations”.', verbose_name='source of funds')),
                ('organization', modelcluster.fields.ParentalKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='funding', to='directory.organization', verbose_name='organisation')),
                ('service', modelcluster.fields.ParentalKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='funding', to='directory.service', verbose_name='service')),
            ],
            options={
                'verbose_name': 'funding',
                'verbose_name_plural': 'funding',
                'ordering': ['sort_order'],
                'abstract': False,
                'constraints': [
                    models.CheckConstraint(condition=models.Q(('service__isnull', False), ('organization__isnull', False), _connector='OR'), name='funding_has_a_recipient'),
                    models.CheckConstraint(condition=models.Q(('source', ''), _negated=True), name='funding_has_a_source'),
                ],
            },
        ),
        migrations.CreateModel(
            name='Program',
            fields=[
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('name', models.CharField(max_length=255, verbose_name='name')),
                ('alternate_name', models.CharField(blank=True, max_length=255, verbose_name='other name')),
                ('description', models.TextField(verbose_name='description')),
                ('organization', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='programs', to='directory.organization', verbose_name='organisation')),
            ],
            options={
                'verbose_name': 'programme',
                'verbose_name_plural': 'programmes',
                'ordering': ['sort_order'],
                'abstract': False,
                'constraints': [
                    models.CheckConstraint(condition=models.Q(('name', ''), _negated=True), name='program_has_a_name'),
                ],
            },
        ),
        migrations.AddField(
            model_name='service',
            name='program',
            field=models.ForeignKey(blank=True, help_text="The organisation's programme this service is part of, if any.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='services', to='directory.program', verbose_name='programme'),
        ),
        migrations.CreateModel(
            name='RequiredDocument',
            fields=[
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('document', models.TextField(blank=True, help_text='What to bring, in plain language.', verbose_name='document')),
                ('uri', models.URLField(blank=True, verbose_name='link to the document')),
                ('service', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='required_documents', to='directory.service')),
            ],
            options={
                'verbose_name': 'required document',
                'verbose_name_plural': 'required documents',
                'ordering': ['sort_order'],
                'abstract': False,
                'constraints': [
                    models.CheckConstraint(condition=models.Q(models.Q(('document', ''), _negated=True), models.Q(('uri', ''), _negated=True), _connector='OR'), name='required_document_says_what'),
                ],
            },
        ),
        migrations.AddIndex(
            model_name='service',
            index=models.Index(fields=['name', 'id'], name='service_name_id'),
        ),
        migrations.AddIndex(
            model_name='service',
            index=models.Index(condition=models.Q(('reaches_anywhere', True)), fields=['reaches_anywhere'], name='service_reaches_anywhere'),
        ),
        migrations.AddConstraint(
            model_name='service',
            constraint=models.CheckConstraint(condition=models.Q(('minimum_age__isnull', True), ('maximum_age__isnull', True), ('minimum_age__lte', models.F('maximum_age')), _connector='OR'), name='service_age_range'),
        ),
        migrations.AddConstraint(
            model_name='service',
            constraint=models.CheckConstraint(condition=models.Q(('maximum_age__isnull', True), ('maximum_age__lte', 130), _connector='OR'), name='service_maximum_age_plausible'),
        ),
        migrations.CreateModel(
            name='SearchCategorySet',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('digest', models.CharField(max_length=64, unique=True)),
                ('categories', models.TextField(blank=True)),
            ],
        ),
        migrations.CreateModel(
            name='SearchCell',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('cell', models.IntegerField()),
                ('category_set', models.BigIntegerField()),
                ('owner', models.CharField(blank=True, max_length=36)),
                ('services', models.IntegerField(default=0)),
            ],
            options={
                'indexes': [models.Index(fields=['cell', 'category_set', 'owner', 'services'], name='search_cell_counts')],
                'constraints': [models.UniqueConstraint(fields=('cell', 'category_set', 'owner'), name='unique_search_cell')],
            },
        ),
        migrations.RunPython(search_index, no_search_index),
    ]
