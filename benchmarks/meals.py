"""Meal-break benchmark: the joint model (breaks decided with the rota) against no breaks and a two-stage variant.

    python -m benchmarks.meals                                   # both examples, 3 repeats, 60 s
    python -m benchmarks.meals --repeats 3 --out benchmarks/results/meals.md

Per example and repeat:
- joint: `solve` on the scenario as written (breaks in the same CP-SAT model);
- none: `solve` on the scenario with `meal_rules` removed (same rota rules, nobody eats);
- two-stage (benchmark only): the rota of "none", fixed, then breaks placed by the full model under those
  assignments. It reports whether any placement exists and the final objective, checked by the checker.
Every rota is verified by the independent checker. The machine is small and shared: read the spread.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import resource
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from ortools.sat.python import cp_model

from scheduler import Rota, Scenario, SolveSettings, SolveStatus, check, load_scenario, relative_gap, solve
from scheduler.model.build import build_model
from scheduler.model.constraints import OBJECTIVE_SCALE
from scheduler.model.variables import ValueReader
from scheduler.solve.settings import solver_for

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = {"checkpoint": ROOT / "examples/checkpoint.yaml", "grid": ROOT / "examples/grid.yaml"}


@dataclass
class Run:
    status: str
    seconds: float
    objective: float | None
    bound: float | None
    checked: bool
    cpu: float | None = None
    """CPU seconds of this process (all solver threads): on a loaded machine closer to the work done than wall
    time; on a quiet 2-core machine wall ≈ cpu / 2."""

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        return relative_gap(self.objective, self.bound)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _solve(scenario: Scenario, limit: float) -> tuple[Run, Rota | None]:
    started, cpu = time.perf_counter(), _cpu()
    result = solve(scenario, SolveSettings(time_limit=limit))
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    ok = False
    if result.rota is not None:
        checked = check(scenario, result.rota)
        ok = checked.ok and abs(checked.objective - (result.objective or 0)) < 1e-6
    return Run(result.status.value, seconds, result.objective, result.bound, ok, cpu), result.rota


def two_stage(scenario: Scenario, rota: Rota, limit: float) -> Run:
    """Keep the assignments of a break-free rota and place breaks with the full model."""
    started = time.perf_counter()
    built = build_model(scenario)
    chosen = {(a.person, a.place, a.shift, a.date, a.role) for a in rota.assignments}
    instances = built.variables.instances
    for choices in built.variables.choices.values():
        for choice in choices:
            shift = instances.shifts[choice.shift]
            key = (instances.people[choice.person].id, shift.place, shift.template, shift.date, choice.role)
            built.model.add(choice.var == int(key in chosen))
    solver = solver_for(SolveSettings(time_limit=limit), len(built.model.proto.variables))
    code = solver.solve(built.model)
    seconds = time.perf_counter() - started
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        status = "infeasible" if code == cp_model.INFEASIBLE else "unknown"
        return Run(status, seconds, None, None, False)
    objective = solver.objective_value / OBJECTIVE_SCALE
    placed = rota.model_copy(update={"assignments": built.variables.read(ValueReader(solver))})
    checked = check(scenario, placed)
    status = SolveStatus.OPTIMAL.value if code == cp_model.OPTIMAL else SolveStatus.FEASIBLE.value
    return Run(status, seconds, objective, solver.best_objective_bound / OBJECTIVE_SCALE,
               checked.ok and abs(checked.objective - objective) < 1e-6)  # fmt: skip


def _fmt(values: list[float | None], digits: int = 1) -> str:
    known = [v for v in values if v is not None]
    if not known:
        return "–"
    med = statistics.median(known)
    text = f"{med:.{digits}f}"
    if len(known) > 1:
        text += f" ({min(known):.{digits}f}–{max(known):.{digits}f})"
    return text + ("" if len(known) == len(values) else f" [{len(known)}/{len(values)}]")


def main(
    repeats: Annotated[int, typer.Option(help="Runs per example and variant.")] = 3,
    time_limit: Annotated[float, typer.Option(help="Seconds per solve.")] = 60.0,
    example: Annotated[list[str] | None, typer.Option(help="checkpoint and/or grid.")] = None,
    out: Annotated[Path | None, typer.Option(help="Write the markdown table here.")] = None,
) -> None:
    names = example or list(EXAMPLES)
    rows: list[str] = []
    header = (
        "| example | variant | status (runs) | seconds to stop: median (min–max) | CPU seconds | objective | bound | "
        "gap | checker agrees |\n|---|---|---|---|---|---|---|---|---|"
    )
    for name in names:
        scenario = load_scenario(EXAMPLES[name])
        bare = scenario.model_copy(update={"meal_rules": []})
        runs: dict[str, list[Run]] = {"joint": [], "none": [], "two-stage": []}
        for _ in range(repeats):
            joint, _rota = _solve(scenario, time_limit)
            none, rota = _solve(bare, time_limit)
            runs["joint"].append(joint)
            runs["none"].append(none)
            if rota is not None:
                runs["two-stage"].append(two_stage(scenario, rota, time_limit))
            print(name, joint, none, runs["two-stage"][-1:] if rota else None, flush=True)
        for variant, items in runs.items():
            statuses = ", ".join(sorted({r.status for r in items}))
            rows.append(
                f"| {name} | {variant} | {statuses} ({len(items)}) | {_fmt([r.seconds for r in items])} | "
                f"{_fmt([r.cpu for r in items])} | "
                f"{_fmt([r.objective for r in items])} | {_fmt([r.bound for r in items])} | "
                f"{_fmt([None if r.gap is None else 100 * r.gap for r in items])} % | "
                f"{sum(r.checked for r in items)}/{len(items)} |"
            )
        ratios = [j.seconds / n.seconds for j, n in zip(runs["joint"], runs["none"], strict=True)]
        cpu_ratios = [
            j.cpu / n.cpu for j, n in zip(runs["joint"], runs["none"], strict=True) if j.cpu and n.cpu
        ]
        rows.append(
            f"| {name} | joint ÷ none time | | {_fmt(list(ratios), 2)} × | {_fmt(list(cpu_ratios), 2)} × | | | | |"
        )
    table = header + "\n" + "\n".join(rows)
    print(table)
    if out is not None:
        command = f"python -m benchmarks.meals --repeats {repeats} --time-limit {time_limit:g}"
        text = (
            f"# Meal breaks: joint model vs none vs two-stage\n\nCommand: `{command}`  \n"
            f"Machine: {platform.machine()}, nproc = {os.cpu_count()} (shared with other sessions: noisy); "
            f"load average at the end: {os.getloadavg()[0]:.1f}  \n"
            f"Date: {dt.date.today().isoformat()}  \n\n{table}\n"
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    typer.run(main)
