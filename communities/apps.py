from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Community groups and events")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from core.page_cache import purge_on_change

        from . import roles
        from .models import Booking

        purge_on_change(Booking)  # an event's places left change as people book
        post_migrate.connect(roles.ensure_groups, dispatch_uid="communities-roles")
