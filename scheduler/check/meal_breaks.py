"""Meal breaks: one break per meal-window occurrence a shift gets, of the right length, on the grid; people away
at once; the middle and late slot costs. docs/rules.md, "meal_breaks"."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from scheduler.check.context import DAY, Context, Cost, Index, Instance, Profile, breaks_of, join_gaps
from scheduler.domain.community import MealRule, MealWindow
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
                costs.append(Cost("meal_breaks", f"meal_breaks:middle:{work.person}:{start}", cause,
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
            costs.append(Cost("meal_breaks", f"meal_breaks:late:{person_id}:{post}:{window_index}", cause,
                               Fraction(times - 1), Fraction((times - 1) * rule.late_cost), person_id))
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
            who = "people" if role is None else ctx.role_name(role) + "s"
            message = (
                f"{ctx.place_name(rule.post)} {ctx.span_text(a, b)}: {n} {who} away on a meal break at once, "
                f"at most {limit} allowed"
            )
            violations.append(Violation(rule="meal_breaks", message=message, place=rule.post,
                                        start=ctx.local(a), end=ctx.local(b)))
    return violations


def _pieces_all(profile: Profile) -> Iterator[tuple[int, int, int]]:
    if profile.times:
        yield from profile.pieces(profile.times[0], profile.times[-1])
