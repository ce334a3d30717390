"""Pins: the pinned person is on that instance (in that role, if given)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import PersonSpec, cover, infeasible, person, pin, roles_filled, solved, tiny_scenario, worked

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
