"""What a stored verdict of the checker depends on: the checker's source and the domain types it reads.

A changed rule or a changed file format never reuses an old verdict.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

_ENGINE = Path(__file__).resolve().parent.parent


@cache
def checker_fingerprint() -> str:
    """A hash of every source file of `scheduler/check` and `scheduler/domain`."""
    digest = hashlib.sha256()
    for folder in ("check", "domain"):
        for path in sorted((_ENGINE / folder).rglob("*.py")):
            digest.update(path.relative_to(_ENGINE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
