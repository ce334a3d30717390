"""Repair benchmark (issue 7): one person withdraws for two days from the published 120-person grid rota.

    python -m benchmarks.repair                                         # 3 repeats, 10 s, table on stdout
    python -m benchmarks.repair --repeats 3 --out benchmarks/results/repair.md

The grid example is solved once (the "published" rota). Then, with `now` on Tuesday 06:00 (Monday and Tuesday's
night already worked, Tuesday's day within the heavier 24-hour window), one person withdraws for Wednesday and
Thursday: the busiest person on those days, and the busiest holder of the scarcest required role; beyond the
target, the five busiest people withdraw together (a harder repair with replacements). Each repair is
repeated with a 10-second time limit (the target: a repair within 10 s with its number of changed assignments
proven minimal; stage 3, the usual objective under that minimum, gets what is left of the 10 s). Every repaired
rota is verified by the independent checker. The published rota comes from a multi-threaded solve, so who is the
busiest can differ between invocations (the people are named in the report); `--rota FILE` reuses a rota.json.
The machine is small and shared: read the spread.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import time
from collections import Counter
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Annotated

import typer

from scheduler import (
    RepairResult,
    RepairSettings,
    Rota,
    Scenario,
    SolveSettings,
    Unavailability,
    check,
    load_rota,
    load_scenario,
    repair,
    solve,
)

ROOT = Path(__file__).resolve().parents[1]
GRID = ROOT / "examples/grid.yaml"
TARGET_SECONDS = 10.0
NOW_DAY, FIRST_DAY, LAST_DAY = 1, 2, 3
"""now: Tuesday 06:00; the withdrawal: Wednesday and Thursday (period days from Monday)."""


@dataclass(frozen=True)
class Case:
    name: str
    people: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class Run:
    seconds: float
    changes_seconds: float
    change_count: int
    lost: int
    weighted: int
    proven: bool
    status: str
    checked: bool


def _local(scenario: Scenario, day: int, hour: int = 0) -> dt.datetime:
    return dt.datetime.combine(scenario.start + dt.timedelta(days=day), dt.time(hour), scenario.zone)


def _hours_in_window(scenario: Scenario, rota: Rota, role: str | None = None) -> Counter[str]:
    first, last = _local(scenario, FIRST_DAY), _local(scenario, LAST_DAY + 1)
    hours: Counter[str] = Counter()
    for a in rota.assignments:
        if first <= a.start < last and (role is None or a.role == role):
            hours[a.person] += round((a.end - a.start).total_seconds() / 3600)
    return hours


def _scarcest_role(scenario: Scenario) -> str:
    """Of the roles a coverage rule or a team duty requires, the one the fewest active people hold."""
    required = {r.role for r in scenario.coverage if r.role} | {r for d in scenario.team_duties for r in d.roles}
    holders = Counter(role for p in scenario.people if p.active for role in p.roles if role in required)
    return min(sorted(required), key=lambda role: holders[role])


def cases(scenario: Scenario, rota: Rota) -> list[Case]:
    ranked = _hours_in_window(scenario, rota).most_common()
    busiest, hours = ranked[0]
    role = _scarcest_role(scenario)
    in_role = _hours_in_window(scenario, rota, role)
    scarce, scarce_hours = next((p, h) for p, h in in_role.most_common() if p != busiest)
    return [
        Case("busy", (busiest,), f"busiest person on Wed–Thu ({hours} h)"),
        Case("scarce", (scarce,), f"busiest {role} on Wed–Thu but the first ({scarce_hours} h in that role)"),
        Case("five", tuple(p for p, _ in ranked[:5]), f"the five busiest on Wed–Thu, together "
             f"({sum(h for _, h in ranked[:5])} h; beyond the target)"),
    ]


def run_case(scenario: Scenario, rota: Rota, case: Case, limit: float) -> Run:
    withdrawal = [
        Unavailability(person=person, start=_local(scenario, FIRST_DAY), end=_local(scenario, LAST_DAY + 1))
        for person in case.people
    ]
    started = time.perf_counter()
    result: RepairResult = repair(
        scenario, rota, withdrawal, RepairSettings(time_limit=limit), _local(scenario, NOW_DAY, 6)
    )
    seconds = time.perf_counter() - started
    ok = result.rota is not None and check(result.scenario, result.rota).ok
    return Run(
        seconds, result.stats.build_time + result.stats.changes_time, result.change_count,
        len(result.changes.removed), result.weighted_changes,
        result.proven_minimal, result.status.value, ok,
    )


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def _row(case: Case, runs: list[Run]) -> str:
    seconds = [r.seconds for r in runs]
    proven = sum(r.proven for r in runs)
    met = sum(r.proven and r.seconds <= TARGET_SECONDS for r in runs)
    changes = sorted({f"{r.change_count}: {r.lost} lost, {r.change_count - r.lost} gained (weighted {r.weighted})"
                      for r in runs})
    return (
        f"| {case.name} | {', '.join(case.people)}: {case.why} | {_spread(seconds)} | "
        f"{_spread([r.changes_seconds for r in runs])} | {', '.join(changes)} | {proven}/{len(runs)} | "
        f"{', '.join(sorted({r.status for r in runs}))} | {sum(r.checked for r in runs)}/{len(runs)} | "
        f"{met}/{len(runs)} |"
    )


def report(
    rows: list[str], repeats: int, limit: float, source: str, objective: float | None, load: float
) -> str:
    return "\n".join([
        "# Repair benchmark",
        "",
        f"Command: `python -m benchmarks.repair --repeats {repeats} --time-limit {limit:g} --out <this file>`  ",
        f"Date: {dt.date.today()}; machine: 2 cores shared with other work, {platform.machine()}, Python "
        f"{platform.python_version()}, OR-Tools {version('ortools')}; workers automatic (stage 2: one thread); "
        f"load average {load:.1f} at the start.",
        "",
        f"Published rota: {source}, objective {objective:g}. "
        "Now: Tuesday 06:00 (earlier assignments frozen; changes before Wednesday 06:00 weigh 2). "
        "Withdrawal: Wednesday 00:00 to Friday 00:00.",
        "",
        f"Median (min–max) of {repeats} repairs. *Seconds*: the whole repair (absences, model, stage 2 to a proven "
        "minimum, stage 3 under that bound). *To minimum*: model building plus stage 2, the time until the change "
        f"count is proven minimal. *Status* optimal: the usual objective is proven optimal under that minimum too. "
        f"Target: ≤ {TARGET_SECONDS:g} s with the change count proven minimal.",
        "",
        "| case | who withdraws | seconds | to minimum s | changes | proven minimal | status | checker ok | "
        "target met |",
        "|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
    ])


def main(
    repeats: Annotated[int, typer.Option(min=1, help="Repairs per case.")] = 3,
    time_limit: Annotated[float, typer.Option(min=1, help="Time limit of each repair, seconds.")] = 10.0,
    out: Annotated[Path | None, typer.Option(help="Write the Markdown report here.")] = None,
    rota: Annotated[Path | None, typer.Option(help="Use this published rota.json instead of solving.")] = None,
) -> None:
    """Solve the grid example once, then repair it after a two-day withdrawal, repeatedly."""
    load = os.getloadavg()[0]
    scenario = load_scenario(GRID)
    started = time.perf_counter()
    published = load_rota(rota) if rota is not None else solve(scenario, SolveSettings(time_limit=60)).rota
    solve_seconds = time.perf_counter() - started
    assert published is not None, "the grid example has a rota"
    rows = []
    for case in cases(scenario, published):
        runs = [run_case(scenario, published, case, time_limit) for _ in range(repeats)]
        for r in runs:
            typer.echo(f"{case.name} {case.people}: {r}")
        rows.append(_row(case, runs))
    source = f"`{rota}`" if rota is not None else f"`examples/grid.yaml` solved once ({solve_seconds:.1f} s)"
    text = report(rows, repeats, time_limit, source, published.objective, load)
    typer.echo(text)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    typer.run(main)
