"""Hooks that keep search and coordinates in step when directory data changes."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from directory import indexing
from directory.models import Location, Organization, Service, TaxonomyTerm


@receiver(post_delete, sender=Service)
def service_deleted(sender, instance, **kwargs):
    indexing.remove_services([instance.pk])


@receiver(post_save, sender=Organization)
def organization_saved(sender, instance, created, **kwargs):
    if not created and not kwargs.get("raw"):
        indexing.index_services(instance.services.values_list("pk", flat=True))


@receiver(post_save, sender=TaxonomyTerm)
def term_saved(sender, instance, created, **kwargs):
    if not created and not kwargs.get("raw"):
        # A renamed or moved term changes its services and those of every term beneath it.
        from directory.search.taxonomy import expand_categories

        beneath = expand_categories([instance.code])
        indexing.index_services(
            Service.objects.filter(categories__in=beneath).values_list("pk", flat=True).distinct()
        )


@receiver(post_save, sender=Location)
def location_saved(sender, instance, created, **kwargs):
    if not created and not kwargs.get("raw"):
        indexing.index_services(instance.service_at_locations.values_list("service_id", flat=True))


@receiver(m2m_changed, sender=Service.categories.through)
def categories_changed(sender, instance, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, Service):
        indexing.index_services([instance.pk])
