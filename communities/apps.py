from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Community groups and events")
    default_auto_field = "django.db.models.BigAutoField"
