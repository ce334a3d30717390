"""A test that needs the benchmark instances: skipped without them on a developer's machine, failed in CI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.benchmarks import data


def uses_data(value: int) -> int:
    return value


def test_with_the_data_the_test_runs_unchanged(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(data, "DATA", tmp_path)
    monkeypatch.setenv("CI", "true")
    assert data.needs_data(uses_data) is uses_data


def test_without_the_data_outside_ci_the_test_is_skipped_saying_where(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(data, "DATA", tmp_path / "missing")
    monkeypatch.delenv("CI", raising=False)
    (mark,) = data.needs_data(uses_data).pytestmark  # type: ignore[attr-defined]
    assert mark.name == "skip" and str(tmp_path / "missing") in mark.kwargs["reason"]


def test_without_the_data_in_ci_the_test_fails(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(data, "DATA", tmp_path / "missing")
    monkeypatch.setenv("CI", "true")
    test = data.needs_data(uses_data)
    with pytest.raises(pytest.fail.Exception, match=r"not at .*missing"):
        test(1)
