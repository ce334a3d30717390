"""A message in both languages: the unit of every catalogue (`web.i18n` and the areas in `web.messages`)."""

from __future__ import annotations

from typing import NamedTuple


class Message(NamedTuple):
    en: str
    zh: str


def merge(*catalogues: dict[str, Message]) -> dict[str, Message]:
    """One catalogue from several; a key defined twice is a programming error, caught at import."""
    merged: dict[str, Message] = {}
    for catalogue in catalogues:
        clash = merged.keys() & catalogue.keys()
        if clash:
            raise ValueError(f"message keys defined twice: {sorted(clash)}")
        merged.update(catalogue)
    return merged
