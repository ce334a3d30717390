"""Each example solves to a rota that the independent checker accepts, with the same objective."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from scheduler.check import check
from scheduler.domain.files import load_scenario
from scheduler.domain.rota import SolveStatus
from scheduler.solve.run import solve
from scheduler.solve.settings import SolveSettings

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["checkpoint.yaml", "grid.yaml"])
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
