"""The core's shared helpers: validation errors in words, the default week to plan."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import BaseModel, Field, ValidationError, field_validator

from web.dates import next_monday
from web.i18n import Translator
from web.validation import error_messages, field_message, whole_number


class _Form(BaseModel):
    name: str = Field(min_length=1, max_length=3)
    count: int = Field(ge=1, le=5)

    @field_validator("name")
    @classmethod
    def _not_x(cls, value: str) -> str:
        if value == "x":
            raise ValueError("x is not a name\nsecond line")
        return value


def _errors(data: dict[str, object]) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        _Form.model_validate(data)
    return caught.value


def test_error_messages_drop_pydantics_prefix() -> None:
    assert error_messages(_errors({"name": "x", "count": 1})) == ["x is not a name\nsecond line"]


def test_field_message_words_the_shared_errors() -> None:
    t = Translator("en")
    items = {str(item["loc"][0]) + ":" + item["type"]: item for item in _errors({"count": "many"}).errors()}
    assert field_message(items["name:missing"], t) == t("form.required")
    assert field_message(items["count:int_parsing"], t) == t("form.not_number")
    bounds = _errors({"name": "abcd", "count": 9}).errors()
    assert [field_message(item, t) for item in bounds] == [t("form.too_long", n=3), t("form.max", n=5)]
    assert field_message(_errors({"name": "x", "count": 1}).errors()[0], t) is None


@pytest.mark.parametrize(("today", "monday"), [
    (dt.date(2026, 12, 7), dt.date(2026, 12, 14)),  # a Monday: the week after
    (dt.date(2026, 12, 9), dt.date(2026, 12, 14)),
    (dt.date(2026, 12, 13), dt.date(2026, 12, 14)),
])
def test_next_monday(today: dt.date, monday: dt.date) -> None:
    assert next_monday(today) == monday


def test_whole_numbers_are_ascii_digits_of_bounded_length() -> None:
    assert whole_number("0") == 0
    assert whole_number("123456789") == 123456789
    assert whole_number("1234567890") is None  # longer than any id or index the pages use
    assert whole_number("1234567890", digits=12) == 1234567890
    for text in ("", "-1", "1.5", " 7", "²", "١٢", "9" * 5000):
        assert whole_number(text) is None, text[:10]
