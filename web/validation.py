"""A pydantic validation error in words, for a page or the API (the engine's own checks already speak plainly)."""

from __future__ import annotations

from pydantic import ValidationError

_PREFIX = "Value error, "
"""What pydantic puts before the message of a ValueError raised by a validator."""


def error_messages(error: ValidationError) -> list[str]:
    """Each error's message as the engine wrote it (a scenario's cross-reference check may span several lines)."""
    return [str(item["msg"]).removeprefix(_PREFIX) for item in error.errors(include_url=False)]
