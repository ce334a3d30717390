"""The checker's fingerprint changes with the checker's source and with the domain types it reads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scheduler.check import fingerprint

ENGINE = Path(fingerprint.__file__).resolve().parent.parent


def _copy(tmp_path: Path) -> Path:
    copy = tmp_path / "scheduler"
    for folder in ("check", "domain", "reports"):
        shutil.copytree(ENGINE / folder, copy / folder)
    return copy


@pytest.mark.parametrize("changed", ["check/__init__.py", "domain/rota.py", "reports/catalogue_texts.py"])
def test_a_changed_checker_or_domain_file_changes_the_fingerprint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, changed: str
) -> None:
    copy = _copy(tmp_path)
    monkeypatch.setattr(fingerprint, "_ENGINE", copy)
    fingerprint.checker_fingerprint.cache_clear()
    before = fingerprint.checker_fingerprint()
    with (copy / changed).open("a") as file:
        file.write("\n# changed\n")
    fingerprint.checker_fingerprint.cache_clear()
    assert fingerprint.checker_fingerprint() != before
    fingerprint.checker_fingerprint.cache_clear()


def test_the_fingerprint_is_stable() -> None:
    fingerprint.checker_fingerprint.cache_clear()
    assert fingerprint.checker_fingerprint() == fingerprint.checker_fingerprint()
