"""Tests that prove something needs no network."""

import socket
from contextlib import contextmanager
from unittest import mock


@contextmanager
def refuse_network():
    """Any attempt to open a network connection fails the test that made it."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"tried to reach the network: {args}")

    with (
        mock.patch.object(socket, "create_connection", refuse),
        mock.patch.object(socket.socket, "connect", refuse),
    ):
        yield
