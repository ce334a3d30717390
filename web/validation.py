"""A pydantic validation error in words, for a page or the API: the engine's own messages (its checks already
speak plainly), or a form field's error in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import Path
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from web.i18n import Translator

_PREFIX = "Value error, "
"""What pydantic puts before the message of a ValueError raised by a validator."""
_NOT_A_NUMBER = frozenset(("float_parsing", "int_parsing", "int_from_float", "float_type", "int_type"))


def error_messages(error: ValidationError) -> list[str]:
    """Each error's message as the engine wrote it (a scenario's cross-reference check may span several lines)."""
    return [str(item["msg"]).removeprefix(_PREFIX) for item in error.errors(include_url=False)]


def field_message(item: ErrorDetails, t: Translator) -> str | None:
    """The words for the errors every form shares (required, too long, out of bounds, not a number), in the
    reader's language; None for any other error (the form says it in its own words)."""
    kind = item["type"]
    context: Mapping[str, Any] = item.get("ctx") or {}
    if kind in ("missing", "string_too_short"):
        return t("form.required")
    if kind == "string_too_long":
        return t("form.too_long", n=context.get("max_length", ""))
    if kind == "text_characters":
        return t("form.bad_characters", code=context.get("code", ""))
    if kind in ("greater_than_equal", "greater_than"):
        return t("form.min", n=context.get("ge", context.get("gt", "")))
    if kind in ("less_than_equal", "less_than"):
        return t("form.max", n=context.get("le", context.get("lt", "")))
    if kind in _NOT_A_NUMBER:
        return t("form.not_number")
    return None


def whole_number(text: str, digits: int = 9) -> int | None:
    """`text` as a whole number when it is ASCII digits only, at most `digits` of them; else None.

    `str.isdigit` alone lets through '²' (which int() refuses) and numbers of any length (which int() refuses past
    4,300 digits and the database past 2**63): an id, a version or an index typed into a URL is never either.
    """
    return int(text) if text.isascii() and text.isdigit() and len(text) <= digits else None


DB_INT_MAX = 2**63 - 1
"""The largest integer SQLite (and PostgreSQL's bigint) stores: a larger id would raise OverflowError, not miss."""

JSON_INT_MAX = 2**53 - 1
"""The largest id a JSON body carries: every JSON reader holds integers up to here exactly (many read numbers as
doubles, which would round 2**63 - 1 up past DB_INT_MAX)."""

DbId = Annotated[int, Path(ge=1, le=DB_INT_MAX, description="A stored id (1 to 2**63 - 1).")]
"""An id or version number taken from a URL: out of range is a validation error (422 from the API, a rendered 404
page from the HTML routes, see web.app), never a database error."""

Index = Annotated[int, Path(ge=0, le=DB_INT_MAX, description="A position in a list, from 0.")]
"""A position in a stored list taken from a URL (a pair, a ban, an absence)."""

WeekStart = Annotated[str, Path(
    pattern=r"^2\d{3}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$", examples=["2026-12-07"],
    json_schema_extra={"format": "date"},
    description="First day of the week, YYYY-MM-DD, from 2000-01-01 to 2999-12-31.",
)]
"""The week in an API URL: its form checked (and documented) here, the day itself by web.dates.parse_day."""
