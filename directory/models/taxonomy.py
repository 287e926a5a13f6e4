"""Taxonomies and their hierarchical terms: how services are categorised."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .base import HSDSRecord


class Taxonomy(HSDSRecord):
    """A published vocabulary of terms, such as this site's own starter taxonomy."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    uri = models.URLField(_("URI"), blank=True)
    version = models.CharField(_("version"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")
        ordering = ["name"]

    def __str__(self):
        return self.name


class TaxonomyTerm(HSDSRecord):
    """One term; `parent` makes the hierarchy (for example Bereavement > Children's grief)."""

    taxonomy = models.ForeignKey(
        Taxonomy, on_delete=models.CASCADE, related_name="terms", verbose_name=_("taxonomy")
    )
    code = models.SlugField(_("code"), max_length=100)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent term"),
    )
    term_uri = models.URLField(_("term URI"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    maps_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mapped_from",
        verbose_name=_("found under"),
        help_text=_(
            "For a term of another taxonomy (for example an imported feed's service types): "
            "the category of this site's own taxonomy its services are found under."
        ),
    )

    class Meta:
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")
        ordering = ["taxonomy__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "code"], name="unique_term_code"),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="term_not_own_parent"
            ),
            models.CheckConstraint(
                condition=~models.Q(maps_to=models.F("id")), name="term_not_mapped_to_itself"
            ),
        ]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def clean(self):
        super().clean()
        if self.maps_to_id is None:
            return
        if self.maps_to_id == self.pk or (
            self.taxonomy_id is not None and self.maps_to.taxonomy_id == self.taxonomy_id
        ):
            raise ValidationError(
                {"maps_to": _("Choose a category of another taxonomy than this term's own.")}
            )
        if self.pk is not None and TaxonomyTerm.objects.filter(maps_to=self.pk).exists():
            raise ValidationError(
                {"maps_to": _("Terms of other taxonomies are found under this one already.")}
            )
        if self.maps_to.maps_to_id is not None:
            raise ValidationError(
                {"maps_to": _("That category is itself found under another: choose that one.")}
            )

    @property
    def display_name(self):
        """The name in the visitor's language when the interface catalogue translates it.

        The starter taxonomy's names are in the catalogue (see directory/taxonomy.py); terms
        added by editors or imported feeds appear as written.
        """
        return gettext(self.name)


def filed_under(terms):
    """The ids of the terms a service with these terms is filed under: each term, and the term
    of another taxonomy it maps to. `terms` gives (id, maps_to id) pairs. Ancestors are added
    by the caller (`directory.indexing`; the Elasticsearch engine rolls facets up itself)."""
    filed = set()
    for term_id, maps_to_id in terms:
        filed.add(term_id)
        if maps_to_id is not None:
            filed.add(maps_to_id)
    return filed
