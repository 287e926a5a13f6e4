from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "insight"
    verbose_name = _("Insight")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import roles, searches

        searches.connect()
        post_migrate.connect(roles.ensure_groups, dispatch_uid="insight-roles")
