"""How often the public forms may be sent from one address, counted in the shared cache.

The counts live in the cache named by RATELIMIT_USE_CACHE (Redis when REDIS_URL is set, the
database otherwise), so every web server process sees the same numbers.
"""

from django.conf import settings
from django_ratelimit.decorators import ratelimit


def form_rate(group, request):
    """The rate for a form, such as "10/h", from settings.FORM_RATE_LIMITS."""
    return settings.FORM_RATE_LIMITS[group]


def limit_posts(group):
    """Refuse a form's POSTs from one address beyond its rate, with the 429 page.

    Every POST counts, accepted or not: the limit is on how hard anyone can push the form.
    """
    return ratelimit(group=group, key="ip", rate=form_rate, method="POST")


def client_ip(request):
    """The address the request came from, as the server saw it.

    Forwarded-for headers are not read: anyone can send one. Behind a proxy, the proxy
    sets REMOTE_ADDR (for example with a middleware it trusts).
    """
    return request.META.get("REMOTE_ADDR", "")
