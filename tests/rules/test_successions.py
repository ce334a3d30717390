"""Successions: template `to` may not be worked the day after template `from` (same post if one is named)."""

from __future__ import annotations

from typing import Any

from scheduler.check import successions as successions_check
from scheduler.model.constraints.successions import Successions
from tests.builders import POST, PersonSpec, cover, infeasible, person, pin, solved, tiny_scenario, worked
from tests.handwritten import assert_ok, make_scenario, only, run, shift, sound
from tests.rules.alone import verdict

# A late shift ending at midnight and an early shift at 06:00: no rest rule forbids late -> early.
SHIFTS = {"late": ("16:00", 8), "early": ("06:00", 8)}
LATE_THEN_EARLY = [cover("late", 1, days=["mon"]), cover("early", 1, days=["tue"])]
RULE = {"from": "late", "to": "early"}


def test_without_succession_late_then_early_is_allowed() -> None:
    result = solved(tiny_scenario(["alice"], days=2, shifts=SHIFTS, coverage=LATE_THEN_EARLY))
    assert worked(result) == {("alice", "late", 0), ("alice", "early", 1)}


def test_succession_forbids_late_then_early() -> None:
    infeasible(tiny_scenario(["alice"], days=2, shifts=SHIFTS, coverage=LATE_THEN_EARLY, successions=[RULE]))


def test_succession_hands_the_early_shift_to_someone_else() -> None:
    coverage = [cover("early", 1, 1, days=["tue"])]
    wish = [{"kind": "wants", "date": "2026-12-08", "shift": "early", "weight": 2}]
    people: list[PersonSpec] = [person("alice", preferences=wish), "bob"]
    scenario = tiny_scenario(people, days=2, shifts=SHIFTS, coverage=coverage, pins=[pin("alice", "late", 0)],
                             successions=[RULE])
    result = solved(scenario)
    assert ("bob", "early", 1) in worked(result)
    assert result.objective == 2.0


def test_succession_in_the_other_order_is_allowed() -> None:
    # Early on Monday then late on Tuesday is not the forbidden order.
    coverage = [cover("early", 1, days=["mon"]), cover("late", 1, days=["tue"])]
    result = solved(tiny_scenario(["alice"], days=2, shifts=SHIFTS, coverage=coverage, successions=[RULE]))
    assert worked(result) == {("alice", "early", 0), ("alice", "late", 1)}


def test_succession_only_to_the_next_day() -> None:
    # Late on Monday, early on Wednesday: a day between, allowed.
    coverage = [cover("late", 1, days=["mon"]), cover("early", 1, days=["wed"])]
    result = solved(tiny_scenario(["alice"], days=3, shifts=SHIFTS, coverage=coverage, successions=[RULE]))
    assert worked(result) == {("alice", "late", 0), ("alice", "early", 2)}


def two_posts() -> list[dict[str, Any]]:
    templates = [{"id": k, "start": v[0], "hours": v[1]} for k, v in SHIFTS.items()]
    return [{"id": POST, "name": "Gate", "shifts": templates}, {"id": "desk", "name": "Desk", "shifts": templates}]


def test_succession_with_a_post_applies_only_there() -> None:
    # Late at the gate on Monday, early at the desk on Tuesday: a rule for the gate does not apply.
    coverage = [cover("late", 1, days=["mon"]), {"post": "desk", "shift": "early", "min": 1, "days": ["tue"]}]
    people = [person("alice", posts=[POST, "desk"])]
    gate_rule = {**RULE, "post": POST}
    result = solved(tiny_scenario(people, days=2, posts=two_posts(), coverage=coverage, successions=[gate_rule]))
    assert worked(result) == {("alice", "late", 0), ("alice", "early", 1)}
    # Without a post, the rule matches the templates at any post, across posts.
    infeasible(tiny_scenario(people, days=2, posts=two_posts(), coverage=coverage, successions=[RULE]))


def test_succession_ignores_history() -> None:
    # A history shift on Sunday evening is not a 'late' instance: Monday early is fine.
    past = {"person": "alice", "start": "2026-12-06T16:00", "end": "2026-12-07T00:00", "post": POST}
    coverage = [cover("early", 1, days=["mon"])]
    result = solved(tiny_scenario(["alice"], shifts=SHIFTS, coverage=coverage, successions=[RULE], history=[past]))
    assert worked(result) == {("alice", "early", 0)}


# ------------------------------------------------------------ the whole checker on hand-written rotas


def test_succession() -> None:
    scenario = make_scenario(successions=[{"from": "late", "to": "night"}])
    assert_ok(run(scenario, shift("bob", "late", 0), shift("bob", "day", 1)))
    assert_ok(run(scenario, shift("bob", "night", 0), shift("bob", "late", 1)))
    only(run(scenario, shift("bob", "late", 0), shift("bob", "night", 1)), "succession", "bob")


def test_succession_limited_to_a_post() -> None:
    gate = make_scenario().posts[0].model_dump()
    posts = [gate, {**gate, "id": "gate2", "name": "Second gate"}]
    scenario = make_scenario(posts=posts, successions=[{"from": "late", "to": "night", "post": "gate"}])
    assert_ok(run(scenario, shift("bob", "late", 0, post="gate2"), shift("bob", "night", 1)))
    only(run(scenario, shift("bob", "late", 0), shift("bob", "night", 1)), "succession", "bob")
    anywhere = make_scenario(posts=posts, successions=[{"from": "late", "to": "night"}])
    only(run(anywhere, shift("bob", "late", 0, post="gate2"), shift("bob", "night", 1)), "succession", "bob")



# ------------------------------ the rule alone: its family on a fixed rota; its checker module on a hand-written rota


def test_successions_alone_on_the_model() -> None:
    scenario = tiny_scenario(["alice"], days=2, shifts=SHIFTS, successions=[RULE])
    assert not verdict(scenario, [Successions()], [("alice", "late", 0), ("alice", "early", 1)]).feasible
    assert verdict(scenario, [Successions()], [("alice", "early", 0), ("alice", "late", 1)]).feasible
    assert verdict(scenario, [], [("alice", "late", 0), ("alice", "early", 1)]).feasible  # no other rule forbids it


def test_successions_alone_in_the_checker() -> None:
    scenario = make_scenario(successions=[{"from": "late", "to": "night"}])
    broken = successions_check.violations(*sound(scenario, shift("bob", "late", 0), shift("bob", "night", 1)))
    assert [(v.rule, v.person) for v in broken] == [("succession", "bob")]
    assert successions_check.violations(*sound(scenario, shift("bob", "night", 0), shift("bob", "late", 1))) == []
