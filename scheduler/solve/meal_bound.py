"""A lower bound on the objective of a scenario with meal breaks, from a relaxation without break variables.

With meal breaks the joint model finds its optimum quickly but proves it slowly: the search wanders through break
placements that cannot change the cost, long after the optimum was found. The relaxation drops the break variables
(everyone assigned counts at every minute; no away limits, no slot costs) and keeps, per coverage rule and meal
window, the presence rows rounded to whole people: a shift that needs 3 on post with 45-minute breaks in a
150-minute window still needs 5 people. Every rota of the real model is a rota of the relaxation at no higher cost,
so the relaxation's optimum (or any bound of it) bounds the real optimum from below. It is proven in a few seconds,
and a real rota of that cost then ends the search at once.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.domain.scenario import Scenario
from scheduler.model.build import BuiltModel, build_model
from scheduler.model.constraints import REGISTRY, ConstraintFamily
from scheduler.model.constraints.coverage import Coverage
from scheduler.model.constraints.meal_breaks import RULE, MealBreaks
from scheduler.solve import lean
from scheduler.solve.settings import SolveSettings, solver_for

SHARE_OF_TIME = 0.5
"""At most this part of the time limit goes to the relaxation; its bound holds even when not proven. The proof
happens there or, in practice, not at all, so a smaller share on a loaded machine cuts the relaxation short and
proves nothing (docs/benchmarks.md, "Meal breaks")."""
PLACEMENT_SECONDS = 2.0
"""At least this long to place breaks in the relaxation's rota."""
PLACEMENT_WORKERS = 1
"""With the rota fixed the model is small: one thread, no competition for the cores."""


ChoiceKey = tuple[int, int, str]
"""(person, shift instance, role): a choice variable, the same in the relaxed and the real model."""


@dataclass(frozen=True)
class MealBound:
    """What the relaxation proved, and its best rota."""

    bound: int
    """Lower bound on the real objective, in the model's integer units (OBJECTIVE_SCALE per cost unit)."""
    proven: bool
    """True when the relaxation was solved to optimality (the bound is its optimum)."""
    choices: dict[ChoiceKey, int]
    """The relaxation's best rota: the value of every choice."""


@dataclass
class HeadStart:
    """The relaxation's bound, and its rota with breaks placed by the real model (None if they do not fit)."""

    bound: MealBound
    placed: cp_model.CpSolver | None

    @property
    def optimal(self) -> bool:
        """The placed rota costs no more than the bound: it is optimal, proven by the relaxation."""
        return self.placed is not None and round(self.placed.objective_value) <= self.bound.bound


def relaxed_families() -> tuple[ConstraintFamily, ...]:
    """The registry with meal breaks and coverage in their relaxed form; every other family unchanged."""
    families: list[ConstraintFamily] = []
    for family in REGISTRY:
        if family.name == RULE:
            families.append(MealBreaks(relaxed=True))
        elif family.name == "coverage":
            families.append(Coverage(relaxed=True))
        else:
            families.append(family)
    return tuple(families)


def meal_bound(
    scenario: Scenario, settings: SolveSettings, time_limit: float, fewest: int | None = None
) -> MealBound | None:
    """Solve the relaxation; None without meal rules or when it ends with no rota (infeasible, no time).
    `fewest`: the fewest person-minutes at the posts of any valid rota (scheduler.solve.lean), a cut."""
    if not scenario.meal_rules:
        return None
    relaxed = build_model(scenario, relaxed_families())
    minutes = lean.staffing_minutes(relaxed)
    if fewest is not None and minutes is not None:
        relaxed.model.add(minutes >= fewest)
    limits = {"time_limit": max(time_limit, 0.1), "relative_gap": 0.0}
    solver = solver_for(settings.model_copy(update=limits), len(relaxed.model.proto.variables))
    code = solver.solve(relaxed.model)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    proven = code == cp_model.OPTIMAL
    value = solver.objective_value if proven else solver.best_objective_bound
    choices = {
        (c.person, c.shift, c.role): int(solver.value(c.var)) for cs in relaxed.variables.choices.values() for c in cs
    }
    return MealBound(math.ceil(value - 1e-6), proven, choices)


def place_breaks(built: BuiltModel, choices: dict[ChoiceKey, int], time_limit: float) -> cp_model.CpSolver | None:
    """The real model with the rota fixed: its best break placement (None when none exists or time runs out)."""
    fixed = built.model.clone()
    for cs in built.variables.choices.values():
        for c in cs:
            var = fixed.get_bool_var_from_proto_index(c.var.index)
            fixed.add(var == choices.get((c.person, c.shift, c.role), 0))
    solver = solver_for(SolveSettings(time_limit=max(time_limit, 0.1), workers=PLACEMENT_WORKERS))
    code = solver.solve(fixed)
    return solver if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


def head_start(
    scenario: Scenario, built: BuiltModel, settings: SolveSettings, fewest: int | None = None
) -> HeadStart | None:
    """Bound the real model by the relaxation (a constraint: reaching the bound ends the search) and try the
    relaxation's rota with breaks placed. None without meal rules or when the relaxation found nothing."""
    started = time.perf_counter()
    found = meal_bound(scenario, settings, settings.time_limit * SHARE_OF_TIME, fewest)
    if found is None:
        return None
    if found.bound > 0:
        built.model.add(sum(term.coefficient * term.expr for term in built.terms) >= found.bound)
    remaining = settings.time_limit * SHARE_OF_TIME - (time.perf_counter() - started)
    return HeadStart(found, place_breaks(built, found.choices, max(remaining, PLACEMENT_SECONDS)))
