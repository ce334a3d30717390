"""Rest: one place at a time, at least `min_rest_hours` between shifts, history shifts included."""

from __future__ import annotations

from typing import Any

from scheduler.check import rest as rest_check
from scheduler.model.constraints.rest import RestAndOverlap
from tests.builders import PersonSpec, cover, infeasible, person, pin, solved, tiny_scenario, worked
from tests.handwritten import assert_ok, make_scenario, only, run, shift, sound
from tests.handwritten import person as hand_person
from tests.rules.alone import verdict

# An evening shift ending at midnight, a morning shift, and a second post's overlapping shift.
SHIFTS = {"eve": ("16:00", 8), "morning": ("08:00", 8)}
BOTH = [cover("eve", 1, days=["mon"]), cover("morning", 1, days=["tue"])]


def rest(hours: float) -> dict[str, Any]:
    return {"min_rest_hours": hours}


def test_rest_kept_with_exactly_enough_hours() -> None:
    # Evening Mon 16–24, morning Tue 08:00: 8 h rest is just enough.
    alice = person("alice", limits=rest(8))
    result = solved(tiny_scenario([alice], days=2, shifts=SHIFTS, coverage=BOTH))
    assert worked(result) == {("alice", "eve", 0), ("alice", "morning", 1)}


def test_rest_forbids_evening_then_next_morning() -> None:
    alice = person("alice", limits=rest(8.5))
    infeasible(tiny_scenario([alice], days=2, shifts=SHIFTS, coverage=BOTH))


def test_rest_moves_the_morning_to_someone_else() -> None:
    # Alice is pinned on Monday evening and wants Tuesday morning (weight 3); one person on the morning.
    def scenario(hours: float) -> Any:
        wish = [{"kind": "wants", "date": "2026-12-08", "shift": "morning", "weight": 3}]
        people: list[PersonSpec] = [person("alice", limits=rest(hours), preferences=wish), "bob"]
        return tiny_scenario(people, days=2, shifts=SHIFTS, coverage=[cover("morning", 1, 1, days=["tue"])],
                             pins=[pin("alice", "eve", 0)])

    relaxed = solved(scenario(8))
    assert ("alice", "morning", 1) in worked(relaxed)
    assert relaxed.objective == 0
    strict = solved(scenario(9))
    assert ("bob", "morning", 1) in worked(strict)
    assert strict.objective == 3.0


def test_default_limits_apply_rest_to_everyone() -> None:
    scenario = tiny_scenario(["alice"], days=2, shifts=SHIFTS, coverage=BOTH, default_limits=rest(10))
    infeasible(scenario)


def test_overlapping_shifts_one_place_at_a_time() -> None:
    shifts = {"day": ("08:00", 8), "mid": ("12:00", 8)}
    coverage = [cover("day", 1), cover("mid", 1)]
    infeasible(tiny_scenario(["alice"], shifts=shifts, coverage=coverage))
    result = solved(tiny_scenario(["alice", "bob"], shifts=shifts, coverage=coverage))
    assert len({p for p, _, _ in worked(result)}) == 2


def test_back_to_back_shifts_without_rest_rule() -> None:
    # 08–16 then 16–24: touching is not overlapping.
    shifts = {"day": ("08:00", 8), "eve": ("16:00", 8)}
    result = solved(tiny_scenario(["alice"], shifts=shifts, coverage=[cover("day", 1), cover("eve", 1)]))
    assert worked(result) == {("alice", "day", 0), ("alice", "eve", 0)}


HISTORY_NIGHT = {"person": "alice", "start": "2026-12-06T22:00", "end": "2026-12-07T06:00"}


def test_history_night_forbids_monday_morning() -> None:
    # Sunday 22:00–Monday 06:00 before the period; 8 h rest rules out Monday 08:00.
    alice = person("alice", limits=rest(8))
    coverage = [cover("day", 1)]
    solved(tiny_scenario([alice], coverage=coverage))  # without the history shift she can work
    infeasible(tiny_scenario([alice], coverage=coverage, history=[HISTORY_NIGHT]))
    result = solved(tiny_scenario([alice, "bob"], coverage=coverage, history=[HISTORY_NIGHT]))
    assert worked(result) == {("bob", "day", 0)}


def test_history_with_enough_rest_is_fine() -> None:
    alice = person("alice", limits=rest(2))
    result = solved(tiny_scenario([alice], coverage=[cover("day", 1)], history=[HISTORY_NIGHT]))
    assert worked(result) == {("alice", "day", 0)}


def test_history_overlapping_the_period_blocks_without_rest_rule() -> None:
    # A history shift running until Monday 09:00 overlaps the 08:00 shift.
    past = {"person": "alice", "start": "2026-12-07T01:00", "end": "2026-12-07T09:00"}
    infeasible(tiny_scenario(["alice"], coverage=[cover("day", 1)], history=[past]))


# ------------------------------------------------------------ the whole checker on hand-written rotas


def test_overlap() -> None:
    assert_ok(run(make_scenario(), shift("bob", "night"), shift("bob", "day")))
    result = run(make_scenario(), shift("bob", "day"), shift("bob", "am"))
    only(result, "overlap", "bob")


def test_min_rest() -> None:
    scenario = make_scenario(default_limits={"min_rest_hours": 8})
    assert_ok(run(scenario, shift("bob", "late", 0), shift("bob", "day", 1)))  # exactly 8 h
    only(run(scenario, shift("bob", "late", 0), shift("bob", "night", 1)), "rest", "bob")


def test_history_shift_forbids_early_monday_shift() -> None:
    limits = {"min_rest_hours": 10}
    history = [{"person": "bob", "start": "2026-12-06T22:00:00", "end": "2026-12-07T06:00:00"}]
    scenario = make_scenario(history=history, people=[hand_person("bob", limits=limits)])
    assert_ok(run(make_scenario(people=[hand_person("bob", limits=limits)]), shift("bob", "day")))
    result = run(scenario, shift("bob", "day"))  # 2 h after the Sunday night shift
    only(result, "rest", "bob")
    assert "previous rota" in result.violations[0].message
    assert_ok(run(scenario, shift("bob", "late")))  # 16:00 is exactly 10 h after 06:00


def test_history_with_offsets_and_overlap() -> None:
    # The same Sunday night written in UTC; and a history shift running into the period's first day shift.
    history = [
        {"person": "bob", "start": "2026-12-06T14:00:00+00:00", "end": "2026-12-06T22:00:00+00:00"},
        {"person": "carol", "start": "2026-12-07T05:00:00", "end": "2026-12-07T09:00:00"},
    ]
    scenario = make_scenario(history=history, default_limits={"min_rest_hours": 10})
    assert_ok(run(scenario, shift("bob", "late")))
    only(run(scenario, shift("bob", "day")), "rest", "bob")
    only(run(scenario, shift("carol", "day")), "overlap", "carol")



# ------------------------------ the rule alone: its family on a fixed rota; its checker module on a hand-written rota


def test_rest_alone_on_the_model() -> None:
    eve_then_morning = [("alice", "eve", 0), ("alice", "morning", 1)]  # 8 hours apart
    short = tiny_scenario([person("alice", limits=rest(12))], days=2, shifts=SHIFTS)
    assert not verdict(short, [RestAndOverlap()], eve_then_morning).feasible
    enough = tiny_scenario([person("alice", limits=rest(8))], days=2, shifts=SHIFTS)
    assert verdict(enough, [RestAndOverlap()], eve_then_morning).feasible


def test_rest_alone_in_the_checker() -> None:
    scenario = make_scenario(default_limits={"min_rest_hours": 12})
    broken = rest_check.violations(*sound(scenario, shift("bob", "late", 0), shift("bob", "day", 1)))
    assert [(v.rule, v.person) for v in broken] == [("rest", "bob")]
    assert rest_check.violations(*sound(scenario, shift("bob", "late", 0), shift("bob", "late", 1))) == []
