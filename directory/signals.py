"""Hooks that keep search and coordinates in step when directory data changes."""

from django.db.backends.signals import connection_created
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import Signal, receiver

from directory import indexing
from directory.models import Location, Organization, Service, TaxonomyTerm
from directory.search.taxonomy import expand_categories

# Sent by the search page after answering a search, with `query` (SearchQuery) and `results`
# (SearchResults); apps that count demand (insight) listen, and the directory needs none. A
# listener that counted the search returns True: that page is then not kept in the page cache,
# so the same search by the next visitor is answered, and counted, again.
search_made = Signal()

SQLITE_CACHE_KB = 64 * 1024
SQLITE_MMAP_BYTES = 1024**3  # address space, not memory: pages are shared with the OS cache


@receiver(pre_delete, sender=Service)
def service_deleting(sender, instance, **kwargs):
    indexing.remove_terms([instance.pk])


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


@receiver(connection_created)
def sqlite_reads_from_memory(sender, connection, **kwargs):
    """SQLite: memory-map the database and keep a larger page cache (the default is 2 MB),
    so that searches, which probe the term and point indexes at many places, read pages
    from memory rather than through a system call each."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KB}")
            cursor.execute(f"PRAGMA mmap_size = {SQLITE_MMAP_BYTES}")
