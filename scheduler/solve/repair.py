"""Repair a published rota after people drop out, changing as few assignments as possible.

`repair(scenario, published, unavailable, settings, now)` adds the new absences to the scenario and re-solves it
with the project's own model (`build_model`), lexicographically:

1. every hard rule of docs/rules.md (the new absences included);
2. the fewest *weighted changes* to the published rota, then the fewest *retimed meal breaks*;
3. the usual objective.

Stage 2 is solved to optimality on the model without fairness constraints (they only define soft terms); its
optimum is then added as a bound, and stage 3 optimises the full model, hinted with the stage-2 rota.

Definitions (also in docs/rules.md, "Repair"):

- An assignment is identified by `scheduler.domain.diff.assignment_key`: person, date, post or duty, shift and role.
  A *change* is a published assignment that the new rota loses, or a new-rota assignment the published one lacks
  (so moving a shift from one person to another is two changes, one lost and one gained; a role swap on the same
  shift is two as well). Each change weighs `near_weight` when its shift starts within `near_hours` after `now`,
  else 1; "changes" below means this weighted sum unless said otherwise.
- Assignments of shift instances starting before `now` are frozen: the new rota has exactly the published people
  (and meal breaks) on them. An absence never undoes what has started: it is applied from `now`, or from the end of
  the person's assignment in progress at `now`, whichever is later.
- Pins of the scenario hold as always (rule 9), so pinned assignments never move.
- A *retimed break* is a published meal break of an assignment the new rota keeps, which is not in the new rota.
  Retimed breaks count strictly less than one change: stage 2 minimises (B + 1) × changes + retimed breaks, where
  B is the number of published breaks on unfrozen assignments (so no number of retimings outweighs one change).
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from ortools.sat.python import cp_model
from pydantic import BaseModel, ConfigDict, Field

from scheduler.domain.base import StrictModel
from scheduler.domain.diff import AssignmentChange, RotaChanges, diff_rotas
from scheduler.domain.explanation import Explanation
from scheduler.domain.rota import Assignment, Penalty, Rota, SolveStatus
from scheduler.domain.scenario import Scenario
from scheduler.model.build import BuiltModel, build_model, hint_complete
from scheduler.model.constraints import OBJECTIVE_SCALE
from scheduler.model.timeline import Instances, ShiftInstance
from scheduler.model.variables import ValueReader
from scheduler.solve import explain
from scheduler.solve.repair_input import (
    RepairInputError,
    Unavailability,
    apply_unavailability,
    aware,
    check_inputs,
    frozen_scenario,
    parse_moment,
    parse_unavailability,
)
from scheduler.solve.run import read_penalties
from scheduler.solve.search import Progress
from scheduler.solve.settings import SolveSettings, solver_for

__all__ = [
    "ChangeReport",
    "RepairInputError",
    "RepairProgress",
    "RepairResult",
    "RepairSettings",
    "RepairStats",
    "Unavailability",
    "apply_unavailability",
    "parse_moment",
    "parse_unavailability",
    "repair",
]


class RepairSettings(SolveSettings):
    """Search settings of `solve`, plus how much a change close to `now` weighs.

    `time_limit` bounds the whole repair. `workers` None: one thread for stage 2, `solve`'s choice for stage 3.
    """

    near_hours: float = Field(default=24.0, ge=0, description="Changes starting this soon after now weigh more.")
    near_weight: int = Field(default=2, ge=1, le=1000, description="Weight of such a change (others weigh 1).")


class RepairProgress(Progress):
    """A better repair was found. In stage 'changes' the objective is the weighted change count (plus retimed
    breaks as a fraction of one change); in stage 'objective' it is the usual objective."""

    stage: Literal["changes", "objective"] = Field(description="'changes' (stage 2) or 'objective' (stage 3).")


class RepairStats(BaseModel):
    """Where the time went."""

    model_config = ConfigDict(frozen=True)

    build_time: float = Field(description="Seconds to apply the absences and build the model.")
    changes_time: float = Field(description="Seconds of stage 2 (fewest changes).")
    objective_time: float = Field(description="Seconds of stage 3 (usual objective under the change bound).")
    wall_time: float = Field(description="Seconds in total.")
    variables: int = Field(description="Number of model variables.")
    constraints: int = Field(description="Number of model constraints.")


class RepairResult(BaseModel):
    """What `repair` returns: the repaired rota and its changes, or an explanation when none exists."""

    model_config = ConfigDict(frozen=True)

    status: SolveStatus = Field(
        description="optimal (changes proven minimal and objective proven optimal under them), feasible, "
        "infeasible (see explanation) or unknown (time ran out before any repair)."
    )
    rota: Rota | None = Field(description="The repaired rota, if any.")
    scenario: Scenario = Field(description="The scenario with the new absences: the rota is valid for it.")
    changes: RotaChanges = Field(description="Who gains, who loses and whose breaks move, against the published rota.")
    change_count: int = Field(description="Assignments lost plus assignments gained (unweighted).")
    weighted_changes: int = Field(description="The stage-2 measure: changes, those starting soon weighted more.")
    retimed_breaks: int = Field(description="Published meal breaks of kept assignments that moved.")
    proven_minimal: bool = Field(description="Whether no repair with fewer weighted changes exists (proven).")
    objective: float | None = Field(description="Usual objective of the repaired rota.")
    bound: float | None = Field(description="Best proven bound on the objective, given the changes.")
    penalties: list[Penalty] = Field(default_factory=list, description="Every nonzero soft penalty.")
    stats: RepairStats = Field(description="Stage timings and model size.")
    explanation: Explanation | None = Field(default=None, description="Why no repair exists (infeasible only).")


class ChangeReport(StrictModel):
    """The contents of `changes.json`: the repair's changes, for the coordinator to review before publishing."""

    change_count: int = Field(description="Assignments lost plus assignments gained.")
    weighted_changes: int = Field(description="Changes with those starting soon after `now` weighted more.")
    retimed_breaks: int = Field(description="Meal breaks of kept assignments that moved.")
    proven_minimal: bool = Field(description="Whether no repair with fewer weighted changes exists.")
    now: dt.datetime = Field(description="Assignments starting before this were kept as published.")
    unavailable: list[Unavailability] = Field(description="The absences repaired for.")
    gains: dict[str, list[AssignmentChange]] = Field(description="Per person, the assignments they gain.")
    losses: dict[str, list[AssignmentChange]] = Field(description="Per person, the assignments they lose.")
    retimed: list[AssignmentChange] = Field(description="Kept assignments whose meal breaks moved.")

    @classmethod
    def of(cls, result: RepairResult, unavailable: list[Unavailability], now: dt.datetime) -> ChangeReport:
        gains: dict[str, list[AssignmentChange]] = {}
        losses: dict[str, list[AssignmentChange]] = {}
        for change in result.changes.added:
            gains.setdefault(change.person, []).append(change)
        for change in result.changes.removed:
            losses.setdefault(change.person, []).append(change)
        return cls(
            change_count=result.change_count, weighted_changes=result.weighted_changes,
            retimed_breaks=result.retimed_breaks, proven_minimal=result.proven_minimal, now=now,
            unavailable=unavailable, gains=gains, losses=losses, retimed=result.changes.retimed,
        )


RepairProgressCallback = Callable[[RepairProgress], None]


# ------------------------------------------------------------------------------------------ the change terms

ChoiceKey = tuple[int, int, str]
"""(person index, shift instance index, role): one choice variable."""


@dataclass
class ChangeTerms:
    """The stage-2 measure over the model's variables, by variable index (valid in every clone of the model)."""

    changes: list[tuple[int, int]] = field(default_factory=list)
    """(signed weight, choice variable index): a gain adds its weight when 1; a loss subtracts it (see constant)."""
    changes_constant: int = 0
    """The weights of all published assignments that can be lost (and of those already lost for sure)."""
    retimes: list[tuple[int, int]] = field(default_factory=list)
    """(±1, variable index): a kept assignment's published break that is not kept."""
    breaks: int = 0
    """B: published breaks on unfrozen assignments, the most retimings possible."""
    fixed: dict[int, int] = field(default_factory=dict)
    """Frozen variables and their values."""
    hint: dict[int, int] = field(default_factory=dict)
    """The published rota as variable values."""

    @property
    def scale(self) -> int:
        return self.breaks + 1

    def expression(self, model: cp_model.CpModel) -> cp_model.LinearExprT:
        def var(index: int) -> cp_model.IntVar:
            return model.get_bool_var_from_proto_index(index)

        weighted = sum(w * var(i) for w, i in self.changes) + self.changes_constant
        retimed = sum(sign * var(i) for sign, i in self.retimes)
        return self.scale * weighted + retimed

    def value(self, values: Callable[[int], int]) -> tuple[int, int]:
        """(weighted changes, retimed breaks) of a solution given as a value per variable index."""
        weighted = sum(w * values(i) for w, i in self.changes) + self.changes_constant
        retimed = sum(sign * values(i) for sign, i in self.retimes)
        return weighted, retimed


def _instance_of(instances: Instances) -> dict[tuple[str, str | None, dt.date], ShiftInstance]:
    return {(s.place, s.template, s.date): s for s in instances.shifts}


def _published_choices(built: BuiltModel, published: Rota) -> dict[ChoiceKey, Assignment]:
    """Published assignments by choice key; any that fits no instance or person is an input error."""
    instances = built.variables.instances
    by_slot = _instance_of(instances)
    found: dict[ChoiceKey, Assignment] = {}
    problems = []
    for i, a in enumerate(published.assignments):
        shift = by_slot.get((a.place, a.shift, a.date))
        info = instances.by_id.get(a.person)
        if shift is None or info is None:
            what = "person" if info is None else "shift"
            problems.append(f"published.assignments[{i}]: unknown {what} ({a.person}, {a.place} {a.shift} {a.date})")
            continue
        found[(info.index, shift.index, a.role)] = a
    if problems:
        raise RepairInputError(problems)
    return found


@dataclass
class _Context:
    built: BuiltModel
    published: dict[ChoiceKey, Assignment]
    now: int
    near_until: int
    near_weight: int

    def frozen(self, shift: ShiftInstance) -> bool:
        return shift.start < self.now

    def weight(self, shift: ShiftInstance) -> int:
        return self.near_weight if self.now <= shift.start < self.near_until else 1


def _change_terms(context: _Context) -> ChangeTerms:
    """Weighted lost and gained assignments, retimed breaks, frozen values and the published hint."""
    variables = context.built.variables
    instances = variables.instances
    terms = ChangeTerms()
    for (person, shift_index), choices in variables.choices.items():
        shift = instances.shifts[shift_index]
        for choice in choices:
            was = int((person, shift_index, choice.role) in context.published)
            terms.hint[choice.var.index] = was
            if context.frozen(shift):
                terms.fixed[choice.var.index] = was
            elif was:  # lost when 0: weight × (1 − x)
                terms.changes.append((-context.weight(shift), choice.var.index))
                terms.changes_constant += context.weight(shift)
            else:
                terms.changes.append((context.weight(shift), choice.var.index))
    for key, assignment in context.published.items():
        _published_terms(context, terms, key, assignment)
    return terms


def _published_terms(context: _Context, terms: ChangeTerms, key: ChoiceKey, assignment: Assignment) -> None:
    """A published assignment no variable can keep is lost for sure; its breaks are kept, hinted or frozen."""
    variables = context.built.variables
    person, shift_index, role = key
    shift = variables.instances.shifts[shift_index]
    choice = next((c for c in variables.choices.get((person, shift_index), []) if c.role == role), None)
    if choice is None:
        if context.frozen(shift):
            reason = variables.instances.block_reason(variables.instances.people[person], shift) or "role not offered"
            raise RepairInputError(
                [f"published: {assignment.person} on {assignment.place} {assignment.shift or ''} {assignment.date} "
                 f"started before now but the scenario no longer allows it ({reason})"]
            )
        terms.changes_constant += context.weight(shift)
        return
    timeline = variables.instances.timeline
    options = {
        (b.start, b.end): b for b in variables.breaks.get(shift_index, []) if b.person == person and b.role == role
    }
    for published_break in assignment.breaks:
        option = options.get((timeline.of(published_break.start), timeline.of(published_break.end)))
        if context.frozen(shift):
            if option is not None:
                terms.fixed[option.var.index] = 1
            continue
        terms.breaks += 1
        terms.retimes.append((1, choice.var.index))
        if option is not None:
            terms.retimes.append((-1, option.var.index))
            terms.hint[option.var.index] = 1


# ------------------------------------------------------------------------------------------ solving


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, started: float, stage: Literal["changes", "objective"], scale: int,
                 on_progress: RepairProgressCallback | None) -> None:
        super().__init__()
        self._started, self._stage, self._scale, self._on_progress = started, stage, scale, on_progress

    def on_solution_callback(self) -> None:
        if self._on_progress is None:
            return
        self._on_progress(
            RepairProgress(
                stage=self._stage, elapsed=time.perf_counter() - self._started,
                objective=self.objective_value / self._scale, bound=self.best_objective_bound / self._scale,
            )
        )


@dataclass
class _Stage:
    code: int
    solver: cp_model.CpSolver
    seconds: float

    @property
    def found(self) -> bool:
        return self.code in (cp_model.OPTIMAL, cp_model.FEASIBLE)


READ_OUT_SECONDS = 0.5


def _remaining(settings: SolveSettings, started: float, floor: float = 0.1) -> float:
    return max(settings.time_limit - (time.perf_counter() - started), floor)


def _stage_changes(
    built: BuiltModel, terms: ChangeTerms, settings: SolveSettings, started: float,
    on_progress: RepairProgressCallback | None,
) -> _Stage:
    """Stage 2: the fewest weighted changes (then retimed breaks), without the fairness coupling, to optimality."""
    began = time.perf_counter()
    model = built.feasibility_model()
    model.minimize(terms.expression(model))
    for index, value in terms.hint.items():
        model.add_hint(model.get_bool_var_from_proto_index(index), value)
    # The minimum is usually proven by the LP bound right after presolve; extra threads only compete for the cores
    # and make it slower.
    limits = {"time_limit": _remaining(settings, started), "relative_gap": 0, "workers": settings.workers or 1}
    solver = solver_for(settings.model_copy(update=limits), len(model.proto.variables))
    code = int(solver.solve(model, _Reporter(started, "changes", terms.scale, on_progress)))
    return _Stage(code, solver, time.perf_counter() - began)


def _choice_values(built: BuiltModel, solver: cp_model.CpSolver) -> dict[int, int]:
    """Values of every choice and break variable (what a rota is) by variable index."""
    variables = built.variables
    indices = [c.var.index for cs in variables.choices.values() for c in cs]
    indices += [b.var.index for bs in variables.breaks.values() for b in bs]
    return {i: int(solver.value(built.model.get_bool_var_from_proto_index(i))) for i in indices}


def _complete(built: BuiltModel, values: dict[int, int], settings: SolveSettings) -> cp_model.CpSolver | None:
    """The full model with the rota fixed: every soft term costed, a complete hint for stage 3."""
    fixed = built.model.clone()
    for index, value in values.items():
        fixed.add(fixed.get_bool_var_from_proto_index(index) == value)
    solver = solver_for(settings.model_copy(update={"time_limit": 60.0, "workers": 1}))
    code = solver.solve(fixed)
    return solver if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


def _stage_objective(
    built: BuiltModel, terms: ChangeTerms, best: int, values: dict[int, int], settings: SolveSettings,
    started: float, on_progress: RepairProgressCallback | None,
) -> tuple[cp_model.CpSolver, int, float]:
    """Stage 3: the usual objective with the stage-2 measure bounded by its best value, hinted with that rota.

    Returns the solver holding the final rota, its status code and the best bound on the objective.
    """
    built.model.add(terms.expression(built.model) <= best)
    completed = _complete(built, values, settings)
    assert completed is not None, "a rota meeting every hard rule is feasible in the full model"
    # A complete, feasible hint: the full model's first solution at once (as in scheduler.solve).
    hint_complete(built.model, completed.response_proto.solution)
    if on_progress is not None:
        on_progress(RepairProgress(stage="objective", elapsed=time.perf_counter() - started,
                                   objective=completed.objective_value / OBJECTIVE_SCALE, bound=0.0))
    if completed.objective_value <= 0:
        # Every soft cost is nonnegative (docs/rules.md): a rota costing nothing is optimal, no search needed.
        return completed, int(cp_model.OPTIMAL), 0.0
    # Half a second of the limit is left for reading the rota out and comparing it with the published one.
    budget = _remaining(settings, started) - READ_OUT_SECONDS
    if budget < 0.1:
        return completed, int(cp_model.FEASIBLE), 0.0
    solver = solver_for(settings.model_copy(update={"time_limit": budget}), len(built.model.proto.variables))
    code = int(solver.solve(built.model, _Reporter(started, "objective", OBJECTIVE_SCALE, on_progress)))
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return completed, int(cp_model.FEASIBLE), 0.0
    if solver.objective_value <= completed.objective_value:
        return solver, code, solver.best_objective_bound
    return completed, int(cp_model.FEASIBLE), solver.best_objective_bound


# ------------------------------------------------------------------------------------------ the result


def _stats(
    built: BuiltModel | None, started: float, build_time: float, changes_time: float, objective_time: float
) -> RepairStats:
    proto = built.model.proto if built is not None else None
    return RepairStats(
        build_time=build_time, changes_time=changes_time, objective_time=objective_time,
        wall_time=time.perf_counter() - started,
        variables=len(proto.variables) if proto is not None else 0,
        constraints=len(proto.constraints) if proto is not None else 0,
    )


def _without_rota(scenario: Scenario, status: SolveStatus, stats: RepairStats,
                  explanation: Explanation | None) -> RepairResult:
    return RepairResult(
        status=status, rota=None, scenario=scenario, changes=RotaChanges(), change_count=0, weighted_changes=0,
        retimed_breaks=0, proven_minimal=False, objective=None, bound=None, stats=stats, explanation=explanation,
    )


@dataclass
class _Outcome:
    solver: cp_model.CpSolver
    status: SolveStatus
    bound: float
    proven_minimal: bool


def _result(
    scenario: Scenario, published: Rota, built: BuiltModel, terms: ChangeTerms, outcome: _Outcome,
    stats: RepairStats,
) -> RepairResult:
    solver = outcome.solver
    objective = round(solver.objective_value / OBJECTIVE_SCALE, 6)
    bound = round(min(outcome.bound, solver.objective_value) / OBJECTIVE_SCALE, 6)
    penalties = read_penalties(solver, built.terms)
    rota = Rota(
        community=scenario.community, start=scenario.start, days=scenario.days, timezone=scenario.timezone,
        status=outcome.status, objective=objective, bound=bound,
        assignments=built.variables.read(ValueReader(solver)), penalties=penalties,
    )
    weighted, retimed = terms.value(lambda i: int(solver.value(built.model.get_bool_var_from_proto_index(i))))
    changes = diff_rotas(published, rota)
    return RepairResult(
        status=outcome.status, rota=rota, scenario=scenario, changes=changes,
        change_count=len(changes.added) + len(changes.removed), weighted_changes=weighted, retimed_breaks=retimed,
        proven_minimal=outcome.proven_minimal, objective=objective, bound=bound, penalties=penalties, stats=stats,
        explanation=None,
    )


# ------------------------------------------------------------------------------------------ public


def repair(
    scenario: Scenario,
    published: Rota,
    unavailable: list[Unavailability],
    settings: RepairSettings | None = None,
    now: dt.datetime | None = None,
    on_progress: RepairProgressCallback | None = None,
) -> RepairResult:
    """Repair `published` for the new absences with the fewest changes; see the module doc for the exact order.

    `now` (default: the current time; without an offset, in the scenario's zone) freezes every assignment that
    starts before it. Raises `RepairInputError` (each problem naming its field) when the inputs do not fit
    together; never raises when no repair exists: the result is 'infeasible' with an explanation.
    """
    settings = settings or RepairSettings()
    started = time.perf_counter()
    now = aware(now, scenario.zone) if now is not None else dt.datetime.now(scenario.zone)
    check_inputs(scenario, published, unavailable)
    repaired = apply_unavailability(scenario, published, unavailable, now)
    static = explain.static_explanation(repaired)
    if static is not None:
        return _without_rota(repaired, SolveStatus.INFEASIBLE, _stats(None, started, 0.0, 0.0, 0.0), static)
    built = build_model(repaired)
    terms = _terms_for(built, published, settings, now)
    for index, value in terms.fixed.items():
        built.model.add(built.model.get_bool_var_from_proto_index(index) == value)
    build_time = time.perf_counter() - started
    first = _stage_changes(built, terms, settings, started, on_progress)
    if not first.found:
        stats = _stats(built, started, build_time, first.seconds, 0.0)
        return _no_repair(repaired, published, now, settings, first.code, stats)
    best = round(first.solver.objective_value)
    stage3_started = time.perf_counter()
    values = _choice_values(built, first.solver)
    solver, code, bound = _stage_objective(built, terms, best, values, settings, started, on_progress)
    proven = first.code == cp_model.OPTIMAL
    status = SolveStatus.OPTIMAL if proven and code == cp_model.OPTIMAL else SolveStatus.FEASIBLE
    stats = _stats(built, started, build_time, first.seconds, time.perf_counter() - stage3_started)
    return _result(repaired, published, built, terms, _Outcome(solver, status, bound, proven), stats)


def _terms_for(built: BuiltModel, published: Rota, settings: RepairSettings, now: dt.datetime) -> ChangeTerms:
    timeline = built.variables.instances.timeline
    # Shifts start on whole minutes: one starts before `now` exactly when it starts before now rounded up.
    minute = timeline.of(now) + (1 if now.second or now.microsecond else 0)
    context = _Context(
        built=built, published=_published_choices(built, published), now=minute,
        near_until=minute + math.floor(settings.near_hours * 60), near_weight=settings.near_weight,
    )
    return _change_terms(context)


def _no_repair(
    scenario: Scenario, published: Rota, now: dt.datetime, settings: SolveSettings, code: int, stats: RepairStats
) -> RepairResult:
    if code != cp_model.INFEASIBLE:
        return _without_rota(scenario, SolveStatus.UNKNOWN, stats, None)
    explanation = None
    if settings.explain:
        rules = frozen_scenario(scenario, published, now)
        explanation = explain.static_explanation(rules) or explain.explain_infeasible(rules, settings)
    return _without_rota(scenario, SolveStatus.INFEASIBLE, stats, explanation)
