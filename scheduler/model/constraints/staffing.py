"""Staffing: every person-hour on duty at a post costs, so a rota calls nobody out who is not needed.

Without this term, one more person on a shift costs nothing (and fairness, measured against the actual total, could
even reward it): solves proved "optimal" rotas with a fifth more call-outs than the rules need. The weight per
person-hour ranks below soft coverage (whose costs are per person-hour short) and above fairness and wishes
(docs/rules.md, "The objective"). Team duties are left out: their size is fixed by the teams rule.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.domain.scenario import Scenario
from scheduler.model.constraints.base import PenaltyTerm
from scheduler.model.variables import RotaVariables


class Staffing:
    name = "staffing"

    def build(self, scenario: Scenario, model: cp_model.CpModel, variables: RotaVariables) -> list[PenaltyTerm]:
        weight = scenario.weights.staffing
        if not weight:
            return []
        minutes: dict[str, list[cp_model.LinearExprT]] = {}
        for shift in variables.instances.shifts:
            if not shift.is_duty:
                minutes.setdefault(shift.place, []).extend(
                    shift.minutes * variables.on(p, shift.index) for p in variables.shift_people[shift.index]
                )
        names = {post.id: post.name.en for post in scenario.posts}
        # One term per post, in person-minutes: the weight is per person-hour, the objective in sixtieths.
        return [
            PenaltyTerm(
                "staffing", f"staffing:{place}", f"person-hours on duty at {names[place]}", sum(parts), weight, 1 / 60
            )
            for place, parts in minutes.items() if parts
        ]
