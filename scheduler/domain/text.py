"""Text a person reads (names, labels, places, notes): bounded in length, free of control and bidi characters.

A name is printed in grids, PDFs, calendars and spreadsheets. A control character breaks those layouts and a
bidirectional-formatting character (U+202E RIGHT-TO-LEFT OVERRIDE...) makes "王五" show reversed, or one name look
like another. So every such text field refuses, with a message naming the field:

- control characters (Unicode Cc: U+0000–U+001F, U+007F–U+009F, tab and newline included: every field is one
  line), line and paragraph separators (U+2028, U+2029) and lone surrogates (which no file can encode);
- the bidi embeddings and overrides U+202A–U+202E, the isolates U+2066–U+2069, and also the marks U+200E, U+200F
  and U+061C: they are invisible, a Chinese or English name never needs them, and they make two names that look
  the same differ;
- more than `LABEL_LENGTH` characters for a name or label, `NOTE_LENGTH` for a place or a note.

Joiners (U+200D, for emoji sequences) and all printable characters stay allowed.

Values read back from storage (the web app's database, written by an earlier version that allowed more) are
repaired instead of refused, so a stored value never breaks a page: validate with `context=STORED` and a control
character becomes a space, a bidi character is dropped and a long text is cut to its limit. Ids are references and
are never changed: a stored id is taken as it is.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Annotated, Any

from pydantic import AfterValidator, Field, ValidationInfo
from pydantic_core import PydanticCustomError

LABEL_LENGTH = 64
"""Names and labels: a person's, a role's, a post's, a shift's, a duty's, a meal window's, the community's."""
NOTE_LENGTH = 200
"""Longer free text: a post's or duty's location, an absence's reason, the coordinator's name and phone."""
REMARK_LENGTH = 500
"""A remark typed in passing (a published version's note, a refused swap's reason): cleaned, never refused."""

STORED: Mapping[str, Any] = MappingProxyType({"stored": True})
"""Validation context for values read back from storage: repair them rather than refuse them."""

_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BREAKS = frozenset("\u2028\u2029")
_PATTERN = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2028\\u2029\\u2066-\\u2069]*$"
"""The same rule for JSON Schema readers (lone surrogates aside, which JSON Schema cannot name)."""
ID_SCHEMA_PATTERN = (
    "^[^\\s:/,\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2028\\u2029"
    "\\u2066-\\u2069]+$"
)
"""An id's pattern (no spaces, colons, slashes or commas) with the same rule, for JSON Schema readers."""


def bad_character(text: str) -> str | None:
    """The first character `text` may not contain, or None."""
    for char in text:
        if char in _BIDI or char in _BREAKS or unicodedata.category(char) in ("Cc", "Cs"):
            return char
    return None


def repaired(text: str, limit: int | None) -> str:
    """`text` made acceptable: controls and breaks become spaces, bidi characters go, surrogates become U+FFFD,
    and it is cut to `limit` characters."""
    out = []
    for char in text:
        if char in _BIDI:
            continue
        category = unicodedata.category(char)
        if category == "Cs":
            out.append("\ufffd")
        elif category == "Cc" or char in _BREAKS:
            out.append(" ")
        else:
            out.append(char)
    result = "".join(out)
    return result[:limit] if limit is not None else result


def plain_remark(text: str) -> str:
    """A remark as stored: stripped, control characters as spaces, no bidi characters, at most 500 characters."""
    return repaired(text.strip(), REMARK_LENGTH).strip()


def _is_stored(info: ValidationInfo) -> bool:
    context = info.context
    return isinstance(context, Mapping) and bool(context.get("stored"))


def _refuse(char: str) -> PydanticCustomError:
    return PydanticCustomError(
        "text_characters",
        "contains the character {code}, which is not allowed (no control, line-break or bidirectional-formatting "
        "characters)",
        {"code": f"U+{ord(char):04X}"},
    )


def _checker(limit: int | None) -> Callable[[str, ValidationInfo], str]:
    def check(value: str, info: ValidationInfo) -> str:
        if _is_stored(info):
            return value if limit is None else repaired(value, limit)
        char = bad_character(value)
        if char is not None:
            raise _refuse(char)
        if limit is not None and len(value) > limit:
            # The type and context of pydantic's own error, so forms say "at most 64 characters" in their words.
            raise PydanticCustomError(
                "string_too_long", "String should have at most {max_length} characters", {"max_length": limit}
            )
        return value

    return check


def _schema(limit: int) -> dict[str, Any]:
    return {"maxLength": limit, "pattern": _PATTERN}


Label = Annotated[
    str, Field(json_schema_extra=_schema(LABEL_LENGTH)), AfterValidator(_checker(LABEL_LENGTH))
]
"""A name or label: up to 64 characters, one line, no control or bidi characters."""
Note = Annotated[str, Field(json_schema_extra=_schema(NOTE_LENGTH)), AfterValidator(_checker(NOTE_LENGTH))]
"""A place or note: up to 200 characters, one line, no control or bidi characters."""
Mark = Annotated[str, Field(json_schema_extra=_schema(4)), AfterValidator(_checker(4))]
"""A short mark beside a name on the printed rota."""
Phone = Annotated[str, Field(json_schema_extra=_schema(40)), AfterValidator(_checker(40))]
"""A phone number as typed."""

id_characters = AfterValidator(_checker(None))
"""An id's extra check: no control or bidi characters (its length and pattern are checked by `Identifier`)."""
