"""The live server of browser tests: Django's threaded test server, one request at a time on
SQLite."""

import threading

from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """Django's threaded test server, running the site for one request at a time on SQLite.

    A server started once the test database exists hands each request's thread the test
    thread's in-memory connection (`connections_override`), and a connection holds one
    transaction state (open blocks, savepoints, work queued for the commit): two requests a
    browser sends at once would run their transactions into each other's, losing the work one
    queued on commit (a booking's email) and leaving the connection inside a transaction for
    the next test. A server started before it gives each thread a connection of its own to the
    shared in-memory database, which refuses a second writer ("database table is locked").
    So on SQLite each request runs the site, and reads its response, alone; connections stay
    threaded, so a browser's idle keep-alive connection holds nothing up. On PostgreSQL each
    thread has its own connection and requests run at once, as on a site."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._turn = threading.Lock()

    def set_app(self, application):
        if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
            application = self._one_at_a_time(application)
        super().set_app(application)

    def _one_at_a_time(self, app):
        def serve(environ, start_response):
            with self._turn:
                response = app(environ, start_response)
                try:
                    return [b"".join(response)]
                finally:
                    if hasattr(response, "close"):
                        response.close()  # request_finished, as the server would send it

        return serve
