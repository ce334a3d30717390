"""Workload: weekly hours, shifts and nights; period hours, weekends and per-template shift limits."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from scheduler.check import workload as workload_check
from scheduler.model.constraints.workload import Workload
from tests.builders import cover, days_of, infeasible, person, pin, solved, tiny_scenario, worked
from tests.handwritten import assert_ok, make_scenario, only, run, shift, sound
from tests.handwritten import person as hand_person
from tests.rules.alone import verdict

EVERY_DAY = [cover("day", 1)]


def limited(**limits: Any) -> dict[str, Any]:
    return person("alice", limits=limits)


def test_max_hours_per_week_kept() -> None:
    result = solved(tiny_scenario([limited(max_hours_per_week=24)], days=3, coverage=EVERY_DAY))
    assert days_of(result, "alice") == [0, 1, 2]


def test_max_hours_per_week_binds() -> None:
    infeasible(tiny_scenario([limited(max_hours_per_week=23.99)], days=3, coverage=EVERY_DAY))
    result = solved(tiny_scenario([limited(max_hours_per_week=16), "bob"], days=3, coverage=[cover("day", 1, 1)]))
    assert len(days_of(result, "alice")) <= 2
    assert len(days_of(result, "bob")) >= 1


def test_hours_count_in_the_week_of_the_shift_date() -> None:
    # Mondays only over 8 days: day 0 (week 0) and day 7 (week 1); one shift per week is enough.
    shifts = {"day": {"start": "08:00", "hours": 8, "days": ["mon"]}}
    result = solved(tiny_scenario([limited(max_shifts_per_week=1, max_hours_per_week=8)], days=8, shifts=shifts,
                                  coverage=EVERY_DAY))
    assert days_of(result, "alice") == [0, 7]


def test_max_shifts_per_week_binds() -> None:
    solved(tiny_scenario([limited(max_shifts_per_week=3)], days=3, coverage=EVERY_DAY))
    infeasible(tiny_scenario([limited(max_shifts_per_week=2)], days=3, coverage=EVERY_DAY))


def test_max_nights_per_week_binds() -> None:
    shifts = {"night": ("00:00", 8)}
    coverage = [cover("night", 1)]
    solved(tiny_scenario([limited(max_nights_per_week=2)], days=2, shifts=shifts, coverage=coverage))
    infeasible(tiny_scenario([limited(max_nights_per_week=1)], days=2, shifts=shifts, coverage=coverage))
    # Day shifts do not count as nights.
    solved(tiny_scenario([limited(max_nights_per_week=0)], days=2, coverage=EVERY_DAY))


def test_explicit_night_flag_counts() -> None:
    shifts = {"eve": {"start": "14:00", "hours": 8, "night": True}}
    infeasible(tiny_scenario([limited(max_nights_per_week=0)], shifts=shifts, coverage=[cover("eve", 1)]))


def test_min_hours_total_puts_a_person_on() -> None:
    # Nothing needs staffing, but Alice must work at least 16 hours: two 8-hour shifts.
    assert worked(solved(tiny_scenario(["alice"], days=3))) == set()
    result = solved(tiny_scenario([limited(min_hours_total=16)], days=3))
    assert len(days_of(result, "alice")) == 2
    infeasible(tiny_scenario([limited(min_hours_total=24.5)], days=3))


def test_max_hours_total_binds() -> None:
    solved(tiny_scenario([limited(max_hours_total=16)], days=2, coverage=EVERY_DAY))
    infeasible(tiny_scenario([limited(max_hours_total=15.5)], days=2, coverage=EVERY_DAY))


SATURDAY = dt.date(2026, 12, 12)
WEEKEND_SHIFTS = {"day": {"start": "08:00", "hours": 8, "days": ["sat", "sun"]}}


def test_max_weekends_splits_the_weekends() -> None:
    # Two weekends (Sat 12 – Sun 20), each person may work one: each takes a whole weekend.
    people = [person(p, limits={"max_weekends": 1}) for p in ("alice", "bob")]
    result = solved(tiny_scenario(people, days=9, start=SATURDAY, shifts=WEEKEND_SHIFTS, coverage=EVERY_DAY))
    assert {tuple(days_of(result, p)) for p in ("alice", "bob")} == {(0, 1), (7, 8)}


def test_max_weekends_binds() -> None:
    solved(tiny_scenario([limited(max_weekends=2)], days=9, start=SATURDAY, shifts=WEEKEND_SHIFTS,
                         coverage=EVERY_DAY))
    infeasible(tiny_scenario([limited(max_weekends=1)], days=9, start=SATURDAY, shifts=WEEKEND_SHIFTS,
                             coverage=EVERY_DAY))


def test_shift_limits_share_the_nights() -> None:
    shifts = {"night": ("00:00", 8)}
    limit = [{"shift": "night", "max": 1}]
    people = [person(p, shift_limits=limit) for p in ("alice", "bob")]
    result = solved(tiny_scenario(people, days=2, shifts=shifts, coverage=[cover("night", 1)]))
    assert len(days_of(result, "alice")) == 1 and len(days_of(result, "bob")) == 1
    infeasible(tiny_scenario(people[:1], days=2, shifts=shifts, coverage=[cover("night", 1)]))


def test_shift_limit_counts_only_its_template() -> None:
    shifts = {"day": ("08:00", 8), "night": ("00:00", 8)}
    alice = person("alice", shift_limits=[{"shift": "night", "max": 0}])
    result = solved(tiny_scenario([alice], days=2, shifts=shifts, coverage=EVERY_DAY))
    assert days_of(result, "alice") == [0, 1]
    infeasible(tiny_scenario([alice], days=2, shifts=shifts, coverage=[cover("night", 1, days=["tue"])]))


def test_pinned_over_the_limit_is_infeasible() -> None:
    pins = [pin("alice", "day", d) for d in range(3)]
    infeasible(tiny_scenario([limited(max_shifts_per_week=2)], days=3, pins=pins))
    assert solved(tiny_scenario([limited(max_shifts_per_week=3)], days=3, pins=pins)).objective == pytest.approx(0)


def test_weekend_cut_by_the_period_start_counts() -> None:
    # From Sunday 13 Dec for 7 days: Sunday (weekend 1, its Saturday outside) and Sat 19 (weekend 2).
    shifts = {"day": {"start": "08:00", "hours": 8, "days": ["sat", "sun"]}}
    sunday = dt.date(2026, 12, 13)
    solved(tiny_scenario([limited(max_weekends=2)], days=7, start=sunday, shifts=shifts, coverage=EVERY_DAY))
    infeasible(tiny_scenario([limited(max_weekends=1)], days=7, start=sunday, shifts=shifts, coverage=EVERY_DAY))


# ------------------------------------------------------------ the whole checker on hand-written rotas


def test_shifts_and_hours_per_week() -> None:
    scenario = make_scenario(days=14, people=[hand_person("bob", limits={"max_shifts_per_week": 1})])
    assert_ok(run(scenario, shift("bob", "day", 6), shift("bob", "day", 7)))  # weeks 1 and 2
    only(run(scenario, shift("bob", "day", 7), shift("bob", "day", 13)), "workload", "bob")
    hours = make_scenario(people=[hand_person("bob", limits={"max_hours_per_week": 11.5})])
    assert_ok(run(hours, shift("bob", "day")))
    only(run(hours, shift("bob", "day"), shift("bob", "am", 1)), "workload", "bob")


def test_nights_per_week() -> None:
    scenario = make_scenario(people=[hand_person("bob", limits={"max_nights_per_week": 1})])
    assert_ok(run(scenario, shift("bob", "night", 0), shift("bob", "day", 1)))
    only(run(scenario, shift("bob", "night", 0), shift("bob", "night", 1)), "workload", "bob")


def test_hours_over_the_period() -> None:
    scenario = make_scenario(people=[hand_person("bob", limits={"min_hours_total": 8, "max_hours_total": 12})])
    assert_ok(run(scenario, shift("bob", "day")))
    only(run(scenario), "workload", "bob")
    only(run(scenario, shift("bob", "day"), shift("bob", "day", 1)), "workload", "bob")


def test_weekends() -> None:
    scenario = make_scenario(days=7, people=[hand_person("bob", limits={"max_weekends": 0})])
    assert_ok(run(scenario, shift("bob", "day", 4)))  # Friday
    only(run(scenario, shift("bob", "day", 6)), "workload", "bob")  # Sunday


def test_shift_limit() -> None:
    scenario = make_scenario(people=[hand_person("bob", shift_limits=[{"shift": "night", "post": "gate", "max": 1}])])
    assert_ok(run(scenario, shift("bob", "night", 0), shift("bob", "day", 1)))
    only(run(scenario, shift("bob", "night", 0), shift("bob", "night", 1)), "workload", "bob")



# ------------------------------ the rule alone: its family on a fixed rota; its checker module on a hand-written rota


def test_workload_alone_on_the_model() -> None:
    scenario = tiny_scenario([limited(max_shifts_per_week=1)], days=2)
    assert not verdict(scenario, [Workload()], [("alice", "day", 0), ("alice", "day", 1)]).feasible
    assert verdict(scenario, [Workload()], [("alice", "day", 1)]).feasible


def test_workload_alone_in_the_checker() -> None:
    scenario = make_scenario(default_limits={"max_shifts_per_week": 1})
    broken = workload_check.violations(*sound(scenario, shift("bob", "day", 0), shift("bob", "day", 1)))
    assert [(v.rule, v.person) for v in broken] == [("workload", "bob")]
    assert workload_check.violations(*sound(scenario, shift("bob", "day", 0))) == []


# ---------------------------------------------- role defaults: volunteers at most 2 nights a week, one allowed 3

NIGHTS = {"night": ("00:00", 8)}


def role(role_id: str, **limits: Any) -> dict[str, Any]:
    return {"id": role_id, "name": role_id.capitalize(), "limits": limits}


def test_role_night_limit_with_a_personal_override_solves_and_checks() -> None:
    # 2 people a night for 3 nights = 6 person-nights: Alice's own 3, Bob's volunteer 2, and Carol, a volunteer and
    # security officer, the stricter of her roles' limits (1). Each is at their limit, so every limit binds.
    roles = [role("vol", max_nights_per_week=2), role("sec", max_nights_per_week=1)]
    people = [limited(max_nights_per_week=3), "bob", person("carol", roles=("vol", "sec"))]
    coverage = [cover("night", 2)]
    result = solved(tiny_scenario(people, days=3, shifts=NIGHTS, coverage=coverage, roles=roles))
    assert [len(days_of(result, p)) for p in ("alice", "bob", "carol")] == [3, 2, 1]
    stricter = [role("vol", max_nights_per_week=2), role("sec", max_nights_per_week=0)]
    infeasible(tiny_scenario(people, days=3, shifts=NIGHTS, coverage=coverage, roles=stricter))


def test_role_limit_overrides_the_scenario_default() -> None:
    coverage = [cover("night", 1)]
    defaults = {"default_limits": {"max_nights_per_week": 3}}
    solved(tiny_scenario(["alice"], days=3, shifts=NIGHTS, coverage=coverage, **defaults))
    infeasible(tiny_scenario(["alice"], days=3, shifts=NIGHTS, coverage=coverage,
                             roles=[role("vol", max_nights_per_week=2)], **defaults))


def test_role_night_limit_in_the_checker() -> None:
    volunteers = [role("vol", max_nights_per_week=2), role("sec")]
    three = (shift("bob", "night", 0), shift("bob", "night", 1), shift("bob", "night", 2))
    scenario = make_scenario(days=3, roles=volunteers)
    assert_ok(run(scenario, *three[:2]))
    only(run(scenario, *three), "workload", "bob")
    allowed = make_scenario(days=3, roles=volunteers, people=[hand_person("bob", limits={"max_nights_per_week": 3})])
    assert_ok(run(allowed, *three))


def test_role_night_limit_alone_on_the_model() -> None:
    nights = [("alice", "night", d) for d in range(3)]
    volunteers = [role("vol", max_nights_per_week=2)]
    scenario = tiny_scenario(["alice"], days=3, shifts=NIGHTS, roles=volunteers)
    assert not verdict(scenario, [Workload()], nights).feasible
    assert verdict(scenario, [Workload()], nights[:2]).feasible
    overridden = tiny_scenario([limited(max_nights_per_week=3)], days=3, shifts=NIGHTS, roles=volunteers)
    assert verdict(overridden, [Workload()], nights).feasible
