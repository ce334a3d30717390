"""Dates the pages share: the week a coordinator most likely plans next."""

from __future__ import annotations

import datetime as dt


def next_monday(today: dt.date) -> dt.date:
    """The Monday after `today` (a week later when today is a Monday): the default week to plan."""
    return today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)
