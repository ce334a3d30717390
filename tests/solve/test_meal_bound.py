"""The relaxation without break variables: a valid lower bound, and a head start that never changes the answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from scheduler.domain.rota import SolveStatus
from scheduler.domain.scenario import Scenario
from scheduler.model.build import build_model
from scheduler.model.constraints import OBJECTIVE_SCALE
from scheduler.solve import meal_bound
from scheduler.solve.settings import SolveSettings
from tests.builders import DEFAULT_SETTINGS, infeasible, person, pin, solved, tiny_scenario, window

LUNCH = {"name": {"zh": "午饭", "en": "Lunch"}, "start": "11:00", "end": "13:30"}
SETTINGS = SolveSettings(**DEFAULT_SETTINGS)


def meal(**extra: Any) -> dict[str, Any]:
    return {"post": "gate", "windows": [LUNCH], **extra}


def reluctant(*pids: str) -> list[dict[str, Any]]:
    return [person(p, preferences=[{"kind": "avoids", "date": "2026-12-07", "weight": 10}]) for p in pids]


SCENARIOS: dict[str, Callable[[], Scenario]] = {
    "extra person for lunch": lambda: tiny_scenario(
        reluctant("a", "b", "c", "d"), coverage=[window("08:00", "16:00", 2)], meal_rules=[meal()]
    ),
    "middle cost": lambda: tiny_scenario(
        reluctant("a", "b", "c", "d"), coverage=[window("08:00", "16:00", 2)], meal_rules=[meal(middle_cost=1)]
    ),
    "soft minimum during lunch": lambda: tiny_scenario(
        reluctant("a", "b", "c", "d", "e"), coverage=[window("08:00", "16:00", 3, min_cost=30)],
        meal_rules=[meal(max_away=2)],
    ),
    "scarce role": lambda: tiny_scenario(
        [person("s1", ["sec"]), person("s2", ["sec"]), person("v1"), person("v2", meal_minutes=75)],
        roles=["vol", "sec"], coverage=[window("08:00", "16:00", 1, role="sec"), window("08:00", "16:00", 2)],
        meal_rules=[meal(scarce_roles=["sec"], late_cost=3)], days=2,
    ),
}


@pytest.fixture
def joint_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """solve() without the relaxation: the joint model alone."""
    monkeypatch.setattr(meal_bound, "head_start", lambda *_: None)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_relaxation_never_costs_more_than_the_joint_optimum(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = SCENARIOS[name]()
    found = meal_bound.meal_bound(scenario, SETTINGS, 10)
    assert found is not None and found.proven
    with monkeypatch.context() as patch:
        patch.setattr(meal_bound, "head_start", lambda *_: None)
        joint = solved(scenario)
    assert joint.objective is not None
    assert found.bound <= round(joint.objective * OBJECTIVE_SCALE)
    # With the head start the answer is the same optimum (solved() also runs the checker).
    assert solved(scenario).objective == pytest.approx(joint.objective)


def test_head_start_proves_the_optimum_when_breaks_fit_the_relaxed_rota() -> None:
    scenario = SCENARIOS["extra person for lunch"]()
    built = build_model(scenario)
    head = meal_bound.head_start(scenario, built, SETTINGS)
    assert head is not None and head.optimal
    result = solved(scenario)
    assert result.status is SolveStatus.OPTIMAL
    assert result.objective == pytest.approx(30.0)  # three people on Monday, 10 each


def six_on_lunch(meal_minutes: list[int | None]) -> Scenario:
    """Six people pinned on the day shift, at most two away: 2 rows of 150 minutes for their breaks."""
    people = [person(f"p{i}", meal_minutes=m) for i, m in enumerate(meal_minutes)]
    return tiny_scenario(people, pins=[pin(p["id"], "day", 0) for p in people], meal_rules=[meal(max_away=2)])


def test_room_rows_reject_breaks_that_cannot_be_packed(joint_only: None) -> None:
    # 75 + 5 × 45 = 300 minutes = 2 × 150, but a row with the 75-minute break holds 75 + 45 only: no placement.
    tight = six_on_lunch([75, None, None, None, None, None])
    assert meal_bound.meal_bound(tight, SETTINGS, 10) is None
    infeasible(tight)
    # Six 45-minute breaks fit (three per row): both models agree there is a rota.
    loose = six_on_lunch([None] * 6)
    found = meal_bound.meal_bound(loose, SETTINGS, 10)
    assert found is not None and found.bound == 0
    assert solved(loose).objective == 0
