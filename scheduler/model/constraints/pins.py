"""Pins: assignments fixed by the coordinator. (Bans are eligibility: see eligibility.py.)"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.domain.people import Pin
from scheduler.domain.scenario import Scenario
from scheduler.model.constraints.base import PenaltyTerm
from scheduler.model.timeline import Instances, ShiftInstance
from scheduler.model.variables import RotaVariables


def pinned_shift(instances: Instances, pin: Pin) -> ShiftInstance | None:
    for shift in instances.shifts:
        if shift.date == pin.date and shift.place == pin.post and shift.template == pin.shift:
            return shift
    return None


class Pins:
    name = "pins"

    def build(self, scenario: Scenario, model: cp_model.CpModel, variables: RotaVariables) -> list[PenaltyTerm]:
        instances = variables.instances
        for pin in scenario.pins:
            shift = pinned_shift(instances, pin)
            person = instances.by_id[pin.person].index
            if shift is None or not variables.eligible(person, shift.index):
                model.add(False)  # the explanation names the reason; see explain.pin_conflicts
                continue
            if pin.role is None:
                model.add(variables.on(person, shift.index) == 1)
                continue
            roles = [c for c in variables.choices[(person, shift.index)] if c.role == pin.role]
            if not roles:
                model.add(False)
                continue
            model.add(roles[0].var == 1)
        return []
