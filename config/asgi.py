"""ASGI entry point; production settings unless DJANGO_SETTINGS_MODULE says otherwise."""

from django.core.asgi import get_asgi_application

from config.startup import load_settings

load_settings("config.settings.production")

application = get_asgi_application()
