"""The search terms of each service, as `directory.search.text` computes them."""

from django.db import models


class ServiceTerm(models.Model):
    """One term of a service with the weight of the best field it appears in.

    A small inverted index kept by `directory.indexing`; the database search engine matches
    and scores query terms against it, exactly as the Elasticsearch engine does against the
    same terms in its documents.
    """

    service = models.ForeignKey(
        "directory.Service", on_delete=models.CASCADE, related_name="search_terms"
    )
    term = models.CharField(max_length=40)
    weight = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["term", "service"], name="unique_service_term")
        ]
        indexes = [models.Index(fields=["service"], name="service_term_service")]

    def __str__(self):
        return f"{self.term} ({self.weight})"


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
    def bump(cls):
        updated = cls.objects.filter(pk=1).update(version=models.F("version") + 1)
        if not updated:
            cls.objects.get_or_create(pk=1, defaults={"version": 1})


class ServiceCategory(models.Model):
    """A service filed under a category term or, through it, under each of its ancestors.

    Kept by `directory.indexing` beside the service's own categories, so that facet counts
    and category filters ('bereavement' includes 'children's grief') are one indexed query.
    """

    service = models.ForeignKey(
        "directory.Service", on_delete=models.CASCADE, related_name="category_index"
    )
    term = models.ForeignKey(
        "directory.TaxonomyTerm", on_delete=models.CASCADE, related_name="service_index"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["term", "service"], name="unique_service_category")
        ]
        indexes = [models.Index(fields=["service"], name="service_category_service")]

    def __str__(self):
        return f"{self.service_id} in {self.term_id}"
