"""The publishing rule, figure by figure."""

import pytest

from insight.publish import publish, publish_count


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (0, "0"),
        (1, "fewer than 5"),
        (4, "fewer than 5"),
        (5, "5"),
        (7, "5"),
        (8, "10"),
        (12, "10"),
        (13, "15"),
        (1234, "1,235"),
    ],
)
def test_counts_under_five_are_withheld_and_the_rest_rounded_to_five(raw, shown):
    assert publish_count(raw).text == shown
    assert publish_count(raw).suppressed == (0 < raw < 5)


def test_a_share_needs_ten_behind_it_and_is_rounded_to_five_percent():
    assert publish("share_matched", 100.0, basis=9).value is None
    assert publish("share_matched", 66.7, basis=12).text == "65%"


def test_hours_need_five_tasks_and_round_to_ten():
    assert publish("volunteer_hours", 3.5, basis=1).value is None
    assert publish("volunteer_hours", 44.0, basis=6).value == 40


def test_times_need_ten_requests_and_are_whole_hours_or_days():
    assert publish("first_offer_median", 3.2, basis=9).value is None
    assert publish("first_offer_median", 3.2, basis=10).value == 3
    assert publish("acceptance_p90", 61.0, basis=10).value == 72
