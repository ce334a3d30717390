"""A first rota at once, then the fewest person-hours the hard rules allow.

Two short solves before the full objective, on the model without fairness (which ties every load to the total
and slows a first rota down) and without any other soft term:
1. any rota meeting every hard rule, the first found: the coordinator sees a rota within about a second;
2. the same model minimising the person-hours at the posts, hinted with it: its optimum is the fewest any valid rota
   can have (a coordinator reads "91 shifts: the fewest possible"), its rota a lean start for the full search, and
   its bound a valid cut for every later phase, whose objective counts those hours.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.model.build import BuiltModel, hint_complete
from scheduler.solve.settings import SolveSettings, solver_for

STAFFING = "staffing"
FEWEST_SHARE = 0.25
"""At most this share of the time limit goes to proving the fewest person-hours; its bound holds even unproven."""
FIRST_SHARE = 0.25
"""At most this share of the time limit goes to the first rota."""


@dataclass(frozen=True)
class LeanStart:
    """What the lean phase found: choice values (in `built.variables.choices` order) and the fewest person-minutes."""

    values: list[int] | None
    """The leanest rota found, else the first; None when none was found in time (or none exists)."""
    first_seconds: float | None
    """When the first rota was found (seconds since the solve started)."""
    fewest: int | None
    """Person-minutes at the posts: the proven fewest, or a lower bound on it when not `proven`."""
    proven: bool
    code: int
    """CP-SAT's status of the first-rota solve: INFEASIBLE proves that no rota exists."""


def staffing_minutes(built: BuiltModel) -> cp_model.LinearExprT | None:
    """The model's person-minutes at the posts (the staffing terms' own expression); None without staffing."""
    terms = [term.expr for term in built.terms if term.rule == STAFFING]
    return sum(terms) if terms else None


def lean_start(
    built: BuiltModel, settings: SolveSettings, started: float, on_first: Callable[[list[int]], None] | None = None
) -> LeanStart | None:
    """The two solves of the module docstring; None when the objective has no staffing term. `on_first` is given
    the first rota's choice values as soon as it is found."""
    minutes = staffing_minutes(built)
    if minutes is None:
        return None
    model = built.feasibility_model()
    size = len(built.model.proto.variables)
    first = solver_for(settings.model_copy(update={"time_limit": FIRST_SHARE * settings.time_limit}), size)
    first.parameters.stop_after_first_solution = True
    code = first.solve(model)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return LeanStart(None, None, None, False, int(code))
    first_seconds = time.perf_counter() - started
    values = [int(first.value(c.var)) for cs in built.variables.choices.values() for c in cs]
    if on_first is not None:
        on_first(values)
    hint_complete(model, list(first.response_proto.solution))
    model.minimize(minutes)
    lean = solver_for(settings.model_copy(update={"time_limit": FEWEST_SHARE * settings.time_limit}), size)
    lean_code = lean.solve(model)
    if lean_code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return LeanStart(values, first_seconds, None, False, int(code))
    leanest = [int(lean.value(c.var)) for cs in built.variables.choices.values() for c in cs]
    fewest = math.ceil(lean.best_objective_bound - 1e-6)
    return LeanStart(leanest, first_seconds, fewest, lean_code == cp_model.OPTIMAL, int(code))
