"""The Curtois & Qu instance format (Instance1 … Instance24): an instance read into a `Scenario`, and the CSV
solution files.

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
* fairness and staffing weights are 0 and the preference weight 1, so the objective is exactly the benchmark's.

How SOURCE.md's rules map onto docs/rules.md: at most one shift a day follows from no-overlap (every shift starts
at 00:00 and lasts at most 24 h); minimum runs touching either end of the horizon are exempt in both (there is no
history); a weekend is Saturday and Sunday of one week in both.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from scheduler import (
    Absence,
    Assignment,
    CoverageRule,
    Person,
    PersonLimits,
    Post,
    Preference,
    PreferenceKind,
    Role,
    Rota,
    Scenario,
    ShiftCountLimit,
    ShiftTemplate,
    SolveStatus,
    Succession,
    Weekday,
)

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
            "weights": {
                "fairness_hours": 0, "fairness_nights": 0, "fairness_weekends": 0, "staffing": 0, "preferences": 1,
            },
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


