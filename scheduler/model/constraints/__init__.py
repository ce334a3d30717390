"""The rules, one module each, named like the checker's modules (scheduler/check/) and the rule tests
(tests/rules/); docs/rules.md has one section per name.

Hard-only rules: rest, successions, workload, consecutive, teams, pins, and eligibility (applied when the
variables are made, by leaving out what a person may never take: see eligibility.py; it adds no constraints, so
it is not in the registry). Rules with soft terms: coverage (when a rule has costs), meal_breaks (middle and late
slots), pairs ('together'), preferences, fairness, staffing (every person-hour at a post).
"""

from scheduler.model.constraints.base import OBJECTIVE_SCALE, ConstraintFamily, PenaltyTerm
from scheduler.model.constraints.consecutive import ConsecutiveDays
from scheduler.model.constraints.coverage import Coverage
from scheduler.model.constraints.fairness import Fairness
from scheduler.model.constraints.meal_breaks import MealBreaks
from scheduler.model.constraints.pairs import Pairs
from scheduler.model.constraints.pins import Pins
from scheduler.model.constraints.preferences import Preferences
from scheduler.model.constraints.rest import RestAndOverlap
from scheduler.model.constraints.staffing import Staffing
from scheduler.model.constraints.successions import Successions
from scheduler.model.constraints.teams import TeamComposition
from scheduler.model.constraints.workload import Workload

REGISTRY: tuple[ConstraintFamily, ...] = (
    # Build order. Every family reads only what the model owns (`RotaVariables`: the choices, and the meal-break
    # variables made with them), never something another family made, so no family needs another built first.
    # The order still fixes the order of the model's constraints and extra variables, which CP-SAT's presolve
    # and search follow, so it stays as it is: changing it changes which of equally good rotas a solve returns.
    MealBreaks(),
    Coverage(),
    TeamComposition(),
    RestAndOverlap(),
    Successions(),
    Workload(),
    ConsecutiveDays(),
    Pairs(),
    Pins(),
    Preferences(),
    Fairness(),
    Staffing(),
)

__all__ = ["OBJECTIVE_SCALE", "REGISTRY", "ConstraintFamily", "PenaltyTerm"]
