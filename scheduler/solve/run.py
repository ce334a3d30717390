"""Solve a scenario: build the CP-SAT model from the constraint registry, run it, read the rota out.

Never raises for "no rota exists": the result then carries an explanation in the coordinator's terms.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model
from pydantic import BaseModel, ConfigDict, Field

from scheduler.check import check
from scheduler.domain.explanation import Explanation
from scheduler.domain.rota import Penalty, Rota, SolveStatus, StaffingSummary
from scheduler.domain.scenario import Scenario
from scheduler.model.build import BuiltModel, build_model, hint_complete
from scheduler.model.constraints import OBJECTIVE_SCALE, PenaltyTerm
from scheduler.model.variables import ValueReader
from scheduler.solve import colgen, explain, first_rota, lean, meal_bound, relaxation
from scheduler.solve.costing import choice_values, complete_choices
from scheduler.solve.search import Progress, ProgressCallback, SearchOutcome, search
from scheduler.solve.settings import SolveSettings, solver_for, workers_for

__all__ = ["Progress", "SolveResult", "SolveSettings", "SolveStats", "complete_choices", "solve"]


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
    local_branching_rounds: int = Field(default=0, description="Balls around the best rota searched (see search.py).")
    local_branching_improvements: int = Field(default=0, description="Balls that held a better rota.")
    lp_bound: float | None = Field(
        default=None, description="The bound from the linear relaxation (scheduler.solve.relaxation), if it was solved."
    )
    lp_bound_seconds: float | None = Field(default=None, description="Seconds the linear relaxation took.")
    column_rounds: int = Field(
        default=0, description="Rounds of pricing in column generation (scheduler.solve.colgen)."
    )
    columns: int = Field(default=0, description="Personal rotas column generation generated.")
    column_bound: float | None = Field(default=None, description="Column generation's bound, if it found one.")
    column_seconds: float | None = Field(
        default=None, description="Seconds column generation took, choosing its rota included."
    )


def relative_gap(objective: float, bound: float) -> float:
    """How far a rota's objective may still be above the best possible: (objective - bound) / max(1, |objective|)."""
    return (objective - bound) / max(1.0, abs(objective))


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
    staffing: StaffingSummary | None = Field(
        default=None, description="Shifts and person-hours at the posts against the fewest the hard rules allow."
    )


SPLIT_SOLVE_SIZE = 20_000
"""Above this many variables a first rota comes first even without fairness: with the objective, CP-SAT may find no
rota at all in a short solve of a large model, where without it one comes in seconds."""

FIRST_ROTA_SHARE = 0.5
"""How much of the time limit a first rota chosen person by person may spend on choosing each person's rota for
the cover (after it, each next person's first valid rota is taken)."""


_STATUS: dict[int, SolveStatus] = {
    int(cp_model.OPTIMAL): SolveStatus.OPTIMAL,
    int(cp_model.FEASIBLE): SolveStatus.FEASIBLE,
    int(cp_model.INFEASIBLE): SolveStatus.INFEASIBLE,
    int(cp_model.UNKNOWN): SolveStatus.UNKNOWN,
    int(cp_model.MODEL_INVALID): SolveStatus.INVALID,
}


def read_penalties(solver: cp_model.CpSolver, terms: list[PenaltyTerm]) -> list[Penalty]:
    """Every soft term with a nonzero value, with its amount and cost."""
    penalties = []
    for term in terms:
        value = term.expr if isinstance(term.expr, int) else solver.value(term.expr)
        if value:
            penalties.append(
                Penalty(
                    rule=term.rule, name=term.name, cause=term.cause, amount=round(value * term.unit, 6),
                    cost=round(value * term.coefficient / OBJECTIVE_SCALE, 6), person=term.person,
                )
            )
    return penalties


def solve(
    scenario: Scenario, settings: SolveSettings | None = None, on_progress: ProgressCallback | None = None
) -> SolveResult:
    """Build and solve; return the best rota, or an explanation when the hard rules cannot all hold.

    Two phases: a first rota from the model without the coupling fairness constraints (fast, and it settles
    feasibility), then the full model, hinted with that rota, for the rest of the time.
    """
    settings = settings or SolveSettings()
    started = time.perf_counter()
    static = explain.static_explanation(scenario)
    if static is not None:
        return _without_rota(SolveStatus.INFEASIBLE, started, 0.0, None, static)
    built = build_model(scenario)
    build_time = time.perf_counter() - started
    start = _Lean(scenario, built, settings, started, on_progress)
    if start.phase is not None and start.phase.code == cp_model.INFEASIBLE:
        stats = _stats(built, settings, None, started, build_time, None, 0)
        return _no_rota(scenario, settings, SolveStatus.INFEASIBLE, stats)
    result = _solve_built(scenario, built, settings, on_progress, started, build_time, start)
    return _worded(scenario, start.summarised(result))


def _worded(scenario: Scenario, result: SolveResult) -> SolveResult:
    """The penalties as the independent checker finds and words them (message codes, for any language), when it
    costs the rota as the model did; the model's own terms otherwise."""
    if result.rota is None or result.objective is None:
        return result
    checked = check(scenario, result.rota)
    if abs(checked.objective - result.objective) > 1e-6 * max(1.0, abs(result.objective)):
        return result
    rota = result.rota.model_copy(update={"penalties": checked.penalties})
    return result.model_copy(update={"rota": rota, "penalties": checked.penalties})


class _Lean:
    """The lean phase (scheduler.solve.lean): a first rota at once, reported costed, and the fewest person-hours,
    a cut for every later phase."""

    def __init__(
        self, scenario: Scenario, built: BuiltModel, settings: SolveSettings, started: float,
        on_progress: ProgressCallback | None,
    ) -> None:
        self.scenario, self.built, self.settings = scenario, built, settings
        self.started, self.on_progress = started, on_progress
        self.best: cp_model.CpSolver | None = None
        """The leanest rota costed by the full model: what a solve returns if nothing better comes."""
        self.costing = 0.0
        """Seconds the last costing took."""
        self.phase = lean.lean_start(built, settings, started, self._costed)
        if self.phase is None or self.phase.values is None:
            return
        self._costed(self.phase.values)
        minutes = lean.staffing_minutes(built)
        if self.phase.fewest is not None and minutes is not None:
            built.model.add(minutes >= self.phase.fewest)
        if self.best is not None:
            hint_complete(built.model, list(self.best.response_proto.solution))

    def _costed(self, values: list[int]) -> None:
        costing_started = time.perf_counter()
        completed = complete_choices(self.built, values, self.settings)
        self.costing = time.perf_counter() - costing_started
        if completed is not None and (self.best is None or completed.objective_value < self.best.objective_value):
            self.best = completed
            _report(self.on_progress, self.started, completed.objective_value)

    @property
    def fewest(self) -> int | None:
        """The fewest person-minutes at the posts, or a bound on it (None when not computed)."""
        return None if self.phase is None else self.phase.fewest

    @property
    def first(self) -> _FirstRota | None:
        if self.phase is None or self.phase.values is None:
            return None
        return _FirstRota(
            int(cp_model.FEASIBLE), cp_model.CpSolver(), self.phase.values, self.phase.first_seconds, self.best,
            self.costing,
        )

    def summarised(self, result: SolveResult) -> SolveResult:
        """The result with its staffing summary; the lean rota when the later phases found no better one."""
        first = None if self.phase is None else self.phase.first_seconds
        if first is not None:
            result = result.model_copy(update={"stats": result.stats.model_copy(update={"first_solution_time": first})})
        if self.best is not None and result.rota is None and result.status is SolveStatus.UNKNOWN:
            # Time ran out in the later phases: the lean rota stands, bounded by its person-hours at least.
            least = 0 if self.phase is None or self.phase.fewest is None else self.phase.fewest
            bound = least * self.scenario.weights.staffing
            result = _result(self.scenario, self.built, self.best, SolveStatus.FEASIBLE, bound, result.stats)
        if result.rota is None:
            return result
        if self.phase is not None and result.objective is not None and result.bound is not None:
            result = _with_bound(result, self.phase.least_cost / OBJECTIVE_SCALE)
        hours = None if self.phase is None or self.phase.fewest is None else round(self.phase.fewest / 60, 6)
        rota = result.rota
        assert rota is not None
        summary = rota.staffing_at({post.id for post in self.scenario.posts}).model_copy(
            update={"fewest_person_hours": hours, "fewest_proven": bool(self.phase and self.phase.proven)}
        )
        return result.model_copy(update={"rota": rota.model_copy(update={"staffing": summary}), "staffing": summary})


def _with_bound(result: SolveResult, bound: float) -> SolveResult:
    """The result with `bound` (a lower bound on the objective, from the coverage rules) if it is the better one."""
    assert result.rota is not None and result.objective is not None and result.bound is not None
    bound = round(min(max(bound, result.bound), result.objective), 6)
    if bound <= result.bound:
        return result
    status = SolveStatus.OPTIMAL if bound >= result.objective else result.status
    rota = result.rota.model_copy(update={"bound": bound, "status": status})
    gap = relative_gap(result.objective, bound)
    return result.model_copy(update={"rota": rota, "bound": bound, "status": status, "gap": gap})


def _solve_built(
    scenario: Scenario, built: BuiltModel, settings: SolveSettings, on_progress: ProgressCallback | None,
    started: float, build_time: float, start: _Lean,
) -> SolveResult:
    # The meal bound takes its share of the time the lean phase left, so that the solve still ends at its limit.
    left = settings.model_copy(update={"time_limit": max(started + settings.time_limit - time.perf_counter(), 1.0)})
    head = meal_bound.head_start(scenario, built, left, start.fewest)
    if head is not None and head.placed is not None and head.optimal:
        _report(on_progress, started, head.placed.objective_value)
        stats = _stats(
            built, settings, None, started, build_time, time.perf_counter() - started, 1,
            workers=head.placed.parameters.num_workers,
        )
        return _result(scenario, built, head.placed, SolveStatus.OPTIMAL, head.bound.bound, stats)
    columns = colgen.column_start(scenario, built, settings, started)
    # Once column generation converged, its bound is at least the linear relaxation's (to within colgen.CONVERGED).
    relaxed = _relaxation(built, settings, started) if columns is None or not columns.converged else None
    try:
        if columns is not None and columns.values is not None:
            return _solve_from_columns(scenario, built, settings, on_progress, started, build_time, relaxed, columns)
        if not built.family_constraints.get("fairness") and len(built.model.proto.variables) <= SPLIT_SOLVE_SIZE:
            return _solve_directly(scenario, built, settings, on_progress, started, build_time, relaxed)
        return _solve_in_two_phases(scenario, built, settings, on_progress, started, build_time, relaxed, start.first)
    finally:
        if relaxed is not None:
            relaxed.close()  # whatever happened: no process or file is left behind


def _solve_from_columns(
    scenario: Scenario, built: BuiltModel, settings: SolveSettings, on_progress: ProgressCallback | None,
    started: float, build_time: float, relaxed: relaxation.BoundProcess | None, columns: colgen.ColumnStart,
) -> SolveResult:
    """The full model hinted with the rota column generation chose, and told its bound: the search stops as soon as
    it reaches it."""
    assert columns.values is not None
    colgen.at_least(built.model, columns.bound)
    first = _FirstRota(int(cp_model.FEASIBLE), cp_model.CpSolver(), columns.values, time.perf_counter() - started)
    return _search_from(scenario, built, settings, on_progress, started, build_time, relaxed, first, columns)


def _solve_in_two_phases(
    scenario: Scenario, built: BuiltModel, settings: SolveSettings, on_progress: ProgressCallback | None,
    started: float, build_time: float, relaxed: relaxation.BoundProcess | None, lean_first: _FirstRota | None,
) -> SolveResult:
    """A first rota (the lean phase's, else person by person when the cover allows, else any valid one), costed,
    then the full model hinted with it."""
    if lean_first is not None:
        return _search_from(scenario, built, settings, on_progress, started, build_time, relaxed, lean_first, None)
    alone = first_rota.person_by_person(
        scenario, built, settings, deadline=started + settings.time_limit,
        optimise_until=started + FIRST_ROTA_SHARE * settings.time_limit,
    )
    first = _first_rota(built, settings, started) if alone is None else _FirstRota(
        int(cp_model.FEASIBLE), cp_model.CpSolver(), alone, time.perf_counter() - started
    )
    return _search_from(scenario, built, settings, on_progress, started, build_time, relaxed, first, None)


def _search_from(
    scenario: Scenario, built: BuiltModel, settings: SolveSettings, on_progress: ProgressCallback | None,
    started: float, build_time: float, relaxed: relaxation.BoundProcess | None, first: _FirstRota,
    columns: colgen.ColumnStart | None,
) -> SolveResult:
    """The first rota costed, then the full model hinted with it for the rest of the time."""
    if first.values is None:
        stats = _stats(built, settings, None, started, build_time, None, 0, workers=first.solver.parameters.num_workers)
        return _no_rota(scenario, settings, _STATUS.get(first.code, SolveStatus.UNKNOWN), stats)
    # Cost the first rota exactly (every soft term), then hint the full model with all of its values: a
    # complete, feasible hint is the full model's first solution at once.
    completed: cp_model.CpSolver | None
    if first.costed is not None:
        completed, costing = first.costed, first.costing  # the model is already hinted with it
    else:
        costing_started = time.perf_counter()
        completed = complete_choices(built, first.values, settings)
        # The search's best rota is costed the same way at the end: keep that much time for it, so that the whole
        # solve ends at its limit (on the largest models costing takes seconds, not a fraction of one).
        costing = time.perf_counter() - costing_started
        if completed is not None:
            _report(on_progress, started, completed.objective_value)
    if completed is not None:
        hint_complete(built.model, completed.response_proto.solution)
        if columns is not None and completed.objective_value <= columns.bound + 1e-9 * abs(columns.bound):
            # Column generation's rota meets its bound: proven optimal, nothing to search.
            stats = _stats(built, settings, None, started, build_time, first.seconds, 1, columns=columns)
            return _result(scenario, built, completed, SolveStatus.OPTIMAL, columns.bound, stats)
    deadline = max(started + settings.time_limit - costing, time.perf_counter() + 1.0)
    outcome = search(built, settings, started, deadline, on_progress)
    solver, code = outcome.solver, outcome.code
    if completed is not None and (solver is None or solver.objective_value > completed.objective_value):
        # The full model found nothing better in the time left: keep the first rota.
        solver, code = completed, int(cp_model.FEASIBLE)
    if solver is not None and solver is outcome.solver and code == cp_model.FEASIBLE:
        solver = _recosted(built, solver)
    lp = _stop(relaxed)
    stats = _stats(
        built, settings, outcome, started, build_time, first.seconds, outcome.solutions + 1, lp=lp, columns=columns
    )
    if solver is None:
        return _without_rota(SolveStatus.UNKNOWN, started, build_time, stats, None)
    bound = _best_bound(outcome.bound, lp)
    if columns is not None:
        bound = max(bound, columns.bound)
    return _result(scenario, built, solver, _STATUS[code], bound, stats)


def _solve_directly(
    scenario: Scenario, built: BuiltModel, settings: SolveSettings, on_progress: ProgressCallback | None,
    started: float, build_time: float, relaxed: relaxation.BoundProcess | None,
) -> SolveResult:
    """One phase: with no fairness coupling to leave out, a first phase would only cost time, and the search would
    end worse."""
    outcome = search(built, settings, started, started + settings.time_limit, on_progress)
    lp = _stop(relaxed)
    stats = _stats(
        built, settings, outcome, started, build_time, outcome.first_solution_time, outcome.solutions, lp=lp
    )
    if outcome.solver is None:
        return _no_rota(scenario, settings, _STATUS.get(outcome.code, SolveStatus.UNKNOWN), stats)
    return _result(scenario, built, outcome.solver, _STATUS[outcome.code], _best_bound(outcome.bound, lp), stats)


def _relaxation(built: BuiltModel, settings: SolveSettings, started: float) -> relaxation.BoundProcess | None:
    """The LP bound's process, started beside the search when the settings ask for it and the model is not too
    large for it (relaxation.MAX_VARIABLES)."""
    if not settings.lp_bound or len(built.model.proto.variables) > relaxation.MAX_VARIABLES:
        return None
    return relaxation.BoundProcess(built.model, started + settings.time_limit - time.perf_counter())


def _stop(relaxed: relaxation.BoundProcess | None) -> relaxation.LpBound | None:
    """The LP bound if it was found by now (its process is stopped otherwise)."""
    return None if relaxed is None else relaxed.result()


def _best_bound(search_bound: float, lp: relaxation.LpBound | None) -> float:
    return search_bound if lp is None else max(search_bound, lp.value)


def _no_rota(scenario: Scenario, settings: SolveSettings, status: SolveStatus, stats: SolveStats) -> SolveResult:
    explanation = None
    if status is SolveStatus.INFEASIBLE and settings.explain:
        explanation = explain.explain_infeasible(scenario, settings)
    return SolveResult(
        status=status, rota=None, objective=None, bound=None, gap=None, stats=stats, explanation=explanation
    )


def _report(on_progress: ProgressCallback | None, started: float, objective: float) -> None:
    if on_progress is not None:
        progress = Progress(elapsed=time.perf_counter() - started, objective=objective / OBJECTIVE_SCALE, bound=0.0)
        on_progress(progress)


@dataclass
class _FirstRota:
    code: int
    solver: cp_model.CpSolver
    values: list[int] | None
    seconds: float | None
    costed: cp_model.CpSolver | None = None
    """The best rota of the lean phase, already costed by the full model and reported: not costed again."""
    costing: float = 0.0
    """Seconds that costing took."""


def _first_rota(built: BuiltModel, settings: SolveSettings, started: float) -> _FirstRota:
    """Any rota meeting every hard rule, as values of the choice variables; or why there is none."""
    # A first rota needs no bound-proving workers: one thread per core finds it soonest.
    size = len(built.model.proto.variables)
    solver = solver_for(settings, size)
    solver.parameters.num_workers = min(solver.parameters.num_workers, max(2, os.cpu_count() or 1))
    solver.parameters.stop_after_first_solution = True
    code = solver.solve(built.feasibility_model())
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _FirstRota(int(code), solver, None, None)
    values = choice_values(built, solver)
    return _FirstRota(int(code), solver, values, time.perf_counter() - started)


def _recosted(built: BuiltModel, solver: cp_model.CpSolver) -> cp_model.CpSolver:
    """The same rota with every soft term at its least: a rota found as time ran out may still carry slack above
    what it needs (on large models, sometimes far above its cost), and the checker costs it exactly."""
    values = choice_values(built, solver)
    exact = complete_choices(built, values, SolveSettings())
    return exact if exact is not None and exact.objective_value <= solver.objective_value else solver


def _result(
    scenario: Scenario, built: BuiltModel, solver: cp_model.CpSolver, status: SolveStatus, bound_value: float,
    stats: SolveStats,
) -> SolveResult:
    objective = round(solver.objective_value / OBJECTIVE_SCALE, 6)
    bound = round(min(bound_value, solver.objective_value) / OBJECTIVE_SCALE, 6)
    if bound >= objective:  # the LP bound may prove what the search did not
        status = SolveStatus.OPTIMAL
    penalties = read_penalties(solver, built.terms)
    rota = Rota(
        community=scenario.community, start=scenario.start, days=scenario.days, timezone=scenario.timezone,
        status=status, objective=objective, bound=bound,
        assignments=built.variables.read(ValueReader(solver)), penalties=penalties,
    )
    return SolveResult(
        status=status, rota=rota, objective=objective, bound=bound,
        gap=relative_gap(objective, bound), penalties=penalties, stats=stats,
    )


def _stats(
    built: BuiltModel, settings: SolveSettings, outcome: SearchOutcome | None, started: float, build_time: float,
    first: float | None, solutions: int, workers: int | None = None, lp: relaxation.LpBound | None = None,
    columns: colgen.ColumnStart | None = None,
) -> SolveStats:
    """`workers`: the threads of the solve that ended it, when that was not the search (default: the search's)."""
    proto = built.model.proto
    return SolveStats(
        wall_time=time.perf_counter() - started, build_time=build_time, first_solution_time=first,
        variables=len(proto.variables), constraints=len(proto.constraints), solutions=solutions,
        workers=workers if workers is not None else workers_for(settings, len(proto.variables)),
        local_branching_rounds=outcome.rounds if outcome else 0,
        local_branching_improvements=outcome.improving_rounds if outcome else 0,
        lp_bound=None if lp is None else round(lp.value / OBJECTIVE_SCALE, 6),
        lp_bound_seconds=None if lp is None else lp.seconds,
        column_rounds=columns.rounds if columns else 0,
        columns=columns.columns if columns else 0,
        column_bound=None if columns is None or not math.isfinite(columns.bound)
        else round(columns.bound / OBJECTIVE_SCALE, 6),
        column_seconds=columns.seconds if columns else None,
    )


def _without_rota(
    status: SolveStatus, started: float, build_time: float, stats: SolveStats | None,
    explanation: Explanation | None,
) -> SolveResult:
    stats = stats or SolveStats(
        wall_time=time.perf_counter() - started, build_time=build_time, first_solution_time=None,
        variables=0, constraints=0, solutions=0, workers=0,
    )
    return SolveResult(
        status=status, rota=None, objective=None, bound=None, gap=None, stats=stats, explanation=explanation
    )
