"""Sending a path without a language prefix to the visitor's language, where the site has one.

Public pages live under a language prefix (/en/, /cy/, /ur/ ...: `i18n_patterns` in
config/urls.py), and Django's LocaleMiddleware answers a 404 at a path without one with a
redirect to the same path under the visitor's language, when that path exists. Wagtail's
page serving, last under the prefix, takes every path, so a missing page of the admins,
the documents or the API was sent to /en/admin/... and answered by the public site's
"page not found". `LocaleMiddleware` here leaves a 404 alone under the parts of the site
that have no language prefix (every `include()` outside `i18n_patterns`).
"""

from functools import cache

from django.conf import settings
from django.middleware import locale
from django.urls import LocalePrefixPattern, URLResolver, get_resolver
from django.utils import translation
from django.utils.cache import patch_vary_headers


@cache
def _unprefixed_parts(urlconf):
    """The URL patterns of the parts of the site that have no language prefix."""
    return tuple(
        entry.pattern
        for entry in get_resolver(urlconf).url_patterns
        if isinstance(entry, URLResolver) and not isinstance(entry.pattern, LocalePrefixPattern)
    )


def _outside_languages(path, urlconf):
    """Whether `path` lies under a part of the site that has no language prefix."""
    path = path.removeprefix("/")
    return any(pattern.match(path) for pattern in _unprefixed_parts(urlconf))


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's, except that a 404 outside the language prefixes stays where it was asked."""

    def process_response(self, request, response):
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        if response.status_code != 404 or not _outside_languages(request.path_info, urlconf):
            return super().process_response(request, response)
        # What Django's does for a path without a language, less the redirect.
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
