"""The scenario unrolled onto a timeline: shift instances, people's intervals, meal-window occurrences.

Times are whole minutes from the period's local midnight on the first day, measured in absolute time, so
arithmetic across midnight, weeks and DST changes is plain integer arithmetic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from scheduler.domain.clock import MINUTES_PER_DAY, Weekday
from scheduler.domain.community import MealRule, MealWindow
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


def expand_shifts(scenario: Scenario, timeline: Timeline) -> list[ShiftInstance]:
    """Every shift instance of the period, day by day: post shifts in the scenario's order, then team duties."""
    shifts: list[ShiftInstance] = []
    for day in range(scenario.days):
        date = scenario.start + dt.timedelta(days=day)
        weekday = Weekday.from_index(date.weekday())
        for post in scenario.posts:
            for template in post.shifts:
                if weekday not in template.days:
                    continue
                start = timeline.minute(date, template.start)
                # Given by 'end', an instance ends at that local clock time; given by 'hours', that long after.
                end = (
                    timeline.minute(date, template.start + template.minutes) if template.follows_clock
                    else start + template.minutes
                )
                if end <= start:
                    continue  # both ends in the hour a spring change skips: no shift that day (docs/rules.md)
                shifts.append(
                    ShiftInstance(
                        index=len(shifts), place=post.id, is_duty=False, template=template.id, day=day,
                        date=date, start=start, end=end,
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


class Instances:
    """The compiled scenario: every shift instance and every person's intervals."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.timeline = Timeline(scenario)
        self.shifts: list[ShiftInstance] = expand_shifts(scenario, self.timeline)
        # The history window starts at the earliest history shift of anyone (docs/rules.md, "consecutive").
        self.history_first_day: int = min([0, *(self.timeline.day_of(p.start) for p in scenario.history)])
        self.people: list[PersonInfo] = [self._person_info(i, p) for i, p in enumerate(scenario.people)]
        self.by_id: dict[str, PersonInfo] = {info.id: info for info in self.people}

    @property
    def period_end(self) -> int:
        """Local midnight after the period's last day (not `days` × 24 h: a clock change moves it)."""
        return self.timeline.minute(self.scenario.end, 0)

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
    # The rule lives in scheduler.model.constraints.eligibility, imported when called: the constraints package
    # imports this module.

    def block_reason(self, info: PersonInfo, shift: ShiftInstance) -> str | None:
        """Why the person can never take this shift, or None if they may (see eligibility.block_reason)."""
        from scheduler.model.constraints.eligibility import block_reason

        return block_reason(info, shift)


# ------------------------------------------------------------------------------------------ meal windows


@dataclass(frozen=True)
class MealOccurrence:
    """One meal window on one local date, in absolute minutes, that a shift instance contains."""

    rule_index: int
    rule: MealRule
    window_index: int
    window: MealWindow
    start: int
    end: int


def meal_rule_of(scenario: Scenario, place: str) -> tuple[int, MealRule] | None:
    for index, rule in enumerate(scenario.meal_rules):
        if rule.post == place:
            return index, rule
    return None


def occurrences(instances: Instances, shift: ShiftInstance) -> list[MealOccurrence]:
    """The meal-window occurrences this instance gets a break for (it contains them wholly)."""
    found = meal_rule_of(instances.scenario, shift.place)
    if found is None:
        return []
    index, rule = found
    if rule.shifts is not None and shift.template not in rule.shifts:
        return []
    timeline = instances.timeline
    result = []
    for offset in (0, 1):  # an instance lasts at most 24 h: windows on its date or the next
        date = shift.date + dt.timedelta(days=offset)
        for w_index, window in enumerate(rule.windows):
            start, end = timeline.minute(date, window.start), timeline.minute(date, window.end)
            if shift.start <= start and end <= shift.end:
                result.append(MealOccurrence(index, rule, w_index, window, start, end))
    return result


def break_length(rule: MealRule, meal_minutes: int | None) -> int:
    return meal_minutes if meal_minutes is not None else rule.minutes


def break_starts(occurrence: MealOccurrence, length: int) -> list[int]:
    """Allowed starts: on the grid from the window start, the break wholly inside the window."""
    return list(range(occurrence.start, occurrence.end - length + 1, occurrence.rule.grid_minutes))


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
    timeline = Timeline(scenario)  # the shifts alone: the people's intervals are not needed here
    at = timeline.at
    return [
        ShiftSlot(s.place, s.template, s.date, at(s.start), at(s.end), s.is_duty, s.night)
        for s in expand_shifts(scenario, timeline)
    ]
