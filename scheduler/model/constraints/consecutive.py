"""Consecutive days: at most K working days in a row, and minimum runs of working days and of days off.

The day sequence is the history window followed by the period (docs/rules.md, "consecutive"). Minimum runs are encoded
as forbidden patterns, one clause each ("off, work x l, off" is not allowed for l below the minimum): the
standard encoding from OR-Tools' shift_scheduling_sat, here with history days as constants.
"""

from __future__ import annotations

from typing import cast

from ortools.sat.python import cp_model

from scheduler.domain.scenario import Scenario
from scheduler.model.constraints.base import PenaltyTerm
from scheduler.model.timeline import PersonInfo
from scheduler.model.variables import IntVar, RotaVariables

DayValue = IntVar | int


def day_sequence(variables: RotaVariables, info: PersonInfo) -> tuple[int, list[DayValue]]:
    """(first day index, worked-day values from there to the period's last day)."""
    first = variables.instances.history_first_day
    values: list[DayValue] = [1 if d in info.history_days else 0 for d in range(first, 0)]
    values += [variables.works_day(info.index, d) for d in range(variables.instances.scenario.days)]
    return first, values


def _literal(value: DayValue, worked: bool) -> IntVar | bool:
    """The literal 'this day is worked' (or 'off' when worked is False); a bool when the day is known."""
    if isinstance(value, int):
        return bool(value) == worked
    return value if worked else cast(IntVar, value.Not())


def _forbid_runs(model: cp_model.CpModel, first: int, values: list[DayValue], shortest: int, work: bool) -> None:
    """Forbid runs of `work` days shorter than `shortest` that have a neighbour on both sides."""
    for length in range(1, shortest):
        for before in range(len(values) - length - 1):
            run_end = before + length
            if first + run_end < 0:
                continue  # the run lies wholly in the history
            pattern = [(values[before], not work)]
            pattern += [(values[d], work) for d in range(before + 1, run_end + 1)]
            pattern.append((values[run_end + 1], not work))
            clause: list[IntVar] = []
            satisfied = False
            for value, in_pattern in pattern:
                literal = _literal(value, not in_pattern)
                if literal is True:
                    satisfied = True
                    break
                if literal is not False:
                    clause.append(literal)
            if not satisfied:
                model.add_bool_or(clause)


class ConsecutiveDays:
    name = "consecutive"

    def build(self, scenario: Scenario, model: cp_model.CpModel, variables: RotaVariables) -> list[PenaltyTerm]:
        for info in variables.instances.people:
            if not variables.person_shifts[info.index]:
                continue
            limits = info.limits
            first, values = day_sequence(variables, info)
            if limits.max_consecutive_days is not None:
                self._max_run(model, first, values, limits.max_consecutive_days)
            if limits.min_consecutive_days is not None:
                _forbid_runs(model, first, values, limits.min_consecutive_days, work=True)
            if limits.min_consecutive_days_off is not None:
                _forbid_runs(model, first, values, limits.min_consecutive_days_off, work=False)
        return []

    def _max_run(self, model: cp_model.CpModel, first: int, values: list[DayValue], longest: int) -> None:
        window = longest + 1
        for start in range(len(values) - window + 1):
            if first + start + window - 1 < 0:
                continue  # wholly in the history
            part = values[start : start + window]
            if sum(1 for v in part if not isinstance(v, int) or v) > longest:
                model.add(cp_model.LinearExpr.sum(part) <= longest)
