"""Wagtail's locales looked up once per request.

Wagtail asks `Locale.objects.get_for_language()` for the active locale every time a page
is localised (`page.localized`, `Locale.get_active()`), which is a query each time: a page
with a menu, a footer and a language switcher made a dozen identical queries. Within one
request the answer cannot change, so `RequestLocalesMiddleware` keeps the locales found
while the request is served and forgets them when it ends (no cross-request cache, so a
locale added or removed by an editor is seen by the next request).

The same goes for a page's or snippet's own `locale`: while a request is served, `obj.locale`
is found in the request's memory of all locales (read in one query when first needed)
instead of a query per object.
"""

import contextvars

from django.apps import apps
from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor
from wagtail.models import Locale, TranslatableMixin
from wagtail.models.i18n import LocaleManager

_found = contextvars.ContextVar("request_locales", default=None)
_get_for_language = LocaleManager.get_for_language


def _remembered_get_for_language(self, language_code):
    found = _found.get()
    if found is None:
        return _get_for_language(self, language_code)
    key = (self.db, language_code)
    if key not in found:
        found[key] = _get_for_language(self, language_code)  # DoesNotExist is not kept
    return found[key]


class _RememberedLocale(ForwardManyToOneDescriptor):
    """`obj.locale`, from the request's memory of all locales while a request is served."""

    def get_object(self, instance):
        found = _found.get()
        if found is None:
            return super().get_object(instance)
        if "by_id" not in found:
            found["by_id"] = {locale.pk: locale for locale in Locale.objects.all()}
        locale = found["by_id"].get(instance.locale_id)
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
