"""Helpers for tests that send the same form from several clients at the same moment."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client


def post_at_once(url, forms):
    """POST each form from its own thread, client and database connection, all at once."""
    barrier = threading.Barrier(len(forms))
    responses, errors = [None] * len(forms), []

    def send(n):
        try:
            client = Client(raise_request_exception=False)
            barrier.wait()
            responses[n] = client.post(url, forms[n], follow=True)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(len(forms))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return responses


# SQLite serialises every writer, so there is no race to lose.
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the race needs PostgreSQL"
)
