"""The week grid every reader of a rota sees: a column per day, per post a row per shift, per team duty one row.

The CLI's tables, the print-out's pages and the web app's rota page are all laid out from this one grid; each adds
only its own presentation (the print-out its contact marks and week pages, the web app its links).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from scheduler.domain.community import Role
from scheduler.domain.rota import Assignment, Rota
from scheduler.domain.scenario import Scenario
from scheduler.model.timeline import shift_slots
from scheduler.reports.labels import Language, break_name, clock, language_of, role_name, shift_times, slot_labels


@dataclass(frozen=True)
class MealBreak:
    """A meal break in the scenario's local time."""

    start: str
    """'11:45'."""
    end: str
    """'12:30'."""
    name: str
    """The meal window's name it lies in ('午饭', 'Lunch'), else the generic word ('Meal break')."""

    @property
    def times(self) -> str:
        """'11:45–12:30'."""
        return f"{self.start}–{self.end}"

    @property
    def label(self) -> str:
        """'午饭 11:45–12:30'."""
        return f"{self.name} {self.times}"


@dataclass(frozen=True)
class GridEntry:
    """One person on one shift (or team duty) on one day."""

    person: str
    """Person id."""
    name: str
    """The person's name, or the id of someone the scenario does not know."""
    role: str
    """Role id."""
    role_name: str
    """The role's name, or its id when the scenario does not know it."""
    mark: str
    """The role's short mark ('安'); '' when it has none or is unknown."""
    breaks: tuple[MealBreak, ...]
    pinned: bool
    start: dt.datetime
    end: dt.datetime
    index: int
    """Position of the assignment in `rota.assignments` (for a reader keeping the rota's own order)."""


@dataclass(frozen=True)
class GridRow:
    """One shift template (or a team duty) across the days."""

    place: str
    """Post or duty id."""
    shift: str
    """Shift id, '' for a team duty: with a column's date they name the shift instance."""
    label: str
    """The shift's name, or its times when it has none; a duty's name."""
    hours: str
    """'08:00–16:00', the template's nominal times."""
    cells: tuple[tuple[GridEntry, ...], ...]
    """Per date, who is on: by start, then name."""
    times: tuple[str, ...] = ()
    """Per date, that day's instance's real local times where they differ from `hours` (a clock change: the
    23:00–07:00 night is 23:00–08:00 when the clocks go back), else ''."""


@dataclass(frozen=True)
class PlaceGrid:
    """A post or team duty and its rows."""

    id: str
    name: str
    location: str | None
    """The place's own location, if the scenario gives one."""
    duty: bool
    rows: tuple[GridRow, ...]


@dataclass(frozen=True)
class WeekGrid:
    dates: tuple[dt.date, ...]
    """The columns."""
    places: tuple[PlaceGrid, ...]
    """Every post in the scenario's order, then every team duty."""


def week_grid(scenario: Scenario, rota: Rota, lang: str, dates: Sequence[dt.date] | None = None) -> WeekGrid:
    """The rota as a grid: `dates` as columns (default: the scenario's period), `lang` 'zh' or 'en' (or a locale).

    Assignments on other dates, or on a shift the scenario does not have, are left out.
    """
    language = language_of(lang)
    days = tuple(dates) if dates is not None else tuple(
        scenario.start + dt.timedelta(days=i) for i in range(scenario.days)
    )
    column = {day: i for i, day in enumerate(days)}
    names = {p.id: p.name for p in scenario.people}
    roles = {r.id: r for r in scenario.roles}
    cells: dict[tuple[str, str], list[list[GridEntry]]] = defaultdict(lambda: [[] for _ in days])

    def order(item: tuple[int, Assignment]) -> tuple[dt.datetime, str]:
        return item[1].start, names.get(item[1].person, item[1].person)

    for index, a in sorted(enumerate(rota.assignments), key=order):
        if a.date in column:
            entry = _entry(scenario, a, index, names.get(a.person, a.person), roles, language)
            cells[(a.place, a.shift or "")][column[a.date]].append(entry)
    labels = slot_labels(scenario, language)
    zone = scenario.zone
    real = {
        (s.place, s.shift or "", s.date): shift_times(s.start, s.end, zone)
        for s in shift_slots(scenario) if s.date in column
    }

    def row(place: str, shift: str) -> GridRow:
        label, hours = labels[(place, shift or None)]
        found = cells.get((place, shift))
        times = tuple("" if (t := real.get((place, shift, day), hours)) == hours else t for day in days)
        return GridRow(
            place, shift, label, hours, tuple(tuple(c) for c in found) if found else ((),) * len(days), times
        )

    grids = [
        PlaceGrid(p.id, p.name.text(language), p.location, False, tuple(row(p.id, s.id) for s in p.shifts))
        for p in scenario.posts
    ]
    grids += [
        PlaceGrid(d.id, d.name.text(language), d.location, True, (row(d.id, ""),)) for d in scenario.team_duties
    ]
    return WeekGrid(days, tuple(grids))


def _entry(scenario: Scenario, a: Assignment, index: int, name: str, roles: dict[str, Role], lang: Language
           ) -> GridEntry:
    role = roles.get(a.role)
    zone = scenario.zone
    breaks = tuple(
        MealBreak(clock(b.start, zone), clock(b.end, zone), break_name(scenario, a.place, b, lang)) for b in a.breaks
    )
    return GridEntry(
        person=a.person, name=name, role=a.role, role_name=role_name(roles, a.role, lang),
        mark=(role.mark or "") if role else "",
        breaks=breaks, pinned=a.pinned, start=a.start, end=a.end, index=index,
    )
