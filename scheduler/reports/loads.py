"""Each person's load: their shifts and the totals the fairness rules compare (hours, nights, weekends)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scheduler.domain.rota import Rota, StaffingSummary
from scheduler.domain.scenario import Scenario
from scheduler.model.timeline import shift_slots
from scheduler.reports.labels import language_of, places, role_name, shift_times


@dataclass(frozen=True)
class ShiftLine:
    """One assignment of a person, in words."""

    date: dt.date
    place: str
    """The post's or duty's name."""
    shift: str
    """The shift's name (or its times); a duty's name."""
    hours: str
    """'08:00–16:00', the assignment's real local times."""
    role: str
    """The role's name."""
    night: bool
    weekend: bool
    pinned: bool


@dataclass(frozen=True)
class PersonLoad:
    """A person's shifts and totals over the rota."""

    person: str
    name: str
    active: bool
    shifts: tuple[ShiftLine, ...]
    """By start."""
    minutes: int
    nights: int
    weekends: int

    @property
    def hours(self) -> float:
        return self.minutes / 60


def person_loads(scenario: Scenario, rota: Rota, lang: str) -> list[PersonLoad]:
    """Per person (active people, and anyone on the rota), by name then id: shifts, minutes, nights, weekends.

    Minutes are the assignments' lengths; a night shift is a shift instance of the period the timeline counts as
    a night; a weekend shift starts on a Saturday or Sunday (docs/rules.md).
    """
    language = language_of(lang)
    known = places(scenario)
    names = {key: place.name(language) for key, place in known.items()}
    roles = {r.id: r for r in scenario.roles}
    nights = {(s.place, s.shift, s.date): s.night for s in shift_slots(scenario)}
    people = {p.id: (p.name, p.active) for p in scenario.people}
    lines: dict[str, list[tuple[ShiftLine, int]]] = {p.id: [] for p in scenario.people}
    for a in sorted(rota.assignments, key=lambda a: a.start):
        night = nights.get((a.place, a.shift, a.date), False)
        # The assignment's own times: across a clock change they are not the template's.
        hours = shift_times(a.start, a.end, scenario.zone)
        place = known.get(a.place)
        shift = place.slot_name(a.shift, language, hours) if place is not None else a.shift or ""
        line = ShiftLine(a.date, names.get(a.place, a.place), shift, hours, role_name(roles, a.role, language),
                         night, a.date.weekday() >= 5, a.pinned)
        # In UTC: two times in one ZoneInfo subtract by the wall clock, an hour off across a clock change.
        length = a.end.astimezone(dt.UTC) - a.start.astimezone(dt.UTC)
        lines.setdefault(a.person, []).append((line, int(length.total_seconds() // 60)))
    loads = []
    for person, worked in lines.items():
        name, active = people.get(person, (person, False))
        if not active and not worked:
            continue
        shifts = tuple(line for line, _ in worked)
        loads.append(PersonLoad(
            person, name, active, shifts, sum(minutes for _, minutes in worked),
            sum(line.night for line in shifts), sum(line.weekend for line in shifts),
        ))
    return sorted(loads, key=lambda x: (x.name, x.person))



def staffing_summary(scenario: Scenario, rota: Rota) -> StaffingSummary:
    """The rota's shifts and person-hours at the posts (recounted, so an edited draft is right), against the
    fewest the solve that made it found (kept in `rota.staffing`)."""
    return rota.staffing_at({post.id for post in scenario.posts})
