"""Pairs: two people never on duty at the same time (hard), or a newcomer with a mentor (soft)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.domain.people import PairKind, PairRule
from scheduler.domain.scenario import Scenario
from scheduler.model.constraints.base import OBJECTIVE_SCALE, PenaltyTerm
from scheduler.model.variables import RotaVariables


class Pairs:
    name = "pairs"

    def build(self, scenario: Scenario, model: cp_model.CpModel, variables: RotaVariables) -> list[PenaltyTerm]:
        terms: list[PenaltyTerm] = []
        for pair in scenario.pairs:
            if pair.kind is PairKind.APART:
                self._apart(model, variables, pair)
            else:
                terms.extend(self._together(model, variables, pair))
        return terms

    def _apart(self, model: cp_model.CpModel, variables: RotaVariables, pair: PairRule) -> None:
        instances = variables.instances
        first, second = (instances.by_id[p].index for p in pair.people)
        mine = [(first, instances.shifts[s]) for s in variables.person_shifts[first]]
        theirs = [(second, instances.shifts[s]) for s in variables.person_shifts[second]]
        if not mine or not theirs:
            return
        both = mine + theirs
        # Overlapping intervals share a start point, so checking at every start covers every clash.
        for moment in sorted({shift.start for _, shift in both}):
            at = [(p, s) for p, s in both if s.start <= moment < s.end]
            people = {p for p, _ in at}
            if len(people) == 2:
                model.add(sum(variables.on(p, s.index) for p, s in at) <= 1)

    def _together(self, model: cp_model.CpModel, variables: RotaVariables, pair: PairRule) -> list[PenaltyTerm]:
        instances = variables.instances
        first, second = (instances.by_id[p] for p in pair.people)
        terms = []
        for s in variables.person_shifts[first.index]:
            shift = instances.shifts[s]
            on_first = variables.on(first.index, s)
            alone = model.new_bool_var(f"alone_{first.id}_{s}")
            if variables.eligible(second.index, s):
                model.add(alone >= on_first - variables.on(second.index, s))
            else:
                model.add(alone >= on_first)
            when = instances.timeline.label(shift.start, shift.end)
            terms.append(
                PenaltyTerm(
                    "pairs", f"pairs:together:{first.id}:{second.id}:{s}",
                    f"{first.person.name} works {shift.place} {when} without {second.person.name}",
                    alone, pair.weight * OBJECTIVE_SCALE, 1.0, first.id,
                )
            )
        return terms
