"""The strategies that turn a model into a rota: search, relaxation, column generation, meal bound, explain, repair.

`run.solve` chooses among them; `repair` re-solves a published rota after drop-outs with the fewest changes.
"""

from scheduler.solve.repair import RepairProgress, RepairResult, RepairSettings, repair
from scheduler.solve.repair_input import RepairInputError, Unavailability, parse_moment, parse_unavailability
from scheduler.solve.run import SolveResult, SolveStats, relative_gap, solve
from scheduler.solve.search import Progress, ProgressCallback
from scheduler.solve.settings import SolveSettings

__all__ = [
    "Progress",
    "ProgressCallback",
    "RepairInputError",
    "RepairProgress",
    "RepairResult",
    "RepairSettings",
    "SolveResult",
    "SolveSettings",
    "SolveStats",
    "Unavailability",
    "parse_moment",
    "parse_unavailability",
    "relative_gap",
    "repair",
    "solve",
]
