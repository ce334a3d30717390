"""How hard and how reproducibly to search, and a CP-SAT solver configured for it."""

from __future__ import annotations

import os

from ortools.sat.python import cp_model
from pydantic import BaseModel, ConfigDict, Field


class SolveSettings(BaseModel):
    """How hard and how reproducibly to search."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    time_limit: float = Field(default=30.0, gt=0, description="Seconds before the best rota found is returned.")
    workers: int | None = Field(
        default=None, ge=1, le=64,
        description="Search threads; None chooses: 8 (CP-SAT's full portfolio, whose bound-proving workers pay "
        "off even on 2 cores) for models up to 50,000 variables, one per core above that (every thread holds "
        "its own copy of a large model). 1 makes the result reproducible for a seed.",
    )
    seed: int = Field(default=0, ge=0, description="Random seed; with one worker the result is reproducible.")
    relative_gap: float = Field(default=0.0, ge=0, description="Stop when the gap falls below this.")
    explain: bool = Field(default=True, description="Explain an infeasible scenario (takes extra solves).")
    log: bool = Field(default=False, description="Print CP-SAT's own search log.")
    local_branching: bool = Field(
        default=True,
        description="When the search stalls, search rotas within a few changes of the best one "
        "(scheduler.solve.search): in solves of 10 minutes or more, with two workers or more (one stays reproducible).",
    )
    lp_bound: bool = Field(
        default=True,
        description="Also bound the cost by the model's linear relaxation, solved by HiGHS in a process beside the "
        "search (scheduler.solve.relaxation; models up to 150,000 variables): on large rotas CP-SAT's own bound stays "
        "weak.",
    )
    column_generation: bool = Field(
        default=True,
        description="When no rule ties two people together but the cover, start from column generation over whole "
        "personal rotas (scheduler.solve.colgen): a far stronger bound than the linear relaxation, and a rota of "
        "whole personal rotas for the search to start from. Its rounds, dive and finish take up to 80 % of the time "
        "limit; the search has the rest.",
    )


FULL_PORTFOLIO = 8
TWO_WORKERS = 2
LARGE_MODEL = 50_000
ROOT_LP_ITERATIONS = 1_000_000


def workers_for(settings: SolveSettings, variables: int) -> int:
    if settings.workers is not None:
        return settings.workers
    return FULL_PORTFOLIO if variables <= LARGE_MODEL else max(2, os.cpu_count() or 1)


def solver_for(settings: SolveSettings, variables: int = 0) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    parameters = solver.parameters
    parameters.max_time_in_seconds = settings.time_limit
    parameters.num_workers = workers_for(settings, variables)
    parameters.random_seed = settings.seed
    parameters.relative_gap_limit = settings.relative_gap
    parameters.log_search_progress = settings.log
    if parameters.num_workers == TWO_WORKERS and variables <= LARGE_MODEL:
        # Two workers run one full-problem search beside the LNS: make it the one with the strongest LP, whose
        # bound the default LP worker leaves weak on mid-sized models (not tried on large ones, where that LP is
        # costly; see docs/benchmarks.md).
        parameters.subsolvers.append("max_lp")
        # ... and let its root LP run to the end: by default it stops after 2,000 iterations, which some models'
        # LP needs many times over, and the search then goes on without a bound.
        parameters.root_lp_iterations = ROOT_LP_ITERATIONS
    return solver
