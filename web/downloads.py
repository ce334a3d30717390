"""The `Content-Disposition` of every download: file names in any language (RFC 6266 with RFC 5987's `filename*`)."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal
from urllib.parse import quote

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def ascii_fallback(filename: str) -> str:
    """The name with accents dropped and anything else outside plain ASCII letters, digits, '.', '_' and '-' made a
    '_': what a client that ignores `filename*` saves (and nothing that could break out of the quotes)."""
    plain = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    return _UNSAFE.sub("_", plain).strip("_") or "download"


def content_disposition(filename: str, kind: Literal["inline", "attachment"] = "attachment") -> str:
    """`kind; filename="ascii"; filename*=UTF-8''percent-encoded`: headers are Latin-1, so a Chinese name given
    as it is would fail the response; browsers take `filename*` and older clients the plain fallback."""
    encoded = quote(filename, safe="")
    return f"{kind}; filename=\"{ascii_fallback(filename)}\"; filename*=UTF-8''{encoded}"
