"""Recurrence rules (RFC 5545 RRULE): the directory's opening hours and events share them.

A Rule holds the parts of RRULE the site uses: FREQ (WEEKLY or MONTHLY), INTERVAL, BYDAY
(with an ordinal in a monthly rule: 1MO is the first Monday, -1FR the last Friday),
BYMONTHDAY (negative counts from the end of the month), DTSTART, and UNTIL or COUNT. A date
must match every part the rule names. Times are naive wall-clock datetimes; time zones are
the caller's. dateutil's rrule does the expanding.

Every expansion has an end, and stops soon after it: rrule stops at UNTIL only on finding a
date past it, so a rule that never occurs (BYMONTHDAY=31 with BYDAY=2MO, as imported feeds
can hold) would search on to the year 9999, for over a second. Rule.rrules says how.
"""

import datetime as dt
import re
from dataclasses import dataclass
from itertools import islice

from dateutil import rrule

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
FREQUENCIES = {"WEEKLY": rrule.WEEKLY, "MONTHLY": rrule.MONTHLY}
RRULE_WEEKDAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)
ORDINALS = {None, *range(1, 6), *range(-5, 0)}  # the nth weekday of the month, or nth from last
MONTHDAYS = {*range(1, 32), *range(-31, 0)}
BYDAY_RE = re.compile(r"^(?P<ordinal>[+-]?[1-5])?(?P<day>MO|TU|WE|TH|FR|SA|SU)$")


def parse_byday(value):
    """'MO,1TU,-1FR' -> ((None, 0), (1, 1), (-1, 4)); raises ValueError naming a bad part."""
    parts = []
    for raw in (value or "").upper().replace(" ", "").split(","):
        if not raw:
            continue
        match = BYDAY_RE.match(raw)
        if not match:
            raise ValueError(raw)
        ordinal = int(match["ordinal"]) if match["ordinal"] else None
        parts.append((ordinal, WEEKDAYS.index(match["day"])))
    return tuple(parts)


def parse_monthdays(value):
    """'1,15,-1' -> (1, 15, -1); raises ValueError naming a bad part."""
    days = []
    for raw in (value or "").replace(" ", "").split(","):
        if not raw:
            continue
        try:
            day = int(raw)
        except ValueError:
            raise ValueError(raw) from None
        if day not in MONTHDAYS:
            raise ValueError(raw)
        days.append(day)
    return tuple(days)


@dataclass(frozen=True)
class Rule:
    """A recurrence rule: when something happens, from `dtstart` on."""

    freq: str
    dtstart: dt.datetime
    interval: int = 1
    byday: tuple = ()  # (ordinal or None, weekday 0-6) pairs, as parse_byday gives
    bymonthday: tuple = ()
    until: dt.datetime | None = None
    count: int | None = None

    def __post_init__(self):
        if self.freq not in FREQUENCIES:
            raise ValueError(f"FREQ={self.freq} is not WEEKLY or MONTHLY")
        if self.interval < 1:
            raise ValueError("INTERVAL must be at least 1")
        if not (self.byday or self.bymonthday):
            raise ValueError("a rule names its days (BYDAY or BYMONTHDAY)")
        if any(day not in range(7) or n not in ORDINALS for n, day in self.byday):
            raise ValueError(f"BYDAY {self.byday!r} is out of range")
        if any(day not in MONTHDAYS for day in self.bymonthday):
            raise ValueError(f"BYMONTHDAY {self.bymonthday!r} is out of range")
        if self.until is not None and self.count is not None:
            raise ValueError("a rule ends by UNTIL or by COUNT, not both")

    def rrules(self, until):
        """The rrules that expand the rule up to `until`: for each part, the rrules of its dates.

        rrule ends its walk at UNTIL only on finding a date past it, so one rrule whose parts
        never meet (BYMONTHDAY=31 with BYDAY=2MO) would search on to the year 9999. Each part
        therefore has rrules of its own, every week or month, and the rule's dates are where
        the parts meet: its BYDAY dates (plain and nth weekdays apart, as dateutil would keep
        only dates that are both), its BYMONTHDAY dates, and, with an INTERVAL, the days of
        every INTERVAL-th week or month from DTSTART's. Each has a date within a few months.
        """
        parts = []
        if self.byday:
            parts.append([self._rrule(until, byweekday=days) for days in self._weekdays()])
        if self.bymonthday:
            parts.append([self._rrule(until, bymonthday=self.bymonthday)])
        if self.interval > 1:
            parts.append([self._rrule(until, interval=self.interval, byweekday=RRULE_WEEKDAYS)])
        return parts

    def _weekdays(self):
        """BYDAY as dateutil weekdays: the plain ones, and the nth ones, if any of each."""
        plain = [RRULE_WEEKDAYS[day] for n, day in self.byday if n is None]
        nth = [RRULE_WEEKDAYS[day](n) for n, day in self.byday if n is not None]
        return [days for days in (plain, nth) if days]

    def _rrule(self, until, **parts):
        return rrule.rrule(
            FREQUENCIES[self.freq], dtstart=self.dtstart, wkst=rrule.MO, until=until, **parts
        )

    def occurrences(self, until):
        """Every occurrence from DTSTART up to `until` (inclusive), in order."""
        if self.until is not None:
            until = min(until, self.until)
        each_part = [set().union(*rules) for rules in self.rrules(until)]
        return sorted(set.intersection(*each_part))[: self.count]

    def between(self, start, end):
        """The occurrences in [start, end), in order."""
        return [when for when in self.occurrences(until=end) if start <= when < end]

    def occurs_on(self, day):
        """Whether the rule has an occurrence on the date `day` (expanded up to that day)."""
        found = self.occurrences(until=dt.datetime.combine(day, dt.time.max))
        return bool(found) and found[-1].date() == day

    def last(self):
        """The last occurrence of a rule with UNTIL or COUNT; None if it has none or no end.

        A rule that ends by COUNT alone is walked by dateutil to its COUNT-th date: the one
        expansion without an end date, for rules whose dates keep coming, as events' do.
        """
        if self.until is not None:
            found = self.occurrences(self.until)
        elif self.count is not None:
            dates = rrule.rruleset()
            for days in self._weekdays() or [None]:
                dates.rrule(
                    self._rrule(
                        None,
                        interval=self.interval,
                        byweekday=days,
                        bymonthday=self.bymonthday or None,
                    )
                )
            found = list(islice(dates, self.count))
        else:
            return None
        return found[-1] if found else None

    def parts(self, zone=None):
        """The RRULE as an ordered dict of RFC 5545 parts.

        With the `zone` of the wall-clock times, UNTIL is given in UTC, as RFC 5545 requires
        when DTSTART has a time zone.
        """
        parts = {"FREQ": self.freq}
        if self.byday:
            parts["BYDAY"] = ",".join(f"{n or ''}{WEEKDAYS[day]}" for n, day in self.byday)
        if self.bymonthday:
            parts["BYMONTHDAY"] = ",".join(str(day) for day in self.bymonthday)
        if self.interval > 1:
            parts["INTERVAL"] = self.interval
        if self.count is not None:
            parts["COUNT"] = self.count
        elif self.until is not None:
            until = self.until
            parts["UNTIL"] = until.replace(tzinfo=zone).astimezone(dt.UTC) if zone else until
        return parts

    def text(self, zone=None):
        """The RRULE's value as text: 'FREQ=MONTHLY;BYDAY=-1TU;COUNT=3'."""
        return ";".join(f"{key}={_format(value)}" for key, value in self.parts(zone).items())


def _format(value):
    if isinstance(value, dt.datetime):
        return value.strftime("%Y%m%dT%H%M%SZ" if value.tzinfo else "%Y%m%dT%H%M%S")
    return str(value)
