"""The independent checker: does a rota keep every hard rule of docs/rules.md, and what does it cost?

It shares no code with the solver (no OR-Tools, nothing from the model-building modules) and recomputes every
time from the scenario's raw fields, so a mistake in the model cannot hide in both places at once.
Absolute times are held as integer minutes since the Unix epoch (UTC); costs are summed as exact fractions.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction

from pydantic import BaseModel, ConfigDict, Field

from scheduler.domain.clock import MINUTES_PER_DAY, Weekday
from scheduler.domain.community import CoverageRule, MealRule, MealWindow, TeamDuty, TimeWindow
from scheduler.domain.people import PairKind, Person, PersonLimits, Preference, PreferenceKind
from scheduler.domain.rota import Assignment, Penalty, Rota, Violation
from scheduler.domain.scenario import Scenario

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MINUTE = dt.timedelta(minutes=1)
_DAY = dt.timedelta(days=1)
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_EPS = 1e-9  # limits are floats in hours; compare minutes with a tolerance for binary rounding

InstanceKey = tuple[str, str | None, dt.date]
"""(post or duty id, shift id or None for a duty, local start date)."""


class CheckResult(BaseModel):
    """What the checker found: broken hard rules, and every soft penalty with the recomputed objective."""

    model_config = ConfigDict(frozen=True)

    violations: list[Violation] = Field(description="Broken hard rules; empty for a valid rota.")
    penalties: list[Penalty] = Field(description="Every nonzero soft penalty (coverage, preferences, pairs, fairness).")
    objective: float = Field(description="Sum of the penalty costs, recomputed from scratch.")

    @property
    def ok(self) -> bool:
        """True when the rota breaks no hard rule."""
        return not self.violations


# ------------------------------------------------------------------------------------------------ helpers


def _minute(moment: dt.datetime) -> int:
    """Absolute minute of an aware datetime (floored)."""
    return (moment - _EPOCH) // _MINUTE


def _utc(minute: int) -> dt.datetime:
    return _EPOCH + minute * _MINUTE


_WEEKDAYS = tuple(Weekday)


def _weekday(day: dt.date) -> Weekday:
    return _WEEKDAYS[day.weekday()]


def _dates(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    """Every date from first to last inclusive."""
    for offset in range((last - first).days + 1):
        yield first + offset * _DAY


def _window_end(start: int, end: int) -> int:
    """End of a daily window in minutes after its day's midnight (at or before the start: next day)."""
    return end if end > start else end + MINUTES_PER_DAY


def _night_by_clock(start: int, minutes: int, night: TimeWindow) -> bool:
    """Whether [start, start+minutes) overlaps the night window of that day, the day before or after."""
    for offset in (-MINUTES_PER_DAY, 0, MINUTES_PER_DAY):
        w_start = night.start + offset
        w_end = w_start + _window_end(night.start, night.end) - night.start
        if start < w_end and w_start < start + minutes:
            return True
    return False


class _Intervals:
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

    def minutes_within(self, start: int, end: int, minus: _Intervals) -> int:
        """Minutes of this set inside [start, end) that are not in `minus`."""
        total = 0
        for s, e in self.spans:
            s, e = max(s, start), min(e, end)
            if s < e:
                total += e - s - sum(max(0, min(e, me) - max(s, ms)) for ms, me in minus.spans)
        return total


class _Profile:
    """How many distinct people are on duty at each minute: a step function over sorted event points."""

    def __init__(self, per_person: dict[str, list[tuple[int, int]]]) -> None:
        deltas: dict[int, int] = defaultdict(int)
        for spans in per_person.values():
            # Merging per person first means one person on two overlapping shifts still counts once.
            for start, end in _Intervals(spans).spans:
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
class _Instance:
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
        return _utc(self.start)

    @property
    def end_time(self) -> dt.datetime:
        return _utc(self.end)

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class _Work:
    """A structurally sound assignment, resolved to its instance."""

    person: str
    role: str
    inst: _Instance
    source: Assignment


@dataclass(frozen=True, slots=True)
class _Cost:
    """A soft penalty with exact amount and cost."""

    rule: str
    name: str
    cause: str
    amount: Fraction
    cost: Fraction
    person: str | None = None

    def penalty(self) -> Penalty:
        return Penalty(
            rule=self.rule,
            name=self.name,
            cause=self.cause,
            amount=float(self.amount),
            cost=float(self.cost),
            person=self.person,
        )


class _Context:
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
        self.last = scenario.end - _DAY
        self.period = list(_dates(self.first, self.last))
        self._clock: dict[tuple[dt.date, int], int] = {}
        self._instances: dict[InstanceKey, _Instance | None] = {}
        self._available: dict[str, _Intervals | None] = {}
        self._absent: dict[str, _Intervals] = {}
        self._locals: dict[int, dt.datetime] = {}  # wording repeats the same few instants many times
        self._texts: dict[InstanceKey, str] = {}

    # time
    def at(self, day: dt.date, minutes: int) -> int:
        """Absolute minute of the local wall time `minutes` after midnight of `day`."""
        key = (day, minutes)
        found = self._clock.get(key)
        if found is None:
            wall = dt.datetime.combine(day, dt.time()) + minutes * _MINUTE
            found = self._clock[key] = _minute(wall.replace(tzinfo=self.zone))
        return found

    def local(self, minute: int) -> dt.datetime:
        found = self._locals.get(minute)
        if found is None:
            found = self._locals[minute] = _utc(minute).astimezone(self.zone)
        return found

    def week(self, day: dt.date) -> int:
        return (day - self.first).days // 7

    def in_period(self, day: dt.date) -> bool:
        return self.first <= day <= self.last

    # instances
    def instance(self, place: str, shift: str | None, day: dt.date) -> _Instance | None:
        """The instance of a post's shift or a duty on a date, or None if it does not run then."""
        key = (place, shift, day)
        if key not in self._instances:
            self._instances[key] = self._build_instance(place, shift, day)
        return self._instances[key]

    def _build_instance(self, place: str, shift: str | None, day: dt.date) -> _Instance | None:
        if not self.in_period(day):
            return None
        weekday = _weekday(day)
        post, duty = self.posts.get(place), self.duties.get(place)
        if post is not None and shift is not None:
            template = next((t for t in post.shifts if t.id == shift), None)
            if template is None or weekday not in template.days:
                return None
            start = self.at(day, template.start)
            night = template.night
            if night is None:
                night = _night_by_clock(template.start, template.minutes, self.scenario.night_window)
            return _Instance(place, shift, day, start, start + template.minutes, night)
        if duty is not None and shift is None and weekday in duty.days:
            start = self.at(day, duty.window.start)
            night = _night_by_clock(duty.window.start, duty.window.minutes, self.scenario.night_window)
            return _Instance(place, None, day, start, start + duty.window.minutes, night)
        return None

    # availability
    def available(self, person: Person) -> _Intervals | None:
        """Union of the person's weekly windows around the period, or None when they are always available."""
        if person.id not in self._available:
            spans: list[tuple[int, int]] = []
            if person.availability:
                # Windows of the day before count; a shift of the last day may end two days later.
                for day in _dates(self.first - _DAY, self.last + 2 * _DAY):
                    for window in person.availability:
                        if _weekday(day) in window.days:
                            end = _window_end(window.start, window.end)
                            spans.append((self.at(day, window.start), self.at(day, end)))
            self._available[person.id] = _Intervals(spans) if person.availability else None
        return self._available[person.id]

    def absent(self, person: Person) -> _Intervals:
        if person.id not in self._absent:
            spans: list[tuple[int, int]] = []
            for absence in person.absences:
                first = max(absence.date, self.first - 2 * _DAY)
                last = min(absence.until or absence.date, self.last + 2 * _DAY)
                for day in _dates(first, last):
                    if absence.start is None or absence.end is None:
                        spans.append((self.at(day, 0), self.at(day + _DAY, 0)))
                    else:
                        spans.append((self.at(day, absence.start), self.at(day, absence.end)))
            self._absent[person.id] = _Intervals(spans)
        return self._absent[person.id]

    # wording
    def day_text(self, day: dt.date) -> str:
        return f"{_DAY_NAMES[day.weekday()]} {day.isoformat()}"

    def span_text(self, start: int, end: int) -> str:
        """'Tue 2026-12-08 00:00–08:00' (a next-day end is implied when it is earlier than the start)."""
        ls, le = self.local(start), self.local(end)
        head = f"{self.day_text(ls.date())} {ls:%H:%M}"
        if le.date() == ls.date() or (le.date() == ls.date() + _DAY and le.time() <= ls.time()):
            tail = "24:00" if le.date() != ls.date() and le.time() == dt.time() else f"{le:%H:%M}"
            return f"{head}–{tail}"
        return f"{head} – {self.day_text(le.date())} {le:%H:%M}"

    def who(self, person_id: str) -> str:
        person = self.people.get(person_id)
        return person.name if person is not None else person_id

    def place_name(self, place: str) -> str:
        post, duty = self.posts.get(place), self.duties.get(place)
        found = post or duty
        return found.name.en if found is not None else place

    def role_name(self, role: str) -> str:
        found = self.roles.get(role)
        return found.name.en if found is not None else role

    def shift_text(self, inst: _Instance) -> str:
        """'Gate day shift Tue 2026-12-08 08:00–16:00'."""
        found = self._texts.get(inst.key)
        if found is None:
            kind = f" {inst.shift} shift" if inst.shift is not None else ""
            found = self._texts[inst.key] = (
                f"{self.place_name(inst.place)}{kind} {self.span_text(inst.start, inst.end)}"
            )
        return found

    def on_work(self, rule: str, work: _Work, message: str) -> Violation:
        return Violation(
            rule=rule,
            message=message,
            person=work.person,
            place=work.inst.place,
            start=self.local(work.inst.start),
            end=self.local(work.inst.end),
        )


class _Index:
    """The sound assignments by person (sorted by start) and by instance."""

    def __init__(self, works: list[_Work]) -> None:
        self.works = works
        self.by_person: dict[str, list[_Work]] = defaultdict(list)
        self.by_instance: dict[InstanceKey, list[_Work]] = defaultdict(list)
        self.people_on: dict[InstanceKey, set[str]] = defaultdict(set)
        for work in works:
            self.by_person[work.person].append(work)
            self.by_instance[work.inst.key].append(work)
            self.people_on[work.inst.key].add(work.person)
        for items in self.by_person.values():
            items.sort(key=lambda w: (w.inst.start, w.inst.end))

    def of(self, person_id: str) -> list[_Work]:
        return self.by_person.get(person_id, [])


# ---------------------------------------------------------------------------------------------- structure


def _header(ctx: _Context, rota: Rota) -> list[Violation]:
    scenario = ctx.scenario
    expected = (scenario.start, scenario.days, scenario.timezone)
    if (rota.start, rota.days, rota.timezone) == expected:
        return []
    message = (
        f"the rota is for {rota.days} days from {rota.start} in {rota.timezone}, but the scenario is for "
        f"{scenario.days} days from {scenario.start} in {scenario.timezone}"
    )
    return [Violation(rule="structure", message=message)]


def _resolve(ctx: _Context, a: Assignment) -> _Instance | str:
    """The assignment's instance, or what is structurally wrong with it."""
    if a.person not in ctx.people:
        return f"assignment to {a.place} on {a.date} names an unknown person {a.person!r}"
    inst = ctx.instance(a.place, a.shift, a.date)
    right_kind = a.post in ctx.posts if a.post is not None else a.duty in ctx.duties  # a duty id in `post` is wrong
    if inst is not None and right_kind and a.start == inst.start_time and a.end == inst.end_time:
        return inst
    where = f"{ctx.who(a.person)} on {a.place} {a.shift or ''} {a.date}".replace("  ", " ")
    return f"{where}: {_wrong_reference(ctx, a, inst)}"


def _wrong_reference(ctx: _Context, a: Assignment, inst: _Instance | None) -> str:
    if a.post is not None and a.post not in ctx.posts:
        return f"there is no post {a.post!r}"
    if a.duty is not None and a.duty not in ctx.duties:
        return f"there is no team duty {a.duty!r}"
    if a.post is not None and a.shift is None:
        return "an assignment to a post needs a shift"
    if a.duty is not None and a.shift is not None:
        return "a team duty has no shifts"
    if a.post is not None and all(t.id != a.shift for t in ctx.posts[a.post].shifts):
        return f"post {ctx.place_name(a.post)} has no shift {a.shift!r}"
    if not ctx.in_period(a.date):
        return f"{a.date} is outside the period {ctx.first} – {ctx.last}"
    if inst is None:
        return f"that shift does not run on {ctx.day_text(a.date)}"
    return (
        f"times {a.start.isoformat()} – {a.end.isoformat()} differ from the shift's "
        f"{ctx.span_text(inst.start, inst.end)}"
    )


def _structure(ctx: _Context, rota: Rota) -> tuple[list[Violation], list[_Work]]:
    """Structural problems, and the sound, de-duplicated assignments every other check works on."""
    violations = _header(ctx, rota)
    works: list[_Work] = []
    seen: set[tuple[str, InstanceKey]] = set()
    for a in rota.assignments:
        resolved = _resolve(ctx, a)
        if isinstance(resolved, str):
            violations.append(
                Violation(
                    rule="structure",
                    message=resolved,
                    person=a.person,
                    place=a.place,
                    start=a.start,
                    end=a.end,
                )
            )
            continue
        work = _Work(a.person, a.role, resolved, a)
        if (a.person, resolved.key) in seen:
            message = f"{ctx.who(a.person)} is assigned twice to {ctx.shift_text(resolved)}"
            violations.append(ctx.on_work("structure", work, message))
            continue
        seen.add((a.person, resolved.key))
        works.append(work)
        for pause in a.breaks:
            if not (a.start <= pause.start < pause.end <= a.end):
                message = f"{ctx.who(a.person)}'s break on {ctx.shift_text(resolved)} lies outside the shift"
                violations.append(ctx.on_work("structure", work, message))
    return violations, works


# -------------------------------------------------------------------------------------------- eligibility


def _ineligible(ctx: _Context, work: _Work) -> Iterator[str]:
    """Why the person may not be on this instance (availability and team roles are checked elsewhere)."""
    person = ctx.people[work.person]
    inst = work.inst
    if not person.active:
        yield "the person is inactive"
    if work.role not in person.roles:
        yield f"does not hold the role {ctx.role_name(work.role)}"
    if person.posts is not None and inst.place not in person.posts:
        yield f"may not be put on {ctx.place_name(inst.place)}"
    if inst.night and ctx.limits[person.id].nights_allowed is False:
        yield "may not work night shifts"
    for limit in person.shift_limits:
        if limit.max == 0 and limit.shift == inst.shift and limit.post in (None, inst.place):
            yield f"may never work the {inst.shift} shift"
    for ban in ctx.scenario.bans:
        if (ban.person, ban.date, ban.post) == (person.id, inst.date, inst.place) and ban.shift in (
            None,
            inst.shift,
        ):
            yield "the coordinator has kept them off it that day"


def _eligibility(ctx: _Context, index: _Index) -> list[Violation]:
    return [
        ctx.on_work("eligibility", work, f"{ctx.who(work.person)} on {ctx.shift_text(work.inst)}: {reason}")
        for work in index.works
        for reason in _ineligible(ctx, work)
    ]


def _availability(ctx: _Context, index: _Index) -> list[Violation]:
    violations: list[Violation] = []
    for work in index.works:
        person, inst = ctx.people[work.person], work.inst
        windows = ctx.available(person)
        text = f"{person.name} on {ctx.shift_text(inst)}"
        if windows is not None and not windows.contains(inst.start, inst.end):
            violations.append(ctx.on_work("availability", work, f"{text}: outside their availability windows"))
        if ctx.absent(person).overlaps(inst.start, inst.end):
            violations.append(ctx.on_work("availability", work, f"{text}: overlaps an absence"))
    return violations


# ---------------------------------------------------------------------------------------- rest and overlap


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    history: str | None  # how a history shift is described; None for an assignment of this rota
    work: _Work | None


def _history_spans(ctx: _Context) -> dict[str, list[_Span]]:
    spans: dict[str, list[_Span]] = defaultdict(list)
    for past in ctx.scenario.history:
        start, end = (t if t.tzinfo is not None else t.replace(tzinfo=ctx.zone) for t in (past.start, past.end))
        a, b = _minute(start), _minute(end)
        spans[past.person].append(_Span(a, b, f"previous rota's shift {ctx.span_text(a, b)}", None))
    return spans


def _rest(ctx: _Context, index: _Index) -> list[Violation]:
    """No two shifts of a person overlap, and each gap is at least min_rest_hours (history included)."""
    history = _history_spans(ctx)
    violations: list[Violation] = []
    for person in ctx.scenario.people:
        spans = history.get(person.id, []) + [_Span(w.inst.start, w.inst.end, None, w) for w in index.of(person.id)]
        spans.sort(key=lambda s: (s.start, s.end))
        rest = ctx.limits[person.id].min_rest_hours
        latest: _Span | None = None  # the span ending last so far: the nearest one before the next
        for span in spans:
            if latest is not None and (span.work is not None or latest.work is not None):
                violation = _rest_between(ctx, person, latest, span, rest)
                if violation is not None:
                    violations.append(violation)
            if latest is None or span.end > latest.end:
                latest = span
    return violations


def _span_text(ctx: _Context, span: _Span) -> str:
    return ctx.shift_text(span.work.inst) if span.work is not None else str(span.history)


def _rest_between(ctx: _Context, person: Person, before: _Span, after: _Span, rest: float | None) -> Violation | None:
    ours = after.work or before.work
    place = ours.inst.place if ours is not None else None
    gap = after.start - before.end
    if gap >= 0 and (rest is None or gap >= rest * 60 - _EPS):
        return None
    first, then = _span_text(ctx, before), _span_text(ctx, after)
    if gap < 0:
        message = f"{person.name} is on {first} and {then} at the same time"
        start, end = after.start, min(before.end, after.end)
        rule = "overlap"
    else:
        message = f"{person.name} has only {gap / 60:g} h rest between {first} and {then} (min {rest:g} h)"
        start, end = before.end, after.start
        rule = "rest"
    return Violation(
        rule=rule, message=message, person=person.id, place=place, start=ctx.local(start), end=ctx.local(end)
    )


# ------------------------------------------------------------------------------------------- successions


def _successions(ctx: _Context, index: _Index) -> list[Violation]:
    violations: list[Violation] = []
    for works in index.by_person.values():
        by_date: dict[dt.date, list[_Work]] = defaultdict(list)
        for work in works:
            by_date[work.inst.date].append(work)
        for rule in ctx.scenario.successions:
            for first in works:
                if first.inst.shift != rule.first or rule.post not in (None, first.inst.place):
                    continue
                for then in by_date.get(first.inst.date + _DAY, []):
                    if then.inst.shift == rule.then and rule.post in (None, then.inst.place):
                        violations.append(_succession_violation(ctx, first, then))
    return violations


def _succession_violation(ctx: _Context, first: _Work, then: _Work) -> Violation:
    message = (
        f"{ctx.who(then.person)} works {ctx.shift_text(then.inst)} the day after "
        f"{ctx.shift_text(first.inst)}: a {then.inst.shift} shift may not follow a {first.inst.shift} shift"
    )
    return ctx.on_work("succession", then, message)


# ---------------------------------------------------------------------------------------------- workload


def _over(value: float, limit: float | None) -> bool:
    return limit is not None and value > limit + _EPS


def _week_text(ctx: _Context, week: int) -> str:
    first = ctx.first + 7 * week * _DAY
    last = min(first + 6 * _DAY, ctx.last)
    return f"week {week + 1} ({ctx.day_text(first)} – {ctx.day_text(last)})"


def _workload(ctx: _Context, index: _Index) -> list[Violation]:
    violations: list[Violation] = []
    for person in ctx.scenario.people:
        if person.active:  # an inactive person is never scheduled, so their limits cannot bind
            violations += _weekly_load(ctx, person, index.of(person.id))
            violations += _period_load(ctx, person, index.of(person.id))
    return violations


def _weekly_load(ctx: _Context, person: Person, works: list[_Work]) -> list[Violation]:
    limits = ctx.limits[person.id]
    weeks: dict[int, list[_Work]] = defaultdict(list)
    for work in works:
        weeks[ctx.week(work.inst.date)].append(work)
    found: list[str] = []
    for week, items in sorted(weeks.items()):
        hours = sum(w.inst.minutes for w in items) / 60
        nights = sum(w.inst.night for w in items)
        when = _week_text(ctx, week)
        if _over(hours, limits.max_hours_per_week):
            found.append(f"{person.name} works {hours:g} h in {when} (max {limits.max_hours_per_week:g})")
        if _over(len(items), limits.max_shifts_per_week):
            found.append(f"{person.name} works {len(items)} shifts in {when} (max {limits.max_shifts_per_week})")
        if _over(nights, limits.max_nights_per_week):
            found.append(f"{person.name} works {nights} night shifts in {when} (max {limits.max_nights_per_week})")
    return [Violation(rule="workload", message=m, person=person.id) for m in found]


def _period_load(ctx: _Context, person: Person, works: list[_Work]) -> list[Violation]:
    limits = ctx.limits[person.id]
    found: list[str] = []
    hours = sum(w.inst.minutes for w in works) / 60
    if _over(hours, limits.max_hours_total):
        found.append(f"{person.name} works {hours:g} h over the period (max {limits.max_hours_total:g})")
    if limits.min_hours_total is not None and hours < limits.min_hours_total - _EPS:
        found.append(f"{person.name} works {hours:g} h over the period (min {limits.min_hours_total:g})")
    weekends = {w.inst.date - (w.inst.date.weekday() - 5) * _DAY for w in works if w.inst.date.weekday() >= 5}
    if _over(len(weekends), limits.max_weekends):
        found.append(f"{person.name} works {len(weekends)} weekends (max {limits.max_weekends})")
    for limit in person.shift_limits:
        if limit.max == 0:
            continue  # reported per assignment as an eligibility problem
        count = sum(w.inst.shift == limit.shift and limit.post in (None, w.inst.place) for w in works)
        if count > limit.max:
            where = f" at {ctx.place_name(limit.post)}" if limit.post else ""
            found.append(f"{person.name} works {count} {limit.shift} shifts{where} (max {limit.max})")
    return [Violation(rule="workload", message=m, person=person.id) for m in found]


# ------------------------------------------------------------------------------------------- consecutive


def _runs(flags: list[bool]) -> Iterator[tuple[bool, int, int]]:
    """(value, first index, last index) of each maximal run of equal flags."""
    begin = 0
    for i in range(1, len(flags) + 1):
        if i == len(flags) or flags[i] != flags[begin]:
            yield flags[begin], begin, i - 1
            begin = i


def _consecutive(ctx: _Context, index: _Index) -> list[Violation]:
    """Runs of worked days and days off over the history window followed by the period."""
    history_days: dict[str, set[dt.date]] = defaultdict(set)
    for past in ctx.scenario.history:
        start = past.start if past.start.tzinfo is not None else past.start.replace(tzinfo=ctx.zone)
        history_days[past.person].add(start.astimezone(ctx.zone).date())
    earliest = min((d for days in history_days.values() for d in days), default=ctx.first)
    sequence = list(_dates(min(earliest, ctx.first), ctx.last))
    offset = len(sequence) - len(ctx.period)  # index of the first period day
    violations: list[Violation] = []
    for person in ctx.scenario.people:
        before = history_days.get(person.id, set())
        during = {w.inst.date for w in index.of(person.id)}
        flags = [day in (before if i < offset else during) for i, day in enumerate(sequence)]
        for value, begin, end in _runs(flags):
            if end < offset:
                continue  # a run wholly in the history window is not this rota's doing
            inner = begin > 0 and end < len(flags) - 1  # runs touching either end of the sequence are exempt
            problem = _run_problem(ctx.limits[person.id], value, end - begin + 1, inner)
            if problem is not None:
                violations.append(_run_violation(ctx, person, problem, sequence[begin], sequence[end]))
    return violations


def _run_violation(ctx: _Context, person: Person, problem: str, first: dt.date, last: dt.date) -> Violation:
    return Violation(
        rule="consecutive",
        message=f"{person.name}: {problem}, {ctx.day_text(first)} – {ctx.day_text(last)}",
        person=person.id,
        start=ctx.local(ctx.at(first, 0)),
        end=ctx.local(ctx.at(last + _DAY, 0)),
    )


def _run_problem(limits: PersonLimits, worked: bool, length: int, inner: bool) -> str | None:
    """What is wrong with one run, if anything; `inner` runs have a neighbouring day on both sides."""
    if worked and limits.max_consecutive_days is not None and length > limits.max_consecutive_days:
        return f"{length} working days in a row (max {limits.max_consecutive_days})"
    if worked and inner and limits.min_consecutive_days is not None and length < limits.min_consecutive_days:
        return f"only {length} working days in a row (min {limits.min_consecutive_days})"
    off = limits.min_consecutive_days_off
    if not worked and inner and off is not None and length < off:
        return f"only {length} days off in a row (min {limits.min_consecutive_days_off})"
    return None


# ---------------------------------------------------------------------------------------------- coverage


@dataclass(frozen=True, slots=True)
class _Side:
    """Which bound of a coverage rule: 'under' the minimum or 'over' the maximum, and its soft cost if any."""

    name: str
    bound: int
    rate: int | None


class _Coverage:
    """Checks coverage rules; profiles per (post, role) are built once and shared by the rules."""

    def __init__(self, ctx: _Context, index: _Index) -> None:
        self.ctx = ctx
        self.index = index
        self.violations: list[Violation] = []
        self.costs: list[_Cost] = []
        self._profiles: dict[tuple[str, str | None], _Profile] = {}
        self._by_post: dict[str, list[_Work]] = defaultdict(list)
        for work in index.works:
            self._by_post[work.inst.place].append(work)

    def profile(self, post: str, role: str | None) -> _Profile:
        key = (post, role)
        if key not in self._profiles:
            per_person: dict[str, list[tuple[int, int]]] = defaultdict(list)
            for work in self._by_post.get(post, []):
                if role is None or work.role == role:
                    per_person[work.person].extend(_present(work))
            self._profiles[key] = _Profile(per_person)
        return self._profiles[key]

    def run(self) -> None:
        for rule in self.ctx.scenario.coverage:
            if rule.shift is not None:
                self.shift_rule(rule, rule.shift)
            else:
                self.window_rule(rule)

    def what(self, rule: CoverageRule) -> str:
        return self.ctx.role_name(rule.role) if rule.role else "people"

    def horizon(self, post_id: str) -> tuple[int, int]:
        start = min(self.ctx.at(self.ctx.first, t.start) for t in self.ctx.posts[post_id].shifts)
        return start, start + self.ctx.scenario.days * MINUTES_PER_DAY

    def windows(self, rule: CoverageRule) -> Iterator[tuple[int, int]]:
        """The rule's windows from the day before the period to its last day, clipped to the horizon."""
        low, high = self.horizon(rule.post)
        for day in _dates(self.ctx.first - _DAY, self.ctx.last + _DAY):
            if _weekday(day) not in rule.days or (rule.dates is not None and day not in rule.dates):
                continue
            if rule.window is None:
                start, end = self.ctx.at(day, 0), self.ctx.at(day + _DAY, 0)
            else:
                window = rule.window
                start, end = (
                    self.ctx.at(day, window.start),
                    self.ctx.at(day, _window_end(window.start, window.end)),
                )
            start, end = max(start, low), min(end, high)
            if start < end:
                yield start, end

    def window_rule(self, rule: CoverageRule) -> None:
        profile = self.profile(rule.post, rule.role)
        for start, end in self.windows(rule):
            pieces = list(profile.pieces(start, end))
            short = [(a, b, rule.min - n) for a, b, n in pieces if n < rule.min]
            self.window_outcome(rule, (start, end), short, _Side("under", rule.min, rule.min_cost))
            if rule.max is not None:
                extra = [(a, b, n - rule.max) for a, b, n in pieces if n > rule.max]
                self.window_outcome(rule, (start, end), extra, _Side("over", rule.max, rule.max_cost))

    def window_outcome(
        self, rule: CoverageRule, window: tuple[int, int], gaps: list[tuple[int, int, int]], side: _Side
    ) -> None:
        """One window's shortfall (or excess): hard violations per hole, or one soft cost for the window."""
        if not gaps:
            return
        if side.rate is None:
            for a, b, worst in _join(gaps):
                self.window_violation(rule, a, b, worst, side)
            return
        person_minutes = sum((b - a) * k for a, b, k in gaps)
        stamp = f"{self.ctx.local(window[0]):%Y-%m-%d %H:%M}"
        word = "missing" if side.name == "under" else "extra"
        cause = (
            f"{self.ctx.place_name(rule.post)} {self.ctx.span_text(*window)}: {person_minutes / 60:g} {word} "
            f"person-hours of {self.what(rule)} (rule '{rule.label()}')"
        )
        self.costs.append(
            _Cost(
                "coverage",
                f"coverage:{rule.label()}:{stamp}:{side.name}",
                cause,
                Fraction(person_minutes, 60),
                Fraction(person_minutes * side.rate, 60),
            )
        )

    def window_violation(self, rule: CoverageRule, start: int, end: int, worst: int, side: _Side) -> None:
        have = side.bound - worst if side.name == "under" else side.bound + worst
        bound = "at least" if side.name == "under" else "at most"
        message = (
            f"{self.ctx.place_name(rule.post)} {self.ctx.span_text(start, end)}: {have} {self.what(rule)} "
            f"on duty, {bound} {side.bound} needed (rule '{rule.label()}')"
        )
        self.violations.append(
            Violation(
                rule="coverage",
                message=message,
                place=rule.post,
                start=self.ctx.local(start),
                end=self.ctx.local(end),
            )
        )

    def shift_rule(self, rule: CoverageRule, shift: str) -> None:
        for day in self.ctx.period:
            inst = self.ctx.instance(rule.post, shift, day)
            if inst is None or _weekday(day) not in rule.days or (rule.dates is not None and day not in rule.dates):
                continue
            on = {w.person for w in self.index.by_instance.get(inst.key, []) if rule.role in (None, w.role)}
            self.shift_outcome(rule, inst, rule.min - len(on), "under", rule.min_cost)
            if rule.max is not None:
                self.shift_outcome(rule, inst, len(on) - rule.max, "over", rule.max_cost)

    def shift_outcome(self, rule: CoverageRule, inst: _Instance, off: int, side: str, rate: int | None) -> None:
        if off <= 0:
            return
        word = "missing" if side == "under" else "too many"
        text = f"{self.ctx.shift_text(inst)}: {off} {self.what(rule)} {word} (rule '{rule.label()}')"
        if rate is None:
            self.violations.append(
                Violation(
                    rule="coverage",
                    message=text,
                    place=rule.post,
                    start=self.ctx.local(inst.start),
                    end=self.ctx.local(inst.end),
                )
            )
            return
        stamp = f"{self.ctx.local(inst.start):%Y-%m-%d %H:%M}"
        name = f"coverage:{rule.label()}:{stamp}:{side}"
        self.costs.append(_Cost("coverage", name, text, Fraction(off), Fraction(off * rate)))


def _breaks_of(work: _Work) -> list[tuple[int, int]]:
    return sorted((_minute(b.start), _minute(b.end)) for b in work.source.breaks)


def _present(work: _Work) -> list[tuple[int, int]]:
    """The parts of an assignment the person is at the post: the shift minus their meal breaks."""
    spans: list[tuple[int, int]] = []
    current = work.inst.start
    for start, end in _breaks_of(work):
        start, end = max(start, work.inst.start), min(end, work.inst.end)
        if start > current:
            spans.append((current, start))
        current = max(current, end)
    if current < work.inst.end:
        spans.append((current, work.inst.end))
    return spans


def _join(gaps: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Join touching pieces into (start, end, largest gap) runs, so one hole is reported once."""
    joined: list[tuple[int, int, int]] = []
    for a, b, k in gaps:
        if joined and joined[-1][1] == a:
            joined[-1] = (joined[-1][0], b, max(joined[-1][2], k))
        else:
            joined.append((a, b, k))
    return joined


# ------------------------------------------------------------------------------------------- meal breaks


@dataclass(frozen=True, slots=True)
class _MealSlot:
    """A meal-window occurrence an assignment gets a break for."""

    index: int
    window: MealWindow
    start: int
    end: int


def _meal_slots(ctx: _Context, rule: MealRule, inst: _Instance) -> list[_MealSlot]:
    """Window occurrences (on the instance's date or the next) lying wholly inside the instance."""
    if rule.shifts is not None and inst.shift not in rule.shifts:
        return []
    slots = []
    for day in (inst.date, inst.date + _DAY):
        for i, window in enumerate(rule.windows):
            start, end = ctx.at(day, window.start), ctx.at(day, window.end)
            if inst.start <= start and end <= inst.end:
                slots.append(_MealSlot(i, window, start, end))
    return slots


def _meals(ctx: _Context, index: _Index) -> tuple[list[Violation], list[_Cost]]:
    """Breaks per window, their length, grid and place; people away at once; the middle and late costs."""
    violations: list[Violation] = []
    costs: list[_Cost] = []
    rules = {rule.post: rule for rule in ctx.scenario.meal_rules}
    latest: dict[tuple[str, str, int], int] = defaultdict(int)
    for work in index.works:
        rule = rules.get(work.inst.place)
        breaks = _breaks_of(work)
        slots = _meal_slots(ctx, rule, work.inst) if rule is not None else []
        if rule is None or not slots:
            if breaks:
                message = f"{ctx.who(work.person)} has a meal break on {ctx.shift_text(work.inst)}, which gets none"
                violations.append(ctx.on_work("meal_breaks", work, message))
            continue
        person = ctx.people[work.person]
        length = person.meal_minutes if person.meal_minutes is not None else rule.minutes
        taken: dict[int, int] = defaultdict(int)
        for start, end in breaks:
            where = f"{ctx.who(work.person)}'s break {ctx.span_text(start, end)} on {ctx.shift_text(work.inst)}"
            slot = next((m for m in slots if m.start <= start and end <= m.end), None)
            if slot is None:
                violations.append(ctx.on_work("meal_breaks", work, f"{where} is not inside a meal window"))
                continue
            taken[slot.start] += 1
            if end - start != length:
                message = f"{where} lasts {end - start} minutes, not {length}"
                violations.append(ctx.on_work("meal_breaks", work, message))
                continue
            offset = start - slot.start
            if offset % rule.grid_minutes:
                message = f"{where} does not start on the {rule.grid_minutes}-minute grid of {slot.window.label()}"
                violations.append(ctx.on_work("meal_breaks", work, message))
                continue
            position, count = offset // rule.grid_minutes, (slot.end - slot.start - length) // rule.grid_minutes + 1
            steps = min(abs(position - (count - 1) // 2), abs(position - count // 2))
            if rule.middle_cost and steps:
                cause = f"{where}: {steps} grid step(s) from the middle of {slot.window.label()}"
                costs.append(_Cost("meal_breaks", f"meal_breaks:middle:{work.person}:{start}", cause,
                                   Fraction(steps), Fraction(steps * rule.middle_cost), work.person))
            if count > 1 and position == count - 1:
                latest[(work.person, rule.post, slot.index)] += 1
        for slot in slots:
            if taken[slot.start] != 1:
                message = (
                    f"{ctx.who(work.person)} needs one {slot.window.name.en.lower()} break in "
                    f"{ctx.span_text(slot.start, slot.end)} on {ctx.shift_text(work.inst)}, has {taken[slot.start]}"
                )
                violations.append(ctx.on_work("meal_breaks", work, message))
    for (person_id, post, window_index), times in sorted(latest.items()):
        rule = rules[post]
        if rule.late_cost and times > 1:
            window = rule.windows[window_index]
            cause = (
                f"{ctx.who(person_id)} has the latest {window.name.en.lower()} slot at "
                f"{ctx.place_name(post)} {times} times (first one free)"
            )
            costs.append(_Cost("meal_breaks", f"meal_breaks:late:{person_id}:{post}:{window_index}", cause,
                               Fraction(times - 1), Fraction((times - 1) * rule.late_cost), person_id))
    for rule in ctx.scenario.meal_rules:
        violations += _away_at_once(ctx, rule, index)
    return violations, costs


def _away_at_once(ctx: _Context, rule: MealRule, index: _Index) -> list[Violation]:
    """At every minute: at most `max_away` people of the post on a break, at most one per scarce role."""
    violations: list[Violation] = []
    works = [w for w in index.works if w.inst.place == rule.post and w.source.breaks]
    limits: list[tuple[str | None, int]] = [(role, 1) for role in rule.scarce_roles]
    if rule.max_away is not None:
        limits.insert(0, (None, rule.max_away))
    for role, limit in limits:
        per_person: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for work in works:
            if role is None or work.role == role:
                per_person[work.person].extend(_breaks_of(work))
        profile = _Profile(per_person)
        over = [(a, b, n) for a, b, n in _pieces_all(profile) if n > limit]
        for a, b, n in _join([(a, b, n) for a, b, n in over]):
            who = "people" if role is None else ctx.role_name(role) + "s"
            message = (
                f"{ctx.place_name(rule.post)} {ctx.span_text(a, b)}: {n} {who} away on a meal break at once, "
                f"at most {limit} allowed"
            )
            violations.append(Violation(rule="meal_breaks", message=message, place=rule.post,
                                        start=ctx.local(a), end=ctx.local(b)))
    return violations


def _pieces_all(profile: _Profile) -> Iterator[tuple[int, int, int]]:
    if profile.times:
        yield from profile.pieces(profile.times[0], profile.times[-1])


# ----------------------------------------------------------------------------------- teams, pairs, pins


def _teams(ctx: _Context, index: _Index) -> list[Violation]:
    violations: list[Violation] = []
    for duty in ctx.scenario.team_duties:
        for day in ctx.period:
            inst = ctx.instance(duty.id, None, day)
            if inst is not None:
                violations += _team_on(ctx, duty, inst, index.by_instance.get(inst.key, []))
    return violations


def _team_on(ctx: _Context, duty: TeamDuty, inst: _Instance, works: list[_Work]) -> list[Violation]:
    found: list[str] = []
    for role in duty.roles:
        count = sum(w.role == role for w in works)
        if count != duty.teams:
            found.append(f"{count} {ctx.role_name(role)} on duty, exactly {duty.teams} needed")
    for work in works:
        if work.role not in duty.roles:
            found.append(f"{ctx.who(work.person)} is on it as {ctx.role_name(work.role)}, which the duty does not need")
    start, end = ctx.local(inst.start), ctx.local(inst.end)
    return [
        Violation(rule="teams", message=f"{ctx.shift_text(inst)}: {m}", place=duty.id, start=start, end=end)
        for m in found
    ]


def _pairs_apart(ctx: _Context, index: _Index) -> list[Violation]:
    violations: list[Violation] = []
    for pair in ctx.scenario.pairs:
        if pair.kind != PairKind.APART:
            continue
        first, second = (index.of(p) for p in pair.people)
        for a in first:
            for b in second:
                if b.inst.start >= a.inst.end:
                    break  # sorted by start: nothing later can overlap a
                if b.inst.end > a.inst.start:
                    message = (
                        f"{ctx.who(a.person)} ({ctx.shift_text(a.inst)}) and {ctx.who(b.person)} "
                        f"({ctx.shift_text(b.inst)}) must not be on duty at the same time"
                    )
                    violations.append(ctx.on_work("pairs", a, message))
    return violations


def _pins(ctx: _Context, index: _Index) -> list[Violation]:
    violations: list[Violation] = []
    for pin in ctx.scenario.pins:
        inst = ctx.instance(pin.post, pin.shift, pin.date)
        as_role = f" as {ctx.role_name(pin.role)}" if pin.role else ""
        if inst is None:
            what = f"{ctx.place_name(pin.post)} {pin.shift or ''} on {ctx.day_text(pin.date)}".replace("  ", " ")
            message = f"{ctx.who(pin.person)} is pinned to {what}{as_role}, which does not run that day"
            violations.append(Violation(rule="pins", message=message, person=pin.person, place=pin.post))
            continue
        on = index.by_instance.get(inst.key, [])
        if not any(w.person == pin.person and pin.role in (None, w.role) for w in on):
            message = f"{ctx.who(pin.person)} is pinned to {ctx.shift_text(inst)}{as_role} but is not on it"
            violations.append(
                Violation(
                    rule="pins",
                    message=message,
                    person=pin.person,
                    place=pin.post,
                    start=ctx.local(inst.start),
                    end=ctx.local(inst.end),
                )
            )
    return violations


# -------------------------------------------------------------------------------------------- objective


def _unmet(ctx: _Context, pref: Preference, works: list[_Work]) -> tuple[int, str]:
    """How many times a wish is unmet, and the wish in words."""
    wants = pref.kind == PreferenceKind.WANTS
    verb = "wants" if wants else "avoids"
    if pref.date is not None:
        if pref.shift is not None:
            hit = any(
                w.inst.date == pref.date and w.inst.shift == pref.shift and pref.post in (None, w.inst.place)
                for w in works
            )
            what = f"the {pref.shift} shift{f' at {ctx.place_name(pref.post)}' if pref.post else ''}"
            return int(hit != wants), f"{verb} {what} on {ctx.day_text(pref.date)}"
        hit = any(w.inst.date == pref.date for w in works)
        return int(hit != wants), f"{verb} working on {ctx.day_text(pref.date)}"
    if pref.weekday is not None:
        worked = {w.inst.date for w in works}
        days = [d for d in ctx.period if _weekday(d) == pref.weekday]
        count = sum((d in worked) != wants for d in days)
        return count, f"{verb} working on {_DAY_NAMES[pref.weekday.index]}days"
    count = sum(w.inst.night != wants for w in works)
    return count, f"{verb} night shifts"


def _preferences(ctx: _Context, index: _Index) -> list[_Cost]:
    multiplier = ctx.scenario.weights.preferences
    costs: list[_Cost] = []
    for person in ctx.scenario.people:
        if not person.active:
            continue  # an inactive person's wishes are not about this rota
        for i, pref in enumerate(person.preferences):
            if pref.date is not None and not ctx.in_period(pref.date):
                continue  # a wish about another period
            count, wish = _unmet(ctx, pref, index.of(person.id))
            cost = count * pref.weight * multiplier
            if cost:
                cause = f"{person.name} {wish}: unmet {count} time{'s' if count != 1 else ''}"
                name = f"preferences:{person.id}:{i}"
                costs.append(_Cost("preferences", name, cause, Fraction(count), Fraction(cost), person.id))
    return costs


def _pairs_together(ctx: _Context, index: _Index) -> list[_Cost]:
    costs: list[_Cost] = []
    for pair in ctx.scenario.pairs:
        if pair.kind != PairKind.TOGETHER:
            continue
        first, second = pair.people
        alone = sum(second not in index.people_on[w.inst.key] for w in index.of(first))
        if alone:
            cause = f"{ctx.who(first)} works {alone} shift{'s' if alone != 1 else ''} without {ctx.who(second)}"
            name = f"pairs:{first}+{second}"
            costs.append(_Cost("pairs", name, cause, Fraction(alone), Fraction(alone * pair.weight), first))
    return costs


def _capacity(ctx: _Context, person: Person) -> int:
    """Minutes of the period the person could work: availability minus absences, capped by their limits."""
    start, end = ctx.at(ctx.first, 0), ctx.at(ctx.last + _DAY, 0)
    windows = ctx.available(person) or _Intervals([(start, end)])
    minutes = windows.minutes_within(start, end, ctx.absent(person))
    limits = ctx.limits[person.id]
    # Fraction(str(h)) takes the decimal the coordinator wrote, so 37.5 h × 60 × days / 7 floors exactly.
    if limits.max_hours_per_week is not None:
        minutes = min(minutes, int(Fraction(str(limits.max_hours_per_week)) * 60 * ctx.scenario.days // 7))
    if limits.max_hours_total is not None:
        minutes = min(minutes, int(Fraction(str(limits.max_hours_total)) * 60 // 1))
    return minutes


def _longest_shift(scenario: Scenario, person: Person) -> int:
    """Minutes of the longest shift or duty at the places the person may work (the fair band for hours)."""
    lengths = {post.id: max(round(t.hours * 60) for t in post.shifts) for post in scenario.posts}
    for duty in scenario.team_duties:
        window = duty.window
        lengths[duty.id] = (window.end - window.start) % (24 * 60) or 24 * 60
    places = person.posts if person.posts is not None else list(lengths)
    return max((lengths[p] for p in places if p in lengths), default=0)


def _fairness(ctx: _Context, index: _Index) -> list[_Cost]:
    weights = ctx.scenario.weights
    active = [p for p in ctx.scenario.people if p.active]
    capacity = {p.id: _capacity(ctx, p) for p in active}
    night_capacity = {p.id: 0 if ctx.limits[p.id].nights_allowed is False else capacity[p.id] for p in active}
    hour_band = {p.id: _longest_shift(ctx.scenario, p) for p in active}
    no_band = {p.id: 0 for p in active}
    works = index.by_person.items()
    hours = {pid: sum(w.inst.minutes for w in items) for pid, items in works}
    nights = {pid: sum(w.inst.night for w in items) for pid, items in works}
    weekends = {pid: sum(w.inst.date.weekday() >= 5 for w in items) for pid, items in works}
    costs: list[_Cost] = []
    for group in _fairness_groups(active):
        for measure in (
            _FairMeasure("hours", capacity, weights.fairness_hours, hours, hour_band, 60),
            _FairMeasure("nights", night_capacity, weights.fairness_nights, nights, no_band, 1),
            _FairMeasure("weekends", capacity, weights.fairness_weekends, weekends, no_band, 1),
        ):
            if measure.weight:
                costs += _fair_share(ctx, measure, group)
    return costs


def _fairness_groups(active: list[Person]) -> list[list[str]]:
    """Person ids compared with each other: same first role, same places they may work (docs/rules.md)."""
    groups: dict[tuple[str, frozenset[str] | None], list[str]] = {}
    for person in active:
        places = frozenset(person.posts) if person.posts is not None else None
        groups.setdefault((person.roles[0], places), []).append(person.id)
    return list(groups.values())


@dataclass(frozen=True)
class _FairMeasure:
    name: str
    caps: dict[str, int]
    weight: int
    values: dict[str, int]
    band: dict[str, int]
    """Half-width of the fair band per person (docs/rules.md)."""
    granule: int
    """Units of the value per costed unit: 60 minutes make an hour."""


def _fair_share(ctx: _Context, measure: _FairMeasure, group: list[str]) -> list[_Cost]:
    """Distance of each person of the group outside the fair band around their share (docs/rules.md)."""
    caps = {person_id: measure.caps[person_id] for person_id in group}
    total_capacity = sum(caps.values())
    if total_capacity == 0:
        return []
    total = sum(measure.values.get(person_id, 0) for person_id in group)
    costs: list[_Cost] = []
    for person_id, cap in caps.items():
        q = (2000 * cap + total_capacity) // (2 * total_capacity)  # round_half_up(1000 × c / C)
        share = q * total // 1000
        value = measure.values.get(person_id, 0)
        band = measure.band[person_id]
        outside = max(0, value - share - max(band, 1), share - band - value)
        if outside == 0:
            continue
        units = -(-outside // measure.granule)  # whole hours (or shifts), rounded up
        unit = "h" if measure.name == "hours" else measure.name
        per = Fraction(1, measure.granule)
        cause = (
            f"{ctx.who(person_id)} has {float(value * per):g} {unit}, fair share {float(share * per):g} "
            f"(fair from {float((share - band) * per):g} to {float((share + max(band, 1)) * per):g})"
        )
        costs.append(
            _Cost("fairness", f"fairness:{measure.name}:{person_id}", cause, Fraction(units),
                  Fraction(units * measure.weight), person_id)
        )
    return costs


# ----------------------------------------------------------------------------------------------- public


def check(scenario: Scenario, rota: Rota) -> CheckResult:
    """Check a rota against every hard rule of the scenario and recompute its objective from scratch.

    Structurally broken assignments (unknown ids, wrong times, duplicates) are reported and then left out of
    every other check, which work only on sound assignments.
    """
    ctx = _Context(scenario)
    violations, works = _structure(ctx, rota)
    index = _Index(works)
    for rule_check in (
        _eligibility,
        _availability,
        _rest,
        _successions,
        _workload,
        _consecutive,
        _teams,
        _pairs_apart,
        _pins,
    ):
        violations += rule_check(ctx, index)
    coverage = _Coverage(ctx, index)
    coverage.run()
    violations += coverage.violations
    meal_violations, meal_costs = _meals(ctx, index)
    violations += meal_violations
    costs = coverage.costs + meal_costs + _preferences(ctx, index) + _pairs_together(ctx, index) + _fairness(ctx, index)
    objective = sum((c.cost for c in costs), Fraction(0))
    return CheckResult(violations=violations, penalties=[c.penalty() for c in costs], objective=float(objective))
