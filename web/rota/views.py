"""View models for the rota pages: the week grid per post (days x shifts), the load per person, the fairness
summary per fairness group, and a rota's changes in the coordinator's words.

All figures come from the engine's public API: the grid from `week_grid`, the loads from `person_loads`, the
fairness band from the checker's own `fair_shares` (so the page never disagrees with the check). This module only
adds what pages need on top: the draft's adjustment links and the fairness table's rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import quote
from zoneinfo import ZoneInfo

from scheduler import (
    Assignment,
    FairShare,
    PersonLoad,
    Rota,
    RotaChanges,
    Scenario,
    clock,
    fair_shares,
    fairness_groups,
    places,
    role_name,
    slot_labels,
    week_grid,
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
    times: tuple[str, ...] = ()
    """Per column, the shift's real times where a clock change makes them differ from `hours`, else ''."""


@dataclass
class PostGrid:
    name: str
    rows: list[GridRow] = field(default_factory=list)


def week_grids(scenario: Scenario, rota: Rota, t: Translator) -> tuple[list[dt.date], list[PostGrid]]:
    """One grid per post and team duty: a row per shift, a column per day, names with role marks and breaks.

    The engine's `week_grid`, copied into rows the draft's page can add its links to (`with_adjust_links`).
    """
    grid = week_grid(scenario, rota, t.lang)
    grids = [
        PostGrid(place.name, [
            GridRow(row.label, row.hours, [
                [Entry(e.name, e.mark, e.role_name, [b.times for b in e.breaks], e.pinned, e.person) for e in cell]
                for cell in row.cells
            ], row.place, row.shift, times=row.times)
            for row in place.rows
        ])
        for place in grid.places
    ]
    return list(grid.dates), grids


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


# ------------------------------------------------------------------------------------- fairness


@dataclass
class FairCell:
    """One measure of one person against the fair band around their share (docs/rules.md, Fairness)."""

    value: float
    share: float | None
    low: float | None
    high: float | None
    outside: float
    past: float = 0.0
    """What the person served in the look-back weeks (counted in the band; 0 without them)."""

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
    weeks: int = 0
    """The weeks before the period that fairness counts too (`weights.fairness_weeks`)."""


_MEASURES = ("hours", "nights", "weekends")


def _fair_cell(figures: FairShare | None, value: float) -> FairCell:
    """The checker's figures of one measure as the page shows them; `value` is shown when there are none."""
    if figures is None:  # the group has no capacity for the measure: no share, nothing outside it
        return FairCell(value, None, None, None, 0)
    # A share below one band is fair from zero: a negative lower end means nothing to the coordinator.
    return FairCell(figures.amount, figures.share, max(figures.low, 0.0), figures.high, figures.outside, figures.past)


def fairness_summary(scenario: Scenario, rota: Rota, loads: list[PersonLoad], t: Translator) -> list[FairGroup]:
    """Per fairness group (same first role, same places): hours, nights and weekends of each person against the
    fair band around their capacity share, and their fairness cost: the checker's own figures (`fair_shares`).
    `loads` gives the values of a group that has no share (no capacity) of a measure."""
    figures = {(s.person, s.measure): s for s in fair_shares(scenario, rota)}
    by_person = {load.person: load for load in loads}
    roles, names = {r.id: r for r in scenario.roles}, places(scenario)
    lang = t.lang
    groups = []
    for members in fairness_groups(scenario):
        rows = []
        for person in members:
            load = by_person.get(person.id)
            values = {"hours": load.hours, "nights": load.nights, "weekends": load.weekends} if load else {}
            cells = {m: _fair_cell(figures.get((person.id, m)), float(values.get(m, 0))) for m in _MEASURES}
            cost = sum((s.cost for m in _MEASURES if (s := figures.get((person.id, m))) is not None), 0.0)
            rows.append(FairRow(person.id, person.name, cells["hours"], cells["nights"], cells["weekends"], cost))
        first = members[0]
        where = sorted(first.posts) if first.posts is not None else None
        groups.append(FairGroup(
            role_name(roles, first.roles[0], lang),
            [names[p].name(lang) if p in names else p for p in where] if where else None, rows,
            scenario.weights.fairness_weeks,
        ))
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
    breaks = "".join(f", {t('grid.meal')} {clock(b.start, zone)}–{clock(b.end, zone)}" for b in a.breaks)
    return f"{clock(a.start, zone)}–{clock(a.end, zone)}{breaks}"


def change_lines(scenario: Scenario, changes: RotaChanges, t: Translator) -> list[ChangeLine]:
    names = {p.id: p.name for p in scenario.people}
    lang = t.lang
    where = {key: place.name(lang) for key, place in places(scenario).items()}
    shifts, roles = slot_labels(scenario, lang), {r.id: r for r in scenario.roles}
    lines = []
    for c in changes.changes:
        place = c.post or c.duty or ""
        lines.append(
            ChangeLine(
                c.kind.value, names.get(c.person, c.person), c.date, where.get(place, place),
                shifts.get((place, c.shift), (c.shift or "", ""))[0], role_name(roles, c.role, lang),
                _times(c.before, scenario.zone, t), _times(c.after, scenario.zone, t),
            )
        )
    return lines
