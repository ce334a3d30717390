"""A first rota at once, then the fewest person-hours the hard rules allow.

Two short solves before the full objective, on the model without fairness (which ties every load to the total
and slows a first rota down) and without any other soft term:
1. any rota meeting every hard rule, the first found: the coordinator sees a rota within about a second;
2. the same model minimising the person-hours at the posts, hinted with it: its optimum is the fewest any valid rota
   can have (a coordinator reads "91 shifts: the fewest possible"), its rota a lean start for the full search, and
   its bound a valid cut for every later phase, whose objective counts those hours.
Beside them, `demand_bound` reads off the coverage rules what any rota must at least cost, without a solver.
"""

from __future__ import annotations

import bisect
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.model.build import BuiltModel, hint_complete
from scheduler.model.constraints.coverage import CoverageNeed, coverage_needs
from scheduler.solve.costing import choice_values
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
    least_cost: int = 0
    """A lower bound on the whole objective, in the model's units (`demand_bound`)."""


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
    demand = demand_bound(built)
    model = built.feasibility_model()
    size = len(built.model.proto.variables)
    first = solver_for(settings.model_copy(update={"time_limit": FIRST_SHARE * settings.time_limit}), size)
    first.parameters.stop_after_first_solution = True
    code = first.solve(model)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return LeanStart(None, None, demand.person_minutes, False, int(code), demand.cost)
    first_seconds = time.perf_counter() - started
    values = choice_values(built, first)
    if on_first is not None:
        on_first(values)
    hint_complete(model, list(first.response_proto.solution))
    model.minimize(minutes)
    model.add(minutes >= demand.person_minutes)
    lean = solver_for(settings.model_copy(update={"time_limit": FEWEST_SHARE * settings.time_limit}), size)
    lean_code = lean.solve(model)
    if lean_code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return LeanStart(values, first_seconds, demand.person_minutes, False, int(code), demand.cost)
    leanest = choice_values(built, lean)
    fewest = max(math.ceil(lean.best_objective_bound - 1e-6), demand.person_minutes)
    return LeanStart(leanest, first_seconds, fewest, lean_code == cp_model.OPTIMAL, int(code), demand.cost)


@dataclass(frozen=True)
class DemandBound:
    """What the coverage rules alone prove, minute by minute at each post, without a solver."""

    person_minutes: int
    """Person-minutes at the posts that the hard coverage rules need at least."""
    cost: int
    """A lower bound on the whole objective, in the model's units: the cheapest way to meet every soft coverage
    rule's minimum or pay its shortfall, given the cost of each person-minute on duty."""


def demand_bound(built: BuiltModel) -> DemandBound:
    """At every minute a post needs at least the largest hard window minimum present and the largest hard shift
    minimum assigned; people present are assigned, and each assigned minute costs `weights.staffing`. A soft window
    rule costs `min_cost` per person-hour short of its minimum. The cheapest number present, minute by minute,
    bounds the staffing and coverage terms from below; every other term is at least zero.

    On large rotas this is the bound that counts: CP-SAT's own bound stays near zero there, while the person-hours
    the cover demands are most of the cost."""
    scenario = built.variables.instances.scenario
    weight = scenario.weights.staffing
    pieces: dict[str, list[CoverageNeed]] = {}
    for need in coverage_needs(built.variables.instances):
        if need.rule.min > 0:
            pieces.setdefault(need.place, []).append(need)
    minutes = cost = 0
    for needs in pieces.values():
        cuts = sorted({t for need in needs for t in (need.start, need.end)})
        segments = [_Segment() for _ in cuts]
        for need in needs:
            for i in range(bisect.bisect_left(cuts, need.start), bisect.bisect_left(cuts, need.end)):
                segments[i].add(need)
        for start, end, segment in zip(cuts, cuts[1:], segments, strict=False):
            minutes += segment.assigned(segment.window) * (end - start)
            cost += segment.cheapest(weight) * (end - start)
    return DemandBound(minutes, cost)


@dataclass
class _Segment:
    """The rules counting people at one post between two cuts."""

    window: int = 0
    """The largest hard window minimum: people present."""
    shift: int = 0
    """The largest hard shift minimum: people assigned."""
    soft: list[tuple[int, int]] = field(default_factory=list)
    """(minimum, cost per person-hour short) of the soft window rules."""

    def add(self, need: CoverageNeed) -> None:
        rule = need.rule
        if rule.min_cost is None:
            if need.per_minute:
                self.window = max(self.window, rule.min)
            else:
                self.shift = max(self.shift, rule.min)
        elif need.per_minute:
            self.soft.append((rule.min, rule.min_cost))

    def assigned(self, present: int) -> int:
        return max(present, self.shift)

    def cheapest(self, weight: int) -> int:
        """Per minute, in the model's units (sixtieths per person-hour): the least of staffing and shortfall."""
        top = max([self.window, *(m for m, _ in self.soft)])
        return min(
            weight * self.assigned(present) + sum(cost * max(0, m - present) for m, cost in self.soft)
            for present in range(self.window, top + 1)
        )
