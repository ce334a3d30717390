"""View models for the rota pages: the week grid per post (days x shifts), the load per person, the fairness
summary per fairness group, and a rota's changes in the coordinator's words.

The week grid (`week_grids`, its labels `_clock`, `day_labels`) and the fairness band (`fairness_summary`,
`_fair_cells`) are computed here from the engine's public data; the engine's reports compute them too.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote
from zoneinfo import ZoneInfo

from scheduler import (
    Assignment,
    Penalty,
    Rota,
    RotaChanges,
    Scenario,
    ShiftSlot,
    capacity_shares,
    fairness_of,
    shift_slots,
)
from web.i18n import Translator


@dataclass
class Entry:
    name: str
    mark: str
    role: str
    breaks: list[str]
    pinned: bool
    person: str = ""
    """Person id (the rota page links each name to its adjustment form)."""
    href: str = ""
    """The name's adjustment form on the draft's page (`with_adjust_links`), else ''."""


@dataclass
class GridRow:
    label: str
    hours: str
    cells: list[list[Entry]]
    place: str = ""
    shift: str = ""
    """Post or duty id and shift id ('' for a duty): with a column's date they name the shift instance."""
    add_hrefs: list[str] = field(default_factory=list)
    """Per column, the form that adds a person to that shift instance (`with_adjust_links`), else empty."""


@dataclass
class PostGrid:
    name: str
    rows: list[GridRow] = field(default_factory=list)


def _clock(moment: dt.datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%H:%M")


def week_grids(scenario: Scenario, rota: Rota, t: Translator) -> tuple[list[dt.date], list[PostGrid]]:
    """One grid per post and team duty: a row per shift, a column per day, names with role marks and breaks."""
    zone = scenario.zone
    dates = [scenario.start + dt.timedelta(days=i) for i in range(scenario.days)]
    column = {day: i for i, day in enumerate(dates)}
    names = {p.id: p.name for p in scenario.people}
    roles = {r.id: r for r in scenario.roles}
    cells: dict[tuple[str, str], list[list[Entry]]] = defaultdict(lambda: [[] for _ in dates])

    def entry(a: Assignment) -> Entry:
        role = roles.get(a.role)
        return Entry(
            name=names.get(a.person, a.person), mark=(role.mark or "") if role else "",
            role=role.name.text(t.lang) if role else a.role,
            breaks=[f"{_clock(b.start, zone)}–{_clock(b.end, zone)}" for b in a.breaks], pinned=a.pinned,
            person=a.person,
        )

    for a in sorted(rota.assignments, key=lambda a: (a.start, names.get(a.person, a.person))):
        if a.date in column:
            cells[(a.place, a.shift or "")][column[a.date]].append(entry(a))
    grids = []
    for post in scenario.posts:
        grid = PostGrid(name=post.name.text(t.lang))
        for shift in post.shifts:
            label = shift.name.text(t.lang) if shift.name else shift.label()
            grid.rows.append(GridRow(label, shift.label(), cells[(post.id, shift.id)], post.id, shift.id))
        grids.append(grid)
    for duty in scenario.team_duties:
        grid = PostGrid(name=duty.name.text(t.lang))
        grid.rows.append(GridRow(duty.name.text(t.lang), duty.window.label(), cells[(duty.id, "")], duty.id, ""))
        grids.append(grid)
    return dates, grids


def with_adjust_links(dates: list[dt.date], grids: list[PostGrid], week: dt.date) -> None:
    """Fill every name's adjustment link and every cell's add link of a draft's grids.

    Built here once per page with plain string joins: the draft's grid has hundreds of links, and building each
    in the template (a dict through the urlencode filter) was a large part of the page's rendering time.
    """
    base = f"/rota/{week.isoformat()}/adjust?"
    days = [f"&date={day.isoformat()}" for day in dates]
    for grid in grids:
        for row in grid.rows:
            slot = f"place={quote(row.place, safe='')}&shift={quote(row.shift, safe='')}"
            row.add_hrefs = [base + slot + day for day in days]
            for day, cell in zip(days, row.cells, strict=True):
                for entry in cell:
                    entry.href = f"{base}person={quote(entry.person, safe='')}&{slot}{day}"


def day_labels(dates: list[dt.date], t: Translator) -> list[str]:
    """The grid's column headings, formatted once per page rather than once per grid."""
    return [t.day(day) for day in dates]


# ------------------------------------------------------------------------------------- rota page views


@dataclass
class ShiftLine:
    """One assignment of a person, as the per-person view lists it."""

    date: dt.date
    place: str
    shift: str
    hours: str
    role: str
    night: bool
    weekend: bool
    pinned: bool


@dataclass
class PersonLoad:
    """A person's week: their shifts and the totals the fairness rules compare."""

    person: str
    name: str
    active: bool
    shifts: list[ShiftLine] = field(default_factory=list)
    minutes: int = 0
    nights: int = 0
    weekends: int = 0

    @property
    def hours(self) -> float:
        return self.minutes / 60


def _slots_by_key(slots: list[ShiftSlot]) -> dict[tuple[str, str | None, dt.date], ShiftSlot]:
    return {(s.place, s.shift, s.date): s for s in slots}


def _place_names(scenario: Scenario, t: Translator) -> dict[str, str]:
    names = {p.id: p.name.text(t.lang) for p in scenario.posts}
    return names | {d.id: d.name.text(t.lang) for d in scenario.team_duties}


def _shift_names(scenario: Scenario, t: Translator) -> dict[tuple[str, str | None], tuple[str, str]]:
    """(place, shift) -> (shift name, its hours), a duty's under (duty, None)."""
    found: dict[tuple[str, str | None], tuple[str, str]] = {}
    for post in scenario.posts:
        for shift in post.shifts:
            found[(post.id, shift.id)] = (shift.name.text(t.lang) if shift.name else shift.label(), shift.label())
    for duty in scenario.team_duties:
        found[(duty.id, None)] = (duty.name.text(t.lang), duty.window.label())
    return found


def person_loads(scenario: Scenario, rota: Rota, t: Translator) -> list[PersonLoad]:
    """Per person (active people, and anyone on the rota): shifts, hours, night shifts and weekend shifts.

    Hours are the assignments' lengths; a night shift is one the scenario counts as a night; a weekend shift starts
    on a Saturday or Sunday (docs/rules.md).
    """
    by_key = _slots_by_key(shift_slots(scenario))
    places, shifts, roles = _place_names(scenario, t), _shift_names(scenario, t), _role_names(scenario, t)
    loads = {p.id: PersonLoad(p.id, p.name, p.active) for p in scenario.people}
    for a in sorted(rota.assignments, key=lambda a: a.start):
        load = loads.setdefault(a.person, PersonLoad(a.person, a.person, False))
        instance = by_key.get((a.place, a.shift, a.date))
        night = instance.night if instance is not None else False
        name, hours = shifts.get((a.place, a.shift), (a.shift or "", ""))
        load.shifts.append(
            ShiftLine(a.date, places.get(a.place, a.place), name, hours, roles.get(a.role, a.role), night,
                      a.date.weekday() >= 5, a.pinned)
        )
        load.minutes += int((a.end - a.start).total_seconds() // 60)
        load.nights += night
        load.weekends += a.date.weekday() >= 5
    return sorted((x for x in loads.values() if x.active or x.shifts), key=lambda x: (x.name, x.person))


def _role_names(scenario: Scenario, t: Translator) -> dict[str, str]:
    return {r.id: r.name.text(t.lang) for r in scenario.roles}


@dataclass
class FairCell:
    """One measure of one person against the fair band around their share (docs/rules.md, Fairness)."""

    value: float
    share: float | None
    low: float | None
    high: float | None
    outside: float

    @property
    def fair(self) -> bool:
        return self.outside == 0


@dataclass
class FairRow:
    person: str
    name: str
    hours: FairCell
    nights: FairCell
    weekends: FairCell
    cost: float
    """The checker's fairness cost for this person (0 when the weights ignore fairness)."""


@dataclass
class FairGroup:
    role: str
    places: list[str] | None
    """The places these people may work, or None for everywhere."""
    rows: list[FairRow]


def _fair_cells(values: list[int], caps: list[int], bands: list[int], unit: int) -> list[FairCell]:
    """Share s = floor(q × T / 1000) with q the permille of capacity; fair from s - b to s + max(b, 1)."""
    permille = capacity_shares(caps)
    total = sum(values)
    cells = []
    for index, value in enumerate(values):
        if permille is None:
            cells.append(FairCell(value / unit, None, None, None, 0))
            continue
        share = permille[index] * total // 1000
        low, high = share - bands[index], share + max(bands[index], 1)
        outside = max(0, value - high, low - value)
        # A share below one band is fair from zero: a negative lower end means nothing to the coordinator.
        cells.append(FairCell(value / unit, share / unit, max(low, 0) / unit, high / unit, outside / unit))
    return cells


def fairness_summary(
    scenario: Scenario, loads: list[PersonLoad], penalties: list[Penalty], t: Translator
) -> list[FairGroup]:
    """Per fairness group (same first role, same places): hours, nights and weekends of each person against the
    fair band around their capacity share, computed with the engine's own capacity and share functions, and the
    checker's fairness cost per person."""
    by_person = {load.person: load for load in loads}
    costs: dict[str, float] = defaultdict(float)
    for penalty in penalties:
        if penalty.rule == "fairness" and penalty.person is not None:
            costs[penalty.person] += penalty.cost
    roles, places = _role_names(scenario, t), _place_names(scenario, t)
    groups = []
    for group in fairness_of(scenario):
        role, where, members = group.role, group.places, group.members
        caps = [m.capacity for m in members]
        night_caps = [m.night_capacity for m in members]
        got = [by_person.get(m.person.id) for m in members]
        hours = _fair_cells([g.minutes if g else 0 for g in got], caps, [m.longest_shift for m in members], 60)
        nights = _fair_cells([g.nights if g else 0 for g in got], night_caps, [0] * len(members), 1)
        weekends = _fair_cells([g.weekends if g else 0 for g in got], caps, [0] * len(members), 1)
        rows = [
            FairRow(m.person.id, m.person.name, hours[i], nights[i], weekends[i], costs.get(m.person.id, 0.0))
            for i, m in enumerate(members)
        ]
        groups.append(FairGroup(roles.get(role, role), [places.get(p, p) for p in where] if where else None, rows))
    return groups


@dataclass
class ChangeLine:
    """One change between two rotas, in words: who gains, loses or is retimed on which shift."""

    kind: str
    name: str
    date: dt.date
    place: str
    shift: str
    role: str
    before: str
    after: str
    """Times and meal breaks before and after (for a retimed assignment)."""


def _times(a: Assignment | None, zone: ZoneInfo, t: Translator) -> str:
    if a is None:
        return ""
    breaks = "".join(f", {t('grid.meal')} {_clock(b.start, zone)}–{_clock(b.end, zone)}" for b in a.breaks)
    return f"{_clock(a.start, zone)}–{_clock(a.end, zone)}{breaks}"


def change_lines(scenario: Scenario, changes: RotaChanges, t: Translator) -> list[ChangeLine]:
    names = {p.id: p.name for p in scenario.people}
    places, shifts, roles = _place_names(scenario, t), _shift_names(scenario, t), _role_names(scenario, t)
    lines = []
    for c in changes.changes:
        place = c.post or c.duty or ""
        lines.append(
            ChangeLine(
                c.kind.value, names.get(c.person, c.person), c.date, places.get(place, place),
                shifts.get((place, c.shift), (c.shift or "", ""))[0], roles.get(c.role, c.role),
                _times(c.before, scenario.zone, t), _times(c.after, scenario.zone, t),
            )
        )
    return lines
