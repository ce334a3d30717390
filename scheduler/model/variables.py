"""The decision variables, and how to read a rota out of a solved model.

One Boolean per (person, shift instance, role the person may fill there). Pairs the person can never take
(availability, posts, nights, bans: scheduler.model.constraints.eligibility) get no variable at all: pruning the
domain is the cheapest encoding. With meal rules, one Boolean per possible break start of each choice and
meal-window occurrence: the model owns them, so the meal-breaks rule constrains them and coverage subtracts them
whatever order the families build in.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.domain.rota import Assignment, Break
from scheduler.domain.scenario import Scenario
from scheduler.model.timeline import (
    Instances,
    MealOccurrence,
    ShiftInstance,
    break_length,
    break_starts,
    occurrences,
)

IntVar = cp_model.IntVar
LinearExpr = cp_model.LinearExprT


@dataclass(frozen=True)
class Choice:
    person: int
    shift: int
    role: str
    var: IntVar


@dataclass(frozen=True)
class BreakVar:
    """One possible meal break: the person, filling `role` on `shift`, is away from `start` to `end`.

    Created with the choices (`RotaVariables`); the meal-breaks rule ties them to the choice, coverage subtracts them.
    `slot` is the index of the start among the `slots` allowed starts of that window (0 = earliest).
    """

    person: int
    shift: int
    role: str
    rule: int
    window: int
    occurrence: int
    """Absolute start minute of the window occurrence (identifies it)."""
    slot: int
    slots: int
    start: int
    end: int
    var: IntVar


@dataclass(frozen=True)
class BreakOptions:
    """The possible breaks of one choice in one meal-window occurrence, in slot order: one of them is taken."""

    choice: Choice
    occurrence: MealOccurrence
    options: list[BreakVar]


def relevant_roles(scenario: Scenario) -> dict[str, set[str]]:
    """Roles that some rule of each post counts or that a pin asks for."""
    roles: dict[str, set[str]] = defaultdict(set)
    for rule in scenario.coverage:
        if rule.role is not None:
            roles[rule.post].add(rule.role)
    for pin in scenario.pins:
        if pin.role is not None:
            roles[pin.post].add(pin.role)
    return roles


class RotaVariables:
    """Variables of the model, indexed the ways the constraint families need them."""

    def __init__(self, model: cp_model.CpModel, instances: Instances, meal_breaks: bool = True) -> None:
        self.model = model
        self.instances = instances
        self.choices: dict[tuple[int, int], list[Choice]] = {}
        self.person_shifts: list[list[int]] = [[] for _ in instances.people]
        self.shift_people: list[list[int]] = [[] for _ in instances.shifts]
        self._on: dict[tuple[int, int], IntVar] = {}
        self._by_day: dict[tuple[int, int], list[int]] = defaultdict(list)
        self._works_day: dict[tuple[int, int], IntVar] = {}
        self.breaks: dict[int, list[BreakVar]] = defaultdict(list)
        """Possible meal breaks per shift instance (none when `meal_breaks` is False: a relaxation)."""
        self.break_options: list[BreakOptions] = []
        """The same breaks grouped per choice and meal-window occurrence, in creation order."""
        self._create(relevant_roles(instances.scenario))
        if meal_breaks and instances.scenario.meal_rules:
            self._create_breaks()

    def _create(self, relevant: dict[str, set[str]]) -> None:
        # Imported here: the constraints package imports this module.
        from scheduler.model.constraints.eligibility import block_reason, roles_for

        by_place: dict[str, list[ShiftInstance]] = defaultdict(list)
        for shift in self.instances.shifts:
            by_place[shift.place].append(shift)
        all_places = list(by_place)
        for info in self.instances.people:
            if not info.person.active:
                continue
            places = info.person.posts if info.person.posts is not None else all_places
            # The roles offered depend only on the place and the roles a shift allows: compute them once each.
            offered: dict[tuple[str, frozenset[str] | None], list[str]] = {}
            for place in places:
                for shift in by_place.get(place, []):
                    if block_reason(info, shift) is not None:
                        continue
                    kind = (place, shift.roles)
                    if kind not in offered:
                        offered[kind] = roles_for(info, shift, relevant.get(place, set()))
                    roles = offered[kind]
                    if roles:
                        self._add_choices(info.index, info.id, shift.index, roles)
        for person, shifts in enumerate(self.person_shifts):
            shifts.sort(key=lambda s: self.instances.shifts[s].start)
            for s in shifts:
                self._by_day[(person, self.instances.shifts[s].day)].append(s)

    def _create_breaks(self) -> None:
        """One Boolean per allowed break start, for every choice and meal-window occurrence its shift contains."""
        instances = self.instances
        for (person, shift_index), choices in self.choices.items():
            found = occurrences(instances, instances.shifts[shift_index])
            if not found:
                continue
            info = instances.people[person]
            for occurrence in found:
                length = break_length(occurrence.rule, info.person.meal_minutes)
                starts = break_starts(occurrence, length)
                for choice in choices:
                    options = [
                        BreakVar(
                            person, shift_index, choice.role, occurrence.rule_index, occurrence.window_index,
                            occurrence.start, slot, len(starts), start, start + length,
                            self.model.new_bool_var(f"meal_{info.id}_{shift_index}_{choice.role}_{start}"),
                        )
                        for slot, start in enumerate(starts)
                    ]
                    self.breaks[shift_index].extend(options)
                    self.break_options.append(BreakOptions(choice, occurrence, options))

    def _add_choices(self, person: int, person_id: str, shift: int, roles: list[str]) -> None:
        key = (person, shift)
        choices = [Choice(person, shift, role, self._new_choice_var(person_id, shift, role)) for role in roles]
        self.choices[key] = choices
        if len(choices) == 1:
            self._on[key] = choices[0].var  # the common case, ready for `on` without a lookup of the choices
        self.person_shifts[person].append(shift)
        self.shift_people[shift].append(person)

    def _new_choice_var(self, person: str, shift: int, role: str) -> IntVar:
        return self.model.new_bool_var(f"x_{person}_{shift}_{role}")

    def on(self, person: int, shift: int) -> IntVar:
        """1 when the person works the shift (in any role). Only call for eligible pairs."""
        key = (person, shift)
        known = self._on.get(key)
        if known is not None:
            return known
        on = self.model.new_bool_var(f"on_{person}_{shift}")
        self.model.add(cp_model.LinearExpr.sum([c.var for c in self.choices[key]]) == on)
        self._on[key] = on
        return on

    def eligible(self, person: int, shift: int) -> bool:
        return (person, shift) in self.choices

    def role_vars(self, shift: int, role: str | None) -> list[IntVar]:
        """Variables counting people on a shift, in a role or (role None) in any role."""
        if role is None:
            return [self.on(p, shift) for p in self.shift_people[shift]]
        return [c.var for p in self.shift_people[shift] for c in self.choices[(p, shift)] if c.role == role]

    def shifts_on_day(self, person: int, day: int) -> list[int]:
        """The person's eligible shifts starting on that period day, in start order."""
        return self._by_day.get((person, day), [])

    def works_day(self, person: int, day: int) -> IntVar | int:
        """1 when the person starts some shift on that period day; the constant 0 when they cannot."""
        key = (person, day)
        if key in self._works_day:
            return self._works_day[key]
        shifts = self.shifts_on_day(person, day)
        if not shifts:
            return 0
        ons = [self.on(person, s) for s in shifts]
        if len(ons) == 1:
            works = ons[0]
        else:
            works = self.model.new_bool_var(f"day_{person}_{day}")
            if self._all_clash(person, shifts):
                # At most one of them anyway: a plain sum is tighter.
                self.model.add(works == cp_model.LinearExpr.sum(ons))
            else:
                self.model.add_max_equality(works, ons)
        self._works_day[key] = works
        return works

    def _all_clash(self, person: int, shifts: list[int]) -> bool:
        """Whether no two of these shifts can both be worked (they overlap, or leave too little rest)."""
        rest = round((self.instances.people[person].limits.min_rest_hours or 0) * 60)
        instances = [self.instances.shifts[s] for s in shifts]
        return max(i.start for i in instances) < min(i.end for i in instances) + rest

    def read(self, value: ValueReader) -> list[Assignment]:
        """The assignments of a solution, in start order."""
        timeline = self.instances.timeline
        pinned = {(p.person, p.date, p.post, p.shift) for p in self.instances.scenario.pins}
        assignments = []
        for choices in self.choices.values():
            for choice in choices:
                if not value(choice.var):
                    continue
                shift = self.instances.shifts[choice.shift]
                person = self.instances.people[choice.person].id
                breaks = sorted(
                    (b.start, b.end) for b in self.breaks.get(choice.shift, [])
                    if b.person == choice.person and b.role == choice.role and value(b.var)
                )
                assignments.append(
                    Assignment(
                        person=person,
                        post=None if shift.is_duty else shift.place,
                        duty=shift.place if shift.is_duty else None,
                        shift=shift.template,
                        role=choice.role,
                        date=shift.date,
                        start=timeline.at(shift.start),
                        end=timeline.at(shift.end),
                        breaks=[Break(start=timeline.at(a), end=timeline.at(b)) for a, b in breaks],
                        pinned=(person, shift.date, shift.place, shift.template) in pinned,
                    )
                )
        assignments.sort(key=lambda a: (a.start, a.place, a.person))
        return assignments


class ValueReader:
    """Reads a Boolean variable's value from a solver or a solution callback."""

    def __init__(self, source: cp_model.CpSolver | cp_model.CpSolverSolutionCallback) -> None:
        self._source = source

    def __call__(self, var: IntVar) -> bool:
        return bool(self._source.boolean_value(var))
