"""A lower bound on a rota's cost from the linear relaxation of the built model, solved by HiGHS.

CP-SAT proves its bound with an LP of its own, solved by dual simplex inside the search. On large rotas that LP is
not solved before time runs out, and the bound stays far below the best rota. HiGHS's interior-point method
(through OR-Tools' MathOpt) solves the plain relaxation of the same model in seconds, and its bound is close to
what CP-SAT's LP proves only after minutes (docs/benchmarks.md, "The Curtois & Qu rostering benchmark").

The relaxation keeps each constraint that has a linear form: clauses, at-most-one and exactly-one as sums of
literals (a negated literal x as 1 - x); a linear constraint over the hull of its domain, relaxed by big-M from
the variables' bounds when enforcement literals switch it on; `target = max(expressions)` as target >= each
expression. It leaves any other constraint out (and an at-most-one, exactly-one or maximum under enforcement
literals). Every relaxed or left-out constraint only widens the region, so
the bound holds for every rota.

The bound is not HiGHS's objective but the Lagrangian bound of its dual solution (`certified_bound`): it holds for
any multipliers, so it does not rest on the solver's tolerances, and HiGHS can stop at its interior solution
without the crossover to a vertex.

`BoundProcess` runs it beside the search in a process of its own: HiGHS ignores MathOpt's interrupter, and a
process can be stopped when the search ends first. The model goes to it as a file.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

import numpy as np
from ortools.math_opt import model_pb2
from ortools.math_opt.python import mathopt
from ortools.math_opt.solvers import highs_pb2
from ortools.sat import cp_model_pb2
from ortools.sat.python import cp_model

__all__ = ["BoundProcess", "LpBound", "LpMethod", "certified_bound", "lower_bound", "relaxation"]

MAX_VARIABLES = 150_000
"""Larger models get no LP bound in a solve: relaxing and solving them takes minutes and a gigabyte or more, and
beside a search on a small machine the relaxation then takes the core the search needs, so the search ends worse
and the bound comes too late to help."""

LpMethod = Literal["barrier", "pdlp"]
"""How the relaxation is solved (see lower_bound)."""

_ROUNDING_MARGIN = 1e-12
"""certified_bound subtracts this share of the absolute size of its terms, for the rounding of its float64 sums
(numpy sums pairwise: an error of a few times 1e-16 per level; this is about 5000 times that)."""

_INTEGER_TOLERANCE = 1e-6
"""An integral objective's bound is rounded up to the next integer only when it is past an integer by more than this
share: a little past one may be rounding noise, and rounding down instead stays a valid bound."""


@dataclass(frozen=True)
class LpBound:
    """The relaxation's optimum as a bound on the CP-SAT model's objective (the units of its objective_value)."""

    value: float
    seconds: float


def relaxation(proto: cp_model_pb2.CpModelProto) -> tuple[mathopt.Model, list[mathopt.Variable]]:
    """The linear relaxation of a CP-SAT model (see the module's docstring), its variables indexed as the model's;
    minimises the objective's linear part (without offset or scaling)."""
    lp = mathopt.Model(name="relaxation")
    columns = [lp.add_variable(lb=v.domain[0], ub=v.domain[-1]) for v in proto.variables]
    for constraint in proto.constraints:
        _relax(lp, columns, proto, constraint)
    objective = zip(proto.objective.vars, proto.objective.coeffs, strict=True)
    lp.minimize(mathopt.fast_sum(c * columns[v] for v, c in objective))
    return lp, columns


def _relax(
    lp: mathopt.Model, columns: list[mathopt.Variable], proto: cp_model_pb2.CpModelProto,
    constraint: cp_model_pb2.ConstraintProto,
) -> None:
    enforcement = list(constraint.enforcement_literal)
    kind = constraint.WhichOneof("constraint")
    if kind == "bool_or":
        lp.add_linear_constraint(_literals(columns, constraint.bool_or.literals) + _off(columns, enforcement) >= 1)
    elif kind == "bool_and":
        for literal in constraint.bool_and.literals:
            lp.add_linear_constraint(_literals(columns, [literal]) + _off(columns, enforcement) >= 1)
    elif kind in ("at_most_one", "exactly_one") and not enforcement:
        literals = getattr(constraint, kind).literals
        lp.add_linear_constraint(
            lb=1.0 if kind == "exactly_one" else -math.inf, ub=1.0, expr=_literals(columns, literals)
        )
    elif kind == "linear":
        _relax_linear(lp, columns, proto, constraint.linear, enforcement)
    elif kind == "lin_max" and not enforcement:
        target = _expression(columns, constraint.lin_max.target)
        for expression in constraint.lin_max.exprs:
            lp.add_linear_constraint(target - _expression(columns, expression) >= 0)


def _relax_linear(
    lp: mathopt.Model, columns: list[mathopt.Variable], proto: cp_model_pb2.CpModelProto,
    linear: cp_model_pb2.LinearConstraintProto, enforcement: list[int],
) -> None:
    terms = list(zip(linear.vars, linear.coeffs, strict=True))
    expression = mathopt.fast_sum(c * columns[v] for v, c in terms)
    low, high = _finite(linear.domain[0]), _finite(linear.domain[-1])
    if not enforcement:
        lp.add_linear_constraint(lb=low, ub=high, expr=expression)
        return
    # Switched on by the enforcement literals: off, the sum may take any value its variables allow.
    least = sum(c * (proto.variables[v].domain[0] if c > 0 else proto.variables[v].domain[-1]) for v, c in terms)
    most = sum(c * (proto.variables[v].domain[-1] if c > 0 else proto.variables[v].domain[0]) for v, c in terms)
    off = _off(columns, enforcement)
    if math.isfinite(high) and most > high:
        lp.add_linear_constraint(expression - (most - high) * off <= high)
    if math.isfinite(low) and least < low:
        lp.add_linear_constraint(expression + (low - least) * off >= low)


def _finite(value: int) -> float:
    """CP-SAT writes an unbounded side as the largest int64 values."""
    return -math.inf if value <= -(2**62) else math.inf if value >= 2**62 else float(value)


def _literals(columns: list[mathopt.Variable], literals: Iterable[int]) -> mathopt.LinearExpression:
    """The sum of the literals: a negative reference -i-1 is the negation of variable i."""
    return mathopt.LinearExpression(
        mathopt.fast_sum(columns[r] if r >= 0 else 1 - columns[-r - 1] for r in literals)
    )


def _off(columns: list[mathopt.Variable], enforcement: list[int]) -> mathopt.LinearExpression:
    """How many enforcement literals are false: 0 exactly when the constraint is on."""
    return len(enforcement) - _literals(columns, enforcement)


def _expression(
    columns: list[mathopt.Variable], expression: cp_model_pb2.LinearExpressionProto
) -> mathopt.LinearExpression:
    terms = zip(expression.vars, expression.coeffs, strict=True)
    return mathopt.LinearExpression(mathopt.fast_sum(c * columns[v] for v, c in terms) + expression.offset)


def lower_bound(
    proto: cp_model_pb2.CpModelProto, time_limit: float, method: LpMethod = "barrier", threads: int = 1
) -> LpBound | None:
    """A bound on the model's objective from the relaxation's dual solution, or None if the method found none
    within `time_limit` seconds (or the model has no objective). "barrier" (HiGHS's interior-point method, one
    thread) has a dual solution only once it has solved the relaxation; "pdlp" (OR-Tools' first-order method, on
    `threads` threads) has one at every moment, so on a relaxation too large to solve in time its bound is that
    of where it got to. It is for relaxations too large for barrier: on small ones it often stops on a numerical
    error or wrongly finds them infeasible (most small generated scenarios), with no dual, and then there is no
    bound."""
    started = time.perf_counter()
    if not proto.HasField("objective"):
        return None
    lp, _ = relaxation(proto)
    left = time_limit - (time.perf_counter() - started)
    if left <= 0:
        return None
    limit = dt.timedelta(seconds=left) if math.isfinite(left) else None
    if method == "barrier":
        parameters = mathopt.SolveParameters(
            lp_algorithm=mathopt.LPAlgorithm.BARRIER, time_limit=limit,
            # Crossover to a vertex costs more than the interior-point method itself, and the bound needs no
            # vertex: any dual solution gives one (certified_bound). Without a vertex, HiGHS's postsolve can spoil
            # the dual solution and fail the solve (on small degenerate models), and its presolve saves little on
            # these models, so both are off.
            highs=highs_pb2.HighsOptionsProto(string_options={"run_crossover": "off", "presolve": "off"}),
        )
        try:
            result = mathopt.solve(lp, mathopt.SolverType.HIGHS, params=parameters)
        except (RuntimeError, AttributeError):
            # HiGHS failed the interior solution (status Unknown; OR-Tools 9.15 raises AttributeError converting
            # that error): solve again to a vertex, as HiGHS does by default.
            parameters = mathopt.SolveParameters(lp_algorithm=mathopt.LPAlgorithm.BARRIER, time_limit=limit)
            result = mathopt.solve(lp, mathopt.SolverType.HIGHS, params=parameters)
    else:
        result = mathopt.solve(
            lp, mathopt.SolverType.PDLP, params=mathopt.SolveParameters(time_limit=limit, threads=threads)
        )
    duals = _dual_values(result)
    if duals is None and lp.get_num_linear_constraints() == 0:
        duals = {}  # no rows (HiGHS then returns no dual solution): the columns' box alone is the optimum
    if duals is None:
        return None
    linear = certified_bound(lp.export_model(), duals)
    if not math.isfinite(linear):
        return None
    objective = proto.objective
    if all(float(c).is_integer() for c in objective.coeffs):
        # Integer variables and coefficients: the linear part is an integer, so its bound rounds up.
        linear = math.ceil(linear - _INTEGER_TOLERANCE * max(1.0, abs(linear)))
    scale = objective.scaling_factor or 1.0
    return LpBound(value=scale * (linear + objective.offset), seconds=time.perf_counter() - started)


def _dual_values(result: mathopt.SolveResult) -> dict[int, float] | None:
    """The row multipliers of the solver's answer, by row id, feasible or not (certified_bound needs neither)."""
    for solution in result.solutions:
        if solution.dual_solution is not None:
            return {row.id: value for row, value in solution.dual_solution.dual_values.items()}
    return None


def certified_bound(lp: model_pb2.ModelProto, duals: Mapping[int, float]) -> float:
    """The Lagrangian bound of a minimising LP (rows L <= Ax <= U, columns l <= x <= u) for the row multipliers
    `duals` (by row id; missing rows count as 0). For every x in the region and any y:
    c'x = y'Ax + (c - A'y)'x >= sum_i (y_i L_i if y_i > 0 else y_i U_i) + sum_j min(d_j l_j, d_j u_j).
    It holds whatever y is, so it does not rest on the solver's tolerances; it equals the optimum at an exact
    dual optimum. A multiplier on a side that is infinite counts as 0; -inf if a column with a nonzero reduced
    cost d_j = (c - A'y)_j is unbounded that way."""
    columns = np.asarray(lp.variables.ids, dtype=np.int64)
    lower = np.asarray(lp.variables.lower_bounds, dtype=np.float64)
    upper = np.asarray(lp.variables.upper_bounds, dtype=np.float64)
    rows = np.asarray(lp.linear_constraints.ids, dtype=np.int64)
    low = np.asarray(lp.linear_constraints.lower_bounds, dtype=np.float64)
    high = np.asarray(lp.linear_constraints.upper_bounds, dtype=np.float64)
    multipliers = np.zeros(len(rows))
    if duals:
        ids = np.fromiter(duals.keys(), dtype=np.int64, count=len(duals))
        multipliers[np.searchsorted(rows, ids)] = np.fromiter(duals.values(), dtype=np.float64, count=len(duals))
    multipliers[((multipliers > 0) & ~np.isfinite(low)) | ((multipliers < 0) & ~np.isfinite(high))] = 0.0
    row_terms = multipliers * np.where(multipliers > 0, low, np.where(multipliers < 0, high, 0.0))
    reduced = np.zeros(len(columns))
    objective = lp.objective.linear_coefficients
    np.add.at(reduced, np.searchsorted(columns, np.asarray(objective.ids, dtype=np.int64)), objective.values)
    matrix = lp.linear_constraint_matrix
    at_rows = np.searchsorted(rows, np.asarray(matrix.row_ids, dtype=np.int64))
    at_columns = np.searchsorted(columns, np.asarray(matrix.column_ids, dtype=np.int64))
    products = multipliers[at_rows] * np.asarray(matrix.coefficients, dtype=np.float64)
    np.add.at(reduced, at_columns, -products)
    # The side of its box each column's reduced cost takes (none at 0); -inf terms where that side is unbounded.
    side = np.where(reduced > 0, lower, np.where(reduced < 0, upper, 0.0))
    column_terms = reduced * side
    # Floating-point sums of large terms that cancel: the error scales with the terms, not with the result (a
    # generated model whose optimum is 0 summed to 3.8e-6, which rounds up to 1). Subtract a margin far above it.
    sizes = np.zeros(len(columns))
    np.add.at(sizes, at_columns, np.abs(products))
    bounded = np.isfinite(lower) & np.isfinite(upper)
    reach = np.where(reduced != 0, np.abs(side), np.where(bounded, np.maximum(np.abs(lower), np.abs(upper)), 0.0))
    mass = float(np.sum(np.abs(row_terms))) + float(np.sum(reach * (sizes + np.abs(reduced))))
    bound = float(lp.objective.offset) + float(np.sum(row_terms)) + float(np.sum(column_terms))
    return bound - _ROUNDING_MARGIN * mass


class BoundProcess:
    """`lower_bound` of a model in a process of its own, started now and given `time_limit` seconds."""

    def __init__(
        self, model: cp_model.CpModel, time_limit: float, method: LpMethod = "barrier", threads: int = 1
    ) -> None:
        self._closed = False
        self._bound: LpBound | None = None
        self._folder = Path(tempfile.mkdtemp(prefix="rota-lp-"))
        path = self._folder / "model.pb"
        if not model.export_to_file(str(path)):
            raise OSError(f"could not write the model to {path}")
        command = [
            sys.executable, "-m", "scheduler.solve.relaxation", str(path), "--time-limit", f"{time_limit:.3f}",
            "--method", method, "--threads", str(threads),
        ]
        # The child imports this package from where this process found it, whatever its working folder.
        root = str(Path(__file__).resolve().parents[1])
        paths = [root, *filter(None, [os.environ.get("PYTHONPATH")])]
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
        self._process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=environment
        )

    def wait(self, timeout: float) -> None:
        """Let the process run to its end, for at most `timeout` seconds."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout)

    def result(self) -> LpBound | None:
        """The bound if the process has found it by now; else the process is stopped and there is none."""
        if not self._closed:
            self._closed = True
            try:
                if self._process.poll() is None:
                    self._process.kill()
                output, _ = self._process.communicate()
                if self._process.returncode == 0 and output.strip():
                    found = json.loads(output)
                    if found is not None:
                        self._bound = LpBound(value=float(found["value"]), seconds=float(found["seconds"]))
            finally:
                shutil.rmtree(self._folder, ignore_errors=True)
        return self._bound

    def close(self) -> None:
        """Stop the process if it still runs, and remove its file (again: nothing)."""
        self.result()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scheduler.solve.relaxation", description="The LP bound of a CP-SAT model (binary proto file)."
    )
    parser.add_argument("model", type=Path)
    parser.add_argument("--time-limit", type=float, default=math.inf)
    parser.add_argument("--method", choices=get_args(LpMethod), default="barrier")
    parser.add_argument("--threads", type=int, default=1, help="threads of pdlp (barrier has one)")
    args = parser.parse_args(argv)
    proto = cp_model_pb2.CpModelProto.FromString(args.model.read_bytes())
    bound = lower_bound(proto, args.time_limit, args.method, args.threads)
    print(json.dumps(None if bound is None else {"value": bound.value, "seconds": bound.seconds}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
