"""Pairs: 'apart' people are never on duty at the same time (hard); 'together' costs `weight` per shift alone."""

from __future__ import annotations

from typing import Any

import pytest

from scheduler.check import pairs as pairs_check
from scheduler.model.constraints.pairs import Pairs
from tests.builders import cover, infeasible, person, pin, solved, tiny_scenario, worked
from tests.handwritten import assert_ok, make_scenario, only, run, shift, sound
from tests.rules.alone import verdict

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


# ------------------------------------------------------------ the whole checker on hand-written rotas


def test_pairs_apart() -> None:
    scenario = make_scenario(pairs=[{"kind": "apart", "people": ["alice", "bob"]}])
    assert_ok(run(scenario, shift("alice", "day"), shift("bob", "late")))  # touching is not overlapping
    result = run(scenario, shift("alice", "day"), shift("bob", "am"))
    only(result, "pairs")
    assert "Alice" in result.violations[0].message and "Bob" in result.violations[0].message

def test_pairs_together_cost() -> None:
    scenario = make_scenario(pairs=[{"kind": "together", "people": ["alice", "bob"], "weight": 10}])
    result = run(scenario, shift("alice", "day"), shift("bob", "day"), shift("alice", "late"), shift("bob", "am", 1))
    assert_ok(result)
    assert result.objective == 10  # only Alice's late shift is without Bob; Bob alone costs nothing

# ------------------------------ the rule alone: its family on a fixed rota; its checker module on a hand-written rota


def test_pairs_alone_on_the_model() -> None:
    apart = tiny_scenario(["alice", "bob"], pairs=[APART])
    assert not verdict(apart, [Pairs()], [("alice", "day", 0), ("bob", "day", 0)]).feasible
    assert verdict(apart, [Pairs()], [("alice", "day", 0)]).feasible
    mentored = tiny_scenario(["alice", "bob"], pairs=[together(7)])
    assert verdict(mentored, [Pairs()], [("alice", "day", 0)]).cost == 7
    assert verdict(mentored, [Pairs()], [("alice", "day", 0), ("bob", "day", 0)]).cost == 0
    assert verdict(mentored, [Pairs()], [("bob", "day", 0)]).cost == 0


def test_pairs_alone_in_the_checker() -> None:
    mentor = {"kind": "together", "people": ["carol", "bob"], "weight": 3}
    scenario = make_scenario(pairs=[{"kind": "apart", "people": ["alice", "bob"]}, mentor])
    ctx, index = sound(scenario, shift("alice", "day"), shift("bob", "day"), shift("carol", "late"))
    assert [v.rule for v in pairs_check.violations(ctx, index)] == ["pairs"]
    assert [(c.name, c.cost) for c in pairs_check.costs(ctx, index)] == [("pairs:carol+bob", 3)]
    ctx, index = sound(scenario, shift("alice", "day"), shift("bob", "late"), shift("carol", "late"))
    assert pairs_check.violations(ctx, index) == [] and pairs_check.costs(ctx, index) == []
