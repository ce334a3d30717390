"""Workload: hours, shifts and nights per week; hours, weekends and shifts of a template over the period.
docs/rules.md, "workload"."""

from __future__ import annotations

from collections import defaultdict

from scheduler.check.context import DAY, EPS, Context, Index, Work
from scheduler.domain.people import Person
from scheduler.domain.rota import Violation


def _over(value: float, limit: float | None) -> bool:
    return limit is not None and value > limit + EPS


def _week_text(ctx: Context, week: int) -> str:
    first = ctx.first + 7 * week * DAY
    last = min(first + 6 * DAY, ctx.last)
    return f"week {week + 1} ({ctx.day_text(first)} – {ctx.day_text(last)})"


def violations(ctx: Context, index: Index) -> list[Violation]:
    found: list[Violation] = []
    for person in ctx.scenario.people:
        if person.active:  # an inactive person is never scheduled, so their limits cannot bind
            found += _weekly_load(ctx, person, index.of(person.id))
            found += _period_load(ctx, person, index.of(person.id))
    return found


def _weekly_load(ctx: Context, person: Person, works: list[Work]) -> list[Violation]:
    limits = ctx.limits[person.id]
    weeks: dict[int, list[Work]] = defaultdict(list)
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


def _period_load(ctx: Context, person: Person, works: list[Work]) -> list[Violation]:
    limits = ctx.limits[person.id]
    found: list[str] = []
    hours = sum(w.inst.minutes for w in works) / 60
    if _over(hours, limits.max_hours_total):
        found.append(f"{person.name} works {hours:g} h over the period (max {limits.max_hours_total:g})")
    if limits.min_hours_total is not None and hours < limits.min_hours_total - EPS:
        found.append(f"{person.name} works {hours:g} h over the period (min {limits.min_hours_total:g})")
    weekends = {w.inst.date - (w.inst.date.weekday() - 5) * DAY for w in works if w.inst.date.weekday() >= 5}
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
