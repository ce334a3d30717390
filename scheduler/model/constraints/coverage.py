"""Coverage: enough people (of a role) on a post at every minute of a window, or on a shift.

A window is split at every shift boundary of its post and at every minute a meal break may start or end; within
a piece the same shifts and the same possible breaks cover every minute, so one linear constraint per piece
makes the rule hold at every minute. People on a meal break are not counted (the model's break variables,
`RotaVariables.breaks`, which the meal-breaks rule ties to the choices); shift rules ignore breaks.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.domain.clock import Weekday
from scheduler.domain.community import CoverageRule
from scheduler.domain.scenario import Scenario
from scheduler.model.constraints.base import OBJECTIVE_SCALE, PenaltyTerm
from scheduler.model.constraints.meal_breaks import break_cuts, break_minutes, meal_windows, occurrences
from scheduler.model.timeline import Instances, ShiftInstance
from scheduler.model.variables import IntVar, RotaVariables


@dataclass(frozen=True)
class CoverageNeed:
    """One piece of one rule: between `start` and `end`, the people on `shifts` (in `role`) are counted."""

    rule: CoverageRule
    place: str
    role: str | None
    start: int
    end: int
    shifts: tuple[int, ...]
    per_minute: bool
    """True for window rules (costs per person-hour), False for shift rules (costs per person)."""

    @property
    def hard_min(self) -> bool:
        return self.rule.min > 0 and self.rule.min_cost is None


def applies(rule: CoverageRule, date: dt.date, dates: frozenset[dt.date] | None) -> bool:
    """Whether the rule has a window (or counts a shift) starting on this date (`dates`: the rule's, as a set)."""
    if dates is not None and date not in dates:
        return False
    return Weekday.from_index(date.weekday()) in rule.days


def _dates(rule: CoverageRule) -> frozenset[dt.date] | None:
    return frozenset(rule.dates) if rule.dates is not None else None


def post_horizon(instances: Instances, post_id: str) -> tuple[int, int]:
    """A post is covered from its earliest shift start on the first day to that local time on the day after the
    last: `days` local days, not `days` × 24 h, which a clock change would make end an hour off."""
    scenario = instances.scenario
    post = next(p for p in scenario.posts if p.id == post_id)
    earliest = min(t.start for t in post.shifts)
    return instances.timeline.minute(scenario.start, earliest), instances.timeline.minute(scenario.end, earliest)


def _window_needs(
    instances: Instances, rule: CoverageRule, post_shifts: list[ShiftInstance], meal_cuts: dict[int, set[int]]
) -> list[CoverageNeed]:
    scenario, timeline = instances.scenario, instances.timeline
    horizon_start, horizon_end = post_horizon(instances, rule.post)
    needs = []
    dates = _dates(rule)
    # From the day before the period to the day after it: the horizon may reach into either.
    for offset in range(-1, scenario.days + 1):
        date = scenario.start + dt.timedelta(days=offset)
        if not applies(rule, date, dates):
            continue
        if rule.window is None:
            start, end = timeline.minute(date, 0), timeline.minute(date + dt.timedelta(days=1), 0)
        else:
            # Windows follow the local clock (a DST night is an hour shorter or longer).
            start = timeline.minute(date, rule.window.start)
            end_date = date if rule.window.end > rule.window.start else date + dt.timedelta(days=1)
            end = timeline.minute(end_date, rule.window.end)
        start, end = max(start, horizon_start), min(end, horizon_end)
        if start >= end:
            continue
        touching = [s for s in post_shifts if s.start < end and start < s.end]
        bounds = {t for s in touching for t in (s.start, s.end, *meal_cuts.get(s.index, ()))}
        cuts = sorted({start, end} | {t for t in bounds if start < t < end})
        for piece_start, piece_end in itertools.pairwise(cuts):
            covering = tuple(s.index for s in touching if s.start <= piece_start and piece_end <= s.end)
            needs.append(CoverageNeed(rule, rule.post, rule.role, piece_start, piece_end, covering, True))
    return needs


def _window_cuts(instances: Instances, shift: ShiftInstance) -> set[int]:
    return {t for o in occurrences(instances, shift) for t in (o.start, o.end)}


def _shift_needs(instances: Instances, rule: CoverageRule, post_shifts: list[ShiftInstance]) -> list[CoverageNeed]:
    needs = []
    dates = _dates(rule)
    for shift in post_shifts:
        if shift.template == rule.shift and applies(rule, shift.date, dates):
            needs.append(CoverageNeed(rule, rule.post, rule.role, shift.start, shift.end, (shift.index,), False))
    return needs


def coverage_needs(instances: Instances, relaxed: bool = False) -> list[CoverageNeed]:
    """Every piece of every coverage rule, in rule order.

    Pieces are cut where a break may start or end; `relaxed` (no break variables) cuts only at meal windows.
    """
    by_post: dict[str, list[ShiftInstance]] = defaultdict(list)
    for shift in instances.shifts:
        if not shift.is_duty:
            by_post[shift.place].append(shift)
    meal_cuts: dict[int, set[int]] = {}
    if instances.scenario.meal_rules:
        cuts_of = _window_cuts if relaxed else break_cuts
        meal_cuts = {s.index: cuts for s in instances.shifts if (cuts := cuts_of(instances, s))}
    needs: list[CoverageNeed] = []
    for rule in instances.scenario.coverage:
        if rule.shift is not None:
            needs.extend(_shift_needs(instances, rule, by_post[rule.post]))
        else:
            needs.extend(_window_needs(instances, rule, by_post[rule.post], meal_cuts))
    return needs


SHORTFALL = "shortfall"
"""Rule name of the slack terms added in elastic mode, where hard minimums may be missed at a cost."""


class Coverage:
    """Coverage rules. With `elastic`, hard minimums get slack (terms named SHORTFALL) to explain infeasibility.

    With `relaxed` (the model has no break variables), everyone assigned counts at every minute
    and maximums are not enforced where someone could be on a break: a relaxation whose optimum bounds the real
    one from below (scheduler.meal_bound). The presence rows still see the breaks' minutes.
    """

    name = "coverage"

    def __init__(self, elastic: bool = False, relaxed: bool = False) -> None:
        self.elastic = elastic
        self.relaxed = relaxed

    def build(self, scenario: Scenario, model: cp_model.CpModel, variables: RotaVariables) -> list[PenaltyTerm]:
        terms: list[PenaltyTerm] = []
        timeline = variables.instances.timeline
        needs = coverage_needs(variables.instances, self.relaxed)
        meals = meal_windows(variables.instances) if self.relaxed else {}
        shortfalls: dict[int, cp_model.LinearExprT] = {}
        """Person-minutes short, per piece of a soft minimum (for the presence rows)."""
        for index, need in enumerate(needs):
            rule = need.rule
            if rule.max is not None and _during_meal(need, meals):
                rule = rule.model_copy(update={"max": None})  # a break may take the extra person away
            count = sum(var for s in need.shifts for var in variables.role_vars(s, need.role))
            away = [
                b.var for s in need.shifts for b in variables.breaks.get(s, ())
                if (need.role is None or b.role == need.role) and b.start <= need.start and need.end <= b.end
            ] if need.per_minute else []
            if away:
                count = cp_model.LinearExpr.sum([count]) - cp_model.LinearExpr.sum(away)  # type: ignore[assignment]
            minutes = need.end - need.start if need.per_minute else 1
            unit = minutes / 60 if need.per_minute else 1.0
            scale = 1 if need.per_minute else OBJECTIVE_SCALE
            who = f"{rule.role or 'people'} at {need.place}"
            when = timeline.label(need.start, need.end)
            if rule.min > 0:
                if rule.min_cost is None and self.elastic:
                    short = model.new_int_var(0, rule.min, f"shortfall_{rule.label()}_{need.start}")
                    model.add(count + short >= rule.min)
                    terms.append(
                        PenaltyTerm(
                            SHORTFALL, f"shortfall:{need.place}:{need.role}:{need.start}:{need.end}",
                            f"{who} below {rule.min} on {when}", short, minutes * scale, unit,
                        )
                    )
                elif rule.min_cost is None:
                    model.add(count >= rule.min)
                else:
                    short, coefficient, unit, shortfalls[index] = self._shortfall(model, need, count)
                    terms.append(
                        PenaltyTerm(
                            "coverage", f"coverage:{rule.label()}:short:{when}",
                            f"{who} below {rule.min} on {when}", short, coefficient, unit,
                        )
                    )
            if rule.max is not None:
                if rule.max_cost is None:
                    model.add(count <= rule.max)
                else:
                    extra = model.new_int_var(0, max(0, len(need.shifts) * 1000), f"extra_{rule.label()}_{need.start}")
                    model.add(count - extra <= rule.max)
                    terms.append(
                        PenaltyTerm(
                            "coverage", f"coverage:{rule.label()}:over:{when}",
                            f"{who} above {rule.max} on {when}", extra, rule.max_cost * minutes * scale, unit,
                        )
                    )
        if not self.elastic:
            _meal_presence_rows(model, variables, needs, shortfalls)
        return terms


    def _shortfall(
        self, model: cp_model.CpModel, need: CoverageNeed, count: cp_model.LinearExprT
    ) -> tuple[IntVar, int, float, cp_model.LinearExprT]:
        """The shortfall of a soft minimum: variable, cost coefficient, reported unit, person-minutes it stands for.

        Relaxed, a window piece (cut only at meal windows) counts its shortfall in person-minutes: the real model
        cuts it finer, at every break, and may be short in some of those parts only.
        """
        rule = need.rule
        assert rule.min_cost is not None
        counted = cp_model.LinearExpr.sum([count])
        if not need.per_minute:
            short = model.new_int_var(0, rule.min, f"short_{rule.label()}_{need.start}")
            model.add(counted + short >= rule.min)
            return short, rule.min_cost * OBJECTIVE_SCALE, 1.0, short
        minutes = need.end - need.start
        if self.relaxed:
            short = model.new_int_var(0, rule.min * minutes, f"short_{rule.label()}_{need.start}")
            model.add(minutes * counted + short >= rule.min * minutes)
            return short, rule.min_cost, 1 / 60, short
        short = model.new_int_var(0, rule.min, f"short_{rule.label()}_{need.start}")
        model.add(counted + short >= rule.min)
        return short, rule.min_cost * minutes, minutes / 60, minutes * short


def _during_meal(need: CoverageNeed, meals: dict[tuple[str, int], int]) -> bool:
    return need.per_minute and any(
        place == need.place and start < need.end and need.start < end for (place, start), end in meals.items()
    )


def _meal_presence_rows(
    model: cp_model.CpModel, variables: RotaVariables, needs: list[CoverageNeed],
    shortfalls: dict[int, cp_model.LinearExprT],
) -> None:
    """Redundant rows: over a meal window, the minutes people are present add up to what a rule needs.

    At every minute of the window the rule holds (or its shortfall is paid), so summed over the window:
    Σ (minutes the choice is on post in the window − its break) × choice + Σ shortfall × piece length ≥
    Σ min × piece length. The pieces imply this row, but only the row shows CP-SAT the rounding: two guards
    present for 150 minutes with 45-minute breaks are 105 n ≥ 150, so n ≥ 2 (see `_rounding_row`). Without
    it, proofs of optimality with meal breaks stalled on a fractional second guard.
    """
    windows = meal_windows(variables.instances)
    if not windows:
        return
    by_rule: dict[tuple[int, str], list[tuple[CoverageNeed, cp_model.LinearExprT | None]]] = defaultdict(list)
    for index, need in enumerate(needs):
        if need.per_minute and need.rule.min > 0:
            by_rule[(id(need.rule), need.place)].append((need, shortfalls.get(index)))
    for (_, place), pieces in by_rule.items():
        for (window_place, start), end in windows.items():
            if window_place != place:
                continue
            inside = [(n, short) for n, short in pieces if start <= n.start and n.end <= end]
            if sum(n.end - n.start for n, _ in inside) != end - start:
                continue  # the rule does not hold throughout the window
            _presence_row(model, variables, inside, start, end)


def _presence_row(
    model: cp_model.CpModel, variables: RotaVariables,
    pieces: list[tuple[CoverageNeed, cp_model.LinearExprT | None]], start: int, end: int,
) -> None:
    role = pieces[0][0].role
    needed = sum(n.rule.min * (n.end - n.start) for n, _ in pieces)
    shortfall = cp_model.LinearExpr.sum([short for _, short in pieces if short is not None])
    shifts = sorted({s for n, _ in pieces for s in n.shifts})
    present: list[tuple[int, IntVar]] = []
    for shift_index in shifts:
        shift = variables.instances.shifts[shift_index]
        overlap = min(shift.end, end) - max(shift.start, start)
        for person in variables.shift_people[shift_index]:
            away = break_minutes(variables.instances, person, shift).get(start, 0)
            for choice in variables.choices[(person, shift_index)]:
                if role is None or choice.role == role:
                    minutes = overlap - away
                    if minutes > 0:
                        present.append((minutes, choice.var))
    model.add(cp_model.LinearExpr.weighted_sum([v for _, v in present], [m for m, _ in present]) + shortfall >= needed)
    _rounding_row(model, present, shortfall, needed)


def _rounding_row(
    model: cp_model.CpModel, present: list[tuple[int, IntVar]], shortfall: cp_model.LinearExpr, needed: int
) -> None:
    """The presence row rounded to whole people: d × n + shortfall minutes ≥ d × k.

    k is the fewest people whose present minutes can reach `needed` (the largest first) and d the minutes the
    best k − 1 leave short. With n people on post the shortfall is at least needed − (best n), which is convex in
    n and at least d × (k − n) below k, so the row is valid; with a hard minimum (no shortfall) it is n ≥ k. The
    LP alone sees only n ≥ needed / (average presence): 1.43 guards where 2 must come.
    """
    minutes = sorted((m for m, _ in present), reverse=True)
    reached, k = 0, 0
    while k < len(minutes) and reached < needed:
        reached += minutes[k]
        k += 1
    if reached < needed or k < 1:
        return  # no number of people reaches it: the presence row says all there is
    short_of = needed - (reached - minutes[k - 1])
    model.add(short_of * cp_model.LinearExpr.sum([var for _, var in present]) + shortfall >= short_of * k)
