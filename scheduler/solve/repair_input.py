"""What a repair is given: who cannot work when, read from the command line or a form, checked against the
scenario and the published rota, and turned into the scenario's own absences from `now` on.

`repair` (scheduler.solve.repair) solves the scenario this module returns; `frozen_scenario` states the repair's
rules as a plain scenario, so that the explainer every solve uses can say why no repair exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from pydantic import Field

from scheduler.domain.base import Identifier, StrictModel
from scheduler.domain.clock import MINUTES_PER_DAY, format_clock
from scheduler.domain.people import Absence, Ban, Pin
from scheduler.domain.rota import Rota
from scheduler.domain.scenario import Scenario
from scheduler.model.timeline import Instances

__all__ = [
    "RepairInputError",
    "Unavailability",
    "apply_unavailability",
    "aware",
    "check_inputs",
    "frozen_scenario",
    "parse_moment",
    "parse_unavailability",
]


class Unavailability(StrictModel):
    """A person who cannot work from `start` to `end` (both open: removed from the rota from now on)."""

    person: Identifier = Field(description="Person id.")
    start: dt.datetime | None = Field(
        default=None, description="First unavailable moment; without an offset, in the scenario's zone. None: now."
    )
    end: dt.datetime | None = Field(
        default=None, description="End of the unavailability (exclusive); None: the end of the period."
    )
    reason: str | None = Field(default=None, description="Shown to the coordinator in explanations, never to others.")


class RepairInputError(ValueError):
    """The inputs of a repair do not fit together; each problem names its field path."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


# ------------------------------------------------------------------------------------------ parsing input


def parse_moment(text: str, zone: ZoneInfo, *, end: bool) -> dt.datetime:
    """A date or date-time in the scenario's zone. A date alone means its start, or (end=True) its end."""
    text = text.strip()
    try:
        if len(text) == 10:
            date = dt.date.fromisoformat(text)
            return dt.datetime.combine(date + dt.timedelta(days=1 if end else 0), dt.time(0), zone)
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is neither a date (2026-12-08) nor a date-time (2026-12-08T14:00)") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def parse_unavailability(text: str, zone: ZoneInfo) -> Unavailability:
    """'PERSON:FROM/TO' (FROM or TO may be empty: from now, to the end of the period)."""
    person, colon, period = text.partition(":")
    first, slash, last = period.partition("/")
    if not colon or not slash or not person.strip():
        raise ValueError(f"{text!r}: expected PERSON:FROM/TO, e.g. wang-fang:2026-12-08/2026-12-09")
    start = parse_moment(first, zone, end=False) if first.strip() else None
    finish = parse_moment(last, zone, end=True) if last.strip() else None
    if start is not None and finish is not None and finish <= start:
        raise ValueError(f"{text!r}: TO must be after FROM")
    return Unavailability(person=person.strip(), start=start, end=finish)


# ------------------------------------------------------------------------------------------ the absences


def aware(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The moment itself, or (without an offset) the same clock time in `zone`."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def check_inputs(scenario: Scenario, published: Rota, unavailable: list[Unavailability]) -> None:
    """Raise `RepairInputError` with every problem at once when the inputs do not fit together."""
    problems = []
    if published.start != scenario.start or published.days != scenario.days:
        problems.append(
            f"published: the rota covers {published.start} for {published.days} days, the scenario "
            f"{scenario.start} for {scenario.days} days"
        )
    known = {p.id for p in scenario.people}
    for i, item in enumerate(unavailable):
        if item.person not in known:
            problems.append(f"unavailable[{i}].person: unknown person {item.person!r}")
        start, end = item.start, item.end
        if start is not None and end is not None and aware(end, scenario.zone) <= aware(start, scenario.zone):
            problems.append(f"unavailable[{i}].end: the end is not after the start")
    if problems:
        raise RepairInputError(problems)


def _absence_span(
    scenario: Scenario, published: Rota, item: Unavailability, now: dt.datetime
) -> tuple[dt.datetime, dt.datetime] | None:
    """The part of an unavailability the repair can act on: after now and after work already started."""
    zone = scenario.zone
    start = max(aware(item.start, zone), now) if item.start is not None else now
    horizon = dt.datetime.combine(scenario.end + dt.timedelta(days=1), dt.time(0), zone)
    end = min(aware(item.end, zone), horizon) if item.end is not None else horizon
    for a in published.assignments:
        if a.person == item.person and a.start < now and a.end > start:
            start = max(start, a.end)
    return (start, end) if start < end else None


def _clock(moment: dt.datetime) -> int:
    return moment.hour * 60 + moment.minute


def _absences(start: dt.datetime, end: dt.datetime, zone: ZoneInfo, reason: str | None) -> list[Absence]:
    """Local-clock absences covering [start, end): a partial first day, whole days, a partial last day."""
    first, last = start.astimezone(zone), end.astimezone(zone)
    begin = _clock(first)
    finish = _clock(last) + (1 if last.second or last.microsecond else 0)
    last_date = last.date()
    if finish == 0:
        last_date, finish = last_date - dt.timedelta(days=1), MINUTES_PER_DAY
    pieces: list[dict[str, object]] = []
    whole_from, whole_to = first.date(), last_date
    if first.date() == last_date:
        if begin > 0 or finish < MINUTES_PER_DAY:
            return [_absence({"date": last_date, "start": format_clock(begin), "end": format_clock(finish)}, reason)]
    else:
        if begin > 0:
            pieces.append({"date": first.date(), "start": format_clock(begin), "end": format_clock(MINUTES_PER_DAY)})
            whole_from = first.date() + dt.timedelta(days=1)
        if finish < MINUTES_PER_DAY:
            pieces.append({"date": last_date, "start": "00:00", "end": format_clock(finish)})
            whole_to = last_date - dt.timedelta(days=1)
    if whole_from <= whole_to:
        pieces.append({"date": whole_from, "until": whole_to})
    return [_absence(piece, reason) for piece in pieces]


def _absence(data: dict[str, object], reason: str | None) -> Absence:
    return Absence.model_validate({**data, "reason": reason})


def apply_unavailability(
    scenario: Scenario, published: Rota, unavailable: Iterable[Unavailability], now: dt.datetime
) -> Scenario:
    """The scenario with each unavailability added to its person's absences, from `now` on (see the module doc)."""
    added: dict[str, list[Absence]] = {}
    for item in unavailable:
        span = _absence_span(scenario, published, item, now)
        if span is not None:
            added.setdefault(item.person, []).extend(_absences(*span, scenario.zone, item.reason))
    people = [
        p.model_copy(update={"absences": [*p.absences, *added[p.id]]}) if p.id in added else p
        for p in scenario.people
    ]
    return scenario.model_copy(update={"people": people})


# ------------------------------------------------------------------------------------------ explaining


def frozen_scenario(scenario: Scenario, published: Rota, now: dt.datetime) -> Scenario:
    """The repair's rules as a plain scenario: the past as pins, nobody else on a past shift (bans).

    Used only to explain a repair that does not exist, with the explainer every solve uses.
    """
    instances = Instances(scenario)
    past = [s for s in instances.shifts if instances.timeline.at(s.start) < now]
    on: dict[tuple[str, str | None, dt.date], set[str]] = {}
    pins = list(scenario.pins)
    for a in published.assignments:
        if a.start < now:
            on.setdefault((a.place, a.shift, a.date), set()).add(a.person)
            pins.append(Pin(person=a.person, date=a.date, post=a.place, shift=a.shift, role=a.role))
    bans = list(scenario.bans)
    for shift in past:
        working = on.get((shift.place, shift.template, shift.date), set())
        bans += [
            Ban(person=p.id, date=shift.date, post=shift.place, shift=shift.template)
            for p in scenario.people if p.id not in working
        ]
    return scenario.model_copy(update={"pins": list(dict.fromkeys(pins)), "bans": bans})
