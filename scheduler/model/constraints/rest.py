"""Rest and no-overlap: one place at a time, and a minimum rest between shifts (history included).

Two shifts of a person clash when their intervals, each stretched by the rest time, overlap. That is an interval
graph, so its maximal cliques (one per start time) give one at-most-one constraint each: far fewer and far
stronger than one constraint per clashing pair.
"""

from __future__ import annotations

import itertools

from ortools.sat.python import cp_model

from scheduler.domain.scenario import Scenario
from scheduler.model.constraints.base import PenaltyTerm
from scheduler.model.timeline import Interval, ShiftInstance
from scheduler.model.variables import RotaVariables


def rest_minutes(hours: float | None) -> int:
    return round((hours or 0) * 60)


def clash_cliques(shifts: list[ShiftInstance], rest: int) -> list[list[int]]:
    """Maximal sets of shifts (sorted by start) of which a person may work at most one."""
    cliques: list[list[int]] = []
    active: list[ShiftInstance] = []
    previous: set[int] = set()
    # Shifts with the same start join the same clique: add them together (dozens a day on large rosters).
    for start, starting in itertools.groupby(shifts, key=lambda s: s.start):
        active = [s for s in active if s.end + rest > start]
        active.extend(starting)
        current = {s.index for s in active}
        if cliques and previous <= current:
            cliques[-1] = [s.index for s in active]
        else:
            cliques.append([s.index for s in active])
        previous = current
    return [c for c in cliques if len(c) > 1]


def _clashes_with_history(shift: ShiftInstance, history: list[Interval], rest: int) -> bool:
    return any(shift.start < past.end + rest and past.start < shift.end + rest for past in history)


class RestAndOverlap:
    name = "rest"

    def build(self, scenario: Scenario, model: cp_model.CpModel, variables: RotaVariables) -> list[PenaltyTerm]:
        instances = variables.instances
        for info in instances.people:
            shifts = [instances.shifts[s] for s in variables.person_shifts[info.index]]
            rest = rest_minutes(info.limits.min_rest_hours)
            for clique in clash_cliques(shifts, rest):
                model.add_at_most_one(variables.on(info.index, s) for s in clique)
            for shift in shifts:
                if _clashes_with_history(shift, info.history, rest):
                    model.add(variables.on(info.index, shift.index) == 0)
        return []
