"""The search for a better rota: CP-SAT on the whole model, and local branching whenever that stalls.

CP-SAT's own neighbourhoods free a random part of the rota and fix the rest. Some improvements need a few changes
spread over many people and days at once (one more covered shift can take about ten changes in different people's
weeks); no random part holds them all, and the search stays on a rota it cannot improve.

Local branching (Fischetti & Lodi, 2003) searches the whole rota instead, but only rotas that differ from the best
one in at most `radius` choices. Inside that ball the LP relaxation stays close to the best rota, and CP-SAT's
LP-guided neighbourhoods find the coordinated changes. The radius grows while a ball holds nothing better and
starts small again after each improvement (variable neighbourhood search); a cycle ends when three radii in a row
hold nothing better, and the next one starts around the best rota, with other seeds. Once a whole cycle finds
nothing, the unrestricted search resumes from the best rota and runs to the end, unwatched: it may still improve
it, and proves what it can of the bound. A search whose rota is within CLOSE_GAP of its bound is never stopped:
balls found nothing there, and stopping throws away a search that goes on improving, or proving.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model
from pydantic import BaseModel, ConfigDict, Field

from scheduler.model.build import BuiltModel, hint_complete
from scheduler.model.constraints import OBJECTIVE_SCALE
from scheduler.solve.settings import LARGE_MODEL, SolveSettings, solver_for

__all__ = ["Progress", "SearchOutcome", "resume", "search", "search_ball", "uses_local_branching"]

log = logging.getLogger(__name__)

FIRST_RADIUS = 20
"""Choices a first ball may change: ten moves of a shift. Smaller balls often hold nothing better than a stalled
rota; these find the coordinated changes within seconds."""
RADIUS_GROWTH = 1.5
LAST_RADIUS = 45
"""The largest ball of a cycle (20, 30, 45): larger balls are slower to search in a round of a few seconds."""
MIN_STALL = 5.0
STALL_SHARE = 0.1
"""The whole-model search counts as stalled after this share of the time limit (at least MIN_STALL seconds)
without a better rota or a better bound."""
MIN_ROUND = 5.0
ROUND_SHARE = 1 / 12
"""Each ball is searched for at most this share of the time limit (at least MIN_ROUND seconds)."""
BALL_STALL_SHARE = 1 / 3
"""A ball stops after this share of its round without a better rota or a better bound of its own (at least
MIN_STALL seconds): better rotas in a ball come soon after its LP is ready, and a new ball around the better rota
moves on."""
NEAR_PROOF = 0.001
"""Relative gap (best rota to bound) at which a cycle of balls ends, leaving the whole search to prove the rota."""
CLOSE_GAP = 0.02
"""Relative gap (best rota to bound) within which a stalled whole search is not stopped for balls: that close, balls
rarely find better, and stopping the search throws away the proof of optimality it may still complete; the balls'
gains come from stalls far from the bound (docs/benchmarks.md)."""
MIN_PHASE = 1.0
"""Less time than this left is not worth a new search or ball."""
MIN_TIME_LIMIT = 600.0
"""Local branching only in solves given this long: in short solves it gains little, and stopping a stalled search
throws away its proof in progress, which a short solve has no time to start again."""


class Progress(BaseModel):
    """A better rota was found."""

    model_config = ConfigDict(frozen=True)

    elapsed: float = Field(description="Seconds since the search started.")
    objective: float = Field(description="Objective of the new best rota.")
    bound: float = Field(description="Best lower bound at that moment.")


ProgressCallback = Callable[[Progress], None]


@dataclass(frozen=True)
class _Watch:
    """When a search counts as stalled: after `seconds` (from its start, and from the last better bound) without a
    better rota; never while the rota is within `close_gap` of the bound."""

    seconds: float
    close_gap: float | None = None


@dataclass
class _Incumbent:
    """The best rota so far, shared by the callbacks of every search and the stall watch."""

    started: float
    on_progress: ProgressCallback | None
    objective: float = math.inf
    bound: float = -math.inf
    values: list[int] | None = None
    solver: cp_model.CpSolver | None = None
    improved_at: float | None = None
    """When the best rota was found (perf_counter seconds)."""
    watched_since: float = field(default_factory=time.perf_counter)
    """Start of the search or ball under way, or the last better bound: a stall is measured from then at the
    earliest."""
    solutions: int = 0
    first_solution_time: float | None = None

    def found(self, objective: float) -> None:
        now = time.perf_counter()
        if self.first_solution_time is None:
            self.first_solution_time = now - self.started
        if objective < self.objective:  # a ball or a resumed search first reports the rota it was hinted with
            self.solutions += 1
            self.objective = objective
            self.improved_at = now
            if self.on_progress is not None:
                bound = (self.bound if math.isfinite(self.bound) else 0.0) / OBJECTIVE_SCALE
                elapsed = now - self.started
                self.on_progress(Progress(elapsed=elapsed, objective=objective / OBJECTIVE_SCALE, bound=bound))

    def bounded(self, bound: float) -> None:
        if bound > self.bound:
            self.bound, self.watched_since = bound, time.perf_counter()

    def narrowed(self, bound: float) -> None:
        """A ball's own bound moved: its search is under way (its LP may only now be ready), so its stall window
        starts again. That bound holds inside the ball only and is not kept."""
        self.watched_since = time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def within(self, gap: float) -> bool:
        """The best rota is within the relative `gap` of the bound."""
        return self.objective - self.bound <= gap * abs(self.objective)

    def stalled(self, watch: _Watch | None) -> bool:
        """The search under `watch` has a rota and stalled (see _Watch)."""
        now = time.perf_counter()
        if watch is None or self.improved_at is None or now - self.watched_since <= watch.seconds:
            return False
        if watch.close_gap is not None and self.within(watch.close_gap):
            return False
        return now - self.improved_at > watch.seconds

    def keep(self, solver: cp_model.CpSolver) -> bool:
        """Keep the solver's rota if it is the best so far (its callback has already seen it)."""
        if self.solver is not None and solver.objective_value >= self.solver.objective_value:
            return False
        self.solver, self.values = solver, list(solver.response_proto.solution)
        self.objective = min(self.objective, solver.objective_value)
        return True


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, incumbent: _Incumbent) -> None:
        super().__init__()
        self._incumbent = incumbent

    def on_solution_callback(self) -> None:
        self._incumbent.found(self.objective_value)


@dataclass(frozen=True)
class SearchOutcome:
    """The best rota's solver (its values index the built model's variables) and what the search proved."""

    solver: cp_model.CpSolver | None
    code: int
    """OPTIMAL when proved, FEASIBLE with a rota, else the whole-model search's status."""
    bound: float
    """Best bound of the whole-model searches (a ball's bound holds inside the ball only)."""
    solutions: int
    first_solution_time: float | None
    rounds: int
    """Balls searched."""
    improving_rounds: int


def uses_local_branching(settings: SolveSettings, variables: int) -> bool:
    """Long solves only (MIN_TIME_LIMIT); one worker stays reproducible for a seed (a stall is measured on the
    clock); a ball needs an LP worker beside the neighbourhoods (one worker alone in a ball rarely finds better);
    above LARGE_MODEL every ball would repeat a long presolve."""
    return (
        settings.local_branching and settings.time_limit >= MIN_TIME_LIMIT
        and (settings.workers is None or settings.workers >= 2) and variables <= LARGE_MODEL
    )


def search(
    built: BuiltModel, settings: SolveSettings, started: float, deadline: float,
    on_progress: ProgressCallback | None = None,
) -> SearchOutcome:
    """Search until the deadline; the model may carry a hint. Without local branching, one CP-SAT solve."""
    size = len(built.model.proto.variables)
    branching = uses_local_branching(settings, size)
    watch = _Watch(max(MIN_STALL, STALL_SHARE * settings.time_limit), CLOSE_GAP) if branching else None
    incumbent = _Incumbent(started, on_progress)
    code, rounds, improving = _whole(built, settings, incumbent, deadline, watch), 0, 0
    if branching and code == cp_model.FEASIBLE:
        while deadline - time.perf_counter() >= MIN_PHASE:
            cycle = _cycle(built, settings, incumbent, deadline, rounds)
            rounds, improving = rounds + cycle.rounds, improving + cycle.improving
            if not cycle.improving:
                break
        if deadline - time.perf_counter() >= MIN_PHASE:
            # The balls found nothing more: what time is left goes to the whole search, uninterrupted, from the
            # best rota (it may still improve it, and proves what it can of the bound).
            assert incumbent.values is not None
            hint_complete(built.model, incumbent.values)
            code = _whole(built, settings, incumbent, deadline, None)
    found = incumbent.solver is not None
    proved = code == cp_model.OPTIMAL or (found and incumbent.objective <= incumbent.bound)
    final = int(cp_model.OPTIMAL) if proved else int(cp_model.FEASIBLE) if found else code
    return SearchOutcome(
        incumbent.solver, final, incumbent.bound, incumbent.solutions, incumbent.first_solution_time, rounds,
        improving,
    )


def _whole(
    built: BuiltModel, settings: SolveSettings, incumbent: _Incumbent, deadline: float, watch: _Watch | None
) -> int:
    """CP-SAT on the whole model until the deadline, or until it stalls (when watched)."""
    remaining = max(deadline - time.perf_counter(), 0.1)
    solver = solver_for(settings.model_copy(update={"time_limit": remaining}), len(built.model.proto.variables))
    solver.best_bound_callback = incumbent.bounded
    incumbent.watched_since = time.perf_counter()
    code = _watched(solver, built.model, incumbent, watch)
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        incumbent.keep(solver)
    ended = deadline - time.perf_counter() < MIN_PHASE
    status = "proved" if code == cp_model.OPTIMAL else "ended" if ended else "stalled"
    # Not the objective on OPTIMAL: a search stopped by its relative gap limit reports OPTIMAL too.
    incumbent.bounded(solver.best_objective_bound)
    log.info(
        "%.1f s: whole search %s at %s, bound %s", incumbent.elapsed(), status,
        incumbent.objective, incumbent.bound,
    )
    return int(code)


def _watched(solver: cp_model.CpSolver, model: cp_model.CpModel, incumbent: _Incumbent, watch: _Watch | None) -> int:
    """Solve, stopping the search once it stalls under `watch`."""
    done = threading.Event()

    def stop_on_stall() -> None:
        while not done.wait(0.2):
            if incumbent.stalled(watch):
                solver.stop_search()
                return

    watcher = threading.Thread(target=stop_on_stall, daemon=True)
    if watch is not None:
        watcher.start()
    try:
        return int(solver.solve(model, _Reporter(incumbent)))
    finally:
        done.set()
        if watch is not None:
            watcher.join()


@dataclass(frozen=True)
class _Cycle:
    rounds: int
    improving: int


def _cycle(
    built: BuiltModel, settings: SolveSettings, incumbent: _Incumbent, deadline: float, rounds_before: int
) -> _Cycle:
    """Balls around the best rota, growing while they hold nothing better, until a whole cycle of radii fails (or
    the best rota comes within NEAR_PROOF of the bound: the whole search may then prove it). Each ball has its own
    seed: `rounds_before` balls were searched before this cycle."""
    seconds = max(MIN_ROUND, ROUND_SHARE * settings.time_limit)
    watch = _Watch(max(MIN_STALL, BALL_STALL_SHARE * seconds))
    radius, rounds, improving = FIRST_RADIUS, 0, 0
    while radius <= LAST_RADIUS and deadline - time.perf_counter() >= MIN_PHASE and not incumbent.within(NEAR_PROOF):
        rounds += 1
        left = min(seconds, deadline - time.perf_counter())
        if _ball(built, settings, incumbent, radius, left, watch, rounds_before + rounds):
            radius, improving = FIRST_RADIUS, improving + 1
        else:
            radius = math.floor(radius * RADIUS_GROWTH)
    return _Cycle(rounds, improving)


def _ball(
    built: BuiltModel, settings: SolveSettings, incumbent: _Incumbent, radius: int, seconds: float, watch: _Watch,
    round_: int,
) -> bool:
    """Search the ball of `radius` around the best rota until it stalls; True if it held a better one."""
    assert incumbent.values is not None
    before = incumbent.objective
    local = settings.model_copy(update={"time_limit": seconds, "seed": settings.seed + round_})
    ball = _ball_model(built, incumbent.values, radius)
    solver = solver_for(local, len(ball.proto.variables))
    # The ball's LP guides it to the coordinated changes its neighbourhoods miss, and on a long rota that LP can take
    # as long as a whole stall window: the ball's own stall is watched only from its better bound on.
    solver.best_bound_callback = incumbent.narrowed
    incumbent.watched_since = time.perf_counter()
    code = _watched(solver, ball, incumbent, watch)
    better = code in (cp_model.OPTIMAL, cp_model.FEASIBLE) and incumbent.keep(solver)
    log.info("%.1f s: ball of radius %d: %s -> %s", incumbent.elapsed(), radius, before, incumbent.objective)
    return better


def resume(
    built: BuiltModel, settings: SolveSettings, values: list[int], objective: float, seconds: float, *,
    balls: bool, on_progress: ProgressCallback | None = None,
) -> float:
    """Search on from `values` (a complete solution of the built model costing `objective`) for `seconds`: the
    whole search hinted with it, or cycles of balls around it; the best objective found. For experiments
    (benchmarks.curtois_resume): which of the two gains more from a given rota."""
    started = time.perf_counter()
    deadline = started + seconds
    incumbent = _Incumbent(started, on_progress)
    if balls:
        incumbent.values, incumbent.objective = values, objective
        rounds = 0
        while deadline - time.perf_counter() >= MIN_PHASE:
            rounds += _cycle(built, settings, incumbent, deadline, rounds).rounds
    else:
        hint_complete(built.model, values)
        _whole(built, settings, incumbent, deadline, None)
    return min(incumbent.objective, objective)


def search_ball(
    built: BuiltModel, values: list[int], radius: int, settings: SolveSettings,
    callback: cp_model.CpSolverSolutionCallback | None = None,
) -> tuple[int, cp_model.CpSolver]:
    """CP-SAT on the rotas that differ from `values` (a complete solution of the built model) in at most `radius`
    choices, hinted with `values`. The solver's values index the built model's variables."""
    ball = _ball_model(built, values, radius)
    solver = solver_for(settings, len(ball.proto.variables))
    return int(solver.solve(ball, callback)), solver


def _ball_model(built: BuiltModel, values: list[int], radius: int) -> cp_model.CpModel:
    """The built model restricted to at most `radius` choices changed from `values`, hinted with `values`."""
    ball = built.model.clone()
    changed = [
        var if values[var.index] == 0 else 1 - var
        for var in (ball.get_bool_var_from_proto_index(c.var.index) for cs in built.variables.choices.values()
                    for c in cs)
    ]
    ball.add(sum(changed) <= radius)
    hint_complete(ball, values)
    return ball
