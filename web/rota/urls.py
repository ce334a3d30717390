"""A week in a URL: the pages of the rota, its changes and its print-outs are addressed by the week's first day."""

from __future__ import annotations

import datetime as dt

from fastapi import HTTPException


def parse_week(value: str) -> dt.date:
    """The week's first day from the URL, or 404."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise HTTPException(404, "no such week") from None
