"""Clock times and weekdays as they appear in scenario files.

A clock time is written "HH:MM" (00:00 to 24:00; 24:00 only makes sense as the end of a window).
Internally it is the number of minutes since midnight, which keeps arithmetic simple and exact.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from scheduler.domain.problems import problem

_HHMM = re.compile(r"^(\d{1,2}):(\d{2})$")
MINUTES_PER_DAY = 24 * 60


def parse_clock(value: Any) -> int:
    """Parse "HH:MM" into minutes since midnight (0..1440)."""
    if isinstance(value, int | float):
        # A bare number is ambiguous (8 o'clock? 8 minutes?), so it is refused rather than guessed.
        raise problem(
            "clock_number", "expected a clock time such as '07:30' in quotes, got the number {value}", value=repr(value)
        )
    if isinstance(value, str):
        match = _HHMM.match(value.strip())
        if not match:
            raise problem("clock_form", "expected a clock time such as '07:30', got {value}", value=repr(value))
        hours, mins = int(match.group(1)), int(match.group(2))
        if mins >= 60:
            raise problem("clock_minutes", "minutes must be below 60 in {value}", value=repr(value))
        minutes = hours * 60 + mins
    else:
        raise problem("clock_form", "expected a clock time such as '07:30', got {value}", value=repr(value))
    if not 0 <= minutes <= MINUTES_PER_DAY:
        raise problem(
            "clock_range", "clock time must be between 00:00 and 24:00, got {value}", value=format_clock(minutes)
        )
    return minutes


def format_clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


ClockTime = Annotated[
    int,
    BeforeValidator(parse_clock),
    PlainSerializer(format_clock, return_type=str),
    WithJsonSchema({
        "type": "string", "pattern": r"^(([01]?\d|2[0-3]):[0-5]\d|24:00)$", "examples": ["07:00", "24:00"],
    }),
]
"""A time of day written "HH:MM", held as minutes since midnight."""

LocalDateTime = Annotated[
    dt.datetime,
    WithJsonSchema({
        "type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?$",
        "examples": ["2026-12-06T08:00:00", "2026-12-06T08:00:00+08:00"],
    }),
]
"""A moment in ISO 8601 with or without an offset (without: read in the scenario's zone). Not JSON Schema's
`date-time`, which is RFC 3339's and requires the offset."""


class Weekday(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @property
    def index(self) -> int:  # type: ignore[override]  # str.index is never wanted on a weekday
        """0 for Monday, as `date.weekday()` counts."""
        return list(Weekday).index(self)

    @classmethod
    def from_index(cls, index: int) -> Weekday:
        return list(Weekday)[index]


ALL_WEEKDAYS: tuple[Weekday, ...] = tuple(Weekday)
