from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Site search: pages in the visitor's language, with matching directory services."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = _("Search")
