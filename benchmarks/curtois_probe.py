"""Probe CP-SAT on one Curtois & Qu instance: the project's own model, the engine's solver settings plus any CP-SAT
parameters given, CP-SAT's search log, and each improving rota with the bound at that moment.

For experiments on the search (which worker proves the bound, how far the LP gets), not for results: the runner
`python -m benchmarks.curtois` is the benchmark (docs/benchmarks.md). Example: how far CP-SAT's root LP gets on a
large instance when it may run to the end:

    python -m benchmarks.curtois_probe ../shared/benchmarks/curtois-qu-shift-scheduling/Instance12.txt \\
        --time-limit 45 --workers 1 --param root_lp_iterations=1000000 --log

`--param NAME=VALUE` sets a CP-SAT parameter (repeatable); `subsolvers=NAME` replaces the engine's choice of full
subsolvers with the ones named.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from ortools.sat.python import cp_model

from benchmarks.curtois_format import load
from scheduler import SolveSettings
from scheduler.model.build import build_model
from scheduler.model.constraints import OBJECTIVE_SCALE
from scheduler.solve.settings import solver_for

REPEATED = ("subsolvers", "extra_subsolvers", "ignore_subsolvers")


def apply_parameters(solver: cp_model.CpSolver, assignments: Sequence[str]) -> None:
    """Set `NAME=VALUE` CP-SAT parameters, converting VALUE to the parameter's type; a repeated (list) parameter
    is replaced by the values given for it. Raises ValueError for a malformed or unknown parameter."""
    parameters = solver.parameters
    lists: dict[str, list[str]] = {}
    for assignment in assignments:
        name, separator, text = assignment.partition("=")
        if not separator or not hasattr(parameters, name):
            raise ValueError(f"not a CP-SAT parameter assignment: {assignment!r}")
        if name in REPEATED:
            lists.setdefault(name, []).append(text)
            continue
        setattr(parameters, name, _typed(getattr(parameters, name), text, assignment))
    for name, values in lists.items():
        field = getattr(parameters, name)
        field.clear()
        field.extend(values)


def _typed(current: object, text: str, assignment: str) -> bool | int | float | str:
    """`text` as a value of the type of the parameter's current value."""
    try:
        if isinstance(current, bool):
            return {"true": True, "false": False}[text.lower()]
        if isinstance(current, int):
            return int(text)
        if isinstance(current, float):
            return float(text)
    except (KeyError, ValueError):
        raise ValueError(f"wrong value for a CP-SAT parameter: {assignment!r}") from None
    return text


class _Improvements(cp_model.CpSolverSolutionCallback):
    def __init__(self) -> None:
        super().__init__()
        self.started = time.perf_counter()

    def on_solution_callback(self) -> None:
        print(
            f"{time.perf_counter() - self.started:8.1f} s  objective {self.objective_value / OBJECTIVE_SCALE:10.0f}"
            f"  bound {self.best_objective_bound / OBJECTIVE_SCALE:10.0f}",
            flush=True,
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.curtois_probe", description=__doc__.split("\n")[0])
    parser.add_argument("instance", type=Path, help="InstanceN.txt")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--param", action="append", default=[], help="a CP-SAT parameter, NAME=VALUE")
    parser.add_argument("--log", action="store_true", help="print CP-SAT's own search log")
    args = parser.parse_args(argv)
    built = build_model(load(args.instance))
    variables = len(built.model.proto.variables)
    settings = SolveSettings(time_limit=args.time_limit, workers=args.workers, seed=args.seed, log=args.log)
    solver = solver_for(settings, variables)
    try:
        apply_parameters(solver, args.param)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"{args.instance.stem}: {variables} variables; parameters: {str(solver.parameters).strip()}", flush=True)
    code = solver.solve(built.model, _Improvements())
    found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    objective = f"{solver.objective_value / OBJECTIVE_SCALE:.0f}" if found else "–"
    print(
        f"{args.instance.stem}: {solver.status_name(code)}, objective {objective}, "
        f"bound {solver.best_objective_bound / OBJECTIVE_SCALE:.0f}, {solver.wall_time:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
