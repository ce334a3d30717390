"""A validator's refusal with a code of its own, so a refused file can be explained in any language.

`problem("weekday_twice", "a weekday is listed twice")` is what a validator raises: pydantic reports it with the
type `rota_weekday_twice`, the English words (the template filled in with the parameters) and the parameters
themselves; `scheduler.domain.files` turns it into the message `input.weekday_twice`, which the catalogue renders
in Chinese or English. The English stays exactly the validator's, for every reader of English.
"""

from __future__ import annotations

from pydantic_core import PydanticCustomError

PREFIX = "rota_"


def problem(name: str, english: str, /, **params: str | int | float | None) -> PydanticCustomError:
    """The refusal `name` (catalogue code `input.<name>`), worded `english` (a template of `{param}`s)."""
    return PydanticCustomError(PREFIX + name, english, params)
