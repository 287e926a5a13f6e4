"""Keeping search in step with the data: derived flags, the term index and external engines.

Called when a service, its organisation, a location or a taxonomy term changes, and by
`manage.py rebuild_directory_index`.
"""

import logging

from django.conf import settings
from django.db import transaction

from directory.models import IndexVersion, Service, ServiceCategory, ServiceTerm, TaxonomyTerm
from directory.search.text import weighted_terms

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


def external_engines():
    """Engines that keep their own copy of the data (Elasticsearch, when configured)."""
    if getattr(settings, "DIRECTORY_ELASTICSEARCH_SYNC", False):
        from directory.search.engines.elasticsearch import ElasticsearchEngine

        return [ElasticsearchEngine()]
    return []


def _services_for_indexing(ids):
    return (
        Service.objects.filter(pk__in=ids)
        .select_related("organization")
        .prefetch_related(
            "categories",
            "languages",
            "service_areas",
            "schedules",
            "phones",
            "service_at_locations__location",
        )
    )


def _refresh_flags(service):
    before = (service.open_24_7, service.reaches_anywhere)
    service.refresh_derived_fields()
    if before != (service.open_24_7, service.reaches_anywhere):
        Service.objects.filter(pk=service.pk).update(
            open_24_7=service.open_24_7, reaches_anywhere=service.reaches_anywhere
        )


def _term_rows(services):
    return [
        ServiceTerm(service=service, term=term, weight=weight)
        for service in services
        for term, weight in weighted_terms(service).items()
    ]


def _category_rows(services):
    """Each service under its categories and all their ancestors, once each."""
    parents = dict(TaxonomyTerm.objects.values_list("id", "parent_id"))
    rows = []
    for service in services:
        seen = set()
        for term in service.categories.all():
            term_id = term.pk
            while term_id is not None and term_id not in seen:
                seen.add(term_id)
                term_id = parents.get(term_id)
        rows.extend(ServiceCategory(service=service, term_id=term_id) for term_id in seen)
    return rows


def _write_index(ids, services):
    ServiceTerm.objects.filter(service_id__in=ids).delete()
    ServiceTerm.objects.bulk_create(_term_rows(services), batch_size=2000)
    ServiceCategory.objects.filter(service_id__in=ids).delete()
    ServiceCategory.objects.bulk_create(_category_rows(services), batch_size=2000)


def index_services(ids):
    """Recompute flags and terms for these services, and update external engines on commit."""
    ids = list(ids)
    services = list(_services_for_indexing(ids))
    with transaction.atomic():
        for service in services:
            _refresh_flags(service)
        _write_index(ids, services)
        IndexVersion.bump()
    engines = external_engines()
    if engines:
        transaction.on_commit(lambda: _sync_external(ids, engines))


def remove_services(ids):
    ids = list(ids)
    IndexVersion.bump()
    engines = external_engines()
    if engines:
        transaction.on_commit(lambda: [engine.delete_services(ids) for engine in engines])


def _sync_external(ids, engines):
    for engine in engines:
        try:
            engine.index_services(ids)
        except Exception:  # the database stays right; a rebuild brings the engine back in step
            logger.exception("Could not update %s for %d services", engine.name, len(ids))


def rebuild(progress=None, engines=None):
    """Rebuild the term index (and external engines) for every service, in batches."""
    ids = list(Service.objects.order_by("pk").values_list("pk", flat=True))
    engines = external_engines() if engines is None else engines
    for engine in engines:
        engine.reset_index()
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        services = list(_services_for_indexing(batch))
        with transaction.atomic():
            for service in services:
                _refresh_flags(service)
            _write_index(batch, services)
        for engine in engines:
            engine.index_services(batch, services=services)
        if progress:
            progress(len(batch))
    IndexVersion.bump()
    _analyze()
    return len(ids)


def _analyze():
    """Refresh the query planner's statistics after a bulk change (SQLite never does it
    itself; without them it prefers the index on status to the one on coordinates)."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
