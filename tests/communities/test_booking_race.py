"""Concurrent bookings on PostgreSQL: the last places never go to more people than there are."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from communities.booking import book
from communities.models import Booking, OccurrenceSeats
from communities.recurrence import next_occurrences

THREADS = 12
CAPACITY = 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_never_exceed_capacity(make_event):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every writer, so there is no race")
    event = make_event(capacity=CAPACITY)
    key = next_occurrences(event, timezone.now(), limit=1)[0].key
    barrier = threading.Barrier(THREADS)
    errors = []

    def attempt(n):
        try:
            barrier.wait()
            book(event, key, f"Person {n}", f"person{n}@example.com")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Booking.objects.filter(status="confirmed").count() == CAPACITY
    assert Booking.objects.filter(status="waiting").count() == THREADS - CAPACITY
    assert OccurrenceSeats.objects.get(event=event, starts_at=key).booked == CAPACITY
