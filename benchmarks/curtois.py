"""The Curtois & Qu shift scheduling benchmark (Instance1 … Instance24): importer and runner.

The instances live outside the repository, in `shared/benchmarks/curtois-qu-shift-scheduling/` beside it; its
SOURCE.md describes the `.txt` format, the rules and the best known values. The importer reads an instance into
the project's own `Scenario`, so the engine solves it exactly as it solves a community's rota:

* one post `ward` whose shift templates are the shift types (all start at 00:00, `night: false`), one role;
* the period starts on Monday 2024-01-01 (day 0 is a Monday) in UTC, so no DST change can move a shift;
* staff become people with limits (total minutes, consecutive days and days off, weekends, no minimum rest) and
  per-shift maximums (0 = cannot work it); CannotFollow becomes successions; days off become absences; shift on
  and off requests become weighted preferences;
* cover becomes shift coverage rules with min = max = requirement and the under/over weights as costs: one rule per
  (shift, requirement, weights), on the weekdays it holds for when it holds on every such date, else on its dates;
* fairness weights are 0 and the preference weight 1, so the objective is exactly the benchmark's.

How SOURCE.md's rules map onto docs/rules.md: at most one shift a day follows from no-overlap (every shift starts
at 00:00 and lasts at most 24 h); minimum runs touching either end of the horizon are exempt in both (there is no
history); a weekend is Saturday and Sunday of one week in both.

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
import csv
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

from scheduler import (
    Absence,
    Assignment,
    CoverageRule,
    Penalty,
    Person,
    PersonLimits,
    Post,
    Preference,
    PreferenceKind,
    Progress,
    Role,
    Rota,
    Scenario,
    ShiftCountLimit,
    ShiftTemplate,
    SolveSettings,
    SolveStatus,
    Succession,
    Weekday,
    check,
    solve,
)
from scheduler.model.build import build_model
from scheduler.model.constraints import OBJECTIVE_SCALE
from scheduler.solve import relaxation

BENCHMARK_DIR = Path(__file__).resolve().parents[2] / "shared/benchmarks/curtois-qu-shift-scheduling"
"""Where the instances are: `shared/` beside the repository."""

START = dt.date(2024, 1, 1)
"""Day 0 of every instance: a Monday."""
TIMEZONE = "UTC"
POST = "ward"
ROLE = "nurse"

SECTIONS = (
    "SECTION_HORIZON",
    "SECTION_SHIFTS",
    "SECTION_STAFF",
    "SECTION_DAYS_OFF",
    "SECTION_SHIFT_ON_REQUESTS",
    "SECTION_SHIFT_OFF_REQUESTS",
    "SECTION_COVER",
)

BEST_KNOWN: dict[str, int] = {
    # Best known objective values (upper bounds), the "best known UB" column of SOURCE.md's table
    # (from wssuite/NurseScheduler benchmark/nrp.yml; 1–4 are proven optimal, the others claimed).
    "Instance1": 607, "Instance2": 828, "Instance3": 1001, "Instance4": 1716, "Instance5": 1143,
    "Instance6": 1950, "Instance7": 1056, "Instance8": 1300, "Instance9": 439, "Instance10": 4631,
    "Instance11": 3443, "Instance12": 4040, "Instance13": 1348, "Instance14": 1278, "Instance15": 3829,
    "Instance16": 3225, "Instance17": 5746, "Instance18": 4459, "Instance19": 3149, "Instance20": 4769,
    "Instance21": 21133, "Instance22": 30241, "Instance23": 17428, "Instance24": 42463,
}  # fmt: skip


class FormatError(ValueError):
    """An instance file that does not follow the format of SOURCE.md."""


# --------------------------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Row:
    """One data line: its 1-based line number and its comma-separated fields."""

    line: int
    fields: list[str]

    def need(self, count: int) -> None:
        if len(self.fields) < count:
            raise FormatError(f"line {self.line}: expected {count} fields, got {len(self.fields)}")

    def int(self, index: int) -> int:
        try:
            return int(self.fields[index])
        except (IndexError, ValueError):
            raise FormatError(f"line {self.line}: field {index + 1} is not an integer") from None


def read_sections(text: str) -> dict[str, list[Row]]:
    """The data rows of each section; `\\r`, comments and blank lines are skipped."""
    sections: dict[str, list[Row]] = {}
    current: list[Row] | None = None
    for number, raw in enumerate(text.replace("\r", "").split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            if line not in SECTIONS:
                raise FormatError(f"line {number}: unknown section {line}")
            current = sections.setdefault(line, [])
        elif current is None:
            raise FormatError(f"line {number}: data before the first section")
        else:
            current.append(Row(number, line.split(",")))
    missing = [name for name in ("SECTION_HORIZON", "SECTION_SHIFTS", "SECTION_STAFF") if name not in sections]
    if missing:
        raise FormatError(f"missing section(s): {', '.join(missing)}")
    return sections


def day_date(day: int) -> dt.date:
    return START + dt.timedelta(days=day)


def _horizon(rows: list[Row]) -> int:
    if len(rows) != 1:
        raise FormatError("SECTION_HORIZON must hold exactly one line")
    return rows[0].int(0)


def _split(field: str) -> list[str]:
    """A `|`-separated list; empty for an empty field."""
    return [item for item in field.split("|") if item]


def _shift_types(rows: list[Row]) -> tuple[list[ShiftTemplate], list[Succession]]:
    """Shift templates (all at 00:00), and the successions CannotFollow forbids."""
    templates: list[ShiftTemplate] = []
    successions: list[Succession] = []
    for row in rows:
        row.need(2)
        shift_id = row.fields[0]
        templates.append(
            ShiftTemplate.model_validate({"id": shift_id, "start": "00:00", "hours": row.int(1) / 60, "night": False})
        )
        for follower in _split(row.fields[2] if len(row.fields) > 2 else ""):
            successions.append(Succession.model_validate({"from": shift_id, "to": follower}))
    return templates, successions


def _max_shifts(row: Row) -> list[ShiftCountLimit]:
    limits = []
    for item in _split(row.fields[1]):
        shift, _, count = item.partition("=")
        try:
            limits.append(ShiftCountLimit(shift=shift, max=int(count)))
        except ValueError:
            raise FormatError(f"line {row.line}: bad MaxShifts entry {item!r}") from None
    return limits


def _limits(row: Row) -> PersonLimits:
    return PersonLimits(
        max_hours_total=row.int(2) / 60,
        min_hours_total=row.int(3) / 60,
        max_consecutive_days=row.int(4),
        min_consecutive_days=row.int(5),
        min_consecutive_days_off=row.int(6),
        max_weekends=row.int(7),
        min_rest_hours=0,
    )


def _absences(days: Iterable[int]) -> list[Absence]:
    """Whole-day absences, consecutive days joined into one."""
    absences: list[Absence] = []
    runs: list[list[int]] = []
    for day in sorted(set(days)):
        if runs and runs[-1][1] == day - 1:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    for first, last in runs:
        absences.append(Absence(date=day_date(first), until=day_date(last) if last > first else None))
    return absences


def _days_off(rows: list[Row]) -> dict[str, list[int]]:
    days: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        row.need(1)
        days[row.fields[0]] += [row.int(i) for i in range(1, len(row.fields)) if row.fields[i]]
    return days


def _requests(rows: list[Row], kind: PreferenceKind) -> dict[str, list[Preference]]:
    """Shift on (wants) or off (avoids) requests, by employee."""
    wishes: dict[str, list[Preference]] = defaultdict(list)
    for row in rows:
        row.need(4)
        wishes[row.fields[0]].append(
            Preference(kind=kind, date=day_date(row.int(1)), shift=row.fields[2], weight=row.int(3))
        )
    return wishes


def _coverage(rows: list[Row], horizon: int) -> list[CoverageRule]:
    """One shift rule per (shift, requirement, weights): on its weekdays when it holds on all of their dates."""
    groups: dict[tuple[str, int, int, int], list[int]] = defaultdict(list)
    for row in rows:
        row.need(5)
        groups[(row.fields[1], row.int(2), row.int(3), row.int(4))].append(row.int(0))
    rules = []
    for (shift, requirement, under, over), days in groups.items():
        weekdays = sorted({day % 7 for day in days})
        every = {day for day in range(horizon) if day % 7 in weekdays}
        data: dict[str, object] = {
            "id": f"cover-{shift}-{requirement}", "post": POST, "shift": shift,
            "min": requirement, "max": requirement, "min_cost": under, "max_cost": over,
        }
        if every == set(days):
            data["days"] = [Weekday.from_index(weekday) for weekday in weekdays]
        else:
            data["dates"] = [day_date(day) for day in sorted(days)]
        rules.append(CoverageRule.model_validate(data))
    return rules


def parse_scenario(text: str, name: str = "Curtois & Qu instance") -> Scenario:
    """Read the text of an `InstanceN.txt` file into a scenario."""
    sections = read_sections(text)
    horizon = _horizon(sections["SECTION_HORIZON"])
    templates, successions = _shift_types(sections["SECTION_SHIFTS"])
    days_off = _days_off(sections.get("SECTION_DAYS_OFF", []))
    wishes = _requests(sections.get("SECTION_SHIFT_ON_REQUESTS", []), PreferenceKind.WANTS)
    for employee, avoided in _requests(sections.get("SECTION_SHIFT_OFF_REQUESTS", []), PreferenceKind.AVOIDS).items():
        wishes[employee] += avoided
    people = []
    for row in sections["SECTION_STAFF"]:
        row.need(8)
        employee = row.fields[0]
        people.append(
            Person(
                id=employee, name=employee, roles=[ROLE], limits=_limits(row), shift_limits=_max_shifts(row),
                absences=_absences(days_off.get(employee, [])), preferences=wishes.get(employee, []),
            )
        )
    unknown = (set(days_off) | set(wishes)) - {person.id for person in people}
    if unknown:
        raise FormatError(f"unknown employee(s) in days off or requests: {', '.join(sorted(unknown))}")
    return Scenario.model_validate(
        {
            "community": name, "timezone": TIMEZONE, "start": START, "days": horizon,
            "roles": [Role.model_validate({"id": ROLE, "name": "Nurse"})],
            "posts": [Post.model_validate({"id": POST, "name": "Ward", "shifts": templates})],
            "people": people, "successions": successions,
            "coverage": _coverage(sections.get("SECTION_COVER", []), horizon),
            "weights": {"fairness_hours": 0, "fairness_nights": 0, "fairness_weekends": 0, "preferences": 1},
        }
    )


def load(path: Path) -> Scenario:
    """Read an `InstanceN.txt` file; the scenario's community is the file's stem."""
    try:
        return parse_scenario(path.read_text(encoding="utf-8"), path.stem)
    except FormatError as error:
        raise FormatError(f"{path}: {error}") from None


# ------------------------------------------------------------------------------------------ solutions

CSV_HEADER = ("employee", "day", "shift")


def write_csv(rota: Rota, path: Path) -> None:
    """One row per worked employee-day: `employee,day,shift` with 0-based days."""
    rows = sorted((a.person, (a.date - rota.start).days, a.shift or "") for a in rota.assignments)
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        writer.writerows(rows)


def read_csv(path: Path, scenario: Scenario) -> Rota:
    """A solution file as a rota of the scenario (shift times computed from the shift types)."""
    minutes = {template.id: template.minutes for post in scenario.posts for template in post.shifts}
    assignments = []
    with path.open(newline="", encoding="utf-8") as file:
        reader = csv.reader(file)
        if tuple(next(reader, ())) != CSV_HEADER:
            raise FormatError(f"{path}: the header must be {','.join(CSV_HEADER)}")
        for number, (employee, day, shift) in enumerate(reader, start=2):
            if shift not in minutes:
                raise FormatError(f"{path}: line {number}: unknown shift {shift!r}")
            date = scenario.start + dt.timedelta(days=int(day))
            start = dt.datetime.combine(date, dt.time(0), dt.UTC)
            assignments.append(
                Assignment(
                    person=employee, post=POST, shift=shift, role=ROLE, date=date, start=start,
                    end=start + dt.timedelta(minutes=minutes[shift]),
                )
            )
    return Rota(
        community=scenario.community, start=scenario.start, days=scenario.days, timezone=scenario.timezone,
        status=SolveStatus.FEASIBLE, objective=None, bound=None, assignments=assignments,
    )


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
