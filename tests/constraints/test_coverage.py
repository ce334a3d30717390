"""Coverage: hard and soft minimums and maximums, per shift and per window (costs per person-hour)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.builders import cost_of, cover, infeasible, pin, roles_filled, solved, tiny_scenario, window, worked


def test_hard_minimum_kept() -> None:
    result = solved(tiny_scenario(["alice", "bob"], coverage=[cover("day", 1)]))
    assert len(worked(result)) >= 1
    assert result.objective == 0
    assert cost_of(result, "coverage") == 0


def test_hard_minimum_binds_people_are_put_on() -> None:
    # Without the rule nobody needs to work; with it both must.
    assert worked(solved(tiny_scenario(["alice", "bob"]))) == set()
    result = solved(tiny_scenario(["alice", "bob"], coverage=[cover("day", 2)]))
    assert worked(result) == {("alice", "day", 0), ("bob", "day", 0)}


def test_hard_minimum_too_few_people_is_infeasible() -> None:
    result = infeasible(tiny_scenario(["alice"], coverage=[cover("day", 2)]))
    assert result.explanation is not None
    assert result.explanation.shortages


def test_hard_minimum_counts_only_the_role() -> None:
    people = [{"id": "alice", "name": "A", "roles": ["vol"]}, {"id": "bob", "name": "B", "roles": ["vol", "sec"]}]
    result = solved(tiny_scenario(people, roles=["vol", "sec"], coverage=[cover("day", 1, role="sec")]))
    assert ("bob", "sec", 0) in roles_filled(result)
    infeasible(tiny_scenario(people[:1], roles=["vol", "sec"], coverage=[cover("day", 1, role="sec")]))


def test_hard_maximum_binds() -> None:
    wishes = [{"kind": "wants", "date": "2026-12-07", "weight": w} for w in (4, 6)]
    people = [
        {"id": "alice", "name": "A", "roles": ["vol"], "preferences": [wishes[0]]},
        {"id": "bob", "name": "B", "roles": ["vol"], "preferences": [wishes[1]]},
    ]
    free = solved(tiny_scenario(people))
    assert worked(free) == {("alice", "day", 0), ("bob", "day", 0)}
    assert free.objective == 0
    capped = solved(tiny_scenario(people, coverage=[cover("day", 0, 1)]))
    assert worked(capped) == {("bob", "day", 0)}  # the cheaper wish is the one left unmet
    assert capped.objective == pytest.approx(4.0)


def test_window_minimum_hard_at_every_minute() -> None:
    # 08:00–12:00 needs someone at every minute: two 2-hour shifts, one person can do both.
    shifts = {"a": ("08:00", 2), "b": ("10:00", 2)}
    result = solved(tiny_scenario(["alice"], shifts=shifts, coverage=[window("08:00", "12:00", 1)]))
    assert worked(result) == {("alice", "a", 0), ("alice", "b", 0)}
    # A window starting before any shift can cover it cannot be met.
    infeasible(tiny_scenario(["alice"], shifts=shifts, coverage=[window("07:59", "12:00", 1)]))


def test_soft_window_minimum_costs_per_missing_person_hour() -> None:
    # Nobody holds "sec": 2 missing person-hours at cost 3 -> 6.0.
    scenario = tiny_scenario(["alice"], roles=["vol", "sec"], coverage=[window("08:00", "10:00", 1, role="sec",
                                                                               min_cost=3)])
    result = solved(scenario)
    assert result.objective == pytest.approx(6.0)
    assert cost_of(result, "coverage") == pytest.approx(6.0)
    assert sum(p.amount for p in result.penalties) == pytest.approx(2.0)


def test_soft_window_minimum_scales_with_how_many_are_missing() -> None:
    # Min 2 over 08:00–10:00, one person on a 1-hour shift: 1 missing for an hour, then 2 for an hour.
    scenario = tiny_scenario(["alice"], shifts={"a": ("08:00", 1)}, coverage=[window("08:00", "10:00", 2,
                                                                                     min_cost=3)])
    result = solved(scenario)
    assert worked(result) == {("alice", "a", 0)}
    assert result.objective == pytest.approx(9.0)


def test_soft_window_minimum_in_sixtieths() -> None:
    # 20 minutes missing at cost 1 per person-hour: 1/3.
    scenario = tiny_scenario(["alice"], roles=["vol", "sec"], coverage=[window("08:00", "08:20", 1, role="sec",
                                                                               min_cost=1)])
    assert solved(scenario).objective == pytest.approx(1 / 3, abs=1e-6)


def test_soft_minimum_kept_costs_nothing() -> None:
    result = solved(tiny_scenario(["alice"], coverage=[window("08:00", "10:00", 1, min_cost=3)]))
    assert result.objective == 0 and cost_of(result, "coverage") == 0
    assert worked(result) == {("alice", "day", 0)}


def test_soft_shift_minimum_costs_per_missing_person() -> None:
    result = solved(tiny_scenario(["alice"], days=2, coverage=[cover("day", 2, min_cost=5)]))
    assert worked(result) == {("alice", "day", 0), ("alice", "day", 1)}
    assert result.objective == pytest.approx(10.0)  # one person short on each of two days


def test_soft_shift_maximum_costs_per_extra_person() -> None:
    # Three people pinned, soft max 1 at 4 per extra person: 2 extra -> 8.
    pins = [pin(p, "day", 0) for p in ("a", "b", "c")]
    result = solved(tiny_scenario(["a", "b", "c"], coverage=[cover("day", 0, 1, max_cost=4)], pins=pins))
    assert len(worked(result)) == 3
    assert result.objective == pytest.approx(8.0)


def test_soft_window_maximum_costs_per_extra_person_hour() -> None:
    # Two people pinned on an 8-hour shift, max 1 during 08:00–11:00 at 2 per person-hour: 3 h x 1 x 2 = 6.
    pins = [pin(p, "day", 0) for p in ("alice", "bob")]
    scenario = tiny_scenario(["alice", "bob"], coverage=[window("08:00", "11:00", 0, max=1, max_cost=2)], pins=pins)
    assert solved(scenario).objective == pytest.approx(6.0)


def test_coverage_days_limit_the_rule() -> None:
    # Only Tuesdays need someone: Monday stays empty.
    result = solved(tiny_scenario(["alice"], days=2, coverage=[cover("day", 1, days=["tue"])]))
    assert worked(result) == {("alice", "day", 1)}


def test_whole_day_rule_reaches_into_the_day_after_the_horizon_tail() -> None:
    # The gate's horizon is 08:00 Mon + 24 h. Nobody holds "sec": Mon 08:00–24:00 (16 h) plus the day after's
    # window clipped to 00:00–08:00 Tue (8 h): 24 missing person-hours at cost 1.
    scenario = tiny_scenario(["alice"], roles=["vol", "sec"], coverage=[{"post": "gate", "role": "sec", "min": 1,
                                                                          "min_cost": 1}])
    assert solved(scenario).objective == pytest.approx(24.0)


def test_horizon_is_absolute_and_windows_follow_the_local_clock_over_dst() -> None:
    # Berlin, Sun 2026-03-29 (clocks go 02:00 -> 03:00), one day, a shift at 00:00: the horizon is 24 absolute
    # hours, to Mon 01:00 local. Window 23:00–01:00: Sat's part inside the horizon is 00:00–01:00 (1 h), Sun's
    # 23:00–01:00 lies wholly inside (2 h): 3 missing person-hours.
    scenario = tiny_scenario(["alice"], roles=["vol", "sec"], start=dt.date(2026, 3, 29), timezone="Europe/Berlin",
                             shifts={"n": ("00:00", 8)},
                             coverage=[window("23:00", "01:00", 1, role="sec", min_cost=1)])
    assert solved(scenario).objective == pytest.approx(3.0)


def test_rule_on_given_dates_only() -> None:
    result = solved(tiny_scenario(["alice"], days=3, coverage=[cover("day", 1, dates=["2026-12-08"])]))
    assert worked(result) == {("alice", "day", 1)}
