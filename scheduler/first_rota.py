"""A first rota person by person, when no hard rule ties two people together.

When every coverage rule has costs (so missing or exceeding it is allowed, at a price), there are no team duties,
no meal rules and no 'apart' pairs, each hard rule concerns one person: their hours, days in a row, days off,
weekends, shift kinds, successions, rest, absences and pins. A rota is then valid exactly when each person's own
part is, and each part is a small model: solving them one by one found a first rota for every large Curtois
instance (Instance20 in 7 s, Instance24 in about 290 s for 150 people on a loaded machine) where the whole model
found none in 8.5 minutes. The full model then starts from it, hinted. It stops at the solve's time limit like
everything else (a coordinator's limit is a promise): what is left of the time goes to each next person.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from scheduler.build import BuiltModel, SolveSettings, build_model, solver_for
from scheduler.models import PairKind, Person, Scenario
from scheduler.variables import RotaVariables


def decomposes(scenario: Scenario) -> bool:
    """Whether no hard rule involves two people (a person's own rota can be chosen alone)."""
    hard_coverage = any(
        (rule.min > 0 and rule.min_cost is None) or (rule.max is not None and rule.max_cost is None)
        for rule in scenario.coverage
    )
    apart = any(pair.kind is PairKind.APART for pair in scenario.pairs)
    return not (hard_coverage or apart or scenario.team_duties or scenario.meal_rules)


def _own_scenario(scenario: Scenario, person: Person) -> Scenario:
    """The scenario for one person: their pins, no coverage or pairs; the history is kept whole, since where the
    history window starts (the earliest shift of anyone) decides which runs of days touch its start."""
    return scenario.model_copy(
        update={
            "people": [person], "coverage": [], "pairs": [],
            "pins": [pin for pin in scenario.pins if pin.person == person.id],
        }
    )


def _own_rota(scenario: Scenario, person: Person, settings: SolveSettings) -> dict[int, str] | None:
    """The shifts (instance index to role) of one valid rota of the person alone; None when there is none."""
    built = build_model(_own_scenario(scenario, person))
    # Two workers, for the feasibility-jump one: alone, the default search needed over 60 s for one Curtois
    # Instance20 person (minimum and maximum hours two shifts apart), feasibility jump 0.1 s.
    solver = solver_for(settings)
    solver.parameters.stop_after_first_solution = True
    code = solver.solve(built.feasibility_model())
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return {
        choice.shift: choice.role
        for choices in built.variables.choices.values() for choice in choices if solver.boolean_value(choice.var)
    }


def _values(variables: RotaVariables, person: int, worked: dict[int, str]) -> list[int]:
    """The person's choice values in the full model: the same shifts, in the same role when it is offered there.

    Without coverage the person's own model offers one role where the full model may offer several (the ones some
    rule counts); with no hard rule on roles any of them is valid.
    """
    values: list[int] = []
    for shift in variables.person_shifts[person]:
        choices = variables.choices[(person, shift)]
        role = worked.get(shift)
        if role is not None and all(c.role != role for c in choices):
            role = choices[0].role
        values.extend(int(choice.role == role) for choice in choices)
    return values


def person_by_person(
    scenario: Scenario, built: BuiltModel, settings: SolveSettings, deadline: float | None = None
) -> list[int] | None:
    """Values of `built`'s choice variables (in `choices` order) for a rota found one person at a time.

    None when the scenario does not decompose, some person has no valid rota alone (then the whole model
    decides, and explains), or `deadline` (a `time.perf_counter()` value) passes first.
    """
    if not decomposes(scenario):
        return None
    variables = built.variables
    by_choice: dict[tuple[int, int, str], int] = {}
    for info in variables.instances.people:
        # Everyone, even without a shift they may take: a minimum of hours can make their own rota impossible.
        remaining = settings.time_limit if deadline is None else deadline - time.perf_counter()
        if remaining <= 0:
            return None
        own_settings = settings.model_copy(update={"workers": 2, "time_limit": remaining})
        worked = _own_rota(scenario, info.person, own_settings)
        if worked is None:
            return None
        shifts = variables.person_shifts[info.index]
        own = _values(variables, info.index, worked)
        keys = [(info.index, s, c.role) for s in shifts for c in variables.choices[(info.index, s)]]
        by_choice.update(zip(keys, own, strict=True))
    return [by_choice[(c.person, c.shift, c.role)] for cs in variables.choices.values() for c in cs]
