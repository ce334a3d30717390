"""Consecutive days: max run of working days, min runs of working days and of days off (runs at ends exempt)."""

from __future__ import annotations

from typing import Any

import pytest

from scheduler.check import consecutive as consecutive_check
from scheduler.model.constraints.consecutive import ConsecutiveDays
from tests.builders import cover, days_of, infeasible, person, pin, solved, tiny_scenario
from tests.handwritten import assert_ok, make_scenario, only, run, shift, sound
from tests.rules.alone import verdict

EVERY_DAY = [cover("day", 1)]


def limited(*wishes: dict[str, Any], **limits: Any) -> dict[str, Any]:
    return person("alice", limits=limits, preferences=list(wishes))


def avoids(weekday: str, weight: int = 1) -> dict[str, Any]:
    return {"kind": "avoids", "weekday": weekday, "weight": weight}


def history_on(pid: str, date: str) -> dict[str, Any]:
    return {"person": pid, "start": f"{date}T08:00", "end": f"{date}T16:00"}


# ---------------------------------------------------------------------------------------------- max run


def test_max_consecutive_days_kept() -> None:
    result = solved(tiny_scenario([limited(max_consecutive_days=3)], days=3, coverage=EVERY_DAY))
    assert days_of(result, "alice") == [0, 1, 2]


def test_max_consecutive_days_binds() -> None:
    infeasible(tiny_scenario([limited(max_consecutive_days=2)], days=3, coverage=EVERY_DAY))


def test_max_consecutive_days_forces_a_day_off_in_the_middle() -> None:
    # Alice wants every day (Mon–Thu); with at most 2 in a row she must skip Wed or Tue... exactly one day.
    wishes = [{"kind": "wants", "weekday": d} for d in ("mon", "tue", "wed", "thu")]
    free = solved(tiny_scenario([limited(*wishes)], days=4))
    assert days_of(free, "alice") == [0, 1, 2, 3]
    result = solved(tiny_scenario([limited(*wishes, max_consecutive_days=2)], days=4))
    assert result.objective == pytest.approx(1.0)
    assert days_of(result, "alice") in ([0, 1, 3], [0, 2, 3])


def test_max_consecutive_days_counts_history() -> None:
    # Worked Saturday and Sunday before the period: with max 2, Monday must be off.
    history = [history_on("alice", "2026-12-05"), history_on("alice", "2026-12-06")]
    solved(tiny_scenario([limited(max_consecutive_days=2)], coverage=EVERY_DAY))
    infeasible(tiny_scenario([limited(max_consecutive_days=2)], coverage=EVERY_DAY, history=history))
    solved(tiny_scenario([limited(max_consecutive_days=3)], coverage=EVERY_DAY, history=history))


def test_history_gap_breaks_the_run() -> None:
    # Worked Saturday, off Sunday: Monday starts a new run.
    history = [history_on("alice", "2026-12-05")]
    solved(tiny_scenario([limited(max_consecutive_days=1)], coverage=EVERY_DAY, history=history))


# ------------------------------------------------------------------------------------------- min work run


def test_min_consecutive_days_forces_a_neighbouring_day() -> None:
    # Pinned on Wednesday (day 2 of 5). A lone working day with days off on both sides is too short, so she must
    # also work Tuesday (avoided at 1) or Thursday (avoided at 2): Tuesday, cost 1.
    scenario_kwargs: dict[str, Any] = {"days": 5, "pins": [pin("alice", "day", 2)]}
    wishes = (avoids("tue", 1), avoids("thu", 2), avoids("mon", 5), avoids("fri", 5))
    free = solved(tiny_scenario([limited(*wishes)], **scenario_kwargs))
    assert days_of(free, "alice") == [2] and free.objective == 0
    result = solved(tiny_scenario([limited(*wishes, min_consecutive_days=2)], **scenario_kwargs))
    assert days_of(result, "alice") == [1, 2]
    assert result.objective == pytest.approx(1.0)


def test_min_consecutive_days_run_at_the_period_start_is_exempt() -> None:
    # A single day on the first day touches the start of the sequence: allowed.
    wishes = (avoids("tue", 1), avoids("wed", 1))
    result = solved(tiny_scenario([limited(*wishes, min_consecutive_days=2)], days=3, pins=[pin("alice", "day", 0)]))
    assert days_of(result, "alice") == [0]
    assert result.objective == 0


def test_min_consecutive_days_run_at_the_period_end_is_exempt() -> None:
    wishes = (avoids("mon", 1), avoids("tue", 1))
    result = solved(tiny_scenario([limited(*wishes, min_consecutive_days=3)], days=3, pins=[pin("alice", "day", 2)]))
    assert days_of(result, "alice") == [2]
    assert result.objective == 0


def test_history_moves_the_sequence_start() -> None:
    # Bob's history starts the day sequence on Sunday, so Alice's lone Monday (off Sunday, off Tuesday) is now an
    # inner run: she must also work Tuesday (avoided at 1).
    wishes = (avoids("tue", 1),)
    kwargs: dict[str, Any] = {"days": 2, "pins": [pin("alice", "day", 0)]}
    alice = limited(*wishes, min_consecutive_days=2)
    without = solved(tiny_scenario([alice, "bob"], **kwargs))
    assert days_of(without, "alice") == [0] and without.objective == 0
    result = solved(tiny_scenario([alice, "bob"], history=[history_on("bob", "2026-12-06")], **kwargs))
    assert days_of(result, "alice") == [0, 1]
    assert result.objective == pytest.approx(1.0)


def test_min_consecutive_days_infeasible_when_neighbours_are_blocked() -> None:
    absences = [{"date": "2026-12-08"}, {"date": "2026-12-10"}]
    alice = person("alice", limits={"min_consecutive_days": 2}, absences=absences)
    infeasible(tiny_scenario([alice], days=5, pins=[pin("alice", "day", 2)]))


# -------------------------------------------------------------------------------------------- min days off


def test_min_consecutive_days_off_binds() -> None:
    # Working Mon and Wed, away on Tue: a single day off between two working days.
    pins = [pin("alice", "day", 0), pin("alice", "day", 2)]
    away = [{"date": "2026-12-08"}]
    solved(tiny_scenario([person("alice", absences=away)], days=4, pins=pins))
    alice = person("alice", absences=away, limits={"min_consecutive_days_off": 2})
    infeasible(tiny_scenario([alice], days=4, pins=pins))


def test_min_consecutive_days_off_kept() -> None:
    pins = [pin("alice", "day", 0), pin("alice", "day", 3)]
    result = solved(tiny_scenario([limited(min_consecutive_days_off=2)], days=4, pins=pins))
    assert days_of(result, "alice") == [0, 3]


def test_min_consecutive_days_off_fills_a_short_gap() -> None:
    # Pinned Mon and Wed: instead of one day off she works Tuesday too (avoided, cost 4).
    pins = [pin("alice", "day", 0), pin("alice", "day", 2)]
    result = solved(tiny_scenario([limited(avoids("tue", 4), min_consecutive_days_off=2)], days=3, pins=pins))
    assert days_of(result, "alice") == [0, 1, 2]
    assert result.objective == pytest.approx(4.0)


def test_min_consecutive_days_off_at_the_start_is_exempt() -> None:
    # Off on Monday only, then working: the off run touches the sequence start.
    pins = [pin("alice", "day", 1), pin("alice", "day", 2)]
    result = solved(tiny_scenario([limited(min_consecutive_days_off=3)], days=3, pins=pins))
    assert days_of(result, "alice") == [1, 2]


def test_min_days_off_with_history() -> None:
    # Worked Sunday before the period, off Monday: a single day off between two working days if she works Tuesday.
    history = [history_on("alice", "2026-12-06")]
    alice = limited(min_consecutive_days_off=2)
    solved(tiny_scenario([alice], days=2, pins=[pin("alice", "day", 1)]))
    infeasible(tiny_scenario([alice], days=2, pins=[pin("alice", "day", 1)], bans=[
        {"person": "alice", "date": "2026-12-07", "post": "gate"}], history=history))


def test_min_run_continuing_from_history() -> None:
    # Bob's Saturday starts the sequence; Alice worked Sunday (history) and is pinned Monday. With min 3 in a row
    # the run Sun–Mon is too short, so she also works Tuesday (avoided at 2). A run wholly in the history is not
    # checked, so without the pin she could stay off.
    history = [history_on("alice", "2026-12-06"), history_on("bob", "2026-12-05")]
    alice = limited(avoids("tue", 2), min_consecutive_days=3)
    free = solved(tiny_scenario([alice, "bob"], days=3, history=history))
    assert free.objective == 0 and 0 not in days_of(free, "alice")
    result = solved(tiny_scenario([alice, "bob"], days=3, history=history, pins=[pin("alice", "day", 0)]))
    assert days_of(result, "alice")[:2] == [0, 1]
    assert result.objective == pytest.approx(2.0)


# ------------------------------------------------------------ the whole checker on hand-written rotas


def test_max_consecutive_days() -> None:
    scenario = make_scenario(days=3, default_limits={"max_consecutive_days": 2})
    assert_ok(run(scenario, shift("bob", "day", 0), shift("bob", "day", 1)))
    only(run(scenario, *(shift("bob", "day", d) for d in range(3))), "consecutive", "bob")


def test_consecutive_days_counted_across_history() -> None:
    history = [{"person": "bob", "start": f"2026-12-0{d}T08:00:00", "end": f"2026-12-0{d}T16:00:00"} for d in (5, 6)]
    scenario = make_scenario(history=history, default_limits={"max_consecutive_days": 2})
    result = run(scenario, shift("bob", "day", 0))
    only(result, "consecutive", "bob")
    assert "Sat 5 Dec – Mon 7 Dec" in result.violations[0].message
    assert_ok(run(scenario, shift("bob", "day", 1)))


def test_history_runs_alone_are_not_reported() -> None:
    history = [{"person": "bob", "start": f"2026-12-0{d}T08:00:00", "end": f"2026-12-0{d}T16:00:00"} for d in (3, 4)]
    scenario = make_scenario(history=history, default_limits={"max_consecutive_days": 1})
    assert_ok(run(scenario, shift("bob", "day", 1)))


def test_min_consecutive_days_with_exempt_boundary_runs() -> None:
    scenario = make_scenario(days=3, default_limits={"min_consecutive_days": 2})
    assert_ok(run(scenario, shift("bob", "day", 0)))  # touches the start
    assert_ok(run(scenario, shift("bob", "day", 2)))  # touches the end
    only(run(scenario, shift("bob", "day", 1)), "consecutive", "bob")


def test_min_consecutive_days_off() -> None:
    scenario = make_scenario(days=4, default_limits={"min_consecutive_days_off": 2})
    assert_ok(run(scenario, shift("bob", "day", 0), shift("bob", "day", 3)))
    only(run(scenario, shift("bob", "day", 0), shift("bob", "day", 2)), "consecutive", "bob")


def test_history_window_gives_the_first_period_run_a_neighbour() -> None:
    # Someone else's history starts the sequence on Sunday, so Bob's Monday run is no longer at its edge.
    history = [{"person": "carol", "start": "2026-12-06T08:00:00", "end": "2026-12-06T16:00:00"}]
    scenario = make_scenario(days=3, history=history, default_limits={"min_consecutive_days": 2})
    assert_ok(run(make_scenario(days=3, default_limits={"min_consecutive_days": 2}), shift("bob", "day", 0)))
    only(run(scenario, shift("bob", "day", 0)), "consecutive", "bob")



# ------------------------------ the rule alone: its family on a fixed rota; its checker module on a hand-written rota


def test_consecutive_alone_on_the_model() -> None:
    scenario = tiny_scenario([limited(max_consecutive_days=2)], days=3)
    assert not verdict(scenario, [ConsecutiveDays()], [("alice", "day", d) for d in range(3)]).feasible
    assert verdict(scenario, [ConsecutiveDays()], [("alice", "day", 0), ("alice", "day", 1)]).feasible


def test_consecutive_alone_in_the_checker() -> None:
    scenario = make_scenario(days=3, default_limits={"max_consecutive_days": 2})
    broken = consecutive_check.violations(*sound(scenario, *(shift("bob", "day", d) for d in range(3))))
    assert [(v.rule, v.person) for v in broken] == [("consecutive", "bob")]
    assert consecutive_check.violations(*sound(scenario, shift("bob", "day", 0), shift("bob", "day", 1))) == []
