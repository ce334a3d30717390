"""Solve a scenario: build the CP-SAT model from the constraint registry, run it, read the rota out.

Never raises for "no rota exists": the result then carries an explanation in the coordinator's terms.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, ConfigDict, Field

from scheduler.models import Explanation, Penalty, Rota, Scenario, SolveStatus


class SolveSettings(BaseModel):
    """How hard and how reproducibly to search."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    time_limit: float = Field(default=30.0, gt=0, description="Seconds before the best rota found is returned.")
    workers: int = Field(default=0, ge=0, le=64, description="Search threads; 0 uses every core.")
    seed: int = Field(default=0, ge=0, description="Random seed; with one worker the result is reproducible.")
    relative_gap: float = Field(default=0.0, ge=0, description="Stop when the gap falls below this.")
    explain: bool = Field(default=True, description="Explain an infeasible scenario (takes extra solves).")
    log: bool = Field(default=False, description="Print CP-SAT's own search log.")


class Progress(BaseModel):
    """A better rota was found."""

    model_config = ConfigDict(frozen=True)

    elapsed: float = Field(description="Seconds since the search started.")
    objective: float = Field(description="Objective of the new best rota.")
    bound: float = Field(description="Best lower bound at that moment.")


class SolveStats(BaseModel):
    """Statistics of one solve."""

    model_config = ConfigDict(frozen=True)

    wall_time: float = Field(description="Seconds spent in total, model building included.")
    build_time: float = Field(description="Seconds spent building the model.")
    first_solution_time: float | None = Field(description="Seconds until the first complete rota.")
    variables: int = Field(description="Number of model variables.")
    constraints: int = Field(description="Number of model constraints.")
    solutions: int = Field(description="Number of improving rotas found.")
    workers: int = Field(description="Search threads used.")


class SolveResult(BaseModel):
    """What `solve` returns: a rota when one exists, an explanation when none does."""

    model_config = ConfigDict(frozen=True)

    status: SolveStatus = Field(description="optimal, feasible, infeasible or unknown (time ran out first).")
    rota: Rota | None = Field(description="The best rota found, if any.")
    objective: float | None = Field(description="Its cost.")
    bound: float | None = Field(description="Best proven lower bound.")
    gap: float | None = Field(description="(objective - bound) / max(1, |objective|).")
    penalties: list[Penalty] = Field(default_factory=list, description="Every nonzero soft penalty.")
    stats: SolveStats = Field(description="Statistics.")
    explanation: Explanation | None = Field(default=None, description="Why no rota exists (infeasible only).")


ProgressCallback = Callable[[Progress], None]


def solve(
    scenario: Scenario, settings: SolveSettings | None = None, on_progress: ProgressCallback | None = None
) -> SolveResult:
    raise NotImplementedError  # filled in by the engine commit
