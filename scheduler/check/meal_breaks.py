"""Meal breaks: one break per meal-window occurrence a shift gets, of the right length, on the grid; people away
at once; the middle and late slot costs. docs/rules.md, "meal_breaks"."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from scheduler.check.context import DAY, Context, Cost, Index, Instance, Profile, breaks_of, join_gaps
from scheduler.domain.community import MealRule, MealWindow
from scheduler.domain.messages import Param
from scheduler.domain.rota import Violation


@dataclass(frozen=True, slots=True)
class _MealSlot:
    """A meal-window occurrence an assignment gets a break for."""

    index: int
    window: MealWindow
    start: int
    end: int


def _meal_slots(ctx: Context, rule: MealRule, inst: Instance) -> list[_MealSlot]:
    """Window occurrences (on the instance's date or the next) lying wholly inside the instance."""
    if rule.shifts is not None and inst.shift not in rule.shifts:
        return []
    slots = []
    for day in (inst.date, inst.date + DAY):
        for i, window in enumerate(rule.windows):
            start, end = ctx.at(day, window.start), ctx.at(day, window.end)
            if inst.start <= start and end <= inst.end:
                slots.append(_MealSlot(i, window, start, end))
    return slots


def findings(ctx: Context, index: Index) -> tuple[list[Violation], list[Cost]]:
    """Breaks per window, their length, grid and place; people away at once; the middle and late costs."""
    violations: list[Violation] = []
    costs: list[Cost] = []
    rules = {rule.post: rule for rule in ctx.scenario.meal_rules}
    latest: dict[tuple[str, str, int], int] = defaultdict(int)
    for work in index.works:
        rule = rules.get(work.inst.place)
        breaks = breaks_of(work)
        slots = _meal_slots(ctx, rule, work.inst) if rule is not None else []
        if rule is None or not slots:
            if breaks:
                violations.append(ctx.on_work("meal_breaks", work, "meal_breaks.not_given"))
            continue
        person = ctx.people[work.person]
        length = person.meal_minutes if person.meal_minutes is not None else rule.minutes
        taken: dict[int, int] = defaultdict(int)
        for start, end in breaks:
            where: dict[str, Param] = {"break_start": ctx.moment(start), "break_end": ctx.moment(end)}
            slot = next((m for m in slots if m.start <= start and end <= m.end), None)
            if slot is None:
                violations.append(ctx.on_work("meal_breaks", work, "meal_breaks.outside_window", **where))
                continue
            taken[slot.start] += 1
            if end - start != length:
                violations.append(ctx.on_work(
                    "meal_breaks", work, "meal_breaks.length", **where, length=end - start, needed=length
                ))
                continue
            offset = start - slot.start
            if offset % rule.grid_minutes:
                violations.append(ctx.on_work(
                    "meal_breaks", work, "meal_breaks.grid", **where, grid=rule.grid_minutes, window=slot.window.label()
                ))
                continue
            position, count = offset // rule.grid_minutes, (slot.end - slot.start - length) // rule.grid_minutes + 1
            steps = min(abs(position - (count - 1) // 2), abs(position - count // 2))
            if rule.middle_cost and steps:
                params = {"person": work.person, **ctx.slot(work.inst), **where, "steps": steps,
                          "window": slot.window.label()}
                costs.append(ctx.cost("meal_breaks", f"meal_breaks:middle:{work.person}:{start}",
                                      "meal_breaks.off_middle", params, Fraction(steps),
                                      Fraction(steps * rule.middle_cost), work.person))
            if count > 1 and position == count - 1:
                latest[(work.person, rule.post, slot.index)] += 1
        for slot in slots:
            if taken[slot.start] != 1:
                violations.append(ctx.on_work(
                    "meal_breaks", work, "meal_breaks.missing", meal=slot.window.label(),
                    window_start=ctx.moment(slot.start), window_end=ctx.moment(slot.end), count=taken[slot.start],
                ))
    for (person_id, post, window_index), times in sorted(latest.items()):
        rule = rules[post]
        if rule.late_cost and times > 1:
            window = rule.windows[window_index]
            params = {"person": person_id, "meal": window.label(), "place": post, "count": times}
            costs.append(ctx.cost("meal_breaks", f"meal_breaks:late:{person_id}:{post}:{window_index}",
                                  "meal_breaks.latest_slot", params, Fraction(times - 1),
                                  Fraction((times - 1) * rule.late_cost), person_id))
    for rule in ctx.scenario.meal_rules:
        violations += _away_at_once(ctx, rule, index)
    return violations, costs


def _away_at_once(ctx: Context, rule: MealRule, index: Index) -> list[Violation]:
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
                per_person[work.person].extend(breaks_of(work))
        profile = Profile(per_person)
        over = [(a, b, n) for a, b, n in _pieces_all(profile) if n > limit]
        for a, b, n in join_gaps([(a, b, n) for a, b, n in over]):
            params: dict[str, Param] = {
                "place": rule.post, "start": ctx.moment(a), "end": ctx.moment(b), "count": n, "limit": limit,
            }
            code = "meal_breaks.too_many_away"
            if role is not None:
                code, params["role"] = "meal_breaks.too_many_away_role", role
            violations.append(ctx.violation("meal_breaks", code, params, place=rule.post, span=(a, b)))
    return violations


def _pieces_all(profile: Profile) -> Iterator[tuple[int, int, int]]:
    if profile.times:
        yield from profile.pieces(profile.times[0], profile.times[-1])
