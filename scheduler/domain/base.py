"""What every domain type shares: strict models, ids, texts in two languages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from scheduler.domain.clock import Weekday
from scheduler.domain.problems import problem
from scheduler.domain.text import ID_SCHEMA_PATTERN, Label, id_characters

Identifier = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[^\s:/,]+$"),
    id_characters,
    Field(json_schema_extra={"pattern": ID_SCHEMA_PATTERN}),
]
"""An id used to refer to a thing elsewhere in the scenario: no spaces, colons, commas or slashes."""

MAX_PERIOD_DAYS = 366

EARLIEST_DAY = dt.date(2000, 1, 1)
LATEST_DAY = dt.date(2999, 12, 31)
"""The days a scenario, a rota or a person's dates may name: far from `date.max` (9999-12-31), where adding the
days of a period overflows."""

Day = Annotated[
    dt.date,
    Field(ge=EARLIEST_DAY, le=LATEST_DAY, json_schema_extra={"pattern": r"^2\d{3}-\d{2}-\d{2}$"}),
]
"""A calendar day, YYYY-MM-DD, from 2000-01-01 to 2999-12-31."""


class StrictModel(BaseModel):
    """Unknown fields are errors: a typo in a scenario file must not be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalizedText(StrictModel):
    """A display name in Chinese and English. A plain string is accepted and used for both."""

    zh: Label = Field(min_length=1, description="Chinese text (at most 64 characters).")
    en: Label = Field(min_length=1, description="English text (at most 64 characters).")

    @model_validator(mode="before")
    @classmethod
    def _from_plain_string(cls, value: object) -> object:
        if isinstance(value, str):
            return {"zh": value, "en": value}
        return value

    def text(self, language: str) -> str:
        return self.zh if language.startswith("zh") else self.en


def _check_days_unique(days: list[Weekday]) -> list[Weekday]:
    if len(set(days)) != len(days):
        raise problem("weekday_twice", "a weekday is listed twice")
    return days
