"""When a service counts as stale: a whole number of calendar months after it was verified."""

import datetime as dt

import pytest

from directory.stale import stale_cutoff


@pytest.mark.parametrize(
    ("today", "months", "cutoff"),
    [
        # The same day of the month, that many months back.
        (dt.date(2026, 12, 30), 12, dt.date(2025, 12, 30)),
        (dt.date(2026, 12, 2), 12, dt.date(2025, 12, 2)),
        (dt.date(2026, 5, 31), 3, dt.date(2026, 2, 28)),
        (dt.date(2028, 5, 31), 3, dt.date(2028, 2, 29)),
        (dt.date(2026, 1, 15), 1, dt.date(2025, 12, 15)),
        (dt.date(2026, 3, 31), 0, dt.date(2026, 3, 31)),
    ],
    ids=[
        "end-of-december",
        "early-december",
        "short-february",
        "leap-february",
        "new-year",
        "zero",
    ],
)
def test_the_cutoff_is_the_same_day_months_back(today, months, cutoff):
    assert stale_cutoff(today=today, months=months) == cutoff
