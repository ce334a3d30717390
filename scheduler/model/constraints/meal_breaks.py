"""Meal breaks: people on duty go home to eat in turns, decided in the same model as the rota.

For every choice (person, shift instance, role) at a post with a meal rule, and every meal-window occurrence the
instance contains wholly, the model holds one Boolean per allowed break start (`RotaVariables.breaks`, created
with the choices): this rule makes exactly one of them true when the choice is, none when it is not. Coverage
subtracts the breaks that cover a piece and cuts its pieces at every possible break start and end (`break_cuts`).

Hard: at most `max_away` people of the post away at any minute; at most one person filling each scarce role.
Soft: `middle_cost` per grid step away from the middle slot; `late_cost` per break in the latest slot beyond a
person's first one in that window over the period. docs/rules.md, "meal_breaks", is the contract.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable

from ortools.sat.python import cp_model

from scheduler.domain.community import MealRule
from scheduler.domain.rota import Assignment, Break, Rota
from scheduler.domain.scenario import Scenario
from scheduler.model.constraints.base import OBJECTIVE_SCALE, PenaltyTerm
from scheduler.model.timeline import (
    Instances,
    MealOccurrence,
    ShiftInstance,
    break_length,
    break_starts,
    meal_rule_of,
    occurrences,
)
from scheduler.model.variables import BreakVar, Choice, IntVar, RotaVariables

__all__ = [
    "RULE",
    "MealBreaks",
    "MealOccurrence",
    "break_cuts",
    "break_length",
    "break_minutes",
    "break_starts",
    "meal_rule_of",
    "meal_windows",
    "middle_steps",
    "occurrences",
]

RULE = "meal_breaks"


def middle_steps(slot: int, slots: int) -> int:
    """Grid steps from the middle slot (either of the two middle slots when their number is even)."""
    last = slots - 1
    return min(abs(slot - last // 2), abs(slot - (last + 1) // 2))


def break_cuts(instances: Instances, shift: ShiftInstance) -> set[int]:
    """Every minute at which some possible break on this instance starts or ends (coverage cuts there)."""
    lengths_of_people = {p.meal_minutes for p in instances.scenario.people if p.meal_minutes is not None}
    cuts: set[int] = set()
    for occurrence in occurrences(instances, shift):
        for length in lengths_of_people | {occurrence.rule.minutes}:
            for start in break_starts(occurrence, length):
                cuts.update((start, start + length))
    return cuts


def meal_windows(instances: Instances) -> dict[tuple[str, int], int]:
    """(place, occurrence start) → occurrence end, for every occurrence some instance there gets a break for."""
    windows: dict[tuple[str, int], int] = {}
    for shift in instances.shifts:
        for occurrence in occurrences(instances, shift):
            windows[(shift.place, occurrence.start)] = occurrence.end
    return windows


def break_minutes(instances: Instances, person: int, shift: ShiftInstance) -> dict[int, int]:
    """Occurrence start → the length of the break this person takes in it when on this instance."""
    meal = instances.people[person].person.meal_minutes
    return {o.start: break_length(o.rule, meal) for o in occurrences(instances, shift)}


def _room_rows(model: cp_model.CpModel, variables: RotaVariables) -> None:
    """Redundant rows: the breaks of one window occurrence must fit in it.

    With at most K away at any minute the breaks split into K non-overlapping rows (an interval graph with
    cliques of at most K has K colours), so Σ length ≤ K × window, and a count weighted by how many breaks fit
    in a row with each one is ≤ K; for a scarce role K = 1. The relaxation without break variables
    (scheduler.meal_bound) needs these to avoid rotas with more people on a shift than can take their breaks;
    the joint model implies them.
    """
    instances = variables.instances
    groups: dict[tuple[str, int], list[tuple[MealOccurrence, int, Choice]]] = defaultdict(list)
    for (person, shift_index), choices in variables.choices.items():
        shift = instances.shifts[shift_index]
        meal = instances.people[person].person.meal_minutes
        for occurrence in occurrences(instances, shift):
            length = break_length(occurrence.rule, meal)
            groups[(shift.place, occurrence.start)].extend((occurrence, length, choice) for choice in choices)
    for members in groups.values():
        rule, window = members[0][0].rule, members[0][0].end - members[0][0].start
        if rule.max_away is not None:
            _room_row(model, [(length, c.var) for _, length, c in members], rule.max_away, window)
        for role in rule.scarce_roles:
            _room_row(model, [(length, c.var) for _, length, c in members if c.role == role], 1, window)


def _room_row(model: cp_model.CpModel, breaks: list[tuple[int, IntVar]], away: int, window: int) -> None:
    if not breaks:
        return
    shortest = min(length for length, _ in breaks)
    if sum(length for length, _ in breaks) > away * window:
        model.add(cp_model.LinearExpr.weighted_sum([v for _, v in breaks], [n for n, _ in breaks]) <= away * window)
    # A row holding a break of length L holds at most c(L) = 1 + ⌊(window − L) / shortest⌋ breaks, so 1 / c(L)
    # summed over one row is ≤ 1 and over all breaks ≤ K (it sees that a 75-minute break and 45-minute ones
    # waste a row's last 30 minutes).
    per_row = {length: 1 + (window - length) // shortest for length, _ in breaks}
    scale = math.lcm(*per_row.values())
    weights = [scale // per_row[length] for length, _ in breaks]
    if sum(weights) > away * scale:
        model.add(cp_model.LinearExpr.weighted_sum([v for _, v in breaks], weights) <= away * scale)


def _elementary(breaks: list[BreakVar]) -> Iterable[list[BreakVar]]:
    """The distinct sets of breaks that overlap at some minute (maximal ones are enough for a ≤ bound)."""
    points = sorted({t for b in breaks for t in (b.start, b.end)})
    seen: set[frozenset[int]] = set()
    by_start = sorted(breaks, key=lambda b: b.start)
    for point in points:
        active = [b for b in by_start if b.start <= point < b.end]
        key = frozenset(id(b) for b in active)
        if active and key not in seen:
            seen.add(key)
            yield active


class MealBreaks:
    """Meal breaks placed jointly with the assignments."""

    name = RULE

    def __init__(self, relaxed: bool = False) -> None:
        self.relaxed = relaxed
        """No break variables at all: coverage then counts everyone on post (a relaxation, see meal_bound).
        `build_model` reads this to create the model without them."""

    def build(self, scenario: Scenario, model: cp_model.CpModel, variables: RotaVariables) -> list[PenaltyTerm]:
        if not scenario.meal_rules:
            return []
        _room_rows(model, variables)
        if self.relaxed:
            return []
        terms: list[PenaltyTerm] = []
        by_place: dict[str, list[BreakVar]] = defaultdict(list)
        latest: dict[tuple[int, int, int], list[BreakVar]] = defaultdict(list)
        for group in variables.break_options:
            occurrence, options = group.occurrence, group.options
            model.add(sum(b.var for b in options) == group.choice.var)
            person = group.choice.person
            by_place[variables.instances.shifts[group.choice.shift].place].extend(options)
            terms.extend(self._middle(occurrence, variables.instances.people[person].id, options))
            if len(options) > 1:
                latest[(person, occurrence.rule_index, occurrence.window_index)].append(options[-1])
        for place, breaks in by_place.items():
            found_rule = meal_rule_of(scenario, place)
            assert found_rule is not None
            self._limits(model, found_rule[1], breaks)
        for (person, rule_index, window_index), lasts in latest.items():
            rule = scenario.meal_rules[rule_index]
            if rule.late_cost and len(lasts) > 1:
                terms.append(self._late(model, variables, rule, window_index, person, lasts))
        return terms

    @staticmethod
    def _middle(occurrence: MealOccurrence, person: str, options: list[BreakVar]) -> list[PenaltyTerm]:
        rule = occurrence.rule
        weighted = [(middle_steps(b.slot, b.slots), b.var) for b in options]
        if not rule.middle_cost or not any(steps for steps, _ in weighted):
            return []
        expr = sum(steps * var for steps, var in weighted if steps)
        first = options[0]
        return [
            PenaltyTerm(
                RULE, f"meal_breaks:middle:{person}:{first.shift}:{first.role}:{occurrence.start}",
                f"{person}'s {occurrence.window.name.en.lower()} break away from the middle of the window "
                f"(grid steps)", expr, rule.middle_cost * OBJECTIVE_SCALE, person=person,
            )
        ]

    @staticmethod
    def _limits(model: cp_model.CpModel, rule: MealRule, breaks: list[BreakVar]) -> None:
        # Windows of a rule never overlap, so only breaks of one occurrence (window and date) can.
        by_occurrence: dict[int, list[BreakVar]] = defaultdict(list)
        for b in breaks:
            by_occurrence[b.occurrence].append(b)
        for group in by_occurrence.values():
            if rule.max_away is not None:
                for active in _elementary(group):
                    if len(active) > rule.max_away:
                        model.add(sum(b.var for b in active) <= rule.max_away)
            for role in rule.scarce_roles:
                for active in _elementary([b for b in group if b.role == role]):
                    if len(active) > 1:
                        model.add_at_most_one([b.var for b in active])

    @staticmethod
    def _late(
        model: cp_model.CpModel, variables: RotaVariables, rule: MealRule, window_index: int, person: int,
        lasts: list[BreakVar],
    ) -> PenaltyTerm:
        who = variables.instances.people[person].id
        window = rule.windows[window_index]
        extra = model.new_int_var(0, len(lasts) - 1, f"late_{who}_{rule.post}_{window_index}")
        model.add(extra >= sum(b.var for b in lasts) - 1)
        return PenaltyTerm(
            RULE, f"meal_breaks:late:{who}:{rule.post}:{window_index}",
            f"{who} has the latest {window.name.en.lower()} slot ({window.label()}) more than once",
            extra, rule.late_cost * OBJECTIVE_SCALE, person=who,
        )


def _instance_of(instances: Instances, a: Assignment) -> ShiftInstance | None:
    key = (a.place, a.shift, a.date)
    return next((s for s in instances.shifts if (s.place, s.template, s.date) == key), None)


def meal_break_starts(scenario: Scenario, a: Assignment) -> list[list[dt.datetime]]:
    """For each of the assignment's breaks (earliest first), the starts its meal rule allows (on the grid, the
    break wholly inside the window, as long as the break is now); empty when no window matches it."""
    instances = Instances(scenario)
    timeline = instances.timeline
    shift = _instance_of(instances, a)
    found = occurrences(instances, shift) if shift is not None else []
    choices = []
    for b in sorted(a.breaks, key=lambda b: b.start):
        start, length = timeline.of(b.start), timeline.of(b.end) - timeline.of(b.start)
        window = next((o for o in found if o.start <= start < o.end), None)
        starts = break_starts(window, length) if window is not None else []
        choices.append([timeline.at(s) for s in starts])
    return choices


def quiet_breaks(scenario: Scenario, rota: Rota, a: Assignment) -> list[Break]:
    """Breaks for an assignment added to a rota by hand: one per meal occurrence of its shift, at the grid start
    where fewest others at the place are away (then the one nearest the middle); none off the period's shifts."""
    instances = Instances(scenario)
    timeline = instances.timeline
    shift = _instance_of(instances, a)
    if shift is None:
        return []
    away = [
        (timeline.of(b.start), timeline.of(b.end)) for other in rota.assignments if other.place == a.place
        for b in other.breaks
    ]
    chosen = []
    for occurrence in occurrences(instances, shift):
        length = break_length(occurrence.rule, scenario.person(a.person).meal_minutes)
        starts = break_starts(occurrence, length)
        best = min(range(len(starts)), key=lambda k: _crowding(away, starts, k, length))
        chosen.append(Break(start=timeline.at(starts[best]), end=timeline.at(starts[best] + length)))
    return chosen


def _crowding(away: list[tuple[int, int]], starts: list[int], position: int, length: int) -> tuple[int, int]:
    """(others away during a break at this start, grid steps from the middle): lower is better."""
    start = starts[position]
    overlapping = sum(1 for s, e in away if s < start + length and start < e)
    return overlapping, middle_steps(position, len(starts))
