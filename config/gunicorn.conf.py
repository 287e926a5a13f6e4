"""Gunicorn, the production web server: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Everything that differs between machines comes from the environment (README.md):
PORT or BIND, WEB_CONCURRENCY, WEB_TIMEOUT, FORWARDED_ALLOW_IPS. Graceful restarts: send
the master HUP to reload the code and settings with new workers, finishing requests in
flight first (`kill -HUP <pid>`); TERM stops it after the requests in flight.

The access log records the method, the path and the status, never the query string (a
postcode someone typed) nor the client's address, and signed tokens in a path (the links to
withdraw a help request or manage a booking) are replaced by "[token]".
"""

import os

from gunicorn.glogging import Logger

from core.log_filters import redact_path

HOST = os.environ.get("HOST", "127.0.0.1")
bind = os.environ.get("BIND") or f"{HOST}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "1"))
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("WEB_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Workers are replaced now and then, so that a slow leak never grows unchecked.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Trust X-Forwarded-* only from the reverse proxy in front (comma-separated addresses).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips
accesslog = os.environ.get("WEB_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


class PathOnlyLogger(Logger):
    """The access log's atoms without anything a visitor typed or was sent."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = redact_path(environ.get("PATH_INFO", ""))
        atoms.update({"U": path, "q": "", "r": f"{environ.get('REQUEST_METHOD')} {path}"})
        atoms.update({"h": "-", "f": "-", "a": "-", "{raw_uri}e": "-"})
        return atoms


logger_class = PathOnlyLogger


def on_starting(server):
    """Read the settings in the master, so that a bad one stops it before any worker."""
    from config.startup import load_settings

    load_settings("config.settings.production")
