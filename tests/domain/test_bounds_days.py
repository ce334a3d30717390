"""Every day a scenario, a rota or a person's dates name lies in 2000-01-01..2999-12-31: a period near `date.max`
would overflow when its days are added, and the CLI must refuse it with exit 2, not crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from scheduler import load_scenario
from scheduler.cli import app
from scheduler.domain import InputError

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "checkpoint.yaml"


def _moved(tmp_path: Path, start: str) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8").replace("start: 2026-12-07", f"start: {start}", 1)
    path = tmp_path / "late.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("start", ["9999-12-28", "1999-12-27", "3000-01-06"])
def test_a_period_out_of_range_is_refused_naming_the_field(tmp_path: Path, start: str) -> None:
    with pytest.raises(InputError) as refused:
        load_scenario(_moved(tmp_path, start))
    assert "start" in str(refused.value)


def test_the_cli_refuses_a_period_near_the_end_of_time_with_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["solve", str(_moved(tmp_path, "9999-12-28")), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "start" in result.output
    assert not (tmp_path / "out").exists()
