"""What every constraint family provides: a name, and a build step that returns its soft terms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ortools.sat.python import cp_model

from scheduler.domain.scenario import Scenario
from scheduler.model.variables import RotaVariables

OBJECTIVE_SCALE = 60
"""The model's objective is in sixtieths, so costs per person-hour stay integral at minute resolution."""


@dataclass(frozen=True)
class PenaltyTerm:
    """One named soft term: `coefficient × expr` in objective sixtieths."""

    rule: str
    name: str
    cause: str
    expr: cp_model.LinearExprT
    coefficient: int
    unit: float = 1.0
    """Amount reported per unit of `expr` (e.g. minutes/60 to report person-hours)."""
    person: str | None = None


class ConstraintFamily(Protocol):
    """A family of rules. Hard rules become model constraints; soft rules come back as penalty terms."""

    name: str

    def build(self, scenario: Scenario, model: cp_model.CpModel, variables: RotaVariables) -> list[PenaltyTerm]: ...
