"""Fairness: hours, night shifts and weekend shifts shared out in proportion to each person's capacity.

Capacity is the time a person is available in the period, capped by their hour limits. Each person's share of
the actual total is computed in exact integer arithmetic (docs/rules.md), and the distance from it is penalised.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

from ortools.sat.python import cp_model

from scheduler.constraints.base import OBJECTIVE_SCALE, PenaltyTerm
from scheduler.instances import Instances, Interval, PersonInfo, ShiftInstance
from scheduler.models import Scenario
from scheduler.variables import RotaVariables

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
        minutes = min(minutes, math.floor(Fraction(limits.max_hours_per_week) * 60 * days / 7))
    if limits.max_hours_total is not None:
        minutes = min(minutes, math.floor(Fraction(limits.max_hours_total) * 60))
    return max(minutes, 0)


def shares(capacities: list[int]) -> list[int] | None:
    """Each capacity's share of the total in permille, rounded half up; None when there is no capacity."""
    total = sum(capacities)
    if total == 0:
        return None
    return [(2 * PERMILLE * c + total) // (2 * total) for c in capacities]


Measure = Callable[[ShiftInstance], int]


class Fairness:
    name = "fairness"

    def build(self, scenario: Scenario, model: cp_model.CpModel, variables: RotaVariables) -> list[PenaltyTerm]:
        instances = variables.instances
        people = [info for info in instances.people if info.person.active]
        caps = [capacity(instances, info) for info in people]
        night_caps = [0 if info.limits.nights_allowed is False else c for info, c in zip(people, caps, strict=True)]
        weights = scenario.weights
        terms: list[PenaltyTerm] = []
        for label, weight, caps_used, measure, scale, unit in (
            ("hours", weights.fairness_hours, caps, lambda s: s.minutes, 1, 1 / 60),
            ("nights", weights.fairness_nights, night_caps, lambda s: int(s.night), OBJECTIVE_SCALE, 1.0),
            ("weekends", weights.fairness_weekends, caps, lambda s: int(s.weekend), OBJECTIVE_SCALE, 1.0),
        ):
            if weight:
                terms += self._measure(model, variables, people, caps_used, label, measure, weight * scale, unit)
        return terms

    def _measure(
        self, model: cp_model.CpModel, variables: RotaVariables, people: list[PersonInfo], caps: list[int],
        label: str, measure: Measure, coefficient: int, unit: float,
    ) -> list[PenaltyTerm]:
        permille = shares(caps)
        if permille is None:
            return []
        shifts = variables.instances.shifts
        amounts = [
            sum(measure(shifts[s]) * variables.on(info.index, s) for s in variables.person_shifts[info.index]
                if measure(shifts[s]))
            for info in people
        ]
        ceiling = sum(
            measure(shifts[s]) for info in people for s in variables.person_shifts[info.index]
        )
        if ceiling == 0:
            return []
        total = model.new_int_var(0, ceiling, f"fair_total_{label}")
        model.add(total == sum(amounts))
        terms = []
        for info, q, amount in zip(people, permille, amounts, strict=True):
            share = model.new_int_var(0, ceiling, f"fair_share_{label}_{info.id}")
            # share = floor((2 q T + 1000) / 2000), i.e. q/1000 of the total rounded half up.
            model.add(2 * PERMILLE * share <= 2 * q * total + PERMILLE)
            model.add(2 * PERMILLE * share >= 2 * q * total - PERMILLE + 1)
            deviation = model.new_int_var(0, ceiling, f"fair_dev_{label}_{info.id}")
            model.add(deviation >= amount - share)
            model.add(deviation >= share - amount)
            terms.append(
                PenaltyTerm(
                    "fairness", f"fairness:{label}:{info.id}",
                    f"{info.person.name}'s {label} away from their fair share", deviation, coefficient, unit, info.id,
                )
            )
        return terms
