"""Pins: the pinned person is on that instance (in that role, if given)."""

from __future__ import annotations

from typing import Any

import pytest

from scheduler.check import pins as pins_check
from scheduler.model.constraints.pins import Pins
from tests.builders import PersonSpec, cover, infeasible, person, pin, roles_filled, solved, tiny_scenario, worked
from tests.handwritten import assert_ok, make_scenario, only, run, shift, sound, team_scenario
from tests.handwritten import duty as hand_duty
from tests.rules.alone import verdict

AVOIDS_MONDAY = [{"kind": "avoids", "date": "2026-12-07", "weight": 3}]


def test_pin_forces_the_person_on() -> None:
    # One person on the shift; Alice avoids Monday, so without the pin Bob works it.
    people: list[PersonSpec] = [person("alice", preferences=AVOIDS_MONDAY), "bob"]
    free = solved(tiny_scenario(people, coverage=[cover("day", 1, 1)]))
    assert worked(free) == {("bob", "day", 0)} and free.objective == 0
    result = solved(tiny_scenario(people, coverage=[cover("day", 1, 1)], pins=[pin("alice", "day", 0)]))
    assert worked(result) == {("alice", "day", 0)}
    assert result.objective == pytest.approx(3.0)
    assert result.rota is not None
    assert [a.pinned for a in result.rota.assignments] == [True]


def test_pin_puts_someone_on_an_unneeded_shift() -> None:
    assert worked(solved(tiny_scenario(["alice"], days=2))) == set()
    result = solved(tiny_scenario(["alice"], days=2, pins=[pin("alice", "day", 1)]))
    assert worked(result) == {("alice", "day", 1)}


def test_pin_with_a_role() -> None:
    alice = person("alice", ["vol", "sec"])
    result = solved(tiny_scenario([alice], roles=["vol", "sec"], pins=[pin("alice", "day", 0, role="sec")]))
    assert roles_filled(result) == {("alice", "sec", 0)}


def test_pin_with_a_role_the_person_lacks_is_infeasible() -> None:
    infeasible(tiny_scenario(["alice"], roles=["vol", "sec"], pins=[pin("alice", "day", 0, role="sec")]))


def test_pin_against_a_ban_is_infeasible() -> None:
    ban = {"person": "alice", "date": "2026-12-07", "post": "gate"}
    result = infeasible(tiny_scenario(["alice"], pins=[pin("alice", "day", 0)], bans=[ban]))
    assert result.explanation is not None and result.explanation.conflicts


def test_pin_against_an_absence_is_infeasible() -> None:
    alice = person("alice", absences=[{"date": "2026-12-07"}])
    infeasible(tiny_scenario([alice], pins=[pin("alice", "day", 0)]))


def test_pin_on_a_day_the_shift_does_not_run_is_infeasible() -> None:
    shifts = {"day": {"start": "08:00", "hours": 8, "days": ["tue"]}}
    infeasible(tiny_scenario(["alice"], days=2, shifts=shifts, pins=[pin("alice", "day", 0)]))
    assert worked(solved(tiny_scenario(["alice"], days=2, shifts=shifts, pins=[pin("alice", "day", 1)]))) == {
        ("alice", "day", 1)
    }


def test_overlapping_pins_are_infeasible() -> None:
    shifts = {"day": ("08:00", 8), "mid": ("12:00", 8)}
    infeasible(tiny_scenario(["alice"], shifts=shifts, pins=[pin("alice", "day", 0), pin("alice", "mid", 0)]))


def test_pins_against_a_hard_maximum_are_infeasible() -> None:
    pins = [pin("alice", "day", 0), pin("bob", "day", 0)]
    infeasible(tiny_scenario(["alice", "bob"], coverage=[cover("day", 0, 1)], pins=pins))


def test_pin_on_a_team_duty() -> None:
    duty: dict[str, Any] = {
        "id": "screen", "name": "Screening", "window": {"start": "09:00", "end": "12:00"}, "roles": ["sec"],
    }
    people = [person("alice", ["sec"]), person("bob", ["sec"], preferences=[{"kind": "wants", "weekday": "mon"}])]
    scenario_args: dict[str, Any] = {"roles": ["vol", "sec"], "posts": [], "team_duties": [duty]}
    free = solved(tiny_scenario(people, **scenario_args))
    assert worked(free) == {("bob", "screen", 0)}
    result = solved(tiny_scenario(people, pins=[pin("alice", None, 0, post="screen")], **scenario_args))
    assert worked(result) == {("alice", "screen", 0)}
    assert result.objective == pytest.approx(1.0)


# ------------------------------------------------------------ the whole checker on hand-written rotas


def test_pins() -> None:
    pins = [{"person": "alice", "date": "2026-12-08", "post": "gate", "shift": "night", "role": "sec"}]
    scenario = make_scenario(pins=pins)
    assert_ok(run(scenario, shift("alice", "night", 1, role="sec")))
    result = run(scenario, shift("alice", "night", 1, role="vol"))
    only(result, "pins", "alice")
    assert "Tue 8 Dec 00:00–08:00" in result.violations[0].message
    only(run(scenario), "pins", "alice")


def test_checker_pin_on_a_team_duty() -> None:
    scenario = team_scenario(pins=[{"person": "alice", "date": "2026-12-07", "post": "screen", "role": "sec"}])
    assert_ok(run(scenario, hand_duty("bob", "vol"), hand_duty("alice", "sec")))
    only(run(scenario, hand_duty("bob", "vol"), hand_duty("dave", "sec")), "pins", "alice")



# ------------------------------ the rule alone: its family on a fixed rota; its checker module on a hand-written rota


def test_pins_alone_on_the_model() -> None:
    scenario = tiny_scenario(["alice", "bob"], days=2, pins=[pin("alice", "day", 1)])
    assert not verdict(scenario, [Pins()], []).feasible
    assert not verdict(scenario, [Pins()], [("bob", "day", 1)]).feasible
    assert verdict(scenario, [Pins()], [("alice", "day", 1)]).feasible


def test_pins_alone_in_the_checker() -> None:
    scenario = make_scenario(pins=[{"person": "bob", "date": "2026-12-08", "post": "gate", "shift": "day"}])
    assert [v.rule for v in pins_check.violations(*sound(scenario, shift("carol", "day", 1)))] == ["pins"]
    assert pins_check.violations(*sound(scenario, shift("bob", "day", 1))) == []
