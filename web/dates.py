"""Dates the pages share: the week a coordinator most likely plans next, and the days a URL or form may name."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from scheduler import EARLIEST_DAY, LATEST_DAY
from web.i18n import Translator


def next_monday(today: dt.date) -> dt.date:
    """The Monday after `today` (a week later when today is a Monday): the default week to plan."""
    return today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)


def local_today(timezone: str, now: dt.datetime) -> dt.date:
    """The date at `now` in the community's time zone (the server's clock runs in UTC: at 02:00 in Shanghai on a
    Monday, UTC still says Sunday, and the week to plan would be the one already running)."""
    return now.astimezone(ZoneInfo(timezone)).date()


def parse_day(text: str) -> dt.date | None:
    """`text` as a date (YYYY-MM-DD) between EARLIEST_DAY and LATEST_DAY; None for anything else."""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return day if EARLIEST_DAY <= day <= LATEST_DAY else None


WEEK_PROBLEM = f"not a date (YYYY-MM-DD) from {EARLIEST_DAY} to {LATEST_DAY}"
"""The API's problem for a week or day it cannot take (its `detail` speaks English, like pydantic's)."""


def day_error(t: Translator, text: str) -> str:
    """A form field's error for a date `parse_day` refused, in the reader's language: not a date at all, or a date
    out of range (which says the range)."""
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return t("form.invalid")
    return t("form.day_range", first=EARLIEST_DAY.isoformat(), last=LATEST_DAY.isoformat())
