"""Absolute links for emails and anything else read away from the site.

Every such link starts with `settings.SITE_URL`, the site's public address: the one place
it is set. (A page's `get_full_url` would use the Wagtail site record's host and port, and
`request.build_absolute_uri` whatever host a request came in on.)
"""

from django.conf import settings


def absolute(path):
    """The public URL of a site-relative path such as "/en/volunteer/"."""
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")
