"""Fairness: hours, night shifts and weekend shifts shared out in proportion to each person's capacity.

Capacity is the time a person is available in the period, capped by their hour limits. Each person's share of
the actual total is exact (docs/rules.md). Work cannot be split finer than whole shifts, so a band above the share
is fair: one shift (the longest the person may work) for hours, the share rounded up for counts. Without the band,
a solver must prove that rounding is unavoidable for every group of interchangeable people: a pigeonhole argument
the LP cannot see, which made proofs of optimality time out.

Only the amount above the band costs, so fairness never rewards calling out more people: adding a shift can
lower others' excess by at most that shift's own share of the total, which the staffing term outweighs.

With `weights.fairness_weeks`, the history's shifts of those weeks count too: each person's amount and the group's
total include what they served then (constants), so who served more recently gets less now.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from ortools.sat.python import cp_model

from scheduler.domain.people import Person
from scheduler.domain.scenario import Scenario
from scheduler.model.constraints.base import OBJECTIVE_SCALE, PenaltyTerm
from scheduler.model.timeline import Instances, Interval, PersonInfo, ShiftInstance
from scheduler.model.variables import RotaVariables

PERMILLE = 1000


def _measure(intervals: list[Interval]) -> int:
    total, reach = 0, None
    for part in sorted(intervals, key=lambda i: i.start):
        start = part.start if reach is None else max(part.start, reach)
        if part.end > start:
            total += part.end - start
        reach = part.end if reach is None else max(reach, part.end)
    return total


def capacity(instances: Instances, info: PersonInfo) -> int:
    """Minutes of the period the person could work, capped by their hour limits."""
    if not info.person.active:
        return 0
    period = Interval(0, instances.period_end)
    windows = info.available if info.available is not None else [period]
    inside = [Interval(max(w.start, 0), min(w.end, period.end)) for w in windows if w.overlaps(period)]
    away = [
        Interval(max(a.start, w.start), min(a.end, w.end))
        for w in inside for a, _ in info.absent if a.overlaps(w)
    ]
    minutes = _measure(inside) - _measure(away)
    limits, days = info.limits, instances.scenario.days
    if limits.max_hours_per_week is not None:
        minutes = min(minutes, math.floor(Fraction(str(limits.max_hours_per_week)) * 60 * days / 7))
    if limits.max_hours_total is not None:
        minutes = min(minutes, math.floor(Fraction(str(limits.max_hours_total)) * 60))
    return max(minutes, 0)


def shares(capacities: list[int]) -> list[int] | None:
    """Each capacity's share of the total in permille, rounded half up; None when there is no capacity."""
    total = sum(capacities)
    if total == 0:
        return None
    return [(2 * PERMILLE * c + total) // (2 * total) for c in capacities]


Measure = Callable[[ShiftInstance], int]


def _zero(_: PersonInfo) -> int:
    return 0


def longest_shift_minutes(scenario: Scenario) -> Callable[[Person], int]:
    """The longest shift or duty at the places a person may work: hours within one of those are fair."""
    lengths = {post.id: max(t.minutes for t in post.shifts) for post in scenario.posts}
    lengths |= {duty.id: duty.window.minutes for duty in scenario.team_duties}

    def longest(person: Person) -> int:
        places = person.posts if person.posts is not None else list(lengths)
        return max((lengths[p] for p in places if p in lengths), default=0)

    return longest


@dataclass(frozen=True)
class FairMeasure:
    """One quantity shared out fairly."""

    label: str
    weight: int
    """Cost per unit outside the fair band."""
    capacity: Callable[[PersonInfo], int]
    of_shift: Measure
    """How much of the quantity one shift carries."""
    slack: Callable[[PersonInfo], int]
    """How far above the exact share is fair, in the quantity's own units (minutes)."""
    granule: int
    """Quantity per costed unit: 60 minutes for hours (costed to the minute); 1 for counts (shares rounded up)."""
    past: Callable[[PersonInfo], int]
    """How much the person served in the look-back weeks before the period (the history)."""


GroupKey = tuple[str, tuple[str, ...] | None]


def fairness_groups(people: list[PersonInfo]) -> dict[GroupKey, list[PersonInfo]]:
    """People compared with each other: the same first role and the same places they may work.

    A security guard's load is not comparable with a volunteer's, nor a gate volunteer's with one at another
    post: across such groups unequal loads are the rules' doing, not unfairness.
    """
    groups: dict[GroupKey, list[PersonInfo]] = {}
    for info in people:
        person = info.person
        key = (person.roles[0], tuple(sorted(person.posts)) if person.posts is not None else None)
        groups.setdefault(key, []).append(info)
    return groups


@dataclass(frozen=True)
class PastLoad:
    """What one person served in the look-back weeks: minutes, night shifts, weekend shifts."""

    minutes: int = 0
    nights: int = 0
    weekends: int = 0


def past_loads(instances: Instances) -> dict[str, PastLoad]:
    """Per person, the history shifts starting on the `fairness_weeks` × 7 local days before the period."""
    scenario, timeline = instances.scenario, instances.timeline
    earliest = -7 * scenario.weights.fairness_weeks
    totals: dict[str, list[int]] = {}
    for past in scenario.history:
        day = timeline.day_of(past.start)
        if not earliest <= day < 0:
            continue
        weekend = (scenario.start + dt.timedelta(days=day)).weekday() >= 5
        row = totals.setdefault(past.person, [0, 0, 0])
        row[0] += timeline.of(past.end) - timeline.of(past.start)
        row[1] += int(past.night)
        row[2] += int(weekend)
    return {person: PastLoad(*row) for person, row in totals.items()}


class Fairness:
    name = "fairness"

    def build(self, scenario: Scenario, model: cp_model.CpModel, variables: RotaVariables) -> list[PenaltyTerm]:
        instances = variables.instances
        people = [info for info in instances.people if info.person.active]
        caps = {info.index: capacity(instances, info) for info in people}
        longest = longest_shift_minutes(scenario)
        weights = scenario.weights
        past = past_loads(instances)
        none = PastLoad()
        measures = (
            FairMeasure(
                "hours", weights.fairness_hours, lambda i: caps[i.index], lambda s: s.minutes,
                lambda i: longest(i.person), 60, lambda i: past.get(i.id, none).minutes,
            ),
            FairMeasure(
                "nights", weights.fairness_nights,
                lambda i: 0 if i.limits.nights_allowed is False else caps[i.index], lambda s: int(s.night), _zero, 1,
                lambda i: past.get(i.id, none).nights,
            ),
            FairMeasure(
                "weekends", weights.fairness_weekends, lambda i: caps[i.index], lambda s: int(s.weekend), _zero, 1,
                lambda i: past.get(i.id, none).weekends,
            ),
        )
        terms: list[PenaltyTerm] = []
        for number, members in enumerate(fairness_groups(people).values()):
            for measure in measures:
                if measure.weight:
                    terms += self._measure(model, variables, members, measure, f"{measure.label}_{number}")
        return terms

    def _measure(
        self, model: cp_model.CpModel, variables: RotaVariables, people: list[PersonInfo], measure: FairMeasure,
        name: str,
    ) -> list[PenaltyTerm]:
        caps = [measure.capacity(info) for info in people]
        permille = shares(caps)
        if permille is None:
            return []
        # The past counts for those who can work now: someone away all period neither owes nor is owed.
        before = [measure.past(info) if cap else 0 for info, cap in zip(people, caps, strict=True)]
        past_total = sum(before)
        shifts = variables.instances.shifts
        label = measure.label
        amounts = [
            sum(
                measure.of_shift(shifts[s]) * variables.on(info.index, s)
                for s in variables.person_shifts[info.index] if measure.of_shift(shifts[s])
            )
            for info in people
        ]
        ceiling = sum(measure.of_shift(shifts[s]) for info in people for s in variables.person_shifts[info.index])
        if ceiling == 0 and past_total == 0:
            return []
        total = model.new_int_var(past_total, ceiling + past_total, f"fair_total_{name}")
        model.add(total == sum(amounts) + past_total)
        top = ceiling + max(before)
        terms = []
        for info, q, amount, served in zip(people, permille, amounts, before, strict=True):
            # Only what lies above the fair band costs. Below it costs nothing: with the total fixed, whatever one
            # person lacks another carries above their share; and a cost below the share would reward calling out
            # more people to raise the lightest loads.
            excess = model.new_int_var(0, top, f"fair_over_{label}_{info.id}")
            if measure.granule == 1:
                # Counts: the share rounded up is fair (work comes in whole shifts); what is above costs per shift.
                high = model.new_int_var(0, ceiling + past_total, f"fair_share_{label}_{info.id}")
                model.add(PERMILLE * high >= q * total)
                model.add(PERMILLE * high <= q * total + PERMILLE - 1)
                model.add(excess >= amount + served - high)
                coefficient, unit = measure.weight * OBJECTIVE_SCALE, 1.0
            else:
                # Minutes: the exact share plus one longest shift is fair; what is above costs per hour, to the
                # minute (the objective is in sixtieths), so a share needs no rounding.
                model.add(PERMILLE * excess >= PERMILLE * (amount + served - measure.slack(info)) - q * total)
                coefficient, unit = measure.weight, 1 / OBJECTIVE_SCALE
            terms.append(
                PenaltyTerm(
                    "fairness", f"fairness:{label}:{info.id}",
                    f"{info.person.name}'s {label} above their fair share", excess, coefficient, unit, info.id,
                )
            )
        return terms

