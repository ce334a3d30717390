"""The constraint families, one module each. The registry lists them in build order.

Hard-only families: rest, succession, workload, consecutive, teams, pins (and availability, which is applied by
leaving out variables, see `scheduler.instances.Instances.block_reason`). Families with soft terms: coverage (when
a rule has costs), meal breaks (middle and late slots), pairs ('together'), preferences, fairness.
"""

from scheduler.constraints.base import OBJECTIVE_SCALE, ConstraintFamily, PenaltyTerm
from scheduler.constraints.consecutive import ConsecutiveDays
from scheduler.constraints.coverage import Coverage
from scheduler.constraints.fairness import Fairness
from scheduler.constraints.fixed import Pins
from scheduler.constraints.meal_breaks import MealBreaks
from scheduler.constraints.pairing import Pairing
from scheduler.constraints.preferences import Preferences
from scheduler.constraints.rest import RestAndOverlap, Successions
from scheduler.constraints.teams import TeamComposition
from scheduler.constraints.workload import Workload

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
