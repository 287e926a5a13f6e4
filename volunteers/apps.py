from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "volunteers"
    verbose_name = _("Volunteers")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import eligibility, offers, roles

        eligibility.connect()
        offers.connect()
        post_migrate.connect(roles.ensure_groups, dispatch_uid="volunteers-roles")
