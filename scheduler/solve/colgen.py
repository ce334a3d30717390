"""Column generation: the cover's bound over whole personal rotas, and a rota built from them.

When no hard rule ties two people together (first_rota.decomposes) and no soft term does either (no fairness, no
pairs; pins are left to the full model, which keeps their roles), a rota is each person's own rota plus the cover,
which only counts people. Dantzig-Wolfe's decomposition then gives a master problem whose columns are whole personal
rotas:

    minimise   Σ cost(rota) λ + Σ under × short + Σ over × extra
    such that  each person takes one rota (Σ λ = 1), and on each piece of each soft coverage rule
               Σ λ × (people the rota puts there) + short ≥ min,  Σ λ × (...) − extra ≤ max.

Its linear relaxation is far tighter than the model's own, since each column already keeps every rule of its
person (days in a row, days off, hours, weekends): it is the bound the branch-and-price solvers of the nurse
rostering literature start from. Columns come from pricing: each person's own model (the project's own constraint
families on a scenario of that person alone, as first_rota builds it), with the cover rows' dual values as the
price of each shift. A round of pricing over everyone gives a Lagrangian bound (`lagrangian_bound`) that holds for
any prices, whether or not the master has converged. Prices are smoothed towards those of the best bound so far
(Wentges), which saves rounds.

A rota then comes from a dive (`dive`): the columns the master's LP weighs most are fixed, the people not yet fixed
are priced again, and so on until everyone has one. The people fixed while the master kept its value stay on their
columns; the full model places the others, from the dive's rota (`finish`), and the full search starts from that rota;
both are told the bound (`at_least`), so they stop on reaching it.
"""

from __future__ import annotations

import logging
import math
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ortools.math_opt.python import mathopt
from ortools.sat.python import cp_model

from scheduler.domain.scenario import Scenario
from scheduler.model.build import BuiltModel, build_model, hint_complete
from scheduler.model.constraints.base import OBJECTIVE_SCALE
from scheduler.model.constraints.coverage import CoverageNeed
from scheduler.model.variables import RotaVariables
from scheduler.solve.costing import complete_choices
from scheduler.solve.first_rota import CoverCounts, decomposes, own_scenario
from scheduler.solve.settings import LARGE_MODEL, SolveSettings, solver_for

__all__ = ["Column", "ColumnGeneration", "Dive", "applies"]

log = logging.getLogger(__name__)

COUPLING_FAMILIES = ("fairness", "pairs")
"""Families whose terms or constraints tie people together: with any of them the scenario does not decompose."""

PRICE_SCALE = 1000
"""Prices (dual values, in objective units) are scaled by this and rounded for CP-SAT's integral objective; the
bound allows for the rounding (half a unit per shift worked)."""

SMOOTHING = 0.5
"""Wentges smoothing: prices are this share of the best bound's prices and the rest the master's."""

PRICING_LIMIT = 5.0
"""Seconds one person's pricing may take; its bound holds even when stopped."""

CONVERGED = 1e-4
"""Relative gap between the master's value and the bound at which the rounds stop."""

PACE_ROUNDS = range(2, 6)
ROUNDS_NEEDED = 25
"""After each of rounds 2 to 5, column generation gives up when even ROUNDS_NEEDED rounds at the pace of the last one
would not fit in its time: a master far from converged makes a poor dive, and the time is better left to the search.
Small instances converge in a few dozen rounds; on the largest each round takes many seconds, and one fast round
alone can mislead, hence the four checks."""

DIVE_ROUNDS = 5
"""Rounds of pricing after each fixing in a dive, at most."""

DIVE_FIX = 0.9
"""A dive fixes every column the LP weighs at least this much at once..."""

DIVE_SHARE = 0.1
"""... and the heaviest columns of this share of the people not yet fixed."""

DIVE_TOLERANCE = 1e-4
"""The people a dive fixed before the master's value rose by more than this share of its value at the start stay
fixed; the full model places the others, from the dive's rota (`finish`). The master often keeps its value until
most people are fixed and then rises by the end of the dive: the full model over the people left free finds good
rotas quickly, where CP-SAT started from the LP's heaviest columns for them does worse, hence the start from the
dive's end."""

REDUCED_COST_TOLERANCE = 1e-6
"""A column enters the master only when its reduced cost is below minus this (objective units)."""


def integral(bound: float) -> float:
    """A bound rounded up to the next integer: the model's objective has integer coefficients (objective units), so
    every rota's cost is an integer. The tolerance covers float rounding in the bound's sums."""
    if not math.isfinite(bound):
        return bound
    return float(math.ceil(bound - 1e-9 * abs(bound) - 1e-6))


def applies(scenario: Scenario, built: BuiltModel) -> bool:
    """Whether every rule but the cover concerns one person, so a rota is everyone's own rota plus the cover; and
    the model is not a large one (LARGE_MODEL: rounds of pricing over everyone would take too long)."""
    if not decomposes(scenario) or scenario.pins or len(built.model.proto.variables) > LARGE_MODEL:
        return False
    if any(built.family_constraints.get(family) for family in COUPLING_FAMILIES):
        return False
    # Staffing is a sum over people of each one's own hours: it decomposes (each person's model prices its own).
    return all(
        t.rule not in COUPLING_FAMILIES and (t.rule in ("coverage", "staffing") or t.person is not None)
        for t in built.terms
    )


@dataclass(frozen=True)
class Column:
    """One person's whole rota: the shifts they work (shift instance to role) and what their own terms cost."""

    person: int
    shifts: tuple[tuple[int, str], ...]
    cost: int
    """The person's own soft terms (requests, hours...) in objective units."""


@dataclass(frozen=True)
class Dive:
    """What a dive fixed: a column for everyone, and those fixed while the master kept its value."""

    rota: dict[int, Column]
    kept: dict[int, Column]
    """Fixed before the master's value first rose (all of `rota` if it never did): these columns leave a rota as
    cheap as the LP's possible; those fixed after them do not."""


@dataclass
class _Row:
    sense: int
    """+1: Σ count + short ≥ rhs (a minimum); -1: Σ count − extra ≤ rhs (a maximum)."""
    rhs: int
    slack_cost: int
    """Objective units per person short (or extra)."""


class _Pricing:
    """One person's own model, whose objective is re-priced each round."""

    def __init__(
        self, scenario: Scenario, person: int, full: RotaVariables, shift_needs: dict[tuple[int, str], list[int]]
    ):
        self.person = person
        self.built = build_model(own_scenario(scenario, full.instances.people[person].person))
        own = self.built.variables
        self.choices = [(c.shift, c.var) for s in own.person_shifts[0] for c in own.choices[(0, s)]]
        self.roles = {s: [c.role for c in full.choices[(person, s)]] for s in full.person_shifts[person]}
        self.shift_needs = shift_needs
        self.own_cost = cp_model.LinearExpr.weighted_sum(
            [t.expr for t in self.built.terms], [t.coefficient for t in self.built.terms]
        )
        self.last_hint: dict[int, int] = {}

    def best_roles(self, prices: Sequence[float]) -> dict[int, tuple[str, float]]:
        """Per shift the person may take, the role whose coverage pieces are worth most, and its price."""
        best: dict[int, tuple[str, float]] = {}
        for shift, roles in self.roles.items():
            options = [(role, sum(prices[i] for i in self.shift_needs.get((shift, role), ()))) for role in roles]
            role, price = max(options, key=lambda o: o[1])
            best[shift] = (role, price)
        return best

    def price(self, prices: Sequence[float], time_limit: float) -> tuple[list[Column], float]:
        """Every rota the pricing found on its way to the person's best one at these prices, and a lower bound of
        that best one's reduced cost (without the person's convexity dual; objective units; minus infinity when
        time ran out before any, plus infinity when the person has no valid rota).

        `prices[r]`: what one more person on cover row r is worth."""
        best = self.best_roles(prices)
        rounded = {s: round(PRICE_SCALE * price) for s, (_, price) in best.items()}
        pieces = [(var, -rounded[s]) for s, var in self.choices if rounded.get(s)]
        model = self.built.model
        model.minimize(
            PRICE_SCALE * self.own_cost
            + cp_model.LinearExpr.weighted_sum([v for v, _ in pieces], [c for _, c in pieces])
        )
        model.clear_hints()  # type: ignore[no-untyped-call]
        for var_index, value in self.last_hint.items():
            model.proto.solution_hint.vars.append(var_index)
            model.proto.solution_hint.values.append(value)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        # With the full LP relaxation one worker proves a person's best rota at once, where the default
        # linearization may not prove it within the pricing limit even on several workers.
        solver.parameters.linearization_level = 2
        solver.parameters.max_time_in_seconds = time_limit
        collector = _Collector(self, best)
        code = solver.solve(model, collector)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return [], -math.inf if code != cp_model.INFEASIBLE else math.inf
        self.last_hint = {var.index: int(solver.boolean_value(var)) for _, var in self.choices}
        # Rounding each price moved it by at most half a unit: at most half a unit per shift the person can work.
        shifts = len({s for s, _ in self.choices})
        bound = (solver.best_objective_bound - 0.5 * shifts) / PRICE_SCALE
        return collector.columns, bound


class _Collector(cp_model.CpSolverSolutionCallback):
    """Every solution a pricing solve finds, as a column."""

    def __init__(self, pricing: _Pricing, best: dict[int, tuple[str, float]]):
        super().__init__()
        self.pricing = pricing
        self.best = best
        self.columns: list[Column] = []

    def on_solution_callback(self) -> None:
        shifts = tuple(
            (s, self.best[s][0]) for s, var in self.pricing.choices if self.boolean_value(var)
        )
        cost = self.value(self.pricing.own_cost)
        self.columns.append(Column(self.pricing.person, shifts, int(cost)))


@dataclass
class GenerationProgress:
    """How far the rounds of pricing have got."""

    rounds: int = 0
    columns: int = 0
    master: float = math.inf
    bound: float = -math.inf
    history: list[tuple[float, float, float]] = field(default_factory=list)
    """(seconds, master LP value, best bound) after each round, objective units."""
    abandoned: bool = False
    """The rounds were too slow to converge in the time given (see ROUNDS_NEEDED)."""


class ColumnGeneration:
    """The master problem of a decomposable scenario, its columns, and the rounds that add to them."""

    def __init__(self, scenario: Scenario, built: BuiltModel):
        self.scenario = scenario
        self.built = built
        variables = built.variables
        self.people = [info.index for info in variables.instances.people if info.person.active]
        cover = CoverCounts.empty(variables.instances)
        self.needs: list[CoverageNeed] = cover.needs
        self.rows: list[_Row] = []
        row_of_need: dict[int, list[int]] = defaultdict(list)
        for index, need in enumerate(self.needs):
            unit = need.end - need.start if need.per_minute else OBJECTIVE_SCALE
            rule = need.rule
            if rule.min > 0 and rule.min_cost is not None:
                row_of_need[index].append(len(self.rows))
                self.rows.append(_Row(1, rule.min, rule.min_cost * unit))
            if rule.max is not None and rule.max_cost is not None:
                row_of_need[index].append(len(self.rows))
                self.rows.append(_Row(-1, rule.max, rule.max_cost * unit))
        # Rows a person on (shift, role) counts in.
        self.shift_rows: dict[tuple[int, str], list[int]] = defaultdict(list)
        for index, need in enumerate(self.needs):
            rows = row_of_need.get(index)
            if not rows:
                continue
            for shift in need.shifts:
                roles = {c.role for p in variables.shift_people[shift] for c in variables.choices[(p, shift)]}
                for role in roles:
                    if need.role in (None, role):
                        self.shift_rows[(shift, role)].extend(rows)
        self.pricing: dict[int, _Pricing] = {}
        self._seen: set[tuple[int, tuple[tuple[int, str], ...]]] = set()
        self.lp = mathopt.Model(name="master")
        self.convexity = {p: self.lp.add_linear_constraint(lb=1.0, ub=1.0, name=f"one_{p}") for p in self.people}
        self.cover_rows: list[mathopt.LinearConstraint] = []
        objective: list[mathopt.LinearExpression] = []
        for number, row in enumerate(self.rows):
            slack = self.lp.add_variable(lb=0.0, name=f"slack_{number}")
            objective.append(row.slack_cost * slack)
            if row.sense > 0:
                self.cover_rows.append(self.lp.add_linear_constraint(slack >= row.rhs, name=f"min_{number}"))
            else:
                self.cover_rows.append(self.lp.add_linear_constraint(-slack <= row.rhs, name=f"max_{number}"))
        self.lp.minimize(mathopt.fast_sum(objective))
        self.lambdas: list[tuple[Column, mathopt.Variable]] = []
        self.solver = mathopt.IncrementalSolver(self.lp, mathopt.SolverType.GLOP)
        self.progress = GenerationProgress()
        self.best_prices: list[float] | None = None

    def pricing_for(self, person: int) -> _Pricing:
        if person not in self.pricing:
            self.pricing[person] = _Pricing(self.scenario, person, self.built.variables, self.shift_rows)
        return self.pricing[person]

    def add(self, column: Column) -> bool:
        key = (column.person, column.shifts)
        if key in self._seen:
            return False
        self._seen.add(key)
        var = self.lp.add_variable(lb=0.0, name=f"rota_{column.person}_{len(self.lambdas)}")
        self.lambdas.append((column, var))
        self.lp.objective.set_linear_coefficient(var, column.cost)
        self.convexity[column.person].set_coefficient(var, 1.0)
        for row, people in self.column_rows(column).items():
            self.cover_rows[row].set_coefficient(var, float(people))
        return True

    def column_rows(self, column: Column) -> dict[int, int]:
        """The cover rows the column counts in, and how many people it puts in each."""
        counts: dict[int, int] = defaultdict(int)
        for shift, role in column.shifts:
            for row in self.shift_rows.get((shift, role), ()):
                counts[row] += 1
        return counts

    def solve_master(self) -> tuple[float, list[float], dict[int, float]]:
        """The master LP's value, its cover rows' duals (clipped to what the slacks allow) and convexity duals."""
        result = self.solver.solve()
        if result.termination.reason != mathopt.TerminationReason.OPTIMAL:
            raise RuntimeError(f"master LP: {result.termination}")
        duals = result.dual_values(self.cover_rows)
        prices = []
        for row, dual in zip(self.rows, duals, strict=True):
            # A minimum's dual lies in [0, cost of a person short]; a maximum's in [-cost of a person extra, 0].
            if row.sense > 0:
                prices.append(min(max(dual, 0.0), float(row.slack_cost)))
            else:
                prices.append(max(min(dual, 0.0), -float(row.slack_cost)))
        ones = result.dual_values(list(self.convexity.values()))
        convexity = {p: float(v) for p, v in zip(self.people, ones, strict=True)}
        return float(result.objective_value()), prices, convexity

    def lagrangian_bound(self, prices: Sequence[float], least: dict[int, float]) -> float:
        """The bound at these prices: Σ rhs × price + each person's least reduced cost (its lower bound)."""
        return sum(row.rhs * price for row, price in zip(self.rows, prices, strict=True)) + sum(least.values())

    def price_everyone(
        self, prices: Sequence[float], deadline: float, pool: ThreadPoolExecutor, people: Sequence[int] | None = None
    ) -> tuple[list[Column], dict[int, float]]:
        """Every person's pricing at these prices (two at a time: CP-SAT lets go of the GIL while it solves); or the
        `people` given."""

        def one(person: int) -> tuple[int, list[Column], float]:
            limit = max(0.01, min(PRICING_LIMIT, deadline - time.perf_counter()))
            columns, bound = self.pricing_for(person).price(prices, limit)
            return person, columns, bound

        found: list[Column] = []
        least: dict[int, float] = {}
        for person, columns, bound in pool.map(one, self.people if people is None else people):
            found.extend(columns)
            least[person] = bound
        return found, least

    def reduced_cost(self, column: Column, prices: Sequence[float], convexity: dict[int, float]) -> float:
        value = column.cost - convexity[column.person]
        for shift, role in column.shifts:
            value -= sum(prices[r] for r in self.shift_rows.get((shift, role), ()))
        return value

    def run(self, deadline: float, on_round: Callable[[GenerationProgress], None] | None = None) -> GenerationProgress:
        """Rounds of pricing until the master's value meets the bound (within CONVERGED) or the deadline."""
        started = time.perf_counter()
        progress = self.progress
        with ThreadPoolExecutor(max_workers=2) as pool:
            # A first column for everyone: each person's best rota with every shortfall priced at its full cost.
            prices = [float(row.slack_cost) if row.sense > 0 else 0.0 for row in self.rows]
            found, least = self.price_everyone(prices, deadline, pool)
            if len(least) < len(self.people) or not all(math.isfinite(v) for v in least.values()):
                return progress  # someone has no valid rota alone (or no time to find one)
            progress.bound = integral(self.lagrangian_bound(prices, least))
            for column in found:
                self.add(column)
            while time.perf_counter() < deadline:
                master, master_prices, convexity = self.solve_master()
                progress.master = master
                if self.converged():
                    break
                stable = self.best_prices
                if stable is None:
                    prices = master_prices
                else:
                    prices = [SMOOTHING * s + (1 - SMOOTHING) * m for s, m in zip(stable, master_prices, strict=True)]
                found, least = self.price_everyone(prices, deadline, pool)
                bound = integral(self.lagrangian_bound(prices, least))
                if bound > progress.bound:
                    progress.bound = bound
                    self.best_prices = list(prices)
                added = sum(
                    self.add(c) for c in found
                    if self.reduced_cost(c, master_prices, convexity) < -REDUCED_COST_TOLERANCE
                )
                progress.rounds += 1
                progress.columns = len(self.lambdas)
                progress.history.append((time.perf_counter() - started, master, progress.bound))
                log.info(
                    "round %d at %.1f s: master %.2f, bound %.2f, %d columns", progress.rounds,
                    time.perf_counter() - started, master / OBJECTIVE_SCALE, progress.bound / OBJECTIVE_SCALE,
                    progress.columns,
                )
                if on_round is not None:
                    on_round(progress)
                if progress.rounds in PACE_ROUNDS and self._too_slow(started, deadline):
                    progress.abandoned = True
                    break
                if added == 0 and stable is not None:
                    # Smoothed prices found nothing the master can use: price at the master's own next round.
                    self.best_prices = None
                elif added == 0:
                    break  # at the master's own prices nothing prices out: its value is the bound
        return progress

    def _too_slow(self, started: float, deadline: float) -> bool:
        """Whether ROUNDS_NEEDED rounds at the pace of the last one would not fit in the time given."""
        history = self.progress.history
        pace = history[-1][0] - history[-2][0] if len(history) > 1 else history[-1][0]
        return ROUNDS_NEEDED * pace > deadline - started

    def converged(self) -> bool:
        progress = self.progress
        return progress.master - progress.bound <= CONVERGED * max(1.0, abs(progress.master))

    def dive(self, deadline: float, rounds: int = DIVE_ROUNDS) -> Dive:
        """A rota by diving: fix the columns the master's LP weighs most, price the people not yet fixed again, and
        repeat until everyone is fixed (past the deadline, without pricing). It notes who was fixed while the master
        kept its value (within DIVE_TOLERANCE). The master is left restricted to the columns fixed."""
        started = time.perf_counter()
        fixed: dict[int, Column] = {}
        kept: dict[int, Column] | None = None
        value = self.solver.solve().objective_value()
        ceiling = value + DIVE_TOLERANCE * max(1.0, abs(value))
        with ThreadPoolExecutor(max_workers=2) as pool:
            while len(fixed) < len(self.people):
                for _ in range(rounds if time.perf_counter() < deadline else 0):
                    _, prices, convexity = self.solve_master()
                    free = [p for p in self.people if p not in fixed]
                    found, _ = self.price_everyone(prices, deadline, pool, free)
                    added = sum(
                        self.add(c) for c in found if self.reduced_cost(c, prices, convexity) < -REDUCED_COST_TOLERANCE
                    )
                    if not added or time.perf_counter() >= deadline:
                        break
                result = self.solver.solve()
                if kept is None and result.objective_value() > ceiling:
                    kept = dict(fixed)
                self._fix_heaviest(result, fixed)
                log.info(
                    "dive at %.1f s: %d of %d people fixed, master %.2f", time.perf_counter() - started, len(fixed),
                    len(self.people), result.objective_value() / OBJECTIVE_SCALE,
                )
        return Dive(fixed, fixed if kept is None else kept)

    def _fix_heaviest(self, result: mathopt.SolveResult, fixed: dict[int, Column]) -> None:
        """Fix (in `fixed` and in the master) the columns the LP solution weighs at least DIVE_FIX, and the heaviest
        of DIVE_SHARE of the people not yet fixed."""
        values = result.variable_values([var for _, var in self.lambdas])
        weights = sorted(
            ((float(v), n) for n, ((c, _), v) in enumerate(zip(self.lambdas, values, strict=True))
             if c.person not in fixed),
            reverse=True,
        )
        share = math.ceil(DIVE_SHARE * (len(self.people) - len(fixed)))
        for number in [n for v, n in weights if v >= DIVE_FIX] + [n for _, n in weights[:share]]:
            column, _ = self.lambdas[number]
            fixed.setdefault(column.person, column)
        for column, var in self.lambdas:
            if column.person in fixed and fixed[column.person] is not column:
                var.upper_bound = 0.0

    def finish(self, dive: Dive, settings: SolveSettings, bound: float) -> tuple[list[int], float | None]:
        """A rota with the people the dive fixed while the master kept its value on their columns: the full model
        over the others, from the dive's rota, by CP-SAT for the settings' time limit; it stops on reaching `bound`.
        The full model's choice values and their cost (objective units); when CP-SAT finds nothing in time, the
        dive's rota and no cost."""
        start = self.choice_values(dive.rota)
        # A complete hint (every variable of the full model, from costing the dive's rota) is CP-SAT's first solution
        # at once; a hint of the choices alone can lead it elsewhere, to worse rotas.
        costed = complete_choices(self.built, start, settings)
        model = self.built.model.clone()
        if costed is not None:
            hint_complete(model, costed.response_proto.solution)
        choices = [c for cs in self.built.variables.choices.values() for c in cs]
        for choice, value in zip(choices, start, strict=True):
            var = model.get_bool_var_from_proto_index(choice.var.index)
            if choice.person in dive.kept:
                model.add(var == value)
            elif costed is None:
                model.add_hint(var, value)
        at_least(model, bound)
        solver = solver_for(settings, len(model.proto.variables))
        if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return start, None
        return [solver.value(choice.var) for choice in choices], solver.objective_value

    def choice_values(self, picked: dict[int, Column]) -> list[int]:
        """The full model's choice values (in `built.variables.choices` order) for these personal rotas."""
        worked = {(p, shift, role) for p, column in picked.items() for shift, role in column.shifts}
        return [
            int((c.person, c.shift, c.role) in worked)
            for choices in self.built.variables.choices.values() for c in choices
        ]


def at_least(model: cp_model.CpModel, bound: float) -> None:
    """Tell CP-SAT that no solution costs less than `bound` (objective units), a proven bound: it then stops as soon
    as it finds a solution there, as proven optimal."""
    if not math.isfinite(bound):
        return
    objective = model.proto.objective
    scale = objective.scaling_factor or 1.0
    # The domain bounds the objective's sum of terms, before its offset and scaling.
    least = math.ceil(bound / scale - objective.offset - 1e-9 * max(1.0, abs(bound)))
    objective.domain.clear()
    objective.domain.extend([least, cp_model.INT_MAX])


GENERATION_SHARE = 0.5
"""Share of a solve's time limit the rounds of pricing may take: long people-by-days instances need minutes to
converge, small ones seconds, and the dive, the finish and the search need the rest."""

DIVE_END = 0.6
"""A dive may go on until this share of the time limit (a dive usually ends well before)..."""

FINISH_END = 0.8
"""... then the full model over everyone but the people the dive kept (`Dive.kept`), until this share; the rest of
the time goes to the full search, which starts from that rota."""


@dataclass(frozen=True)
class ColumnStart:
    """What column generation gives a solve: a rota (the full model's choice values) and a bound."""

    values: list[int] | None
    """None when someone has no column (no valid rota alone, or no time to find one)."""
    bound: float
    """The best Lagrangian bound (objective units; minus infinity when there is none)."""
    converged: bool
    rounds: int
    columns: int
    seconds: float


def column_start(scenario: Scenario, built: BuiltModel, settings: SolveSettings, started: float) -> ColumnStart | None:
    """Column generation for a share of the solve's time, a dive, then the full model over everyone but the people
    the dive kept; None when the scenario does not decompose (see `applies`) or the rounds are too slow."""
    if not settings.column_generation or not applies(scenario, built):
        return None
    begun = time.perf_counter()
    generation = ColumnGeneration(scenario, built)
    progress = generation.run(started + GENERATION_SHARE * settings.time_limit)
    if progress.abandoned:
        return None
    values = None
    if {column.person for column, _ in generation.lambdas} >= set(generation.people):
        dive = generation.dive(started + DIVE_END * settings.time_limit)
        left = started + FINISH_END * settings.time_limit - time.perf_counter()
        finishing = settings.model_copy(update={"time_limit": max(1.0, left)})
        values, cost = generation.finish(dive, finishing, progress.bound)
        log.info(
            "the rota from %d people fixed: %s at %.1f s", len(dive.kept),
            "none" if cost is None else cost / OBJECTIVE_SCALE, time.perf_counter() - started,
        )
    return ColumnStart(
        values, progress.bound, generation.converged(), progress.rounds, len(generation.lambdas),
        time.perf_counter() - begun,
    )
