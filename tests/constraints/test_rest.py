"""Rest: one place at a time, at least `min_rest_hours` between shifts, history shifts included."""

from __future__ import annotations

from typing import Any

from tests.builders import PersonSpec, cover, infeasible, person, pin, solved, tiny_scenario, worked

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
