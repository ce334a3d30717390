"""Clock times and weekdays as scenario files write them (scheduler/domain/clock.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import BaseModel, ValidationError

from scheduler.domain.clock import ALL_WEEKDAYS, MINUTES_PER_DAY, ClockTime, Weekday, format_clock, parse_clock


class Slot(BaseModel):
    at: ClockTime


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("00:00", 0), ("07:30", 450), ("7:30", 450), (" 08:05 ", 485), ("23:59", 1439), ("24:00", MINUTES_PER_DAY)],
)
def test_a_clock_time_is_minutes_since_midnight(text: str, minutes: int) -> None:
    assert parse_clock(text) == minutes


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (8, "the number 8"),
        (7.5, "the number 7.5"),
        ("8", "such as '07:30'"),
        ("08:00:00", "such as '07:30'"),
        ("8h", "such as '07:30'"),
        ("08:60", "minutes must be below 60"),
        ("24:01", "between 00:00 and 24:00, got 24:01"),
        ("25:00", "between 00:00 and 24:00"),
        (None, "such as '07:30'"),
    ],
)
def test_anything_else_is_refused_with_a_reason(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_clock(value)


@pytest.mark.parametrize(("minutes", "text"), [(0, "00:00"), (450, "07:30"), (1439, "23:59"), (1440, "24:00")])
def test_minutes_are_written_back_as_hh_mm(minutes: int, text: str) -> None:
    assert format_clock(minutes) == text
    assert parse_clock(format_clock(minutes)) == minutes


def test_a_clock_field_reads_and_writes_the_text_form() -> None:
    slot = Slot.model_validate({"at": "06:15"})
    assert slot.at == 375
    assert slot.model_dump(mode="json") == {"at": "06:15"}
    assert Slot.model_json_schema()["properties"]["at"]["type"] == "string"
    with pytest.raises(ValidationError, match="the number 6"):
        Slot.model_validate({"at": 6})


def test_weekdays_count_from_monday_like_dates_do() -> None:
    assert [w.value for w in ALL_WEEKDAYS] == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    monday = dt.date(2026, 12, 7)
    for offset in range(7):
        date = monday + dt.timedelta(days=offset)
        weekday = Weekday.from_index(date.weekday())
        assert weekday.index == date.weekday() == offset
    assert Weekday("sat") is Weekday.SAT and Weekday.SAT == "sat"
    with pytest.raises(ValueError):
        Weekday("saturday")
