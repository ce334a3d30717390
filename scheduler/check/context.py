"""What every rule of the checker shares: the scenario with look-ups and wording, its shift instances in
absolute minutes, the sound assignments indexed by person and instance, and exact soft costs.

Absolute times are held as integer minutes since the Unix epoch (UTC); costs are exact fractions.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction

from scheduler.domain.clock import MINUTES_PER_DAY, Weekday
from scheduler.domain.community import TimeWindow
from scheduler.domain.messages import Param
from scheduler.domain.people import Person, PersonLimits
from scheduler.domain.rota import Assignment, Penalty, Violation
from scheduler.domain.scenario import Scenario
from scheduler.reports.catalogue import Words

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)
DAY = dt.timedelta(days=1)
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
EPS = 1e-9  # limits are floats in hours; compare minutes with a tolerance for binary rounding

InstanceKey = tuple[str, str | None, dt.date]
"""(post or duty id, shift id or None for a duty, local start date)."""


def to_minute(moment: dt.datetime) -> int:
    """Absolute minute of an aware datetime (floored)."""
    return (moment - EPOCH) // MINUTE


def utc(minute: int) -> dt.datetime:
    return EPOCH + minute * MINUTE


_WEEKDAYS = tuple(Weekday)


def weekday_of(day: dt.date) -> Weekday:
    return _WEEKDAYS[day.weekday()]


def dates(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    """Every date from first to last inclusive."""
    for offset in range((last - first).days + 1):
        yield first + offset * DAY


def window_end(start: int, end: int) -> int:
    """End of a daily window in minutes after its day's midnight (at or before the start: next day)."""
    return end if end > start else end + MINUTES_PER_DAY


def _night_by_clock(start: int, minutes: int, night: TimeWindow) -> bool:
    """Whether [start, start+minutes) overlaps the night window of that day, the day before or after."""
    for offset in (-MINUTES_PER_DAY, 0, MINUTES_PER_DAY):
        w_start = night.start + offset
        w_end = w_start + window_end(night.start, night.end) - night.start
        if start < w_end and w_start < start + minutes:
            return True
    return False


class Intervals:
    """A union of half-open minute intervals, merged (touching intervals join) and sorted."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        merged: list[tuple[int, int]] = []
        for start, end in sorted(s for s in spans if s[0] < s[1]):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        self.spans = merged
        self._starts = [s for s, _ in merged]
        self._ends = [e for _, e in merged]

    def contains(self, start: int, end: int) -> bool:
        i = bisect_right(self._starts, start) - 1
        return i >= 0 and self._ends[i] >= end

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_right(self._ends, start)  # first interval ending after start
        return i < len(self.spans) and self._starts[i] < end

    def minutes_within(self, start: int, end: int, minus: Intervals) -> int:
        """Minutes of this set inside [start, end) that are not in `minus`."""
        total = 0
        for s, e in self.spans:
            s, e = max(s, start), min(e, end)
            if s < e:
                total += e - s - sum(max(0, min(e, me) - max(s, ms)) for ms, me in minus.spans)
        return total


class Profile:
    """How many distinct people are on duty at each minute: a step function over sorted event points."""

    def __init__(self, per_person: dict[str, list[tuple[int, int]]]) -> None:
        deltas: dict[int, int] = defaultdict(int)
        for spans in per_person.values():
            # Merging per person first means one person on two overlapping shifts still counts once.
            for start, end in Intervals(spans).spans:
                deltas[start] += 1
                deltas[end] -= 1
        self.times = sorted(deltas)
        self.counts: list[int] = []
        running = 0
        for time in self.times:
            running += deltas[time]
            self.counts.append(running)

    def pieces(self, start: int, end: int) -> Iterator[tuple[int, int, int]]:
        """(from, to, count) pieces of constant count covering [start, end)."""
        i = bisect_right(self.times, start) - 1
        current = start
        while current < end:
            count = self.counts[i] if i >= 0 else 0
            following = self.times[i + 1] if i + 1 < len(self.times) else end
            stop = min(following, end)
            yield current, stop, count
            current, i = stop, i + 1


@dataclass(frozen=True, slots=True)
class Instance:
    """One occurrence of a shift template (or of a team duty) on a date, in absolute minutes."""

    place: str
    shift: str | None
    date: dt.date
    start: int
    end: int
    night: bool

    @property
    def key(self) -> InstanceKey:
        return (self.place, self.shift, self.date)

    @property
    def start_time(self) -> dt.datetime:
        return utc(self.start)

    @property
    def end_time(self) -> dt.datetime:
        return utc(self.end)

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Work:
    """A structurally sound assignment, resolved to its instance."""

    person: str
    role: str
    inst: Instance
    source: Assignment


@dataclass(frozen=True, slots=True)
class Cost:
    """A soft penalty with exact amount and cost."""

    rule: str
    name: str
    cause: str
    amount: Fraction
    cost: Fraction
    person: str | None = None
    code: str = ""
    params: tuple[tuple[str, Param], ...] = ()

    def penalty(self) -> Penalty:
        return Penalty(
            rule=self.rule,
            name=self.name,
            cause=self.cause,
            amount=float(self.amount),
            cost=float(self.cost),
            person=self.person,
            code=self.code,
            params=dict(self.params),
        )


class Context:
    """The scenario with look-ups, local-time conversion and the coordinator's wording."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.zone = scenario.zone
        self.people = {p.id: p for p in scenario.people}
        self.posts = {p.id: p for p in scenario.posts}
        self.duties = {d.id: d for d in scenario.team_duties}
        self.roles = {r.id: r for r in scenario.roles}
        self.limits: dict[str, PersonLimits] = {p.id: scenario.limits_of(p) for p in scenario.people}
        self.first = scenario.start
        self.last = scenario.end - DAY
        self.period = list(dates(self.first, self.last))
        self._clock: dict[tuple[dt.date, int], int] = {}
        self._instances: dict[InstanceKey, Instance | None] = {}
        self._available: dict[str, Intervals | None] = {}
        self._absent: dict[str, Intervals] = {}
        self._locals: dict[int, dt.datetime] = {}  # wording repeats the same few instants many times
        self.words = Words(scenario, "en")

    # time
    def at(self, day: dt.date, minutes: int) -> int:
        """Absolute minute of the local wall time `minutes` after midnight of `day`."""
        key = (day, minutes)
        found = self._clock.get(key)
        if found is None:
            wall = dt.datetime.combine(day, dt.time()) + minutes * MINUTE
            found = self._clock[key] = to_minute(wall.replace(tzinfo=self.zone))
        return found

    def local(self, minute: int) -> dt.datetime:
        found = self._locals.get(minute)
        if found is None:
            found = self._locals[minute] = utc(minute).astimezone(self.zone)
        return found

    def week(self, day: dt.date) -> int:
        return (day - self.first).days // 7

    def in_period(self, day: dt.date) -> bool:
        return self.first <= day <= self.last

    # instances
    def instance(self, place: str, shift: str | None, day: dt.date) -> Instance | None:
        """The instance of a post's shift or a duty on a date, or None if it does not run then."""
        key = (place, shift, day)
        if key not in self._instances:
            self._instances[key] = self._build_instance(place, shift, day)
        return self._instances[key]

    def _build_instance(self, place: str, shift: str | None, day: dt.date) -> Instance | None:
        if not self.in_period(day):
            return None
        weekday = weekday_of(day)
        post, duty = self.posts.get(place), self.duties.get(place)
        if post is not None and shift is not None:
            template = next((t for t in post.shifts if t.id == shift), None)
            if template is None or weekday not in template.days:
                return None
            start = self.at(day, template.start)
            # docs/rules.md "Time": an 'end' is a local clock time, 'hours' an absolute length.
            if template.end is not None:
                end = self.at(day, window_end(template.start, template.end))
                if end <= start:
                    return None  # swallowed by a spring change
            else:
                end = start + template.minutes
            night = template.night
            if night is None:
                night = _night_by_clock(template.start, template.minutes, self.scenario.night_window)
            return Instance(place, shift, day, start, end, night)
        if duty is not None and shift is None and weekday in duty.days:
            start = self.at(day, duty.window.start)
            night = _night_by_clock(duty.window.start, duty.window.minutes, self.scenario.night_window)
            return Instance(place, None, day, start, start + duty.window.minutes, night)
        return None

    # availability
    def available(self, person: Person) -> Intervals | None:
        """Union of the person's weekly windows around the period, or None when they are always available."""
        if person.id not in self._available:
            spans: list[tuple[int, int]] = []
            if person.availability:
                # Windows of the day before count; a shift of the last day may end two days later.
                for day in dates(self.first - DAY, self.last + 2 * DAY):
                    for window in person.availability:
                        if weekday_of(day) in window.days:
                            end = window_end(window.start, window.end)
                            spans.append((self.at(day, window.start), self.at(day, end)))
            self._available[person.id] = Intervals(spans) if person.availability else None
        return self._available[person.id]

    def absent(self, person: Person) -> Intervals:
        if person.id not in self._absent:
            spans: list[tuple[int, int]] = []
            for absence in person.absences:
                first = max(absence.date, self.first - 2 * DAY)
                last = min(absence.until or absence.date, self.last + 2 * DAY)
                for day in dates(first, last):
                    if absence.start is None or absence.end is None:
                        spans.append((self.at(day, 0), self.at(day + DAY, 0)))
                    else:
                        spans.append((self.at(day, absence.start), self.at(day, absence.end)))
            self._absent[person.id] = Intervals(spans)
        return self._absent[person.id]

    # wording: a message code and its parameters; `message`/`cause` are the English rendering of the same
    def moment(self, minute: int) -> str:
        return self.local(minute).isoformat()

    def slot(self, inst: Instance, prefix: str = "") -> dict[str, Param]:
        """The parameters naming an instance: place, shift and local start and end (see scheduler.domain.messages)."""
        return {
            f"{prefix}place": inst.place, f"{prefix}shift": inst.shift,
            f"{prefix}start": self.moment(inst.start), f"{prefix}end": self.moment(inst.end),
        }

    def violation(
        self, rule: str, code: str, params: dict[str, Param], *, person: str | None = None, place: str | None = None,
        span: tuple[int, int] | None = None, moments: tuple[dt.datetime, dt.datetime] | None = None,
    ) -> Violation:
        """`span` in absolute minutes, or `moments` as given (an assignment's own times that match no shift)."""
        if span is not None:
            moments = (self.local(span[0]), self.local(span[1]))
        return Violation(
            rule=rule, message=self.words(code, **params), person=person, place=place,
            start=None if moments is None else moments[0], end=None if moments is None else moments[1],
            code=code, params=params,
        )

    def on_work(self, rule: str, work: Work, code: str, **params: Param) -> Violation:
        """A violation about one assignment: its person and instance are parameters too."""
        full = {"person": work.person, **self.slot(work.inst), **params}
        return self.violation(
            rule, code, full, person=work.person, place=work.inst.place, span=(work.inst.start, work.inst.end)
        )

    def cost(
        self, rule: str, name: str, code: str, params: dict[str, Param], amount: Fraction, cost: Fraction,
        person: str | None = None,
    ) -> Cost:
        return Cost(rule, name, self.words(code, **params), amount, cost, person, code, tuple(params.items()))


class Index:
    """The sound assignments by person (sorted by start) and by instance."""

    def __init__(self, works: list[Work]) -> None:
        self.works = works
        self.by_person: dict[str, list[Work]] = defaultdict(list)
        self.by_instance: dict[InstanceKey, list[Work]] = defaultdict(list)
        self.people_on: dict[InstanceKey, set[str]] = defaultdict(set)
        for work in works:
            self.by_person[work.person].append(work)
            self.by_instance[work.inst.key].append(work)
            self.people_on[work.inst.key].add(work.person)
        for items in self.by_person.values():
            items.sort(key=lambda w: (w.inst.start, w.inst.end))

    def of(self, person_id: str) -> list[Work]:
        return self.by_person.get(person_id, [])


def breaks_of(work: Work) -> list[tuple[int, int]]:
    return sorted((to_minute(b.start), to_minute(b.end)) for b in work.source.breaks)



def join_gaps(gaps: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Join touching pieces into (start, end, largest gap) runs, so one hole is reported once."""
    joined: list[tuple[int, int, int]] = []
    for a, b, k in gaps:
        if joined and joined[-1][1] == a:
            joined[-1] = (joined[-1][0], b, max(joined[-1][2], k))
        else:
            joined.append((a, b, k))
    return joined

