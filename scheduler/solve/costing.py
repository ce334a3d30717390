"""A rota's every soft term, costed: the full model solved with its choices fixed."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.model.build import BuiltModel
from scheduler.solve.settings import SolveSettings, solver_for


def complete_choices(built: BuiltModel, values: list[int], settings: SolveSettings) -> cp_model.CpSolver | None:
    """The full model solved with the choices fixed (`values`: one per choice variable, in the order of
    `built.variables.choices`): every soft term of that rota, costed (None if it fails)."""
    fixed = built.model.clone()
    choices = [c.var for cs in built.variables.choices.values() for c in cs]
    for var, value in zip(choices, values, strict=True):
        fixed.add(fixed.get_bool_var_from_proto_index(var.index) == value)
    solver = solver_for(settings.model_copy(update={"time_limit": 60.0, "workers": 1}))
    code = solver.solve(fixed)
    return solver if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


def choice_values(built: BuiltModel, solver: cp_model.CpSolver) -> list[int]:
    """The solver's value of every choice variable, in the order of `built.variables.choices` (what
    `complete_choices` takes)."""
    return [int(solver.value(c.var)) for cs in built.variables.choices.values() for c in cs]
