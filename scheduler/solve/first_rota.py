"""A first rota person by person, when no hard rule ties two people together.

When every coverage rule has costs (so missing or exceeding it is allowed, at a price), there are no team duties, no
meal rules and no 'apart' pairs, each hard rule concerns one person: their hours, days in a row, days off, weekends,
shift kinds, successions, rest, absences and pins. A rota is then valid exactly when each person's own part is, and
each part is a small model: solving them one by one finds a first rota for large instances where the whole model may
find none in minutes (docs/benchmarks.md). The full model then starts from it, hinted. It stops at the solve's time
limit like everything else (a coordinator's limit is a promise): what is left of the time goes to each next person.

Each person's rota is chosen for its cost given the people placed before them: their own soft terms (requests,
hours) plus what they change in the cover, a saving on every shift still short of its minimum and a cost on every
shift already at its maximum. That is the exact change in the full objective, since one person adds at most one
to each count; greedy, but a far better start than a rota chosen without looking at cover.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.domain.people import PairKind, Person
from scheduler.domain.scenario import Scenario
from scheduler.model.build import BuiltModel, build_model
from scheduler.model.constraints.base import OBJECTIVE_SCALE
from scheduler.model.constraints.coverage import CoverageNeed, coverage_needs
from scheduler.model.timeline import Instances
from scheduler.model.variables import RotaVariables
from scheduler.solve.settings import SolveSettings, solver_for


def decomposes(scenario: Scenario) -> bool:
    """Whether no hard rule involves two people (a person's own rota can be chosen alone)."""
    hard_coverage = any(
        (rule.min > 0 and rule.min_cost is None) or (rule.max is not None and rule.max_cost is None)
        for rule in scenario.coverage
    )
    apart = any(pair.kind is PairKind.APART for pair in scenario.pairs)
    return not (hard_coverage or apart or scenario.team_duties or scenario.meal_rules)


@dataclass
class CoverCounts:
    """How many people the rota so far puts on each piece of each soft coverage rule, and what one more costs."""

    needs: list[CoverageNeed]
    counts: list[int]
    by_shift: dict[int, list[int]] = field(default_factory=dict)

    @classmethod
    def empty(cls, instances: Instances) -> CoverCounts:
        needs = [n for n in coverage_needs(instances) if n.rule.min_cost is not None or n.rule.max_cost is not None]
        by_shift: dict[int, list[int]] = defaultdict(list)
        for index, need in enumerate(needs):
            for shift in need.shifts:
                by_shift[shift].append(index)
        return cls(needs, [0] * len(needs), dict(by_shift))

    def _matching(self, shift: int, role: str) -> list[int]:
        return [i for i in self.by_shift.get(shift, ()) if self.needs[i].role in (None, role)]

    def change(self, shift: int, role: str) -> int:
        """The objective change (in objective units) of one more person on `shift` in `role`."""
        total = 0
        for index in self._matching(shift, role):
            need, count = self.needs[index], self.counts[index]
            # Per person-minute on window rules, per person on shift rules (as the coverage family counts).
            unit = need.end - need.start if need.per_minute else OBJECTIVE_SCALE
            if need.rule.min_cost is not None and count < need.rule.min:
                total -= need.rule.min_cost * unit
            if need.rule.max is not None and need.rule.max_cost is not None and count >= need.rule.max:
                total += need.rule.max_cost * unit
        return total

    def add(self, shift: int, role: str) -> None:
        for index in self._matching(shift, role):
            self.counts[index] += 1


def own_scenario(scenario: Scenario, person: Person) -> Scenario:
    """The scenario for one person: their pins, no coverage or pairs; the history is kept whole, since where the
    history window starts (the earliest shift of anyone) decides which runs of days touch its start."""
    return scenario.model_copy(
        update={
            "people": [person], "coverage": [], "pairs": [],
            "pins": [pin for pin in scenario.pins if pin.person == person.id],
        }
    )


@dataclass(frozen=True)
class _Roles:
    """Per shift the person may take, the role (among those the full model offers) that helps cover most, and
    what taking the shift in it changes in the cover's cost."""

    best: dict[int, str]
    change: dict[int, int]

    @classmethod
    def of(cls, variables: RotaVariables, person: int, cover: CoverCounts) -> _Roles:
        best: dict[int, str] = {}
        change: dict[int, int] = {}
        for shift in variables.person_shifts[person]:
            costs = {c.role: cover.change(shift, c.role) for c in variables.choices[(person, shift)]}
            best[shift] = min(costs, key=lambda role: costs[role])
            change[shift] = costs[best[shift]]
        return cls(best, change)


def _own_rota(
    scenario: Scenario, person: Person, settings: SolveSettings, roles: _Roles, optimise_until: float
) -> dict[int, str] | None:
    """The shifts (instance index to role) of the person's best rota alone given the cover so far; None when they
    have no valid rota alone. Past `optimise_until` (a `time.perf_counter()` value) any valid rota will do."""
    built = build_model(own_scenario(scenario, person))
    own = built.variables
    # Two workers, for the feasibility-jump one: alone, the default search can take a minute on one person whose
    # minimum and maximum hours are two shifts apart, where feasibility jump needs a fraction of a second.
    left = optimise_until - time.perf_counter()
    if left > 0:
        cover = [
            roles.change[s] * c.var for s in own.person_shifts[0] for c in own.choices[(0, s)] if roles.change.get(s)
        ]
        built.model.minimize(
            cp_model.LinearExpr.sum([t.coefficient * t.expr for t in built.terms] + cover)
        )
        solver = solver_for(settings.model_copy(update={"time_limit": min(left, settings.time_limit)}))
        code = solver.solve(built.model)
        if code == cp_model.INFEASIBLE:
            return None
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return _worked(solver, own, roles)
    solver = solver_for(settings)
    solver.parameters.stop_after_first_solution = True
    code = solver.solve(built.feasibility_model())
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return _worked(solver, own, roles)


def _worked(solver: cp_model.CpSolver, own: RotaVariables, roles: _Roles) -> dict[int, str]:
    return {
        choice.shift: roles.best.get(choice.shift, choice.role)
        for choices in own.choices.values() for choice in choices if solver.boolean_value(choice.var)
    }


def _values(variables: RotaVariables, person: int, worked: dict[int, str]) -> list[int]:
    """The person's choice values in the full model: the same shifts, in the same role when it is offered there.

    Without coverage the person's own model offers one role where the full model may offer several (the ones some
    rule counts); with no hard rule on roles any of them is valid.
    """
    values: list[int] = []
    for shift in variables.person_shifts[person]:
        choices = variables.choices[(person, shift)]
        role = worked.get(shift)
        if role is not None and all(c.role != role for c in choices):
            role = choices[0].role
        values.extend(int(choice.role == role) for choice in choices)
    return values


def person_by_person(
    scenario: Scenario, built: BuiltModel, settings: SolveSettings, deadline: float | None = None,
    optimise_until: float | None = None,
) -> list[int] | None:
    """Values of `built`'s choice variables (in `choices` order) for a rota found one person at a time.

    Until `optimise_until` (a `time.perf_counter()` value; by default the deadline) each person gets their best
    rota given those before them, each with an equal share of the time left; after it, the first valid one.
    None when the scenario does not decompose, some person has no valid rota alone (then the whole model
    decides, and explains), or `deadline` passes first.
    """
    if not decomposes(scenario):
        return None
    variables = built.variables
    deadline = time.perf_counter() + settings.time_limit if deadline is None else deadline
    optimise_until = deadline if optimise_until is None else min(optimise_until, deadline)
    cover = CoverCounts.empty(variables.instances)
    by_choice: dict[tuple[int, int, str], int] = {}
    people = variables.instances.people
    for placed, info in enumerate(people):
        # Everyone, even without a shift they may take: a minimum of hours can make their own rota impossible.
        now = time.perf_counter()
        if now >= deadline:
            return None
        share = max(0.0, optimise_until - now) / (len(people) - placed)
        own_settings = settings.model_copy(update={"workers": 2, "time_limit": deadline - now})
        roles = _Roles.of(variables, info.index, cover)
        worked = _own_rota(scenario, info.person, own_settings, roles, now + share)
        if worked is None:
            return None
        for shift, role in worked.items():
            cover.add(shift, role)
        shifts = variables.person_shifts[info.index]
        own = _values(variables, info.index, worked)
        keys = [(info.index, s, c.role) for s in shifts for c in variables.choices[(info.index, s)]]
        by_choice.update(zip(keys, own, strict=True))
    return [by_choice[(c.person, c.shift, c.role)] for cs in variables.choices.values() for c in cs]
