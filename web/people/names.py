"""Names read as pinyin: the people list's order, and ids made from names (`王芳` -> `wang-fang`)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

from pypinyin import Style, lazy_pinyin

MAX_KEY = 64
"""An id's longest length (scheduler.domain.base.Identifier)."""
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def syllables(name: str) -> list[str]:
    """The name's pinyin without tones, one item per character (runs of other letters kept whole), lower-case."""
    return [part.strip().lower() for part in lazy_pinyin(name, style=Style.NORMAL) if part.strip()]


def sort_key(name: str) -> tuple[tuple[str, ...], str]:
    """Order by pinyin, tones ignored (傅 fù before 何 hé before 王 wáng), then by the name itself."""
    return tuple(syllables(name)), name


def slug(name: str) -> str:
    """Lower-case ASCII words joined by hyphens; 'person' when nothing of the name is left."""
    text = unicodedata.normalize("NFKD", "-".join(syllables(name))).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", text.lower()).strip("-")[:MAX_KEY - 4].strip("-") or "person"


def new_key(name: str, taken: Container[str]) -> str:
    """An id made from the name that no one in `taken` has: `wang-fang`, then `wang-fang-2`, `wang-fang-3`..."""
    base = slug(name)
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}-{number}"
    return key


def search_text(*parts: str) -> str:
    """What a search matches in: the parts as typed, and the name's pinyin joined and spaced (wangfang, wang fang)."""
    name = parts[0] if parts else ""
    spoken = syllables(name)
    return "\n".join((*parts, "".join(spoken), " ".join(spoken))).casefold()
