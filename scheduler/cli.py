"""The `rota` command line: solve a scenario, check a rota, print the file formats' JSON Schema.

Exit codes of `rota solve`: 0 a rota meeting every hard rule; 2 invalid input (nothing written); 3 no rota can
meet the hard rules (explanation printed and written); 4 the time limit passed before any rota was found.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.live import Live
from rich.table import Table
from rich.text import Text

from scheduler import (
    MAX_FILE_MB,
    Explanation,
    InputError,
    Rota,
    Scenario,
    SolveStatus,
    StaffingSummary,
    check,
    load_rota,
    load_scenario,
)
from scheduler.domain.messages import Message, Param
from scheduler.reports.catalogue import Words, locale_language
from scheduler.reports.labels import Language, date_label

if TYPE_CHECKING:
    from scheduler import (
        GridEntry,
        GridRow,
        Progress,
        RepairResult,
        SolveResult,
        SolveSettings,
        Unavailability,
    )

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Volunteer shift scheduler and rota optimiser.")


class Exit(IntEnum):
    OK = 0
    VIOLATIONS = 1
    INVALID_INPUT = 2
    INFEASIBLE = 3
    NO_ROTA_IN_TIME = 4


def solve(
    scenario: Scenario, settings: SolveSettings, progress: Callable[[Progress], None] | None = None
) -> SolveResult:
    """The engine's solve, imported on the first solve: a refused file never waits for OR-Tools to load."""
    from scheduler import solve as engine_solve

    return engine_solve(scenario, settings, progress)


def _console() -> Console:
    return Console(highlight=False)


Lang = Annotated[
    str | None,
    typer.Option(
        "--lang", help="Language of what the command says and writes: zh or en (default: the locale's for the "
        "terminal, the scenario's `language` for print-outs).",
    ),
]


def _words(lang: str | None, console: Console, scenario: Scenario | None = None) -> Words:
    """The command's words: `--lang`, else the locale's language; exit 2 for any other language."""
    if lang is None:
        return Words(scenario, locale_language(os.environ))
    if lang not in ("zh", "en"):
        console.print(Text(Words(None, locale_language(os.environ))("cli.bad_lang", value=repr(lang))))
        raise typer.Exit(Exit.INVALID_INPUT)
    chosen: Language = "zh" if lang == "zh" else "en"
    return Words(scenario, chosen)


MaxFileMb = Annotated[
    float,
    typer.Option(
        "--max-file-mb", min=0.001,
        help="Refuse scenario files larger than this many MB (rota files: ten times as large).",
    ),
]


def _load_scenario_or_exit(path: Path, console: Console, max_mb: float = MAX_FILE_MB, words: Words | None = None
                           ) -> Scenario:
    try:
        return load_scenario(path, max_mb)
    except InputError as error:
        _print_input_error(error, console, words)
        raise typer.Exit(Exit.INVALID_INPUT) from None


def _print_input_error(error: InputError, console: Console, words: Words | None = None) -> None:
    words = words or Words(None, locale_language(os.environ))
    console.print(Text(words("cli.invalid_input", path=str(error.path)), style="bold red"))
    # English keeps the validator's own words; another language renders the problems' codes where they have one
    problems = error.problems if words.lang == "en" or not error.messages else map(words.render, error.messages)
    for problem in problems:
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
    lang: Lang = None,
    max_file_mb: MaxFileMb = MAX_FILE_MB,
) -> None:
    """Build the best rota for a scenario; write DIR/rota.json, DIR/calendars/<person>.ics and DIR/rota.html."""
    console = _console()
    words = _words(lang, console)
    scenario = _load_scenario_or_exit(scenario_file, console, max_file_mb, words)
    words = Words(scenario, words.lang)
    from scheduler import SolveSettings

    settings = SolveSettings(time_limit=time_limit, workers=workers, seed=seed)
    result = _solve_with_progress(scenario, settings, console, quiet, words)
    out.mkdir(parents=True, exist_ok=True)
    if result.rota is not None:
        (out / "rota.json").write_text(result.rota.model_dump_json(indent=2) + "\n", encoding="utf-8")
        if not quiet:
            print_rota(scenario, result.rota, console, words)
        _print_outcome(result, console, words)
        console.print(Text(words("cli.wrote", path=str(out / "rota.json"))))
        choice = OutputChoice(lang=lang or scenario.language, pdf=pdf, png=png)
        _write_outputs(scenario, result.rota, out, choice, console, words)
        raise typer.Exit(Exit.OK)
    if result.status is SolveStatus.INFEASIBLE:
        explanation = result.explanation or Explanation(summary=words("cli.no_rota"))
        (out / "explanation.json").write_text(explanation.model_dump_json(indent=2) + "\n", encoding="utf-8")
        print_explanation(explanation, console, words)
        console.print(Text(words("cli.wrote", path=str(out / "explanation.json"))))
        raise typer.Exit(Exit.INFEASIBLE)
    console.print(Text(words("cli.no_rota_in_time", seconds=f"{time_limit:g}"), style="bold yellow"))
    raise typer.Exit(Exit.NO_ROTA_IN_TIME)


def _solve_with_progress(
    scenario: Scenario, settings: SolveSettings, console: Console, quiet: bool, words: Words
) -> SolveResult:
    if quiet or not console.is_terminal:
        return solve(scenario, settings)
    started = time.perf_counter()
    looking = Text(words("cli.searching", seconds="0.0"))
    with Live(looking, console=console, refresh_per_second=4, transient=True) as live:

        def report(progress: Progress) -> None:
            # plain words first; the figures behind them come with the outcome
            live.update(Text(words("cli.improving", seconds=f"{time.perf_counter() - started:.1f}")))

        return solve(scenario, settings, report)


def _print_outcome(result: SolveResult, console: Console, words: Words) -> None:
    stats = result.stats
    first = f"{stats.first_solution_time:.2f}" if stats.first_solution_time is not None else "-"
    gap = f"{result.gap:.2%}" if result.gap is not None else "-"
    verdict = "cli.optimal" if result.status is SolveStatus.OPTIMAL else "cli.feasible"
    console.print(Text(words(verdict), style="bold green"))
    console.print(Text(words(
        "cli.figures", objective=f"{result.objective:g}", bound=f"{result.bound:g}", gap=gap, first_after=first,
        total=f"{stats.wall_time:.2f}",
    )))
    if result.staffing is not None:
        console.print(staffing_line(result.staffing, words))


def _hours(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def staffing_line(staffing: StaffingSummary, words: Words | None = None) -> str:
    """'91 shifts, 728 person-hours at the posts: the fewest possible.' and the like (English by default)."""
    words = words or Words(None, "en")
    fewest = staffing.fewest_person_hours
    figures: dict[str, Param] = {"shifts": staffing.shifts, "hours": _hours(staffing.person_hours)}
    if staffing.fewest_possible:
        return words("cli.staffing_fewest", **figures)
    if fewest is None:
        return words("cli.staffing_plain", **figures)
    code = "cli.staffing_more" if staffing.fewest_proven else "cli.staffing_bound"
    return words(code, **figures, fewest=_hours(fewest))


def _marks(scenario: Scenario, lang: Language) -> dict[str, str]:
    return {role.id: role.mark or role.name.text(lang)[:1] for role in scenario.roles}


def print_rota(scenario: Scenario, rota: Rota, console: Console, words: Words | None = None) -> None:
    """Per post and day who is on; hours per person; penalties."""
    from scheduler import week_grid

    words = words or Words(scenario, "en")
    marks = _marks(scenario, words.lang)
    dates = [scenario.start + dt.timedelta(days=offset) for offset in range(rota.days)]
    grid = week_grid(scenario, rota, words.lang, dates)
    for place in grid.places:
        table = Table(title=place.name, show_lines=True)
        table.add_column(words("cli.day"))
        for row in place.rows:
            table.add_column(row.label or words("cli.duty"))
        for column, date in enumerate(grid.dates):
            cells = [_cell_text(row, column, marks) for row in place.rows]
            table.add_row(date_label(date, words.lang), *cells)
        console.print(table)
    _print_people(scenario, rota, console, words)
    _print_penalties(rota, console, words)


def _cell_text(row: GridRow, column: int, marks: dict[str, str]) -> str:
    """Who is on, one per line; headed by the shift's real times when a clock change makes them differ."""
    lines = [row.times[column]] if row.times[column] else []
    lines += [_entry_text(e, marks) for e in sorted(row.cells[column], key=lambda e: e.index)]
    return "\n".join(lines)


def _entry_text(entry: GridEntry, marks: dict[str, str]) -> str:
    """'Alice(S) 12:00': the name, the role's mark and when each meal break starts."""
    text = f"{entry.name}({marks.get(entry.role, entry.role)})"
    if entry.breaks:
        text += " " + ",".join(b.start for b in entry.breaks)
    return text


def _print_people(scenario: Scenario, rota: Rota, console: Console, words: Words) -> None:
    from scheduler import person_loads

    loads = {load.person: load for load in person_loads(scenario, rota, words.lang)}
    roles = {role.id: role.name.text(words.lang) for role in scenario.roles}
    table = Table(title=words("cli.hours_per_person"))
    for column in ("cli.person", "cli.roles", "cli.shifts", "cli.hours"):
        table.add_column(words(column), justify="right" if column in ("cli.shifts", "cli.hours") else "left")
    for person in scenario.people:
        load = loads.get(person.id)
        shifts, minutes = (len(load.shifts), load.minutes) if load else (0, 0)
        names = ("、" if words.lang == "zh" else ", ").join(roles.get(role, role) for role in person.roles)
        table.add_row(person.name, names, str(shifts), _hours(minutes / 60))
    console.print(table)


def _print_penalties(rota: Rota, console: Console, words: Words, limit: int = 15) -> None:
    if not rota.penalties:
        console.print(words("cli.no_penalties"))
        return
    by_rule: dict[str, float] = defaultdict(float)
    for penalty in rota.penalties:
        by_rule[penalty.rule] += penalty.cost
    listed = ("，" if words.lang == "zh" else ", ").join(
        f"{words.rule(rule)} {cost:g}" for rule, cost in sorted(by_rule.items())
    )
    console.print(Text(words("cli.penalties_by_rule", list=listed)))
    table = Table(title=words("cli.largest_penalties", count=len(rota.penalties)))
    table.add_column(words("cli.rule"))
    table.add_column(words("cli.cause"))
    table.add_column(words("cli.cost"), justify="right")
    for penalty in sorted(rota.penalties, key=lambda p: -p.cost)[:limit]:
        table.add_row(words.rule(penalty.rule), Text(words.text(penalty)), f"{penalty.cost:g}")
    console.print(table)


def print_explanation(explanation: Explanation, console: Console, words: Words | None = None) -> None:
    """The explanation in the reader's language (its stored English for parts kept without a code)."""
    console.print(Text(explanation.summary_text(words), style="bold red"))
    for headline in explanation.headlines:
        console.print(Text(f"  ! {headline.text(words)}", style="bold"))
        for person in headline.people:
            console.print(Text(f"      {person.text(words)}"))
    for conflict in explanation.conflict_texts(words):
        console.print(Text(f"  • {conflict}"))
    for shortage in explanation.shortages:
        console.print(Text(f"  • {shortage.text(words)}"))
        for blocker in shortage.blockers:
            console.print(Text(f"      {blocker.name}: {'; '.join(blocker.reason_texts(words))}"))
    if explanation.suggestions:
        # The count's fixes are the fewest it proves necessary, not a smallest change proven sufficient.
        heading = "explain.fixes" if explanation.headlines else "cli.smallest_change"
        console.print((words or Words(None, "en"))(heading))
        for suggestion in explanation.suggestions:
            console.print(Text(f"  → {suggestion.text(words)}"))


@app.command("check")
def check_command(
    scenario_file: Annotated[Path, typer.Argument(help="Scenario, YAML or JSON.", show_default=False)],
    rota_file: Annotated[Path, typer.Argument(help="rota.json to check.", show_default=False)],
    lang: Lang = None,
    max_file_mb: MaxFileMb = MAX_FILE_MB,
) -> None:
    """Check a rota against a scenario's hard rules; exit 1 with the violations if any is broken."""
    console = _console()
    words = _words(lang, console)
    scenario = _load_scenario_or_exit(scenario_file, console, max_file_mb, words)
    words = Words(scenario, words.lang)
    try:
        rota = load_rota(rota_file, max_file_mb)
    except InputError as error:
        _print_input_error(error, console, words)
        raise typer.Exit(Exit.INVALID_INPUT) from None
    result = check(scenario, rota)
    if result.violations:
        console.print(Text(words("cli.broken", count=len(result.violations)), style="bold red"))
        for violation in result.violations:
            console.print(Text(f"  • [{words.rule(violation.rule)}] {words.text(violation)}"))
        raise typer.Exit(Exit.VIOLATIONS)
    console.print(Text(words("cli.all_hold", objective=f"{result.objective:g}"), style="bold green"))
    from scheduler import staffing_summary

    console.print(staffing_line(staffing_summary(scenario, rota), words))


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


def _write_outputs(
    scenario: Scenario, rota: Rota, out: Path, choice: OutputChoice, console: Console, words: Words
) -> None:
    if choice.lang not in ("zh", "en"):
        console.print(Text(words("cli.bad_lang", value=repr(choice.lang))))
        raise typer.Exit(Exit.INVALID_INPUT)
    from scheduler.reports.outputs import now, write_calendars, write_print

    moment = now()
    written = write_calendars(scenario, rota, out, moment) if choice.calendars else []
    if written:
        console.print(Text(words("cli.wrote_calendars", count=len(written), path=str(out / "calendars"))))
    if choice.html or choice.pdf or choice.png:
        for path in write_print(scenario, rota, out, moment, choice.lang, choice.pdf, choice.png):
            console.print(Text(words("cli.wrote", path=str(path))))


def _load_rota_or_exit(path: Path, console: Console, max_mb: float = MAX_FILE_MB, words: Words | None = None) -> Rota:
    try:
        return load_rota(path, max_mb)
    except InputError as error:
        _print_input_error(error, console, words)
        raise typer.Exit(Exit.INVALID_INPUT) from None


@app.command("print")
def print_command(
    rota_file: Annotated[Path, typer.Argument(help="rota.json to print.", show_default=False)],
    scenario_file: Annotated[Path, typer.Option("--scenario", help="The scenario the rota was made for.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for rota.html (and rota.pdf, PNGs).")] = Path("."),
    pdf: Annotated[bool, typer.Option("--pdf", help="Also write rota.pdf.")] = False,
    png: Annotated[bool, typer.Option("--png", help="Also write rota-<post>.png for phones.")] = False,
    lang: Lang = None,
    max_file_mb: MaxFileMb = MAX_FILE_MB,
) -> None:
    """Write the printable weekly rota of an existing rota.json: rota.html; with --pdf / --png the PDF and images."""
    console = _console()
    words = _words(lang, console)
    scenario = _load_scenario_or_exit(scenario_file, console, max_file_mb, words)
    rota = _load_rota_or_exit(rota_file, console, max_file_mb, words)
    choice = OutputChoice(lang=lang or scenario.language, pdf=pdf, png=png, calendars=False)
    _write_outputs(scenario, rota, out, choice, console, words)


@app.command("calendars")
def calendars_command(
    rota_file: Annotated[Path, typer.Argument(help="rota.json.", show_default=False)],
    scenario_file: Annotated[Path, typer.Option("--scenario", help="The scenario the rota was made for.")],
    out: Annotated[Path, typer.Option("--out", help="Folder; calendars go in OUT/calendars/.")] = Path("."),
    lang: Lang = None,
    max_file_mb: MaxFileMb = MAX_FILE_MB,
) -> None:
    """Write OUT/calendars/<person>.ics, one iCalendar file per person with shifts, from an existing rota.json."""
    console = _console()
    words = _words(lang, console)
    scenario = _load_scenario_or_exit(scenario_file, console, max_file_mb, words)
    rota = _load_rota_or_exit(rota_file, console, max_file_mb, words)
    _write_outputs(scenario, rota, out, OutputChoice(calendars=True, html=False), console, words)


# --------------------------------------------------------------------------- repair (issue 7)


def _repair_inputs(
    scenario: Scenario, unavailable: list[str], remove: list[str], now_text: str | None, console: Console,
    words: Words,
) -> tuple[list[Unavailability], dt.datetime]:
    """The --unavailable and --remove entries and --now, or exit 2 naming the option at fault."""
    from scheduler import Unavailability, parse_moment, parse_unavailability

    entries: list[Unavailability] = []
    option, text = "--now", now_text or ""
    try:
        moment = parse_moment(now_text, scenario.zone, end=False) if now_text else dt.datetime.now(scenario.zone)
        for option, text in [("--unavailable", t) for t in unavailable] + [("--remove", t) for t in remove]:
            if option == "--remove":
                entries.append(Unavailability(person=text, reason="removed"))
            else:
                entries.append(parse_unavailability(text, scenario.zone))
    except ValueError as error:  # pydantic's ValidationError is a ValueError too
        problem = words("cli.invalid_option", option=option, text=repr(text), error=str(error))
        console.print(Text(problem, style="bold red"))
        raise typer.Exit(Exit.INVALID_INPUT) from None
    return entries, moment


def print_changes(scenario: Scenario, result: RepairResult, console: Console, words: Words | None = None) -> None:
    """One row per gained, lost or retimed assignment, in time order."""
    words = words or Words(scenario, "en")
    names = {p.id: p.name for p in scenario.people}
    table = Table(title=words("cli.changes", count=result.change_count))
    for column in ("cli.when", "cli.where", "cli.role", "cli.who", "cli.change"):
        table.add_column(words(column))
    kinds = {"added": Text(words("cli.gains"), style="green"), "removed": Text(words("cli.loses"), style="red"),
             "retimed": Text(words("cli.break_moved"))}
    for change in result.changes.changes:
        local = change.start.astimezone(scenario.zone)
        when = f"{date_label(local.date(), words.lang)} {local:%H:%M}"
        place = change.post or change.duty or ""
        where = words.render(Message(code="cli.where_shift", params={"place": place, "where_shift": change.shift}))
        where = where.strip()
        table.add_row(when, Text(where), Text(words.role(change.role)), Text(names.get(change.person, change.person)),
                      kinds[change.kind.value])
    console.print(table)
    proof = words("cli.proven_minimal" if result.proven_minimal else "cli.not_proven_minimal")
    console.print(Text(words(
        "cli.repair_summary", count=result.change_count, weighted=result.weighted_changes, proof=proof,
        retimed=result.retimed_breaks, objective=f"{result.objective:g}", total=f"{result.stats.wall_time:.2f}",
    )))


@app.command("repair")
def repair_command(
    scenario_file: Annotated[Path, typer.Argument(help="Scenario, YAML or JSON.", show_default=False)],
    rota_file: Annotated[Path, typer.Argument(help="The published rota.json.", show_default=False)],
    out: Annotated[Path, typer.Option("--out", help="Folder for rota.json, changes.json, scenario.json.")],
    unavailable: Annotated[
        list[str] | None,
        typer.Option("--unavailable", help="PERSON:FROM/TO, dates or date-times in the scenario's zone (repeatable)."),
    ] = None,
    remove: Annotated[list[str] | None, typer.Option("--remove", help="PERSON off the rota from now on.")] = None,
    now_text: Annotated[
        str | None, typer.Option("--now", help="Assignments starting before this stay (default: the current time).")
    ] = None,
    time_limit: Annotated[float, typer.Option(min=0.1, help="Seconds to search.")] = 30.0,
    workers: Annotated[int | None, typer.Option(min=1, help="Search threads.")] = None,
    lang: Lang = None,
    max_file_mb: MaxFileMb = MAX_FILE_MB,
) -> None:
    """Repair a published rota after drop-outs with the fewest changes; write DIR/rota.json and DIR/changes.json.

    Exit codes as `rota solve`: 0 repaired; 2 invalid input (the option or field named); 3 no repair exists
    (explanation printed and written); 4 the time limit passed before any repair was found.
    """
    console = _console()
    words = _words(lang, console)
    scenario = _load_scenario_or_exit(scenario_file, console, max_file_mb, words)
    words = Words(scenario, words.lang)
    published = _load_rota_or_exit(rota_file, console, max_file_mb, words)
    entries, moment = _repair_inputs(scenario, unavailable or [], remove or [], now_text, console, words)
    from scheduler import RepairInputError, RepairSettings, repair
    from scheduler.solve.repair import ChangeReport

    try:
        result = repair(scenario, published, entries, RepairSettings(time_limit=time_limit, workers=workers), moment)
    except RepairInputError as error:
        console.print(Text(words("cli.invalid"), style="bold red"))
        for problem in error.problems:
            console.print(Text(f"  {problem}"))
        raise typer.Exit(Exit.INVALID_INPUT) from None
    out.mkdir(parents=True, exist_ok=True)
    if result.rota is None:
        _repair_failed(result, out, console, time_limit, words)
    (out / "rota.json").write_text(result.rota.model_dump_json(indent=2) + "\n", encoding="utf-8")
    report = ChangeReport.of(result, entries, moment)
    (out / "changes.json").write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
    (out / "scenario.json").write_text(result.scenario.model_dump_json(indent=2, by_alias=True) + "\n",
                                       encoding="utf-8")
    print_changes(scenario, result, console, words)
    for name in ("rota.json", "changes.json", "scenario.json"):
        console.print(Text(words("cli.wrote", path=str(out / name))))


def _repair_failed(result: RepairResult, out: Path, console: Console, time_limit: float, words: Words) -> NoReturn:
    if result.status is SolveStatus.INFEASIBLE:
        explanation = result.explanation or Explanation(summary=words("cli.no_repair"))
        (out / "explanation.json").write_text(explanation.model_dump_json(indent=2) + "\n", encoding="utf-8")
        print_explanation(explanation, console, words)
        console.print(Text(words("cli.wrote", path=str(out / "explanation.json"))))
        raise typer.Exit(Exit.INFEASIBLE)
    console.print(Text(words("cli.no_repair_in_time", seconds=f"{time_limit:g}"), style="bold yellow"))
    raise typer.Exit(Exit.NO_ROTA_IN_TIME)
