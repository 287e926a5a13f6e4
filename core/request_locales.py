"""Wagtail's locales looked up once per request.

Wagtail asks `Locale.objects.get_for_language()` for the active locale every time a page
is localised (`page.localized`, `Locale.get_active()`), which is a query each time: a page
with a menu, a footer and a language switcher made a dozen identical queries. Within one
request the answer cannot change, so `RequestLocalesMiddleware` keeps the locales found
while the request is served and forgets them when it ends (no cross-request cache, so a
locale added or removed by an editor is seen by the next request).

The same goes for a page's or snippet's own `locale`: while a request is served, `obj.locale`
is found in the request's memory of all locales instead of a query per object.

The locales themselves are read once per request, or, with SITE_CACHE_SECONDS, kept by the
process until an editor adds, changes or removes one (`core.page_cache.memo`): then a page
asks the database nothing about locales at all.
"""

import contextvars

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS
from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, TranslatableMixin
from wagtail.models.i18n import LocaleManager

from core import page_cache

_found = contextvars.ContextVar("request_locales", default=None)
_get_for_language = LocaleManager.get_for_language


def _all_locales(found):
    """{id: locale} of every locale, read once per request (or kept, see the module doc)."""
    if "by_id" not in found:
        found["by_id"] = page_cache.memo(
            "locales", lambda: {locale.pk: locale for locale in Locale.objects.all()}
        )
    return found["by_id"]


def _remembered_get_for_language(self, language_code):
    found = _found.get()
    if found is None or self.db != DEFAULT_DB_ALIAS:
        return _get_for_language(self, language_code)
    key = ("code", language_code)
    if key not in found:
        try:
            variant = get_supported_content_language_variant(language_code)
        except LookupError:
            return _get_for_language(self, language_code)  # raises as Wagtail does
        by_code = {locale.language_code: locale for locale in _all_locales(found).values()}
        if variant not in by_code:
            return _get_for_language(self, language_code)  # DoesNotExist is not kept
        found[key] = by_code[variant]
    return found[key]


class _RememberedLocale(ForwardManyToOneDescriptor):
    """`obj.locale`, from the request's memory of all locales while a request is served."""

    def get_object(self, instance):
        found = _found.get()
        if found is None:
            return super().get_object(instance)
        locale = _all_locales(found).get(instance.locale_id)
        return locale if locale is not None else super().get_object(instance)


def install():
    """Route Wagtail's locale lookups through the per-request memory (CoreConfig.ready)."""
    LocaleManager.get_for_language = _remembered_get_for_language
    for model in apps.get_models():
        if issubclass(model, TranslatableMixin) and "locale" in model.__dict__:
            model.locale = _RememberedLocale(model._meta.get_field("locale"))


class RequestLocalesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _found.set({})
        try:
            return self.get_response(request)
        finally:
            _found.reset(token)
