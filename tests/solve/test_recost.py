"""A rota found as time ran out is costed exactly before it is returned (no slack above what it needs)."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from scheduler.model.build import build_model
from scheduler.model.constraints import OBJECTIVE_SCALE
from scheduler.solve.run import _recosted
from scheduler.solve.settings import SolveSettings, solver_for
from tests.builders import cover, tiny_scenario


def test_loose_slack_is_costed_at_its_least() -> None:
    # One person, a soft minimum of 2 on the day shift: the cheapest rota has her on it and pays one short (100).
    scenario = tiny_scenario(["alice"], coverage=[cover("day", 2, min_cost=100)])
    built = build_model(scenario)
    loose = built.model.clone()
    (short,) = [t.expr for t in built.terms if t.rule == "coverage"]
    assert isinstance(short, cp_model.IntVar)
    (alice,) = [c.var for cs in built.variables.choices.values() for c in cs]
    loose.add(loose.get_bool_var_from_proto_index(alice.index) == 1)
    loose.add(loose.get_int_var_from_proto_index(short.index) == 2)  # valid, but paying one short too many
    solver = solver_for(SolveSettings(workers=1, time_limit=10))
    assert solver.solve(loose) == cp_model.OPTIMAL
    assert solver.objective_value / OBJECTIVE_SCALE == pytest.approx(200)
    exact = _recosted(built, solver)
    assert exact.objective_value / OBJECTIVE_SCALE == pytest.approx(100)
    assert exact.value(alice) == 1
