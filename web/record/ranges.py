"""The range of days a service-record page, file or API call covers: `from` and `to` (both included) in a URL.

Both are local dates of the community. Missing: the last four full weeks up to today. At most `MAX_RANGE_DAYS`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from web.dates import parse_day
from web.record.service import MAX_RANGE_DAYS

DEFAULT_WEEKS = 4


@dataclass(frozen=True)
class Range:
    first: dt.date
    last: dt.date
    """Included."""

    @property
    def end(self) -> dt.date:
        """The day after the last: what `served` takes."""
        return self.last + dt.timedelta(days=1)


@dataclass(frozen=True)
class RangeProblem:
    """Which field is wrong, and why: 'date' (not a date in range), 'order' (`to` before `from`), 'long'."""

    field: str
    kind: str


def default_range(today: dt.date) -> Range:
    """The last four full weeks and this one up to today."""
    monday = today - dt.timedelta(days=today.weekday())
    return Range(monday - dt.timedelta(weeks=DEFAULT_WEEKS), today)


def parse_range(first: str | None, last: str | None, today: dt.date) -> Range | RangeProblem:
    """The range named by the two fields (either may be missing or empty: the default's), or what is wrong."""
    default = default_range(today)
    start, stop = default.first, default.last
    if first:
        day = parse_day(first)
        if day is None:
            return RangeProblem("from", "date")
        start = day
        if not last:
            stop = min(max(today, start), start + dt.timedelta(days=MAX_RANGE_DAYS - 1))
    if last:
        day = parse_day(last)
        if day is None:
            return RangeProblem("to", "date")
        stop = day
        if not first:
            start = min(stop, default.first)
    if stop < start:
        return RangeProblem("to", "order")
    if (stop - start).days + 1 > MAX_RANGE_DAYS:
        return RangeProblem("to", "long")
    return Range(start, stop)
