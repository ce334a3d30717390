"""Preferences: weighted wishes for or against a shift, a date, a weekday, or night shifts."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.domain.clock import Weekday
from scheduler.domain.people import Preference, PreferenceKind
from scheduler.domain.scenario import Scenario
from scheduler.model.constraints.base import OBJECTIVE_SCALE, PenaltyTerm
from scheduler.model.timeline import PersonInfo
from scheduler.model.variables import RotaVariables


def describe(preference: Preference) -> str:
    verb = "wants" if preference.kind is PreferenceKind.WANTS else "avoids"
    if preference.nights:
        return f"{verb} night shifts"
    if preference.weekday is not None:
        return f"{verb} {preference.weekday.value}"
    if preference.shift is not None:
        return f"{verb} shift {preference.shift} on {preference.date}"
    return f"{verb} {preference.date}"


class Preferences:
    name = "preferences"

    def build(self, scenario: Scenario, model: cp_model.CpModel, variables: RotaVariables) -> list[PenaltyTerm]:
        terms: list[PenaltyTerm] = []
        multiplier = scenario.weights.preferences
        if multiplier == 0:
            return terms
        for info in variables.instances.people:
            if not info.person.active:
                continue
            for number, preference in enumerate(info.person.preferences):
                expr = self._unmet(model, variables, info, preference)
                terms.append(
                    PenaltyTerm(
                        "preferences", f"preferences:{info.id}:{number}",
                        f"{info.person.name} {describe(preference)}", expr,
                        preference.weight * multiplier * OBJECTIVE_SCALE, 1.0, info.id,
                    )
                )
        return terms

    def _unmet(
        self, model: cp_model.CpModel, variables: RotaVariables, info: PersonInfo, preference: Preference
    ) -> cp_model.LinearExprT:
        """How many times the wish goes unmet, as a linear expression."""
        shifts = variables.instances.shifts
        mine = variables.person_shifts[info.index]
        wants = preference.kind is PreferenceKind.WANTS
        if preference.nights:
            counted = [s for s in mine if shifts[s].night != wants]
            return sum(variables.on(info.index, s) for s in counted)
        if preference.shift is not None:
            scenario = variables.instances.scenario
            if preference.date is None or not scenario.start <= preference.date < scenario.end:
                return 0
            # The person's shifts of that day only: scanning all of them per wish was quadratic in the period.
            day = (preference.date - scenario.start).days
            matching = [
                s for s in variables.shifts_on_day(info.index, day)
                if shifts[s].date == preference.date and shifts[s].template == preference.shift
                and preference.post in (None, shifts[s].place)
            ]
            worked = sum(variables.on(info.index, s) for s in matching)
            if not wants:
                return worked
            missed = model.new_bool_var(f"missed_{info.id}_{preference.date}")
            model.add(missed + worked >= 1)
            return missed
        days = self._days(variables, preference)
        worked_days = [variables.works_day(info.index, d) for d in days]
        if wants:
            return sum(1 - w for w in worked_days)
        return sum(worked_days)

    def _days(self, variables: RotaVariables, preference: Preference) -> list[int]:
        scenario = variables.instances.scenario
        if preference.date is not None:
            day = (preference.date - scenario.start).days
            return [day] if 0 <= day < scenario.days else []
        assert preference.weekday is not None
        first = scenario.start.weekday()
        return [d for d in range(scenario.days) if Weekday.from_index((first + d) % 7) == preference.weekday]
