"""One rule alone on the model: build only its constraint family (and what it needs), fix a rota, ask CP-SAT.

A rota is a set of (person, shift template or duty id, period day) or (..., role) entries. Every choice of the
model is fixed to whether the rota has it; meal breaks and other helper variables stay free for the solver. An
entry the model has no variable for (eligibility leaves it out) makes the rota impossible to state: infeasible.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.domain.scenario import Scenario
from scheduler.model.build import build_model
from scheduler.model.constraints import OBJECTIVE_SCALE, ConstraintFamily

Entry = tuple[str, str, int] | tuple[str, str, int, str]


@dataclass(frozen=True)
class Verdict:
    feasible: bool
    cost: float
    """The objective of the best completion (free breaks and helper variables), in the rota's units."""


def verdict(scenario: Scenario, families: Sequence[ConstraintFamily], rota: Iterable[Entry]) -> Verdict:
    """Whether the model of only `families` accepts the rota, and what it costs there."""
    built = build_model(scenario, families=families)
    wanted: dict[tuple[str, str, int], str | None] = {}
    for entry in rota:
        wanted[(entry[0], entry[1], entry[2])] = entry[3] if len(entry) == 4 else None
    instances = built.variables.instances
    stated: set[tuple[str, str, int]] = set()
    for (person, shift_index), choices in built.variables.choices.items():
        shift = instances.shifts[shift_index]
        key = (instances.people[person].id, shift.template or shift.place, shift.day)
        role = wanted.get(key, "")
        chosen = None
        if key in wanted:
            chosen = next((c for c in choices if role is None or c.role == role), None)
        for choice in choices:
            built.model.add(choice.var == int(choice is chosen))
        if chosen is not None:
            stated.add(key)
    if stated != set(wanted):
        return Verdict(False, 0.0)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 20
    status = solver.solve(built.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Verdict(False, 0.0)
    return Verdict(True, solver.objective_value / OBJECTIVE_SCALE)
