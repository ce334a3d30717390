"""The `rota` command line: solve a scenario, check a rota, print the file formats' JSON Schema.

Exit codes of `rota solve`: 0 a rota meeting every hard rule; 2 invalid input (nothing written); 3 no rota can
meet the hard rules (explanation printed and written); 4 the time limit passed before any rota was found.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.live import Live
from rich.table import Table
from rich.text import Text

from scheduler.io import InputError, load_rota, load_scenario
from scheduler.models import Explanation, Rota, Scenario, SolveStatus
from scheduler.outputs import now, write_calendars, write_print
from scheduler.solve import Progress, SolveResult, SolveSettings, solve
from scheduler.validate import check

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Volunteer shift scheduler and rota optimiser.")


class Exit(IntEnum):
    OK = 0
    VIOLATIONS = 1
    INVALID_INPUT = 2
    INFEASIBLE = 3
    NO_ROTA_IN_TIME = 4


def _console() -> Console:
    return Console(highlight=False)


def _load_scenario_or_exit(path: Path, console: Console) -> Scenario:
    try:
        return load_scenario(path)
    except InputError as error:
        _print_input_error(error, console)
        raise typer.Exit(Exit.INVALID_INPUT) from None


def _print_input_error(error: InputError, console: Console) -> None:
    console.print(Text.assemble(("Invalid input", "bold red"), f" in {error.path}:"))
    for problem in error.problems:
        console.print(Text(f"  {problem}"))


@app.command("solve")
def solve_command(
    scenario_file: Annotated[Path, typer.Argument(help="Scenario, YAML or JSON.", show_default=False)],
    out: Annotated[Path, typer.Option("--out", help="Folder for rota.json (or explanation.json).")],
    time_limit: Annotated[float, typer.Option(min=0.1, help="Seconds to search.")] = 30.0,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Search threads (default: 8 for small models, one per core for large).")
    ] = None,
    seed: Annotated[int, typer.Option(min=0, help="Random seed (reproducible with --workers 1).")] = 0,
    quiet: Annotated[bool, typer.Option(help="Print only the outcome.")] = False,
    pdf: Annotated[bool, typer.Option("--pdf", help="Also write DIR/rota.pdf.")] = False,
    png: Annotated[bool, typer.Option("--png", help="Also write DIR/rota-<post>.png for phones.")] = False,
    lang: Annotated[str, typer.Option(help="Language of the print view: zh or en.")] = "zh",
) -> None:
    """Build the best rota for a scenario; write DIR/rota.json, DIR/calendars/<person>.ics and DIR/rota.html."""
    console = _console()
    scenario = _load_scenario_or_exit(scenario_file, console)
    settings = SolveSettings(time_limit=time_limit, workers=workers, seed=seed)
    result = _solve_with_progress(scenario, settings, console, quiet)
    out.mkdir(parents=True, exist_ok=True)
    if result.rota is not None:
        (out / "rota.json").write_text(result.rota.model_dump_json(indent=2) + "\n", encoding="utf-8")
        if not quiet:
            print_rota(scenario, result.rota, console)
        _print_outcome(result, console)
        console.print(Text(f"Wrote {out / 'rota.json'}"))
        _write_outputs(scenario, result.rota, out, OutputChoice(lang=lang, pdf=pdf, png=png), console)
        raise typer.Exit(Exit.OK)
    if result.status is SolveStatus.INFEASIBLE:
        explanation = result.explanation or Explanation(summary="No rota meets every hard rule.")
        (out / "explanation.json").write_text(explanation.model_dump_json(indent=2) + "\n", encoding="utf-8")
        print_explanation(explanation, console)
        console.print(Text(f"Wrote {out / 'explanation.json'}"))
        raise typer.Exit(Exit.INFEASIBLE)
    console.print(
        f"[bold yellow]No rota found within {time_limit:g} s.[/] The rules may still allow one: "
        "try a longer --time-limit."
    )
    raise typer.Exit(Exit.NO_ROTA_IN_TIME)


def _solve_with_progress(scenario: Scenario, settings: SolveSettings, console: Console, quiet: bool) -> SolveResult:
    if quiet or not console.is_terminal:
        return solve(scenario, settings)
    started = time.perf_counter()
    with Live(Text("Searching…"), console=console, refresh_per_second=4, transient=True) as live:

        def report(progress: Progress) -> None:
            gap = (progress.objective - progress.bound) / max(1.0, abs(progress.objective))
            live.update(
                Text(
                    f"Searching… {time.perf_counter() - started:5.1f} s  best {progress.objective:g}  "
                    f"bound {progress.bound:g}  gap {gap:.1%}"
                )
            )

        return solve(scenario, settings, report)


def _print_outcome(result: SolveResult, console: Console) -> None:
    stats = result.stats
    first = f"{stats.first_solution_time:.2f} s" if stats.first_solution_time is not None else "-"
    gap = f"{result.gap:.2%}" if result.gap is not None else "-"
    console.print(
        f"[bold green]{result.status.value.capitalize()} rota[/]: objective {result.objective:g}, "
        f"bound {result.bound:g}, gap {gap}; first rota after {first}, {stats.wall_time:.2f} s in all."
    )


def _marks(scenario: Scenario) -> dict[str, str]:
    return {role.id: role.mark or role.name.en[:1] for role in scenario.roles}


def print_rota(scenario: Scenario, rota: Rota, console: Console) -> None:
    """Per post and day who is on; hours per person; penalties."""
    names = {p.id: p.name for p in scenario.people}
    marks = _marks(scenario)
    zone = scenario.zone
    cells: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for a in rota.assignments:
        label = a.shift or "duty"
        entry = f"{names.get(a.person, a.person)}({marks.get(a.role, a.role)})"
        if a.breaks:
            entry += " " + ",".join(b.start.astimezone(zone).strftime("%H:%M") for b in a.breaks)
        cells[(a.place, a.date.isoformat(), label)].append(entry)
    places = [(p.id, p.name.en, [s.id for s in p.shifts]) for p in scenario.posts]
    places += [(d.id, d.name.en, ["duty"]) for d in scenario.team_duties]
    for place, title, columns in places:
        table = Table(title=f"{title} ({place})", show_lines=True)
        table.add_column("Day")
        for column in columns:
            table.add_column(column)
        for offset in range(rota.days):
            date = scenario.start.fromordinal(scenario.start.toordinal() + offset)
            row = [date.strftime("%a %m-%d")]
            row += ["\n".join(cells.get((place, date.isoformat(), c), [])) for c in columns]
            table.add_row(*row)
        console.print(table)
    _print_people(scenario, rota, console)
    _print_penalties(rota, console)


def _print_people(scenario: Scenario, rota: Rota, console: Console) -> None:
    minutes: dict[str, int] = defaultdict(int)
    shifts: dict[str, int] = defaultdict(int)
    for a in rota.assignments:
        minutes[a.person] += int((a.end - a.start).total_seconds() // 60)
        shifts[a.person] += 1
    table = Table(title="Hours per person")
    for column in ("Person", "Roles", "Shifts", "Hours"):
        table.add_column(column, justify="right" if column in ("Shifts", "Hours") else "left")
    for person in scenario.people:
        table.add_row(person.name, ",".join(person.roles), str(shifts[person.id]), f"{minutes[person.id] / 60:g}")
    console.print(table)


def _print_penalties(rota: Rota, console: Console, limit: int = 15) -> None:
    if not rota.penalties:
        console.print("No soft penalties: every wish and fairness goal is met.")
        return
    by_rule: dict[str, float] = defaultdict(float)
    for penalty in rota.penalties:
        by_rule[penalty.rule] += penalty.cost
    console.print("Penalties by rule: " + ", ".join(f"{rule} {cost:g}" for rule, cost in sorted(by_rule.items())))
    table = Table(title=f"Largest penalties (of {len(rota.penalties)})")
    table.add_column("Rule")
    table.add_column("Cause")
    table.add_column("Cost", justify="right")
    for penalty in sorted(rota.penalties, key=lambda p: -p.cost)[:limit]:
        table.add_row(penalty.rule, penalty.cause, f"{penalty.cost:g}")
    console.print(table)


def print_explanation(explanation: Explanation, console: Console) -> None:
    console.print(Text(explanation.summary, style="bold red"))
    for conflict in explanation.conflicts:
        console.print(Text(f"  • {conflict}"))
    for shortage in explanation.shortages:
        console.print(Text(f"  • {shortage.message}"))
        for blocker in shortage.blockers:
            console.print(Text(f"      {blocker.name}: {'; '.join(blocker.reasons)}"))
    if explanation.suggestions:
        console.print("Smallest change that would make a rota possible:")
        for suggestion in explanation.suggestions:
            console.print(Text(f"  → {suggestion.message}"))


@app.command("check")
def check_command(
    scenario_file: Annotated[Path, typer.Argument(help="Scenario, YAML or JSON.", show_default=False)],
    rota_file: Annotated[Path, typer.Argument(help="rota.json to check.", show_default=False)],
) -> None:
    """Check a rota against a scenario's hard rules; exit 1 with the violations if any is broken."""
    console = _console()
    scenario = _load_scenario_or_exit(scenario_file, console)
    try:
        rota = load_rota(rota_file)
    except InputError as error:
        _print_input_error(error, console)
        raise typer.Exit(Exit.INVALID_INPUT) from None
    result = check(scenario, rota)
    if result.violations:
        console.print(f"[bold red]{len(result.violations)} hard rule(s) broken:[/]")
        for violation in result.violations:
            console.print(Text(f"  • [{violation.rule}] {violation.message}"))
        raise typer.Exit(Exit.VIOLATIONS)
    console.print(f"[bold green]Every hard rule holds.[/] Objective {result.objective:g}.")


@app.command("schema")
def schema_command(
    which: Annotated[str, typer.Argument(help="'scenario' or 'rota'.")] = "scenario",
) -> None:
    """Print the JSON Schema of the scenario file or of rota.json."""
    if which not in ("scenario", "rota"):
        typer.echo(f"unknown schema {which!r}: choose 'scenario' or 'rota'", err=True)
        raise typer.Exit(Exit.INVALID_INPUT)
    schema = Scenario.model_json_schema(by_alias=True) if which == "scenario" else Rota.model_json_schema()
    typer.echo(json.dumps(schema, indent=2, ensure_ascii=False))


# --------------------------------------------------------------------------- calendars and print view


@dataclass(frozen=True)
class OutputChoice:
    """Which print outputs to write beside the calendars."""

    lang: str = "zh"
    pdf: bool = False
    png: bool = False
    calendars: bool = True
    html: bool = True


def _write_outputs(scenario: Scenario, rota: Rota, out: Path, choice: OutputChoice, console: Console) -> None:
    if choice.lang not in ("zh", "en"):
        console.print(Text(f"--lang must be zh or en, not {choice.lang!r}"))
        raise typer.Exit(Exit.INVALID_INPUT)
    moment = now()
    written = write_calendars(scenario, rota, out, moment) if choice.calendars else []
    if written:
        console.print(Text(f"Wrote {len(written)} calendars in {out / 'calendars'}"))
    if choice.html or choice.pdf or choice.png:
        for path in write_print(scenario, rota, out, moment, choice.lang, choice.pdf, choice.png):
            console.print(Text(f"Wrote {path}"))


def _load_rota_or_exit(path: Path, console: Console) -> Rota:
    try:
        return load_rota(path)
    except InputError as error:
        _print_input_error(error, console)
        raise typer.Exit(Exit.INVALID_INPUT) from None


@app.command("print")
def print_command(
    rota_file: Annotated[Path, typer.Argument(help="rota.json to print.", show_default=False)],
    scenario_file: Annotated[Path, typer.Option("--scenario", help="The scenario the rota was made for.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for rota.html (and rota.pdf, PNGs).")] = Path("."),
    pdf: Annotated[bool, typer.Option("--pdf", help="Also write rota.pdf.")] = False,
    png: Annotated[bool, typer.Option("--png", help="Also write rota-<post>.png for phones.")] = False,
    lang: Annotated[str, typer.Option(help="Language: zh or en.")] = "zh",
) -> None:
    """Write the printable weekly rota of an existing rota.json: rota.html; with --pdf / --png the PDF and images."""
    console = _console()
    scenario = _load_scenario_or_exit(scenario_file, console)
    rota = _load_rota_or_exit(rota_file, console)
    _write_outputs(scenario, rota, out, OutputChoice(lang=lang, pdf=pdf, png=png, calendars=False), console)


@app.command("calendars")
def calendars_command(
    rota_file: Annotated[Path, typer.Argument(help="rota.json.", show_default=False)],
    scenario_file: Annotated[Path, typer.Option("--scenario", help="The scenario the rota was made for.")],
    out: Annotated[Path, typer.Option("--out", help="Folder; calendars go in OUT/calendars/.")] = Path("."),
) -> None:
    """Write OUT/calendars/<person>.ics, one iCalendar file per person with shifts, from an existing rota.json."""
    console = _console()
    scenario = _load_scenario_or_exit(scenario_file, console)
    rota = _load_rota_or_exit(rota_file, console)
    _write_outputs(scenario, rota, out, OutputChoice(calendars=True, html=False), console)
