"""Successions: no shift of template `then` on the day after one of template `first` (at one post, or any).

The rule only forbids pairs of next-day instances, so it is a set of at-most-one constraints over the
person's eligible shifts; rest and overlap are a separate rule (rest.py).
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from scheduler.domain.people import Succession
from scheduler.domain.scenario import Scenario
from scheduler.model.constraints.base import PenaltyTerm
from scheduler.model.constraints.rest import rest_minutes
from scheduler.model.timeline import Instances, ShiftInstance
from scheduler.model.variables import RotaVariables


def _matches(shift: ShiftInstance, template: str, post: str | None) -> bool:
    return not shift.is_duty and shift.template == template and (post is None or shift.place == post)


def forbidden_followers(instances: Instances, rules: list[Succession]) -> dict[int, tuple[int, ...]]:
    """For each shift instance, the instances of the next day that may not follow it."""
    by_template: dict[str | None, list[ShiftInstance]] = defaultdict(list)
    by_day_template: dict[tuple[int, str | None], list[ShiftInstance]] = defaultdict(list)
    for shift in instances.shifts:
        if not shift.is_duty:
            by_template[shift.template].append(shift)
            by_day_template[(shift.day, shift.template)].append(shift)
    followers: dict[int, set[int]] = defaultdict(set)
    for rule in rules:
        for first in by_template[rule.first]:
            if not _matches(first, rule.first, rule.post):
                continue
            for then in by_day_template[(first.day + 1, rule.then)]:
                if _matches(then, rule.then, rule.post):
                    followers[first.index].add(then.index)
    return {k: tuple(sorted(v)) for k, v in followers.items()}


def _all_clash(shifts: list[ShiftInstance], rest: int) -> bool:
    """Whether a person can work at most one of these shifts (each pair overlaps once stretched by the rest)."""
    return max(s.start for s in shifts) < min(s.end for s in shifts) + rest


class Successions:
    """One constraint per person, day and set of forbidden followers.

    The shifts of one day that forbid the same followers, when they clash with each other (and the followers
    too), share one at-most-one: 'one of these today, or one of those tomorrow, not both'. That is one clique
    where a constraint per shift gave a weaker row each, and far fewer rows on large rosters.
    """

    name = "succession"

    def build(self, scenario: Scenario, model: cp_model.CpModel, variables: RotaVariables) -> list[PenaltyTerm]:
        if not scenario.successions:
            return []
        instances = variables.instances
        followers = forbidden_followers(instances, scenario.successions)
        for info in instances.people:
            rest = rest_minutes(info.limits.min_rest_hours)
            for day in range(scenario.days):
                groups: dict[tuple[int, ...], list[int]] = defaultdict(list)
                for first in variables.shifts_on_day(info.index, day):
                    if first in followers:
                        groups[followers[first]].append(first)
                for then_all, firsts in groups.items():
                    then = [s for s in then_all if variables.eligible(info.index, s)]
                    if then:
                        self._forbid(model, variables, info.index, firsts, then, rest)
        return []

    def _forbid(
        self, model: cp_model.CpModel, variables: RotaVariables, person: int, firsts: list[int], then: list[int],
        rest: int,
    ) -> None:
        shifts = variables.instances.shifts
        first_clash = _all_clash([shifts[s] for s in firsts], rest)
        then_clash = _all_clash([shifts[s] for s in then], rest)
        if first_clash and then_clash:
            model.add_at_most_one(variables.on(person, s) for s in [*firsts, *then])
            return
        for first in firsts:
            on_first = variables.on(person, first)
            if then_clash:
                model.add_at_most_one([on_first, *(variables.on(person, s) for s in then)])
            else:
                for s in then:
                    model.add_at_most_one([on_first, variables.on(person, s)])
