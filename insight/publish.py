"""The publishing rule: what of a figure may be shown, on every page and in every download.

1. Only aggregates are published: counts over a month and an area, never a record.
2. A count from 1 to 4 is shown as "fewer than 5" (and so is a breakdown of it); 0 is 0.
3. Every other count is rounded to the nearest 5 (7 -> 5, 8 -> 10, 12 -> 10), so that
   subtracting one published figure from another (a district from its authority, one month's
   total from a breakdown) cannot single out one person: each side is uncertain by up to 2.
4. Hours given are rounded to the nearest 10, and shown only where 5 or more tasks closed.
5. A share (per cent) is shown only where the count it is a share of is 10 or more, rounded
   to the nearest 5 per cent.
6. Times (median, 90th percentile) are shown only where 10 or more requests stand behind
   them, in whole hours (or whole days past 48 hours).

The rule is deterministic rather than noise-adding: the same month gives the same figures on
the dashboard, the public page and the downloads, a small network's counts stay readable,
and there is no privacy budget to run out over repeated releases. See insight/README.md.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .measures import BY_CODE, COUNT, DURATION, HOURS, SHARE

THRESHOLD = 5
ROUND_TO = 5
HOURS_ROUND_TO = 10
SHARE_MIN_BASIS = 10
SHARE_ROUND_TO = 5
DURATION_MIN_BASIS = 10

FEWER_THAN_5 = _("fewer than 5")
NOT_SHOWN = _("not shown (too few)")


@dataclass(frozen=True)
class Published:
    """A figure as it may be shown: a number, or None with the reason as text."""

    value: float | None
    text: str
    suppressed: bool = False

    def __str__(self):
        return self.text


def _round(value, step):
    return int(step * int(value / step + 0.5))


def publish_count(value):
    value = int(round(value or 0))
    if value == 0:
        return Published(0, "0")
    if value < THRESHOLD:
        return Published(None, str(FEWER_THAN_5), suppressed=True)
    rounded = _round(value, ROUND_TO)
    return Published(rounded, f"{rounded:,}")


def publish(measure_code, value, basis=None):
    """The published form of one raw value; `basis` is the raw count the measure rests on."""
    measure = BY_CODE.get(measure_code)
    kind = measure.kind if measure else COUNT
    if kind == COUNT:
        return publish_count(value)
    basis = basis or 0
    if kind == HOURS:
        if basis < THRESHOLD:
            return Published(None, str(NOT_SHOWN), suppressed=True)
        rounded = _round(value or 0, HOURS_ROUND_TO)
        return Published(rounded, f"{rounded:,}")
    if kind == SHARE:
        if basis < SHARE_MIN_BASIS:
            return Published(None, str(NOT_SHOWN), suppressed=True)
        rounded = _round(value or 0, SHARE_ROUND_TO)
        return Published(rounded, f"{rounded}%")
    if kind == DURATION:
        if basis < DURATION_MIN_BASIS:
            return Published(None, str(NOT_SHOWN), suppressed=True)
        hours = value or 0
        rounded = _round(hours, 24) if hours > 48 else int(hours + 0.5)
        return Published(rounded, f"{rounded:,}")
    raise ValueError(f"Unknown kind of measure {kind!r}")
