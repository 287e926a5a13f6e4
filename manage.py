#!/usr/bin/env python
"""Django's command-line utility; development settings unless told otherwise."""

import sys

if __name__ == "__main__":
    from config.startup import load_settings

    load_settings("config.settings.dev")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        if "--traceback" in sys.argv:
            raise
        # A setting from the environment is wrong: say which, in one line.
        sys.exit(f"Configuration error: {error}")
