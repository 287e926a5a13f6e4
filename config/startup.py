"""Settings that cannot work stop the program at start with one line naming the setting.

manage.py, the WSGI and ASGI entry points and gunicorn's master load the settings through
`load_settings`: an ImproperlyConfigured error (a missing or short SECRET_KEY, a
DATABASE_URL that cannot be read, ...) becomes "Configuration error: ..." on standard error
and exit status 2, instead of a traceback.
"""

import os
import sys

from django.core.exceptions import ImproperlyConfigured


def load_settings(default_module):
    """Load the settings module (DJANGO_SETTINGS_MODULE, else `default_module`) or exit."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", default_module)
    from django.conf import settings

    try:
        settings.INSTALLED_APPS  # noqa: B018 (reading a setting loads the module)
    except ImproperlyConfigured as error:
        sys.stderr.write(f"Configuration error: {error}\n")
        sys.stderr.flush()
        raise SystemExit(2) from None
