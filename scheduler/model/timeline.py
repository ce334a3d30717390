"""The scenario unrolled onto a timeline: shift instances, availability intervals, who may take what.

Times are whole minutes from the period's local midnight on the first day, measured in absolute time, so
arithmetic across midnight, weeks and DST changes is plain integer arithmetic.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from scheduler.domain.clock import MINUTES_PER_DAY, Weekday
from scheduler.domain.people import Person, PersonLimits
from scheduler.domain.scenario import Scenario

UTC = dt.UTC


@dataclass(frozen=True)
class Interval:
    start: int
    end: int

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class ShiftInstance:
    """One concrete shift: a template of a post (or a team duty) on one date."""

    index: int
    place: str
    is_duty: bool
    template: str | None
    day: int
    date: dt.date
    start: int
    end: int
    night: bool
    roles: frozenset[str] | None
    """Roles allowed on it (team duties); None means any role the person holds."""

    @property
    def minutes(self) -> int:
        return self.end - self.start

    @property
    def weekend(self) -> bool:
        return self.date.weekday() >= 5

    @property
    def week(self) -> int:
        return self.day // 7


@dataclass
class Timeline:
    """Converts between local wall-clock times and minutes from the period start."""

    scenario: Scenario

    @cached_property
    def origin(self) -> dt.datetime:
        return dt.datetime.combine(self.scenario.start, dt.time(0), self.scenario.zone).astimezone(UTC)

    def minute(self, date: dt.date, clock: int) -> int:
        """Absolute minute of local `clock` on `date` (clock may be 1440 = next midnight)."""
        extra_days, clock = divmod(clock, MINUTES_PER_DAY)
        local = dt.datetime.combine(date + dt.timedelta(days=extra_days), dt.time(clock // 60, clock % 60))
        aware = local.replace(tzinfo=self.scenario.zone).astimezone(UTC)
        return int((aware - self.origin).total_seconds() // 60)

    def of(self, moment: dt.datetime) -> int:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.scenario.zone)
        return int((moment.astimezone(UTC) - self.origin).total_seconds() // 60)

    def at(self, minute: int) -> dt.datetime:
        """Local datetime of an absolute minute, with a fixed UTC offset.

        A fixed offset (not the zone) keeps the repeated hour when clocks go back unambiguous: Python compares
        two times in one zone by wall clock, ignoring which of the two 02:30s each is.
        """
        local = (self.origin + dt.timedelta(minutes=minute)).astimezone(self.scenario.zone)
        offset = local.utcoffset()
        assert offset is not None
        return local.replace(tzinfo=dt.timezone(offset))

    def day_of(self, moment: dt.datetime) -> int:
        local = moment.astimezone(self.scenario.zone) if moment.tzinfo else moment
        return (local.date() - self.scenario.start).days

    def label(self, start: int, end: int) -> str:
        """'Tue 2026-12-08 00:00–08:00' in local time; an end on a later day names its weekday."""
        first, last = self.at(start), self.at(end)
        if last.date() == first.date():
            last_text = last.strftime("%H:%M")
        elif last.time() == dt.time(0) and last.date() == first.date() + dt.timedelta(days=1):
            last_text = "24:00"
        else:
            last_text = last.strftime("%a %H:%M")
        return f"{first.strftime('%a %Y-%m-%d %H:%M')}–{last_text}"


@dataclass
class PersonInfo:
    """Per-person facts the constraint families share."""

    index: int
    person: Person
    limits: PersonLimits
    available: list[Interval] | None
    """Merged availability intervals, or None when the person is available at any time."""
    absent: list[tuple[Interval, str | None]] = field(default_factory=list)
    """Absence intervals with their reasons."""
    away: list[Interval] = field(default_factory=list)
    """The absence intervals merged: a bisection tells whether a shift meets any of them."""
    history: list[Interval] = field(default_factory=list)
    history_days: set[int] = field(default_factory=set)
    """Days (negative, relative to the period start) on which a history shift started."""
    bans: set[tuple[dt.date, str, str | None]] = field(default_factory=set)
    never: set[tuple[str | None, str]] = field(default_factory=set)
    """(post or None, template) pairs the person may never work (a shift limit of 0)."""

    @property
    def id(self) -> str:
        return self.person.id


def _merge(intervals: list[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for item in sorted(intervals, key=lambda i: i.start):
        if merged and item.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = Interval(last.start, max(last.end, item.end))
        else:
            merged.append(item)
    return merged


def _contained(interval: Interval, merged: list[Interval]) -> bool:
    """Whether the interval lies inside one of the sorted, merged intervals."""
    position = bisect.bisect_right(merged, interval.start, key=lambda part: part.start) - 1
    return position >= 0 and interval.end <= merged[position].end


def _meets(interval: Interval, merged: list[Interval]) -> bool:
    """Whether the interval overlaps one of the sorted, merged intervals (the last one starting before its end)."""
    position = bisect.bisect_left(merged, interval.end, key=lambda part: part.start) - 1
    return position >= 0 and merged[position].end > interval.start


class Instances:
    """The compiled scenario: every shift instance and every person's intervals."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.timeline = Timeline(scenario)
        self.shifts: list[ShiftInstance] = self._expand_shifts()
        # The history window starts at the earliest history shift of anyone (docs/rules.md, rule 5).
        self.history_first_day: int = min([0, *(self.timeline.day_of(p.start) for p in scenario.history)])
        self.people: list[PersonInfo] = [self._person_info(i, p) for i, p in enumerate(scenario.people)]
        self.by_id: dict[str, PersonInfo] = {info.id: info for info in self.people}

    @property
    def period_end(self) -> int:
        return self.timeline.minute(self.scenario.end, 0)

    def _expand_shifts(self) -> list[ShiftInstance]:
        scenario, timeline = self.scenario, self.timeline
        shifts: list[ShiftInstance] = []
        for day in range(scenario.days):
            date = scenario.start + dt.timedelta(days=day)
            weekday = Weekday.from_index(date.weekday())
            for post in scenario.posts:
                for template in post.shifts:
                    if weekday not in template.days:
                        continue
                    start = timeline.minute(date, template.start)
                    shifts.append(
                        ShiftInstance(
                            index=len(shifts), place=post.id, is_duty=False, template=template.id, day=day,
                            date=date, start=start, end=start + template.minutes,
                            night=scenario.is_night(template), roles=None,
                        )
                    )
            for duty in scenario.team_duties:
                if weekday not in duty.days:
                    continue
                start = timeline.minute(date, duty.window.start)
                shifts.append(
                    ShiftInstance(
                        index=len(shifts), place=duty.id, is_duty=True, template=None, day=day, date=date,
                        start=start, end=start + duty.window.minutes,
                        night=scenario.overlaps_night(duty.window.start, duty.window.minutes),
                        roles=frozenset(duty.roles),
                    )
                )
        return shifts

    def _person_info(self, index: int, person: Person) -> PersonInfo:
        scenario, timeline = self.scenario, self.timeline
        # One day either side: windows and shifts cross midnight.
        first = scenario.start - dt.timedelta(days=1)
        available: list[Interval] | None = None
        if person.availability:
            windows: list[Interval] = []
            for offset in range(scenario.days + 2):
                date = first + dt.timedelta(days=offset)
                for window in person.availability:
                    if Weekday.from_index(date.weekday()) in window.days:
                        # Windows follow the local clock; an end at or before the start is on the next day.
                        end_date = date if window.end > window.start else date + dt.timedelta(days=1)
                        start, end = timeline.minute(date, window.start), timeline.minute(end_date, window.end)
                        windows.append(Interval(start, end))
            available = _merge(windows)
        absent: list[tuple[Interval, str | None]] = []
        for absence in person.absences:
            days = ((absence.until or absence.date) - absence.date).days + 1
            if absence.start is None or absence.end is None:
                start = timeline.minute(absence.date, 0)
                end = timeline.minute(absence.date + dt.timedelta(days=days), 0)
                absent.append((Interval(start, end), absence.reason))
            else:
                for offset in range(days):
                    date = absence.date + dt.timedelta(days=offset)
                    part = Interval(timeline.minute(date, absence.start), timeline.minute(date, absence.end))
                    absent.append((part, absence.reason))
        history = [
            Interval(timeline.of(past.start), timeline.of(past.end))
            for past in scenario.history
            if past.person == person.id
        ]
        history_days = {timeline.day_of(past.start) for past in scenario.history if past.person == person.id}
        return PersonInfo(
            index=index, person=person, limits=scenario.limits_of(person), available=available,
            absent=absent, away=_merge([part for part, _ in absent]), history=sorted(history, key=lambda i: i.start),
            history_days={d for d in history_days if d < 0},
            bans={(b.date, b.post, b.shift) for b in scenario.bans if b.person == person.id},
            never={(limit.post, limit.shift) for limit in person.shift_limits if limit.max == 0},
        )

    # ------------------------------------------------------------------------------------- eligibility

    def block_reason(self, info: PersonInfo, shift: ShiftInstance) -> str | None:
        """Why the person can never take this shift, or None if they may."""
        person, limits = info.person, info.limits
        if not person.active:
            return "inactive"
        if person.posts is not None and shift.place not in person.posts:
            return f"not assigned to {shift.place}"
        if shift.roles is not None and not shift.roles & set(person.roles):
            return "does not hold a role of this team"
        if shift.night and limits.nights_allowed is False:
            return "does not do night shifts"
        interval = Interval(shift.start, shift.end)
        if info.available is not None and not _contained(interval, info.available):
            return "outside their availability"
        if _meets(interval, info.away):
            # Rare: only then look for the first listed absence it meets, for its reason.
            for absent, reason in info.absent:
                if absent.overlaps(interval):
                    return f"away ({reason})" if reason else "away"
        if (shift.date, shift.place, shift.template) in info.bans or (shift.date, shift.place, None) in info.bans:
            return "banned from this shift by the coordinator"
        if (shift.place, shift.template) in info.never or (None, shift.template) in info.never:
            return f"never works shift {shift.template}"
        return None

    def roles_for(self, info: PersonInfo, shift: ShiftInstance, relevant: set[str]) -> list[str]:
        """Roles the person may fill on the shift.

        On a post, roles no rule of that post counts are interchangeable, so only one of them is offered:
        this keeps the model free of symmetric copies.
        """
        held = list(info.person.roles)
        if shift.roles is not None:
            return [role for role in held if role in shift.roles]
        counted = [role for role in held if role in relevant]
        uncounted = [role for role in held if role not in relevant]
        return counted + uncounted[:1]


@dataclass(frozen=True)
class ShiftSlot:
    """One concrete shift of a period in local time: what the web app and the reports need of a shift instance."""

    place: str
    """Post or team duty id."""
    shift: str | None
    """Shift template id; None for a team duty."""
    date: dt.date
    start: dt.datetime
    end: dt.datetime
    is_duty: bool
    night: bool


def shift_slots(scenario: Scenario) -> list[ShiftSlot]:
    """Every shift instance of the scenario's period (post shifts and team duties, day by day), in local time."""
    instances = Instances(scenario)
    at = instances.timeline.at
    return [
        ShiftSlot(s.place, s.template, s.date, at(s.start), at(s.end), s.is_duty, s.night) for s in instances.shifts
    ]
