"""What search engines may crawl and index.

`/robots.txt` keeps crawlers out of the two admins, the site search in every language, and
every address with a query string: search results, filters and their combinations are a
page per query, which a crawler could ask for without end and no page cache holds. Pages are
found through the sitemap, which it names. The HSDS API stays open to harvesters, query
strings included (its pages are `?page=`): an `Allow` longer than the `Disallow` wins
(RFC 9309).

A page reached by a personal link (a help request's confirmation and withdrawal, an email
check, a booking's, a survey's) answers with `X-Robots-Tag: noindex` (`noindex`): if such a
link is ever posted where a crawler finds it, the page stays out of search results. It is
not in robots.txt on purpose: a crawler kept out of a page never reads its `noindex`, and may
list the bare address it was linked by.
"""

import functools

from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from core.languages import site_language_codes

WITH_A_QUERY = "/*?"


def noindex(view):
    """Answer with `X-Robots-Tag: noindex`: the page is never listed by a search engine."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex"
        return response

    return wrapped


def _disallowed():
    """The two admins, where config/urls.py puts them, and the site search in each language."""
    paths = [reverse("wagtailadmin_home"), reverse("admin:index")]
    for code in site_language_codes():
        with translation.override(code):
            paths.append(reverse("search"))
    return paths


@require_safe
@cache_control(public=True, max_age=86400)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in _disallowed())]
    lines += [f"Disallow: {WITH_A_QUERY}", f"Allow: {reverse('hsds:api-root')}"]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
