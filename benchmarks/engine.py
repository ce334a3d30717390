"""Engine benchmark: time to the first rota, time to a proven optimum, gap at the time limit, peak memory.

    python -m benchmarks.engine                      # every case, 3 repeats, table on stdout
    python -m benchmarks.engine --case checkpoint --repeats 5 --out benchmarks/results/engine.md

Each run is a fresh subprocess, so peak memory (max RSS) is that run's own. The machine is small and shared:
read the spread across repeats, not one number.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from benchmarks.generator import generate
from scheduler import Scenario, SolveSettings, load_scenario, solve

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Case:
    """A scenario, a time limit and the targets it is judged by."""

    name: str
    load: Callable[[], Scenario]
    time_limit: float
    target: str


CASES: dict[str, Case] = {
    "checkpoint": Case(
        "checkpoint", lambda: load_scenario(ROOT / "examples/checkpoint.yaml"), 30.0,
        "first rota ≤ 1 s; proven optimal ≤ 10 s; the fewest shifts in every run"
    ),
    "grid": Case(
        "grid", lambda: load_scenario(ROOT / "examples/grid.yaml"), 60.0, "first rota ≤ 2 s; proven optimal ≤ 30 s"
    ),
    "checkpoint-no-meals": Case(
        "checkpoint-no-meals",
        lambda: load_scenario(ROOT / "examples/checkpoint.yaml").model_copy(update={"meal_rules": []}),
        30.0, "issue 2's scope (before meal breaks): proven optimal ≤ 10 s",
    ),
    "large": Case(
        "large", lambda: generate(people=1000, posts=20, days=28, seed=1), 120.0,
        "rota meeting every hard rule ≤ 60 s; gap ≤ 5 % at 120 s; peak memory ≤ 4 GB",
    ),
}

app = typer.Typer(add_completion=False)


def run_once(
    case: Case, workers: int | None, local_branching: bool = True, seed: int = 0
) -> dict[str, float | str | None]:
    """Solve one case in this process and report the figures (called in a subprocess)."""
    scenario = case.load()
    settings = SolveSettings(
        time_limit=case.time_limit, workers=workers, explain=False, local_branching=local_branching, seed=seed
    )
    result = solve(scenario, settings)
    stats = result.stats
    proven = stats.wall_time if result.status.value == "optimal" else None
    staffing = result.staffing
    return {
        "shifts": None if staffing is None else staffing.shifts,
        "person_hours": None if staffing is None else staffing.person_hours,
        "fewest_hours": None if staffing is None else staffing.fewest_person_hours,
        "fewest_proven": None if staffing is None else str(staffing.fewest_proven),
        "status": result.status.value,
        "objective": result.objective,
        "bound": result.bound,
        "gap": result.gap,
        "first_rota_s": stats.first_solution_time,
        "proven_optimal_s": proven,
        "wall_s": stats.wall_time,
        "build_s": stats.build_time,
        "variables": stats.variables,
        "workers": stats.workers,
        "local_branching_rounds": stats.local_branching_rounds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


@app.command()
def main(
    case: Annotated[list[str] | None, typer.Option(help="Cases to run (default: all).")] = None,
    repeats: Annotated[int, typer.Option(min=1)] = 3,
    workers: Annotated[int | None, typer.Option(min=1, help="Default: the engine's automatic choice.")] = None,
    out: Annotated[Path | None, typer.Option(help="Also write the table as Markdown here.")] = None,
    local_branching: Annotated[
        bool, typer.Option(help="Local branching when the search stalls (off: CP-SAT alone, for comparison).")
    ] = True,
    child: Annotated[str | None, typer.Option(hidden=True)] = None,
    seed: Annotated[int, typer.Option(hidden=True)] = 0,
) -> None:
    """Run the engine benchmark and print a table. Repeat k runs with seed k: the answers should not depend on it."""
    if child is not None:
        print(json.dumps(run_once(CASES[child], workers, local_branching, seed)))
        return
    names = case or list(CASES)
    rows = []
    for name in names:
        runs = [_run_child(name, workers, local_branching, seed) for seed in range(repeats)]
        rows.append((CASES[name], runs))
    table = _table(rows, repeats)
    Console().print(table)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(_markdown(rows, repeats, workers, names, local_branching), encoding="utf-8")


def _run_child(name: str, workers: int | None, local_branching: bool, seed: int) -> dict[str, float | str | None]:
    command = [sys.executable, "-m", "benchmarks.engine", "--child", name, "--seed", str(seed)]
    command += ["--workers", str(workers)] if workers is not None else []
    command += [] if local_branching else ["--no-local-branching"]
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    data: dict[str, float | str | None] = json.loads(output.strip().splitlines()[-1])
    return data


def _spread(values: list[float | str | None], unit: str = "", scale: float = 1.0, digits: int = 1) -> str:
    numbers = [float(v) * scale for v in values if isinstance(v, int | float)]
    if not numbers:
        return "–"
    if len(numbers) < len(values):
        missing = len(values) - len(numbers)
        prefix = f"{missing}× none; "
    else:
        prefix = ""
    median = statistics.median(numbers)
    return f"{prefix}{median:.{digits}f}{unit} ({min(numbers):.{digits}f}–{max(numbers):.{digits}f})"


COLUMNS = (
    "case", "target", "status", "first rota s", "proven optimal s", "gap", "objective", "shifts at posts",
    "person-hours", "fewest person-hours", "build s", "peak MB",
)


def _each(values: list[float | str | None]) -> str:
    """Every run's value: the same in each run means the answer does not depend on the seed."""
    seen = sorted({f"{v:g}" if isinstance(v, int | float) else "–" for v in values})
    return " / ".join(seen) + (" (every run)" if len(seen) == 1 and len(values) > 1 else "")


def _cells(case: Case, runs: list[dict[str, float | str | None]]) -> list[str]:
    statuses = ", ".join(sorted({str(r["status"]) for r in runs}))
    return [
        case.name, case.target, statuses,
        _spread([r["first_rota_s"] for r in runs], digits=2),
        _spread([r["proven_optimal_s"] for r in runs]),
        _spread([r["gap"] for r in runs], "%", 100, 2),
        _spread([r["objective"] for r in runs], digits=2),
        _each([r.get("shifts") for r in runs]),
        _each([r.get("person_hours") for r in runs]),
        _fewest(runs),
        _spread([r["build_s"] for r in runs]),
        _spread([r["peak_mb"] for r in runs], digits=0),
    ]


def _fewest(runs: list[dict[str, float | str | None]]) -> str:
    """The fewest person-hours the hard rules allow, as the runs found it: 'proven' when every run proved it."""
    values = _each([r.get("fewest_hours") for r in runs])
    proven = {r.get("fewest_proven") for r in runs}
    return f"{values}, proven" if proven == {"True"} else f"at least {values} (bound)"


def _table(rows: list[tuple[Case, list[dict[str, float | str | None]]]], repeats: int) -> Table:
    table = Table(title=f"Engine benchmark: median (min–max) of {repeats} runs")
    for column in COLUMNS:
        table.add_column(column)
    for case, runs in rows:
        table.add_row(*_cells(case, runs))
    return table


def _markdown(
    rows: list[tuple[Case, list[dict[str, float | str | None]]]], repeats: int, workers: int | None,
    names: list[str], local_branching: bool = True,
) -> str:
    command = "python -m benchmarks.engine " + " ".join(f"--case {n}" for n in names)
    command += f" --repeats {repeats}" + (f" --workers {workers}" if workers is not None else "")
    command += "" if local_branching else " --no-local-branching"
    lines = [
        "# Engine benchmark",
        "",
        f"Command: `{command} --out <this file>`  ",
        f"Date: {dt.date.today().isoformat()}; machine: {os.cpu_count()} cores, {platform.machine()}, "
        f"Python {platform.python_version()}, OR-Tools {version('ortools')}; workers {workers or 'automatic'}; "
        f"time limits: " + ", ".join(f"{c.name} {c.time_limit:g} s" for c, _ in rows) + ".",
        "",
        f"Median (min–max) of {repeats} runs, each in a fresh process; run k with seed k. Shifts and person-hours at"
        " the posts: every run's value (the same in every run when the answer does not depend on the seed), and"
        " the fewest the hard rules allow.",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    for case, runs in rows:
        lines.append("| " + " | ".join(_cells(case, runs)) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    app()
