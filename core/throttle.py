"""How often the public forms may be sent from one address, counted in the shared cache.

The counts live in the cache named by RATELIMIT_USE_CACHE (Redis when REDIS_URL is set, the
database otherwise), so every web server process sees the same numbers.
"""

import ipaddress

from axes.models import AccessAttempt
from django.conf import settings
from django_ratelimit.decorators import ratelimit

# How much of a username django-axes' records hold; anything typed beyond it is not kept.
USERNAME_LENGTH = AccessAttempt._meta.get_field("username").max_length


def form_rate(group, request):
    """The rate for a form, such as "10/h", from settings.FORM_RATE_LIMITS."""
    return settings.FORM_RATE_LIMITS[group]


def limit_posts(group):
    """Refuse a form's POSTs from one address beyond its rate, with the 429 page.

    Every POST counts, accepted or not: the limit is on how hard anyone can push the form.
    """
    return ratelimit(group=group, key=client_key, rate=form_rate, method="POST")


def client_ip(request):
    """The address the request came from.

    Behind the reverse proxy (settings.TRUSTED_PROXIES, from FORWARDED_ALLOW_IPS, as for
    gunicorn), every request arrives from the proxy's address: the client's is the last one
    the proxy appended to X-Forwarded-For. From anyone else that header is ignored, since
    anyone can send one.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if remote in settings.TRUSTED_PROXIES:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        forwarded = [address.strip() for address in forwarded if address.strip()]
        if forwarded and _is_address(forwarded[-1]):
            return forwarded[-1]
    return remote


def _is_address(text):
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def sign_in_username(request, credentials=None):
    """django-axes' username for a sign-in attempt: what was typed, cut to what its record holds.

    A sign-in form accepts any length (Django's AuthenticationForm sets no length validator), so
    without the cut a long enough username fails the attempt's INSERT on PostgreSQL.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    username = (credentials or {}).get(field) if credentials else request.POST.get(field)
    return username[:USERNAME_LENGTH] if isinstance(username, str) else username


def client_key(group, request):
    """django-ratelimit's key: the client's address (see client_ip)."""
    return client_ip(request)
