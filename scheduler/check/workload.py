"""Workload: hours, shifts and nights per week; hours, weekends and shifts of a template over the period.
docs/rules.md, "workload"."""

from __future__ import annotations

from collections import defaultdict

from scheduler.check.context import DAY, EPS, Context, Index, Work
from scheduler.domain.messages import Param
from scheduler.domain.people import Person
from scheduler.domain.rota import Violation


def _over(value: float, limit: float | None) -> bool:
    return limit is not None and value > limit + EPS


def _week_params(ctx: Context, week: int) -> dict[str, Param]:
    first = ctx.first + 7 * week * DAY
    last = min(first + 6 * DAY, ctx.last)
    return {"week": week + 1, "first": first.isoformat(), "last": last.isoformat()}


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
    found: list[tuple[str, dict[str, Param]]] = []
    for week, items in sorted(weeks.items()):
        minutes = sum(w.inst.minutes for w in items)
        nights = sum(w.inst.night for w in items)
        when = _week_params(ctx, week)
        if _over(minutes / 60, limits.max_hours_per_week):
            limit = round((limits.max_hours_per_week or 0) * 60)
            found.append(("workload.week_hours", {**when, "minutes": minutes, "limit_minutes": limit}))
        if _over(len(items), limits.max_shifts_per_week):
            found.append(("workload.week_shifts", {**when, "count": len(items), "limit": limits.max_shifts_per_week}))
        if _over(nights, limits.max_nights_per_week):
            found.append(("workload.week_nights", {**when, "count": nights, "limit": limits.max_nights_per_week}))
    return [ctx.violation("workload", code, {"person": person.id, **p}, person=person.id) for code, p in found]


def _period_load(ctx: Context, person: Person, works: list[Work]) -> list[Violation]:
    limits = ctx.limits[person.id]
    found: list[tuple[str, dict[str, Param]]] = []
    minutes = sum(w.inst.minutes for w in works)
    hours = minutes / 60
    if _over(hours, limits.max_hours_total):
        most = round((limits.max_hours_total or 0) * 60)
        found.append(("workload.total_max", {"minutes": minutes, "limit_minutes": most}))
    if limits.min_hours_total is not None and hours < limits.min_hours_total - EPS:
        found.append(("workload.total_min", {"minutes": minutes, "limit_minutes": round(limits.min_hours_total * 60)}))
    weekends = {w.inst.date - (w.inst.date.weekday() - 5) * DAY for w in works if w.inst.date.weekday() >= 5}
    if _over(len(weekends), limits.max_weekends):
        found.append(("workload.weekends", {"count": len(weekends), "limit": limits.max_weekends}))
    for limit in person.shift_limits:
        if limit.max == 0:
            continue  # reported per assignment as an eligibility problem
        count = sum(w.inst.shift == limit.shift and limit.post in (None, w.inst.place) for w in works)
        if count > limit.max:
            params: dict[str, Param] = {"count": count, "counted_shift": limit.shift, "limit": limit.max}
            if limit.post:
                found.append(("workload.shift_count_at", {**params, "place": limit.post}))
            else:
                found.append(("workload.shift_count", params))
    return [ctx.violation("workload", code, {"person": person.id, **p}, person=person.id) for code, p in found]
