from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = _("Site")

    def ready(self):
        from wagtail.signals import page_published

        from . import (
            admin_forms,
            checks,  # noqa: F401 - registers the system checks
            page_cache,
            request_locales,
            untranslated,
        )
        from .localization import on_page_published

        page_published.connect(on_page_published, dispatch_uid="core.add_aliases")
        page_cache.connect_signals()
        request_locales.install()
        untranslated.install()
        admin_forms.install()
