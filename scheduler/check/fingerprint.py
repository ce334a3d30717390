"""What a stored verdict of the checker depends on: the checker's source, the domain types it reads and the
catalogue that words its findings.

A changed rule or a changed file format never reuses an old verdict.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

_ENGINE = Path(__file__).resolve().parent.parent


@cache
def checker_fingerprint() -> str:
    """A hash of every source file of `scheduler/check` and `scheduler/domain`, and of the catalogue."""
    digest = hashlib.sha256()
    paths = [path for folder in ("check", "domain") for path in sorted((_ENGINE / folder).rglob("*.py"))]
    paths += [_ENGINE / "reports" / name for name in ("catalogue.py", "catalogue_texts.py", "labels.py")]
    for path in paths:
        digest.update(path.relative_to(_ENGINE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
