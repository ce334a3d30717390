"""A week in a URL: the pages of the rota, its changes and its print-outs are addressed by the week's first day."""

from __future__ import annotations

import datetime as dt

from fastapi import HTTPException

from web.dates import parse_day


def parse_week(value: str) -> dt.date:
    """The week's first day from the URL (a day web.dates allows), or 404."""
    day = parse_day(value)
    if day is None:
        raise HTTPException(404, "no such week")
    return day
