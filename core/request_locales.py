"""Wagtail's locales looked up once per request.

Wagtail asks `Locale.objects.get_for_language()` for the active locale every time a page
is localised (`page.localized`, `Locale.get_active()`), which is a query each time: a page
with a menu, a footer and a language switcher made a dozen identical queries. Within one
request the answer cannot change, so `RequestLocalesMiddleware` keeps the locales found
while the request is served and forgets them when it ends (no cross-request cache, so a
locale added or removed by an editor is seen by the next request).
"""

import contextvars

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


def install():
    """Route Wagtail's locale lookups through the per-request memory (CoreConfig.ready)."""
    LocaleManager.get_for_language = _remembered_get_for_language


class RequestLocalesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _found.set({})
        try:
            return self.get_response(request)
        finally:
            _found.reset(token)
