from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "directory"
    verbose_name = _("Directory")

    def ready(self):
        from django.db.models.signals import post_migrate

        from core.page_cache import purge_on_change

        from . import roles, signals  # noqa: F401 - signals connects the search-index hooks
        from .models import HSDSImport, Location, Organization, Service, TaxonomyTerm

        purge_on_change(Service, Organization, Location, TaxonomyTerm, HSDSImport)
        post_migrate.connect(_fill_search_index, sender=self)
        post_migrate.connect(roles.ensure_groups, dispatch_uid="directory-roles")
        roles.connect()


def _fill_search_index(sender, using, verbosity=1, **kwargs):
    """After `migrate`, fill the search index if it is empty while services exist; after
    `flush` (the same signal), empty the text index, which is not a table Django flushes."""
    from django.db import DEFAULT_DB_ALIAS

    from .indexing import drop_text_without_services, fill_if_empty

    if using == DEFAULT_DB_ALIAS:
        drop_text_without_services()
        fill_if_empty(print if verbosity else None)
