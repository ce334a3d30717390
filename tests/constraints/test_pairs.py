"""Pairs: 'apart' people are never on duty at the same time (hard); 'together' costs `weight` per shift alone."""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import cover, infeasible, person, pin, solved, tiny_scenario, worked

APART = {"kind": "apart", "people": ["alice", "bob"]}


def together(weight: int = 7) -> dict[str, Any]:
    return {"kind": "together", "people": ["alice", "bob"], "weight": weight}


def test_apart_kept_on_touching_shifts() -> None:
    # 08–16 and 16–24 do not overlap: Alice and Bob may take one each.
    shifts = {"day": ("08:00", 8), "eve": ("16:00", 8)}
    coverage = [cover("day", 1, 1), cover("eve", 1, 1)]
    pins = [pin("alice", "day", 0), pin("bob", "eve", 0)]
    result = solved(tiny_scenario(["alice", "bob"], shifts=shifts, coverage=coverage, pins=pins, pairs=[APART]))
    assert worked(result) == {("alice", "day", 0), ("bob", "eve", 0)}


def test_apart_forbids_overlapping_shifts() -> None:
    # 08–16 and 12–20 overlap; each shift needs someone and nobody can do both.
    shifts = {"day": ("08:00", 8), "mid": ("12:00", 8)}
    coverage = [cover("day", 1), cover("mid", 1)]
    solved(tiny_scenario(["alice", "bob"], shifts=shifts, coverage=coverage))
    infeasible(tiny_scenario(["alice", "bob"], shifts=shifts, coverage=coverage, pairs=[APART]))


def test_apart_on_the_same_shift() -> None:
    # Two needed on one shift, three people: Carol and one of the pair.
    result = solved(tiny_scenario(["alice", "bob", "carol"], coverage=[cover("day", 2)], pairs=[APART]))
    people = {p for p, _, _ in worked(result)}
    assert "carol" in people and len(people & {"alice", "bob"}) == 1
    infeasible(tiny_scenario(["alice", "bob"], coverage=[cover("day", 2)], pairs=[APART]))


def test_apart_binds_against_a_wish() -> None:
    # Bob wants Monday (weight 4) but Alice is pinned there: his wish goes unmet.
    bob = person("bob", preferences=[{"kind": "wants", "date": "2026-12-07", "weight": 4}])
    scenario_args: dict[str, Any] = {"pins": [pin("alice", "day", 0)]}
    free = solved(tiny_scenario(["alice", bob], **scenario_args))
    assert ("bob", "day", 0) in worked(free) and free.objective == 0
    result = solved(tiny_scenario(["alice", bob], pairs=[APART], **scenario_args))
    assert worked(result) == {("alice", "day", 0)}
    assert result.objective == pytest.approx(4.0)


def test_together_kept_costs_nothing() -> None:
    result = solved(tiny_scenario(["alice", "bob"], pins=[pin("alice", "day", 0)], pairs=[together()]))
    assert worked(result) == {("alice", "day", 0), ("bob", "day", 0)}
    assert result.objective == 0


def test_together_costs_weight_per_shift_alone() -> None:
    # Alice pinned Mon and Tue; Bob is away on Tuesday: one shift alone at 7.
    bob = person("bob", absences=[{"date": "2026-12-08"}])
    pins = [pin("alice", "day", 0), pin("alice", "day", 1)]
    result = solved(tiny_scenario(["alice", bob], days=2, pins=pins, pairs=[together(7)]))
    assert ("bob", "day", 0) in worked(result)
    assert result.objective == pytest.approx(7.0)
    assert [p.person for p in result.penalties if p.rule == "pairs"] == ["alice"]


def test_together_means_the_same_shift_instance() -> None:
    # Bob may only do the late shift, so Alice's day shift is alone even though Bob works that day.
    shifts = {"day": ("08:00", 8), "late": ("16:00", 8)}
    bob = person("bob", shift_limits=[{"shift": "day", "max": 0}])
    pins = [pin("alice", "day", 0), pin("bob", "late", 0)]
    result = solved(tiny_scenario(["alice", bob], shifts=shifts, pins=pins, pairs=[together(5)]))
    assert result.objective == pytest.approx(5.0)


def test_together_is_one_way() -> None:
    # Bob working without Alice costs nothing.
    alice = person("alice", absences=[{"date": "2026-12-07"}])
    result = solved(tiny_scenario([alice, "bob"], pins=[pin("bob", "day", 0)], pairs=[together(7)]))
    assert result.objective == 0
