"""The decision variables (scheduler/model/variables.py): one Boolean per person, shift instance and role the person
may fill there, none for what they can never take; and a rota read out of a solved model."""

from __future__ import annotations

import datetime as dt

from ortools.sat.python import cp_model

from scheduler.domain.scenario import Scenario
from scheduler.model.timeline import Instances
from scheduler.model.variables import RotaVariables, ValueReader, relevant_roles
from tests.builders import MONDAY, cover, person, pin, tiny_scenario


def variables_of(scenario: Scenario) -> RotaVariables:
    return RotaVariables(cp_model.CpModel(), Instances(scenario))


def test_one_boolean_per_person_shift_and_role() -> None:
    scenario = tiny_scenario(
        people=[person("alice", roles=["vol", "medic"]), "bob"],
        days=2,
        roles=("vol", "medic"),
        coverage=[cover("day", role="medic"), cover("day", role="vol")],
    )
    variables = variables_of(scenario)
    assert sorted(variables.choices) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert [c.role for c in variables.choices[(0, 0)]] == ["vol", "medic"]
    assert [c.role for c in variables.choices[(1, 1)]] == ["vol"]
    names = {c.var.name for cs in variables.choices.values() for c in cs}
    assert names == {
        "x_alice_0_vol", "x_alice_0_medic", "x_alice_1_vol", "x_alice_1_medic", "x_bob_0_vol", "x_bob_1_vol",
    }
    assert len(variables.model.proto.variables) == 6
    assert variables.person_shifts == [[0, 1], [0, 1]] and variables.shift_people == [[0, 1], [0, 1]]


def test_roles_no_rule_counts_are_interchangeable_and_offered_once() -> None:
    scenario = tiny_scenario(people=[person("alice", roles=["vol", "medic", "cook"])], roles=("vol", "medic", "cook"))
    assert [c.role for c in variables_of(scenario).choices[(0, 0)]] == ["vol"]
    counted = tiny_scenario(
        people=[person("alice", roles=["vol", "medic", "cook"])], roles=("vol", "medic", "cook"),
        coverage=[cover("day", role="cook")],
    )
    assert relevant_roles(counted) == {"gate": {"cook"}}
    assert [c.role for c in variables_of(counted).choices[(0, 0)]] == ["cook", "vol"]
    pinned = tiny_scenario(
        people=[person("alice", roles=["vol", "medic"])], roles=("vol", "medic"),
        pins=[pin("alice", "day", 0, role="medic")],
    )
    assert relevant_roles(pinned) == {"gate": {"medic"}}


def test_what_a_person_can_never_take_gets_no_variable() -> None:
    scenario = tiny_scenario(
        people=[
            person("alice", absences=[{"date": MONDAY.isoformat()}]),
            person("bob", active=False),
            person("carol", availability=[{"days": ["tue"], "start": "00:00", "end": "24:00"}]),
            person("dan", limits={"nights_allowed": False}),
        ],
        days=2,
        shifts={"day": ("08:00", 8), "night": ("23:00", 8)},
        bans=[{"person": "dan", "date": (MONDAY + dt.timedelta(days=1)).isoformat(), "post": "gate", "shift": "day"}],
    )
    variables = variables_of(scenario)
    instances = variables.instances
    taken = {
        (instances.people[p].id, instances.shifts[s].template, instances.shifts[s].day) for p, s in variables.choices
    }
    assert taken == {
        ("alice", "day", 1), ("alice", "night", 1),
        ("carol", "day", 1),  # Tuesday's night ends on Wednesday, outside her window
        ("dan", "day", 0),
    }
    assert not variables.eligible(1, 0) and variables.eligible(3, 0)


def test_on_and_works_day_reuse_the_choice_when_there_is_one() -> None:
    scenario = tiny_scenario(
        people=[person("alice", roles=["vol", "medic"]), "bob"],
        days=1,
        roles=("vol", "medic"),
        shifts={"early": ("06:00", 4), "late": ("14:00", 4)},
        coverage=[cover("early", role="medic")],
    )
    variables = variables_of(scenario)
    bob_early = variables.choices[(1, 0)][0].var
    assert variables.on(1, 0) is bob_early
    alice_on = variables.on(0, 0)
    assert alice_on is variables.on(0, 0) and alice_on.name == "on_0_0"
    assert variables.shifts_on_day(0, 0) == [0, 1] and variables.shifts_on_day(0, 1) == []
    assert variables.works_day(0, 1) == 0
    works = variables.works_day(1, 0)
    assert works is variables.works_day(1, 0) and not isinstance(works, int)
    assert [v.name for v in variables.role_vars(0, "medic")] == ["x_alice_0_medic"]
    assert [v.name for v in variables.role_vars(0, None)] == ["on_0_0", "x_bob_0_vol"]


def test_a_rota_is_read_out_of_a_solved_model() -> None:
    scenario = tiny_scenario(
        people=["alice", "bob"],
        days=2,
        shifts={"night": ("22:00", 10)},
        pins=[pin("bob", "night", 1)],
    )
    variables = variables_of(scenario)
    model = variables.model
    alice_monday = variables.choices[(0, 0)][0].var
    bob_tuesday = variables.choices[(1, 1)][0].var
    for choices in variables.choices.values():
        for choice in choices:
            model.add(choice.var == int(choice.var in (alice_monday, bob_tuesday)))
    solver = cp_model.CpSolver()
    assert solver.solve(model) == cp_model.OPTIMAL
    first, second = variables.read(ValueReader(solver))
    zone = scenario.zone
    assert (first.person, first.post, first.duty, first.shift, first.role, first.date, first.pinned) == (
        "alice", "gate", None, "night", "vol", MONDAY, False,
    )
    assert first.start == dt.datetime(2026, 12, 7, 22, 0, tzinfo=zone)
    assert first.end == dt.datetime(2026, 12, 8, 8, 0, tzinfo=zone)
    tuesday = MONDAY + dt.timedelta(days=1)
    assert (second.person, second.date, second.pinned, second.breaks) == ("bob", tuesday, True, [])
