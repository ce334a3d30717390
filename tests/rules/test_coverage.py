"""Coverage: hard and soft minimums and maximums, per shift and per window (costs per person-hour)."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler.check import coverage as coverage_check
from scheduler.model.constraints.coverage import Coverage
from tests.builders import cost_of, cover, infeasible, pin, roles_filled, solved, tiny_scenario, window, worked
from tests.handwritten import assert_ok, make_scenario, only, run, shift, sound, ward_scenario
from tests.rules.alone import verdict


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


def test_horizon_ends_at_local_midnight_and_windows_follow_the_local_clock_over_dst() -> None:
    # Berlin, Sun 29 Mar (clocks go 02:00 -> 03:00), one day, a shift at 00:00: the horizon runs from local
    # midnight to the next local midnight (23 absolute hours), not to Mon 01:00. Window 23:00–01:00: Sat's part
    # inside the horizon is 00:00–01:00 (1 h), Sun's is clipped to 23:00–24:00 (1 h): 2 missing person-hours.
    scenario = tiny_scenario(["alice"], roles=["vol", "sec"], start=dt.date(2026, 3, 29), timezone="Europe/Berlin",
                             shifts={"n": ("00:00", 8)},
                             coverage=[window("23:00", "01:00", 1, role="sec", min_cost=1)])
    assert solved(scenario).objective == pytest.approx(2.0)


def test_rule_on_given_dates_only() -> None:
    result = solved(tiny_scenario(["alice"], days=3, coverage=[cover("day", 1, dates=["2026-12-08"])]))
    assert worked(result) == {("alice", "day", 1)}


# ------------------------------------------------------------ the whole checker on hand-written rotas


def test_window_coverage_hard_minimum() -> None:
    scenario = make_scenario(days=1, coverage=[{"post": "gate", "min": 1}])
    full = [shift("alice", "night"), shift("bob", "day"), shift("carol", "late")]
    assert_ok(run(scenario, *full))
    result = run(scenario, *full[:2])
    only(result, "coverage")
    assert len(result.violations) == 1
    assert "Mon 7 Dec 16:00–24:00" in result.violations[0].message
    assert result.violations[0].place == "gate"


def test_coverage_role_counts_only_that_role() -> None:
    rule = {"post": "gate", "shift": "night", "role": "sec", "min": 1}
    scenario = make_scenario(days=1, coverage=[rule])
    assert_ok(run(scenario, shift("alice", "night", role="sec")))
    result = run(scenario, shift("alice", "night", role="vol"), shift("bob", "night"))
    only(result, "coverage")
    assert "Mon 7 Dec 00:00–08:00" in result.violations[0].message
    assert "Security" in result.violations[0].message


def test_coverage_hard_maximum() -> None:
    scenario = make_scenario(coverage=[{"post": "gate", "window": {"start": "10:00", "end": "12:00"}, "max": 1}])
    assert_ok(run(scenario, shift("bob", "day"), shift("carol", "night")))
    only(run(scenario, shift("bob", "day", 1), shift("carol", "day", 1)), "coverage")

def test_horizon_starts_at_the_earliest_template_start() -> None:
    # Horizon Mon 08:00 – Tue 08:00; the whole-day window exists on Sun (clipped away), Mon (08:00–24:00) and
    # Tue, the day after the period (00:00–08:00, the horizon's tail).
    scenario = ward_scenario(coverage=[{"post": "ward", "min": 1}])
    assert_ok(run(scenario, shift("bob", "d", post="ward"), shift("carol", "n", post="ward")))
    result = run(scenario, shift("bob", "d", post="ward"))
    only(result, "coverage")
    messages = sorted(v.message for v in result.violations)
    assert len(messages) == 2
    assert any("Mon 7 Dec 20:00–24:00" in m for m in messages)
    assert any("Tue 8 Dec 00:00–08:00" in m for m in messages)


def test_window_of_the_day_before_the_period_is_checked() -> None:
    # Sunday's 20:00–10:00 window reaches into the horizon as Mon 08:00–10:00.
    scenario = ward_scenario(coverage=[{"post": "ward", "min": 1, "window": {"start": "20:00", "end": "10:00"}}])
    assert_ok(run(scenario, shift("bob", "d", post="ward"), shift("carol", "n", post="ward")))
    result = run(scenario, shift("carol", "n", post="ward"))
    only(result, "coverage")
    assert "Mon 7 Dec 08:00–10:00" in result.violations[0].message


def test_window_shortfall_cost_in_person_hours() -> None:
    # min 2 all day at cost 3: night has 2, day and late have 1 each -> 16 missing person-hours -> 48.
    rule = {"id": "two", "post": "gate", "min": 2, "min_cost": 3}
    scenario = make_scenario(days=1, coverage=[rule])
    result = run(
        scenario,
        shift("alice", "night"),
        shift("bob", "night"),
        shift("carol", "day"),
        shift("dave", "late", role="sec"),
    )
    assert_ok(result)
    assert result.objective == 48
    (penalty,) = result.penalties
    assert penalty.rule == "coverage" and penalty.amount == 16 and penalty.cost == 48
    assert penalty.name == "coverage:two:2026-12-07 00:00:under"


def test_window_excess_cost_and_fractional_hours() -> None:
    rules = [
        {"post": "gate", "window": {"start": "09:30", "end": "10:00"}, "min": 3, "min_cost": 1},
        {"post": "gate", "max": 1, "max_cost": 6},
    ]
    scenario = make_scenario(days=1, coverage=rules)
    # 09:30–10:00: 2 people, one missing for half an hour -> 0.5; the day shift has one extra for 8 h -> 48.
    result = run(scenario, shift("alice", "day"), shift("bob", "day"))
    assert_ok(result)
    assert sorted(p.cost for p in result.penalties) == [0.5, 48]
    assert result.objective == 48.5


def test_shift_rule_costs_per_person() -> None:
    rule = {"post": "gate", "shift": "day", "min": 2, "min_cost": 7, "max": 2, "max_cost": 4}
    scenario = make_scenario(coverage=[rule])
    # Monday: 1 of 2 -> 7. Tuesday: 3 of max 2 -> 4.
    result = run(scenario, shift("alice", "day", 0), *(shift(p, "day", 1) for p in ("alice", "bob", "carol")))
    assert_ok(result)
    assert result.objective == 11
    assert {p.amount for p in result.penalties} == {1}



# ------------------------------ the rule alone: its family on a fixed rota; its checker module on a hand-written rota


def test_coverage_alone_on_the_model() -> None:
    hard = tiny_scenario(["alice"], coverage=[cover("day", 1)])
    assert not verdict(hard, [Coverage()], []).feasible
    assert verdict(hard, [Coverage()], [("alice", "day", 0)]).feasible
    soft = tiny_scenario(["alice"], coverage=[cover("day", 1, min_cost=5)])
    assert verdict(soft, [Coverage()], []).cost == 5
    assert verdict(soft, [Coverage()], [("alice", "day", 0)]).cost == 0


def test_coverage_alone_in_the_checker() -> None:
    hard = make_scenario(days=1, coverage=[{"post": "gate", "shift": "day", "min": 1}])
    violations, costs = coverage_check.findings(*sound(hard))
    assert [v.rule for v in violations] == ["coverage"] and costs == []
    assert coverage_check.findings(*sound(hard, shift("bob", "day"))) == ([], [])
    soft = make_scenario(days=1, coverage=[{"post": "gate", "shift": "day", "min": 1, "min_cost": 5}])
    violations, costs = coverage_check.findings(*sound(soft))
    assert violations == [] and [c.cost for c in costs] == [5]
