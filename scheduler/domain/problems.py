"""A validator's refusal with a code of its own, so a refused file can be explained in any language.

`problem("weekday_twice", "a weekday is listed twice")` is what a validator raises: pydantic reports it with the
type `rota_weekday_twice`, the English words (the template filled in with the parameters) and the parameters
themselves; `scheduler.domain.files` turns it into the message `input.weekday_twice`, which the catalogue renders
in Chinese or English. The English stays exactly the validator's, for every reader of English.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic_core import PydanticCustomError

PREFIX = "rota_"


def problem(name: str, english: str, /, **params: str | int | float | None) -> PydanticCustomError:
    """The refusal `name` (catalogue code `input.<name>`), worded `english` (a template of `{param}`s)."""
    return PydanticCustomError(PREFIX + name, english, params)


def coded(kind: str, context: Mapping[str, Any] | None) -> tuple[str, dict[str, str | int | float]] | None:
    """The catalogue code and the plain parameters of a pydantic error of type `kind`; None unless it is a
    validator's own refusal (raised by `problem`)."""
    if not kind.startswith(PREFIX):
        return None
    params = {key: value for key, value in (context or {}).items() if isinstance(value, str | int | float)}
    return "input." + kind.removeprefix(PREFIX), params
