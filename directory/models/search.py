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
