"""The constraint families, one module each. The registry lists them in build order.

Hard-only families: rest, succession, workload, consecutive, teams, pins (and availability, which is applied by
leaving out variables, see `scheduler.instances.Instances.block_reason`). Families with soft terms: coverage (when
a rule has costs), meal breaks (middle and late slots), pairs ('together'), preferences, fairness.
"""

from scheduler.model.constraints.base import OBJECTIVE_SCALE, ConstraintFamily, PenaltyTerm
from scheduler.model.constraints.consecutive import ConsecutiveDays
from scheduler.model.constraints.coverage import Coverage
from scheduler.model.constraints.fairness import Fairness
from scheduler.model.constraints.fixed import Pins
from scheduler.model.constraints.meal_breaks import MealBreaks
from scheduler.model.constraints.pairing import Pairing
from scheduler.model.constraints.preferences import Preferences
from scheduler.model.constraints.rest import RestAndOverlap, Successions
from scheduler.model.constraints.teams import TeamComposition
from scheduler.model.constraints.workload import Workload

REGISTRY: tuple[ConstraintFamily, ...] = (
    MealBreaks(),  # before coverage: coverage subtracts the break variables it creates
    Coverage(),
    TeamComposition(),
    RestAndOverlap(),
    Successions(),
    Workload(),
    ConsecutiveDays(),
    Pairing(),
    Pins(),
    Preferences(),
    Fairness(),
)

__all__ = ["OBJECTIVE_SCALE", "REGISTRY", "ConstraintFamily", "PenaltyTerm"]
