"""WSGI entry point; production settings unless DJANGO_SETTINGS_MODULE says otherwise."""

from django.core.wsgi import get_wsgi_application

from config.startup import load_settings

load_settings("config.settings.production")

application = get_wsgi_application()
