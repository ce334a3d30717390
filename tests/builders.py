"""Tiny scenarios for constraint tests, and a solve helper that always cross-checks with the independent checker.

`tiny_scenario` builds a one-post scenario ("gate") from a few keywords; everything else a test needs goes in
as a raw scenario field (`pins=[...]`, `pairs=[...]`, ...). Fairness weights default to 0 so that only the family
under test costs anything; fairness tests set `weights` themselves.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from scheduler.check import check
from scheduler.domain.rota import SolveStatus
from scheduler.domain.scenario import Scenario
from scheduler.solve.run import SolveResult, solve
from scheduler.solve.settings import SolveSettings

MONDAY = dt.date(2026, 12, 7)
"""A Monday; the default period start."""

POST = "gate"
NO_FAIRNESS: dict[str, int] = {"fairness_hours": 0, "fairness_nights": 0, "fairness_weekends": 0}
NEUTRAL_WEIGHTS: dict[str, int] = {**NO_FAIRNESS, "staffing": 0}
"""A tiny scenario's default: no fairness and no cost per person-hour, so that a test's own rule (or a wish) alone
decides who works. Tests of fairness and staffing give their weights."""
DEFAULT_SETTINGS: dict[str, Any] = {"time_limit": 10, "workers": 1, "seed": 0}

ShiftSpec = tuple[str, float] | dict[str, Any]
"""("08:00", 8) for a shift running every day, or a dict of extra template fields (start, hours, days, night)."""
PersonSpec = str | dict[str, Any]
RoleSpec = str | dict[str, Any]
"""A role id, or a whole role record (id, name, limits...)."""


def person(pid: str, roles: Sequence[str] = ("vol",), **extra: Any) -> dict[str, Any]:
    """A person record: id, name and roles, plus any Person fields (limits, availability, preferences...)."""
    return {"id": pid, "name": pid.capitalize(), "roles": list(roles), **extra}


def cover(shift: str, minimum: int = 1, maximum: int | None = None, **extra: Any) -> dict[str, Any]:
    """A shift coverage rule at the gate (hard unless min_cost / max_cost are given)."""
    rule: dict[str, Any] = {"post": POST, "shift": shift, "min": minimum, **extra}
    if maximum is not None:
        rule["max"] = maximum
    return rule


def window(start: str, end: str, minimum: int = 1, **extra: Any) -> dict[str, Any]:
    """A window coverage rule at the gate."""
    return {"post": POST, "window": {"start": start, "end": end}, "min": minimum, **extra}


def day(offset: int, start: dt.date = MONDAY) -> dt.date:
    return start + dt.timedelta(days=offset)


def pin(pid: str, shift: str | None, offset: int, post: str = POST, **extra: Any) -> dict[str, Any]:
    """A pin at the gate (or a team duty, with shift None) on period day `offset` from MONDAY."""
    data: dict[str, Any] = {"person": pid, "date": day(offset).isoformat(), "post": post, **extra}
    if shift is not None:
        data["shift"] = shift
    return data


def _template(shift_id: str, spec: ShiftSpec) -> dict[str, Any]:
    if isinstance(spec, tuple):
        start, hours = spec
        return {"id": shift_id, "start": start, "hours": hours}
    return {"id": shift_id, **spec}


def scenario_data(
    people: Sequence[PersonSpec] = ("alice",),
    days: int = 1,
    shifts: Mapping[str, ShiftSpec] | None = None,
    coverage: Sequence[dict[str, Any]] = (),
    start: dt.date = MONDAY,
    roles: Sequence[RoleSpec] = ("vol",),
    **overrides: Any,
) -> dict[str, Any]:
    """The raw scenario dict behind `tiny_scenario` (for tests that want to edit it before validating)."""
    shifts = {"day": ("08:00", 8)} if shifts is None else shifts
    data: dict[str, Any] = {
        "community": "Test",
        "start": start.isoformat(),
        "days": days,
        "roles": [r if isinstance(r, dict) else {"id": r, "name": r.capitalize()} for r in roles],
        "posts": [{"id": POST, "name": "Gate", "shifts": [_template(k, v) for k, v in shifts.items()]}],
        "people": [person(p) if isinstance(p, str) else p for p in people],
        "coverage": list(coverage),
        "weights": dict(NEUTRAL_WEIGHTS),
    }
    data.update(overrides)
    return data


def tiny_scenario(
    people: Sequence[PersonSpec] = ("alice",),
    days: int = 1,
    shifts: Mapping[str, ShiftSpec] | None = None,
    coverage: Sequence[dict[str, Any]] = (),
    start: dt.date = MONDAY,
    roles: Sequence[RoleSpec] = ("vol",),
    **overrides: Any,
) -> Scenario:
    """One post "gate" with the given shifts (default: "day" 08:00 for 8 h), people and coverage rules."""
    data = scenario_data(people, days, shifts, coverage, start, roles, **overrides)
    return Scenario.model_validate(data)


def _costs_by_rule(penalties: Sequence[Any]) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    for penalty in penalties:
        totals[penalty.rule] += penalty.cost
    return {rule: cost for rule, cost in totals.items() if cost}


def solve_and_check(scenario: Scenario, **settings: Any) -> SolveResult:
    """Solve with deterministic settings; every rota found must satisfy the independent checker exactly.

    The checker must find no violation, recompute the same objective, and the same cost per rule family.
    """
    result = solve(scenario, SolveSettings(**{**DEFAULT_SETTINGS, **settings}))
    if result.rota is not None:
        checked = check(scenario, result.rota)
        assert checked.ok, [v.message for v in checked.violations]
        assert result.objective is not None
        assert checked.objective == pytest.approx(result.objective, abs=1e-6)
        assert _costs_by_rule(checked.penalties) == pytest.approx(_costs_by_rule(result.penalties), abs=1e-6)
        assert sum(p.cost for p in result.penalties) == pytest.approx(result.objective, abs=1e-6)
    return result


def solved(scenario: Scenario, **settings: Any) -> SolveResult:
    """solve_and_check, and the solve must have found a proven optimal rota."""
    result = solve_and_check(scenario, **settings)
    assert result.status is SolveStatus.OPTIMAL, (result.status, result.explanation)
    return result


def infeasible(scenario: Scenario, **settings: Any) -> SolveResult:
    """solve_and_check, and the scenario must be infeasible with an explanation."""
    result = solve_and_check(scenario, **settings)
    assert result.status is SolveStatus.INFEASIBLE, result.status
    assert result.rota is None
    assert result.explanation is not None
    assert result.explanation.summary
    return result


Worked = tuple[str, str, int]
"""(person, shift template or duty id, period day offset)."""


def worked(result: SolveResult) -> set[Worked]:
    """Who works what on which period day."""
    assert result.rota is not None
    return {
        (a.person, a.shift if a.shift is not None else a.place, (a.date - result.rota.start).days)
        for a in result.rota.assignments
    }


def roles_filled(result: SolveResult) -> set[tuple[str, str, int]]:
    """(person, role, day offset) of every assignment."""
    assert result.rota is not None
    return {(a.person, a.role, (a.date - result.rota.start).days) for a in result.rota.assignments}


def days_of(result: SolveResult, pid: str) -> list[int]:
    """Sorted period day offsets on which the person works."""
    return sorted({d for p, _, d in worked(result) if p == pid})


def cost_of(result: SolveResult, rule: str) -> float:
    """Total cost of one family's penalties."""
    return sum(p.cost for p in result.penalties if p.rule == rule)
