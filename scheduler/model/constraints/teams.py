"""Team duties: each duty instance is staffed by exactly `teams` people of every listed role, and nobody else.

Variables on a duty only exist for its listed roles, so nobody else can be on it.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.domain.scenario import Scenario
from scheduler.model.constraints.base import PenaltyTerm
from scheduler.model.constraints.coverage import SHORTFALL
from scheduler.model.variables import RotaVariables


class TeamComposition:
    """Team duties. With `elastic`, missing team members are allowed at a cost (to explain infeasibility)."""

    name = "teams"

    def __init__(self, elastic: bool = False) -> None:
        self.elastic = elastic

    def build(self, scenario: Scenario, model: cp_model.CpModel, variables: RotaVariables) -> list[PenaltyTerm]:
        duties = {duty.id: duty for duty in scenario.team_duties}
        terms: list[PenaltyTerm] = []
        timeline = variables.instances.timeline
        for shift in variables.instances.shifts:
            if not shift.is_duty:
                continue
            duty = duties[shift.place]
            for role in duty.roles:
                members = sum(variables.role_vars(shift.index, role))
                if not self.elastic:
                    model.add(members == duty.teams)
                    continue
                short = model.new_int_var(0, duty.teams, f"team_short_{shift.index}_{role}")
                model.add(members + short == duty.teams)
                when = timeline.label(shift.start, shift.end)
                terms.append(
                    PenaltyTerm(
                        SHORTFALL, f"shortfall:{shift.place}:{role}:{shift.start}:{shift.end}",
                        f"{role} missing from {duty.id} on {when}", short, shift.minutes, shift.minutes / 60,
                    )
                )
        return terms
