"""Workload limits: hours, shifts and nights per week; hours, weekends and shift kinds over the period."""

from __future__ import annotations

import math
from collections import defaultdict

from ortools.sat.python import cp_model

from scheduler.domain.scenario import Scenario
from scheduler.model.constraints.base import PenaltyTerm
from scheduler.model.timeline import PersonInfo
from scheduler.model.variables import IntVar, RotaVariables


def weekend_days(days: int, first_weekday: int) -> list[list[int]]:
    """Period days grouped by weekend (Saturday and Sunday of the same week), in order."""
    weekends: dict[int, list[int]] = defaultdict(list)
    for day in range(days):
        weekday = (first_weekday + day) % 7
        if weekday >= 5:
            # Days since the Monday of that week identify the weekend.
            weekends[(day - weekday)].append(day)
    return [weekends[k] for k in sorted(weekends)]


class Workload:
    name = "workload"

    def build(self, scenario: Scenario, model: cp_model.CpModel, variables: RotaVariables) -> list[PenaltyTerm]:
        for info in variables.instances.people:
            if info.person.active:
                self._weekly(model, variables, info)
                self._period(scenario, model, variables, info)
        return []

    def _weekly(self, model: cp_model.CpModel, variables: RotaVariables, info: PersonInfo) -> None:
        limits = info.limits
        shifts = variables.instances.shifts
        weeks: dict[int, list[int]] = defaultdict(list)
        for s in variables.person_shifts[info.index]:
            weeks[shifts[s].week].append(s)
        for week_shifts in weeks.values():
            ons = [(variables.on(info.index, s), shifts[s]) for s in week_shifts]
            if limits.max_hours_per_week is not None:
                cap = math.floor(limits.max_hours_per_week * 60 + 1e-9)
                if sum(shift.minutes for _, shift in ons) > cap:
                    worked = cp_model.LinearExpr.weighted_sum([on for on, _ in ons], [s.minutes for _, s in ons])
                    model.add(worked <= cap)
            if limits.max_shifts_per_week is not None and len(ons) > limits.max_shifts_per_week:
                model.add(cp_model.LinearExpr.sum([on for on, _ in ons]) <= limits.max_shifts_per_week)
            nights = [on for on, shift in ons if shift.night]
            if limits.max_nights_per_week is not None and len(nights) > limits.max_nights_per_week:
                model.add(sum(nights) <= limits.max_nights_per_week)

    def _period(
        self, scenario: Scenario, model: cp_model.CpModel, variables: RotaVariables, info: PersonInfo
    ) -> None:
        limits = info.limits
        shifts = variables.instances.shifts
        mine = variables.person_shifts[info.index]
        ons = [variables.on(info.index, s) for s in mine]
        minutes = cp_model.LinearExpr.weighted_sum(ons, [shifts[s].minutes for s in mine])
        if limits.min_hours_total is not None:
            model.add(minutes >= math.ceil(limits.min_hours_total * 60 - 1e-9))
        if limits.max_hours_total is not None:
            model.add(minutes <= math.floor(limits.max_hours_total * 60 + 1e-9))
        if limits.max_weekends is not None:
            worked: list[IntVar] = []
            for days in weekend_days(scenario.days, scenario.start.weekday()):
                day_vars = [v for d in days if not isinstance(v := variables.works_day(info.index, d), int)]
                if not day_vars:
                    continue
                weekend = model.new_bool_var(f"weekend_{info.id}_{days[0]}")
                model.add_max_equality(weekend, day_vars)
                worked.append(weekend)
            if len(worked) > limits.max_weekends:
                model.add(sum(worked) <= limits.max_weekends)
        by_template: dict[str | None, list[int]] = defaultdict(list)
        for s in mine:
            by_template[shifts[s].template].append(s)
        for limit in info.person.shift_limits:
            matching = [s for s in by_template[limit.shift] if limit.post in (None, shifts[s].place)]
            if len(matching) > limit.max:
                model.add(cp_model.LinearExpr.sum([variables.on(info.index, s) for s in matching]) <= limit.max)
