"""Each example solves to a rota that the independent checker accepts, with the same objective."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scheduler.check import check
from scheduler.cli import app
from scheduler.domain.explanation import Explanation
from scheduler.domain.files import load_scenario
from scheduler.domain.rota import SolveStatus
from scheduler.reports.catalogue import Words
from scheduler.solve.run import solve
from scheduler.solve.settings import SolveSettings

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FEASIBLE = ["checkpoint.yaml", "grid.yaml"]
INFEASIBLE = ["checkpoint-short.yaml"]
"""Examples with no rota on purpose: `rota solve` exits 3 with the explanation."""


def test_every_example_is_expected_feasible_or_infeasible() -> None:
    assert sorted(FEASIBLE + INFEASIBLE) == sorted(p.name for p in EXAMPLES.glob("*.yaml"))


@pytest.mark.slow
@pytest.mark.parametrize("name", FEASIBLE)
def test_example_solves_and_the_checker_agrees(name: str) -> None:
    scenario = load_scenario(EXAMPLES / name)
    result = solve(scenario, SolveSettings(time_limit=30, seed=0))
    assert result.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
    assert result.rota is not None
    checked = check(scenario, result.rota)
    assert checked.violations == []
    assert checked.objective == pytest.approx(result.objective, abs=1e-6)
    by_rule: dict[str, float] = defaultdict(float)
    for penalty in checked.penalties:
        by_rule[penalty.rule] += penalty.cost
    solver_by_rule: dict[str, float] = defaultdict(float)
    for penalty in result.penalties:
        solver_by_rule[penalty.rule] += penalty.cost
    assert dict(by_rule) == pytest.approx(dict(solver_by_rule), abs=1e-6)
    # Every hard coverage rule holds, so every post has someone on it around the clock.
    assert {a.post for a in result.rota.assignments if a.post} == {p.id for p in scenario.posts}


@pytest.mark.parametrize("name", INFEASIBLE)
def test_infeasible_example_exits_3_with_its_explanation(name: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["solve", str(EXAMPLES / name), "--out", str(out), "--lang", "zh"], env={"LANG": "zh_CN.UTF-8"}
    )
    assert result.exit_code == 3, result.output
    assert not (out / "rota.json").exists()
    explanation = Explanation.model_validate_json((out / "explanation.json").read_text(encoding="utf-8"))
    assert explanation.headlines
    headline = explanation.headlines[0].text(Words(load_scenario(EXAMPLES / name), "zh"))
    assert "".join(headline.split()) in "".join(result.output.split())  # the terminal wraps lines
