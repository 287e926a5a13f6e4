"""Pages the site shows when it refuses a request: too many tries, a failed CSRF check."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache


@never_cache
def rate_limited(request, exception=None):
    """429: this address has sent a form too often; nothing was changed."""
    return render(request, "429.html", status=429)


@never_cache
def locked_out(request, original_response=None, credentials=None):
    """429: too many wrong passwords for this username from this address (django-axes)."""
    return render(request, "locked_out.html", status=429)


@never_cache
def csrf_failure(request, reason=""):
    """403: a form came back without its security check (Django's CSRF protection)."""
    return render(request, "403_csrf.html", status=403)
