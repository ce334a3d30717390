"""View models for the solve pages: progress numbers and the week grid per post (days x shifts)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from scheduler.models import Assignment, Rota, Scenario
from web.i18n import Translator
from web.tables import JobStatus, SolveJob, utcnow


def job_elapsed(job: SolveJob) -> float | None:
    """Seconds the solve has run: from the clock while it runs, as recorded once it ended."""
    if job.status == JobStatus.RUNNING and job.started_at is not None:
        started = job.started_at if job.started_at.tzinfo else job.started_at.replace(tzinfo=dt.UTC)
        return (utcnow() - started).total_seconds()
    return job.elapsed


@dataclass
class Entry:
    name: str
    mark: str
    role: str
    breaks: list[str]
    pinned: bool


@dataclass
class GridRow:
    label: str
    hours: str
    cells: list[list[Entry]]


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
        )

    for a in sorted(rota.assignments, key=lambda a: (a.start, names.get(a.person, a.person))):
        if a.date in column:
            cells[(a.place, a.shift or "")][column[a.date]].append(entry(a))
    grids = []
    for post in scenario.posts:
        grid = PostGrid(name=post.name.text(t.lang))
        for shift in post.shifts:
            label = shift.name.text(t.lang) if shift.name else shift.label()
            grid.rows.append(GridRow(label, shift.label(), cells[(post.id, shift.id)]))
        grids.append(grid)
    for duty in scenario.team_duties:
        grid = PostGrid(name=duty.name.text(t.lang))
        grid.rows.append(GridRow(duty.name.text(t.lang), duty.window.label(), cells[(duty.id, "")]))
        grids.append(grid)
    return dates, grids
