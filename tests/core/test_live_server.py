"""The test suite's live server (browser tests) keeps each request's transaction its own."""

from concurrent.futures import ThreadPoolExecutor

import requests
from django.db import connection, transaction

from tests.core import live_server_urls


def test_requests_at_once_each_commit_and_leave_the_connection_outside_a_transaction(
    transactional_db, live_server, settings
):
    """On SQLite the server's threads share the test's in-memory connection, whose transaction
    state (open blocks, savepoints, work queued for the commit) is one per connection: requests
    a browser sends at once must not run their transactions into each other's, or work queued
    on commit (a booking's email) is lost and the next test starts inside a transaction."""
    settings.ROOT_URLCONF = "tests.core.live_server_urls"
    live_server_urls.COMMITTED.clear()

    def get(n):
        return requests.get(f"{live_server.url}/committed-later/?n={n}", timeout=30).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(get, range(80)))

    assert statuses == [200] * 80
    assert sorted(live_server_urls.COMMITTED, key=int) == [str(n) for n in range(80)]
    assert not connection.in_atomic_block
    after = []
    transaction.on_commit(lambda: after.append(1))  # outside a transaction: runs at once
    assert after == [1]
