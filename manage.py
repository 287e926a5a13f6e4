#!/usr/bin/env python
"""Django's command-line utility; development settings unless told otherwise."""

import sys

if __name__ == "__main__":
    from config.startup import load_settings

    load_settings("config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
