"""The directory's search index tables (the text index is `directory.search.fulltext`)."""

from django.contrib.postgres.search import SearchVectorField
from django.db import connection, models


class IndexVersion(models.Model):
    """A counter raised whenever searchable data changes; cached search figures carry it.

    Kept in the database rather than the cache, so every process sees a change at once.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"search data version {self.version}"

    @classmethod
    def current(cls):
        row = cls.objects.filter(pk=1).values_list("version", flat=True).first()
        return row or 0

    @classmethod
    def take_turns(cls):
        """Lock the version's row until the transaction ends, before writing any index row.

        On PostgreSQL every bump locks the row until commit too, so writers of the index
        take turns: none locks index rows shared between services (a grid cell's counts)
        while waiting for another that holds some. SQLite has one writer at a time."""
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            list(cls.objects.select_for_update(no_key=True).filter(pk=1).values_list("pk"))

    @classmethod
    def bump(cls):
        updated = cls.objects.filter(pk=1).update(version=models.F("version") + 1)
        if not updated:
            cls.objects.get_or_create(pk=1, defaults={"version": 1})


class ServiceCategory(models.Model):
    """An active service filed under a category term or, through it, under each ancestor.

    Kept by `directory.indexing` beside the service's own categories, so that facet counts
    and category filters ('bereavement' includes 'children's grief') are one indexed query.
    Only active services are filed, with their name, so that a category listing reads its
    page in order straight from the (term, name, service) index.
    """

    # Indexed below (service) and by the unique constraint (term, service). As for the other
    # index tables, no database constraint: rows are derived and deleted with what they refer
    # to (by Django's cascade), and checking hundreds of thousands of references at each
    # commit of an import costs it seconds (bench/README.md).
    service = models.ForeignKey(
        "directory.Service",
        on_delete=models.CASCADE,
        related_name="category_index",
        db_index=False,
        db_constraint=False,
    )
    term = models.ForeignKey(
        "directory.TaxonomyTerm",
        on_delete=models.CASCADE,
        related_name="service_index",
        db_index=False,
        db_constraint=False,
    )
    name = models.CharField(max_length=255, default="")  # the service's, for ordering

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["term", "service"], name="unique_service_category")
        ]
        indexes = [
            models.Index(fields=["service"], name="service_category_service"),
            models.Index(fields=["term", "name", "service"], name="service_category_listing"),
        ]

    def __str__(self):
        return f"{self.service_id} in {self.term_id}"


class SearchPoint(models.Model):
    """Where an active service can be found: one row per location with coordinates.

    Kept by `directory.indexing`. Searches near a place find the rows in the box around
    their circle with the database's spatial index: on SQLite the R*Tree
    `directory.search.points.BOX_TABLE`, keyed by this row's id and kept in step by triggers
    on this table (migration 0001; a migration that remakes the table on SQLite must make
    them again); on PostgreSQL a GiST index on `ll_to_earth(latitude, longitude)`
    (earthdistance). `categories` (the service's category terms and their ancestors, as
    ",hex,hex,") gives facet counts and category filters without another query,
    and `service_key` (the service's search key) joins the text index.
    """

    # No database constraints, as for ServiceCategory.
    service = models.ForeignKey(  # indexed by the unique constraint (service, location)
        "directory.Service",
        on_delete=models.CASCADE,
        related_name="search_points",
        db_index=False,
        db_constraint=False,
    )
    location = models.ForeignKey(
        "directory.Location",
        on_delete=models.CASCADE,
        related_name="search_points",
        db_constraint=False,
    )
    latitude = models.FloatField()
    longitude = models.FloatField()
    categories = models.TextField(blank=True)
    service_key = models.PositiveBigIntegerField(null=True)  # Service.search_key
    step_free = models.BooleanField(default=False)
    accessible_toilet = models.BooleanField(default=False)
    hearing_loop = models.BooleanField(default=False)
    parking = models.BooleanField(default=False)
    # The service has other points too: counting services near a place counts this row's
    # service once across its rows, while a row with `shared` false is a service of its own.
    shared = models.BooleanField(default=False)
    # `categories` by number (SearchCategorySet): counting points per set of categories
    # groups them by this small integer, not by the long text.
    category_set = models.BigIntegerField(null=True)
    # The point on the unit sphere (`directory.search.points.unit_vector`): how far a point
    # is from a place is then a few products and sums in SQL, not trigonometry.
    x = models.FloatField(null=True)
    y = models.FloatField(null=True)
    z = models.FloatField(null=True)
    # The grid cell the point lies in (`directory.search.points.cell_of`), counted in
    # SearchCell.
    cell = models.IntegerField(null=True)
    # PostgreSQL: the service's text document (`directory.search.fulltext`), under a GIN
    # index, so that text near a place is tested on the point itself. Empty on SQLite.
    document = SearchVectorField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="unique_search_point")
        ]

    def __str__(self):
        return f"{self.service_id} at {self.latitude}, {self.longitude}"


class SearchCell(models.Model):
    """How many points of a grid cell (`directory.search.points`) have each set of
    categories: one row per cell and set for the points of services with one point
    (`owner` empty), and one per cell, set and service for the points of services with
    several (`owner` the service's id, as the points' raw rows give it), whose services a
    count must take once however many of their points it meets.

    Kept by triggers on SearchPoint (directory migration 0001), whichever way its rows are
    written or deleted, so that a search near a place adds up the cells wholly inside its
    circle instead of reading their points."""

    cell = models.IntegerField()
    category_set = models.BigIntegerField()
    owner = models.CharField(max_length=36, blank=True)
    services = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cell", "category_set", "owner"], name="unique_search_cell"
            )
        ]
        # The counts read from the index alone, a range of cells at a time.
        indexes = [
            models.Index(
                fields=["cell", "category_set", "owner", "services"], name="search_cell_counts"
            )
        ]

    def __str__(self):
        return f"cell {self.cell}: {self.services}"


class SearchCategorySet(models.Model):
    """A distinct value of SearchPoint.categories (a service's terms and their ancestors),
    numbered: the points carry the number as `category_set`, so that a search near a place
    counts its points per set of categories by an integer, and reads each set's text once.

    Kept by `directory.indexing`, which adds the sets it meets; a set's number and text
    never change, and a set no point uses any more is left in place (there are a few
    hundred)."""

    digest = models.CharField(max_length=64, unique=True)  # sha256 of `categories`
    categories = models.TextField(blank=True)

    def __str__(self):
        return f"category set {self.pk}"


class SearchArea(models.Model):
    """How an active service reaches people without being near them, for searches near a
    place: one row per radius, district or shape area, and one ("anywhere") for a service that can
    be reached from anywhere (online, phone, or a national area).

    Kept by `directory.indexing`, with the service's name and categories, so that the
    services listed after the local ones come from one small table, not from the service
    rows themselves.
    """

    ANYWHERE = "anywhere"

    service = models.ForeignKey(  # no database constraint, as for ServiceCategory
        "directory.Service",
        on_delete=models.CASCADE,
        related_name="search_areas",
        db_constraint=False,
    )
    kind = models.CharField(max_length=20)  # ANYWHERE or a ServiceArea extent_type
    extent = models.TextField(blank=True)
    name = models.CharField(max_length=255)
    categories = models.TextField(blank=True)
    # A shape's or a radius's bounding box, so that SQL keeps only the areas whose box holds
    # the place; a radius is then measured exactly (its `extent` is "lat, lon, km"), while
    # a shape stays in ServiceArea (`extent` is empty), read for those alone and tested by
    # `directory.areas.covers`.
    min_latitude = models.FloatField(null=True)
    max_latitude = models.FloatField(null=True)
    min_longitude = models.FloatField(null=True)
    max_longitude = models.FloatField(null=True)
    service_key = models.PositiveBigIntegerField(null=True)  # as on SearchPoint
    located = models.BooleanField(default=False)  # the service also has SearchPoints
    document = SearchVectorField(null=True)  # as on SearchPoint

    class Meta:
        indexes = [
            models.Index(fields=["kind"], name="search_area_kind"),
            models.Index(
                fields=["kind", "min_latitude", "max_latitude", "min_longitude", "max_longitude"],
                condition=models.Q(min_latitude__isnull=False),
                name="search_area_box",
            ),
        ]

    def __str__(self):
        return f"{self.service_id}: {self.kind} {self.extent}"
