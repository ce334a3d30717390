"""The Curtois & Qu shift scheduling benchmark (Instance1 … Instance24): the runner.

The instances are read by `benchmarks.curtois_format`, which says how they map onto a `Scenario`.

Run: `python -m benchmarks.curtois INSTANCE.txt... --time-limit S --workers N --out DIR`. For each instance it
writes `DIR/InstanceN.csv` (`employee,day,shift`, day 0-based), recomputes the objective from that file with the
independent checker (`scheduler.check`), and prints a table; `DIR/results.json` has every column plus
the machine, the versions and the settings. `--seeds K` runs each instance K times (seeds `--seed`, +1, ...;
CSVs `InstanceN-seedS.csv`) and adds a summary per instance: median, lowest and highest objective, best bound, runs
within 1 % of the best known value (the machine is noisy and the search random: one run proves little).
`--build-only` builds each model and prints its build seconds (wall and CPU), the process's peak memory and its
size, without solving (one instance per process for the memory).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import logging
import os
import platform
import resource
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import get_args

from rich.console import Console
from rich.table import Table

from benchmarks.curtois_format import load, read_csv, write_csv
from scheduler import (
    Penalty,
    Progress,
    SolveSettings,
    SolveStatus,
    check,
    solve,
)
from scheduler.model.build import build_model
from scheduler.model.constraints import OBJECTIVE_SCALE
from scheduler.solve import relaxation

BEST_KNOWN: dict[str, int] = {
    # Best known objective values (upper bounds), the "best known UB" column of SOURCE.md's table
    # (from wssuite/NurseScheduler benchmark/nrp.yml; 1–4 are proven optimal, the others claimed).
    "Instance1": 607, "Instance2": 828, "Instance3": 1001, "Instance4": 1716, "Instance5": 1143,
    "Instance6": 1950, "Instance7": 1056, "Instance8": 1300, "Instance9": 439, "Instance10": 4631,
    "Instance11": 3443, "Instance12": 4040, "Instance13": 1348, "Instance14": 1278, "Instance15": 3829,
    "Instance16": 3225, "Instance17": 5746, "Instance18": 4459, "Instance19": 3149, "Instance20": 4769,
    "Instance21": 21133, "Instance22": 30241, "Instance23": 17428, "Instance24": 42463,
}  # fmt: skip


# ---------------------------------------------------------------------------------------------- runner


@dataclass
class Result:
    """One instance's run: the checked objective and how the search went."""

    instance: str
    seed: int
    status: str
    objective: float | None
    """Recomputed from the CSV by the checker."""
    solver_objective: float | None
    bound: float | None
    best_known: int | None
    gap_to_best: float | None
    """(objective − best known) / best known."""
    seconds_to_final: float | None
    """Seconds from the start (model building included) until the returned rota was found."""
    first_solution_seconds: float | None
    wall_seconds: float
    build_seconds: float
    variables: int
    constraints: int
    solutions: int
    violations: int
    mismatch: bool
    """True when the checker disagrees with the solver (objective or hard rules)."""
    costs: dict[str, float]
    """What the checked objective is made of: cover under, cover over, shift requests (see `cost_breakdown`)."""
    local_branching_rounds: int = 0
    """Balls around the best rota searched after the search stalled (scheduler.solve.search)."""
    local_branching_improvements: int = 0
    trajectory: list[tuple[float, float]] = field(default_factory=list)
    """Every better rota the search reported: (seconds from the start, objective), to show when a run stalls."""
    lp_bound: float | None = None
    """The linear relaxation's bound (scheduler.solve.relaxation), if it was solved in time; `bound` is the better of it
    and the search's own."""
    lp_bound_seconds: float | None = None
    column_bound: float | None = None
    """Column generation's bound (scheduler.solve.colgen), when it ran; also in `bound`."""
    column_rounds: int = 0
    columns: int = 0
    column_seconds: float | None = None
    """Seconds column generation took: its rounds, the dive and the full model over the people the dive did not keep."""


def cost_breakdown(penalties: Iterable[Penalty]) -> dict[str, float]:
    """The checker's penalties summed by kind: `cover_under` (× 100 on every instance), `cover_over` and
    `requests` (shift on and off requests): where the gap to the best known value lies."""
    totals = {"cover_under": 0.0, "cover_over": 0.0, "requests": 0.0}
    for penalty in penalties:
        if penalty.rule == "coverage":
            totals["cover_under" if penalty.name.endswith(":under") else "cover_over"] += penalty.cost
        else:
            totals["requests"] += penalty.cost
    return totals


def run_instance(path: Path, settings: SolveSettings, out: Path, console: Console, csv_name: str = "") -> Result:
    """Solve one instance, write its CSV (`csv_name`, else InstanceN.csv), and check the CSV independently."""
    scenario = load(path)
    improvements: list[Progress] = []
    result = solve(scenario, settings, improvements.append)
    name = path.stem
    checked: float | None = None
    violations = 0
    costs: dict[str, float] = {}
    if result.rota is not None:
        csv_path = out / (csv_name or f"{name}.csv")
        write_csv(result.rota, csv_path)
        report = check(scenario, read_csv(csv_path, scenario))
        checked, violations = report.objective, len(report.violations)
        costs = cost_breakdown(report.penalties)
        for violation in report.violations[:10]:
            console.print(f"[bold red]{name}: CHECKER VIOLATION[/] {violation.rule}: {violation.message}")
    mismatch = violations > 0 or (
        result.objective is not None and (checked is None or abs(checked - result.objective) > 1e-6)
    )
    if mismatch:
        console.print(
            f"[bold red]{name}: MISMATCH: solver objective {result.objective}, checker {checked}, "
            f"{violations} violation(s)[/]"
        )
    best = BEST_KNOWN.get(name)
    stats = result.stats
    return Result(
        instance=name, seed=settings.seed, status=result.status.value, objective=checked,
        solver_objective=result.objective, bound=result.bound, best_known=best,
        gap_to_best=None if checked is None or not best else (checked - best) / best,
        seconds_to_final=improvements[-1].elapsed if improvements else None,
        first_solution_seconds=stats.first_solution_time, wall_seconds=stats.wall_time,
        build_seconds=stats.build_time, variables=stats.variables, constraints=stats.constraints,
        solutions=stats.solutions, violations=violations, mismatch=mismatch, costs=costs,
        local_branching_rounds=stats.local_branching_rounds,
        local_branching_improvements=stats.local_branching_improvements,
        trajectory=[(round(p.elapsed, 1), p.objective) for p in improvements],
        lp_bound=stats.lp_bound, lp_bound_seconds=stats.lp_bound_seconds,
        column_bound=stats.column_bound, column_rounds=stats.column_rounds, columns=stats.columns,
        column_seconds=stats.column_seconds,
    )


def measure_lp_bound(
    path: Path, time_limit: float, method: relaxation.LpMethod = "barrier", threads: int = 1
) -> dict[str, object]:
    """The linear relaxation's bound alone (scheduler.solve.relaxation, as a solve runs it beside its search, but with
    the machine to itself; or by PDLP on `threads` threads): the bound in the benchmark's units, seconds, and how
    far below the best known value."""
    built = build_model(load(path))
    started = time.perf_counter()
    process = relaxation.BoundProcess(built.model, time_limit, method, threads)
    # PDLP stops at the time limit, then certifies its bound: on Instance24 that takes 13 s.
    process.wait(time_limit + 120)
    bound = process.result()
    best = BEST_KNOWN.get(path.stem)
    value = None if bound is None else round(bound.value / OBJECTIVE_SCALE, 2)
    return {
        "instance": path.stem, "variables": len(built.model.proto.variables), "method": method, "lp_bound": value,
        "seconds": round(time.perf_counter() - started, 1), "best_known": best,
        "below_best_known": None if value is None or not best else round((best - value) / best, 4),
    }


def measure_build(path: Path) -> dict[str, object]:
    """Build the model of one instance only: wall and CPU seconds, the process's peak resident memory (so run one
    instance per process to read it), variables and constraints."""
    scenario = load(path)
    wall, cpu = time.perf_counter(), time.process_time()
    built = build_model(scenario)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "instance": path.stem, "build_wall_seconds": round(wall, 2), "build_cpu_seconds": round(cpu, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "variables": len(built.model.proto.variables), "constraints": len(built.model.proto.constraints),
    }


def _number(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def results_table(results: Sequence[Result], title: str) -> Table:
    table = Table(title=title)
    seeded = len({r.seed for r in results}) > 1
    columns = (
        "instance", "objective", "best bound", "LP bound", "columns' bound", "best known", "gap to best", "s to final",
        "status",
    )
    for column in columns:
        table.add_column(column, justify="left" if column in ("instance", "status") else "right")
    for r in results:
        gap = "–" if r.gap_to_best is None else f"{100 * r.gap_to_best:.2f}%"
        status = f"[bold red]{r.status} MISMATCH[/]" if r.mismatch else r.status
        table.add_row(
            f"{r.instance} (seed {r.seed})" if seeded else r.instance, _number(r.objective), _number(r.bound),
            _number(r.lp_bound), _number(r.column_bound), _number(r.best_known), gap,
            _number(r.seconds_to_final, 1), status,
        )
    return table


@dataclass(frozen=True)
class Summary:
    """One instance over repeated runs (seeds): the machine is noisy and the search is random."""

    instance: str
    runs: int
    median: float | None
    lowest: float | None
    highest: float | None
    best_bound: float | None
    best_known: int | None
    median_gap: float | None
    within_one_percent: int
    optimal: int


def summarise(results: Sequence[Result]) -> list[Summary]:
    """Per instance, in the order first run: median, lowest and highest checked objective, the best bound."""
    by_instance: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        by_instance[r.instance].append(r)
    summaries = []
    for name, runs in by_instance.items():
        values = [r.objective for r in runs if r.objective is not None]
        bounds = [r.bound for r in runs if r.bound is not None]
        best = runs[0].best_known
        median = statistics.median(values) if values else None
        summaries.append(Summary(
            instance=name, runs=len(runs), median=median, lowest=min(values, default=None),
            highest=max(values, default=None), best_bound=max(bounds, default=None), best_known=best,
            median_gap=None if median is None or not best else (median - best) / best,
            within_one_percent=sum(1 for r in runs if r.gap_to_best is not None and r.gap_to_best <= 0.01),
            optimal=sum(1 for r in runs if r.status == SolveStatus.OPTIMAL.value),
        ))
    return summaries


def summary_table(summaries: Sequence[Summary], title: str) -> Table:
    table = Table(title=title)
    columns = ("instance", "runs", "median", "lowest", "highest", "best bound", "best known", "median gap",
               "within 1 %", "optimal")
    for column in columns:
        table.add_column(column, justify="left" if column == "instance" else "right")
    for s in summaries:
        gap = "–" if s.median_gap is None else f"{100 * s.median_gap:.2f}%"
        table.add_row(
            s.instance, str(s.runs), _number(s.median, 1), _number(s.lowest), _number(s.highest),
            _number(s.best_bound), _number(s.best_known), gap, str(s.within_one_percent), str(s.optimal),
        )
    return table


def machine_info() -> dict[str, object]:
    return {
        "nproc": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "ortools": importlib.metadata.version("ortools"),
    }


def write_results(path: Path, results: Sequence[Result], settings: SolveSettings, seeds: int = 1) -> None:
    document: dict[str, object] = {
        "benchmark": "Curtois & Qu shift scheduling (SOURCE.md in shared/benchmarks/curtois-qu-shift-scheduling)",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "time_limit": settings.time_limit,
        "workers": settings.workers,
        "local_branching": settings.local_branching,
        "lp_bound": settings.lp_bound,
        "seed": settings.seed,
        "seeds": seeds,
        "results": [asdict(r) for r in results],
    }
    if seeds > 1:
        document["summary"] = [asdict(s) for s in summarise(results)]
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.curtois", description=__doc__.split("\n")[0])
    parser.add_argument("instances", nargs="+", type=Path, help="InstanceN.txt files")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per instance")
    parser.add_argument("--workers", type=int, default=8, help="CP-SAT search threads")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first run")
    parser.add_argument(
        "--seeds", type=int, default=1,
        help="runs per instance, with seeds SEED, SEED+1, ...; CSVs are then InstanceN-seedK.csv and a summary "
        "table (median, lowest, highest) follows",
    )
    parser.add_argument(
        "--no-local-branching", action="store_true",
        help="let CP-SAT search alone to the end, without local branching when it stalls (for comparison)",
    )
    parser.add_argument(
        "--no-lp-bound", action="store_true",
        help="report CP-SAT's own bound only, without the linear relaxation's (scheduler.solve.relaxation)",
    )
    parser.add_argument(
        "--no-column-generation", action="store_true",
        help="search the full model from the start, without column generation's bound and first rota "
        "(scheduler.solve.colgen)",
    )
    parser.add_argument(
        "--log-search", action="store_true",
        help="print each phase of the search (rounds of column generation, its dive, whole-model searches, balls) to "
        "stderr, with its time",
    )
    parser.add_argument("--out", type=Path, help="folder for the CSVs and results.json (required unless --build-only)")
    parser.add_argument(
        "--build-only", action="store_true", help="only build each model; print build seconds, peak memory, size"
    )
    parser.add_argument(
        "--lp-bound-only", action="store_true",
        help="only solve each model's linear relaxation (within --time-limit); print its bound and seconds",
    )
    parser.add_argument(
        "--lp-method", choices=get_args(relaxation.LpMethod), default="barrier",
        help="with --lp-bound-only: HiGHS's interior-point method (as a solve runs it), or PDLP on --workers "
        "threads, whose bound at the time limit holds even when it has not converged (for relaxations too large "
        "for barrier)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the instances one after the other; exit code 1 when the checker disagrees anywhere."""
    args = _arguments(argv)
    if args.log_search:
        logging.basicConfig(format="%(name)s: %(message)s", stream=sys.stderr)
        logging.getLogger("scheduler.solve.search").setLevel(logging.INFO)
        logging.getLogger("scheduler.solve.colgen").setLevel(logging.INFO)
    if args.build_only:
        for path in args.instances:
            print(json.dumps(measure_build(path)))
        return 0
    if args.lp_bound_only:
        for path in args.instances:
            print(json.dumps(measure_lp_bound(path, args.time_limit, args.lp_method, args.workers)), flush=True)
        return 0
    if args.out is None:
        raise SystemExit("--out is required (unless --build-only or --lp-bound-only)")
    settings = SolveSettings(
        time_limit=args.time_limit, workers=args.workers, seed=args.seed, explain=False,
        local_branching=not args.no_local_branching, lp_bound=not args.no_lp_bound,
        column_generation=not args.no_column_generation,
    )
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    console = Console() if sys.stdout.isatty() else Console(width=120)
    if args.seeds < 1:
        raise SystemExit("--seeds must be at least 1")
    results: list[Result] = []
    for path in args.instances:
        for seed in range(args.seed, args.seed + args.seeds):
            csv_name = f"{path.stem}.csv" if args.seeds == 1 else f"{path.stem}-seed{seed}.csv"
            result = run_instance(path, settings.model_copy(update={"seed": seed}), out, console, csv_name)
            results.append(result)
            console.print(
                f"{result.instance} (seed {seed}): {result.status}, objective {_number(result.objective)}, "
                f"bound {_number(result.bound)}, final rota at {_number(result.seconds_to_final, 1)} s"
            )
            write_results(out / "results.json", results, settings, args.seeds)
    title = f"Curtois & Qu, {settings.time_limit:g} s, {settings.workers} workers, {os.cpu_count()} CPUs"
    console.print(results_table(results, title))
    if args.seeds > 1:
        console.print(summary_table(summarise(results), f"{title}, {args.seeds} seeds per instance"))
    return 1 if any(r.mismatch for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
