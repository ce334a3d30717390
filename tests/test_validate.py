"""Tests of the independent checker: each hard rule kept and broken, and the objective on hand-computed cases."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from scheduler.check import CheckResult, check
from scheduler.domain.rota import Assignment, Break, Rota, SolveStatus
from scheduler.domain.scenario import Scenario

ZONE = ZoneInfo("Asia/Shanghai")
MONDAY = dt.date(2026, 12, 7)
# Shift start and length in hours; "am" is at the second post, "d"/"n" at the 12-hour ward.
SHIFTS: dict[str, tuple[int, int]] = {"night": (0, 8), "day": (8, 8), "late": (16, 8), "am": (9, 4)}
WARD = {"d": (8, 12), "n": (20, 12)}


def person(pid: str, roles: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    return {"id": pid, "name": pid.capitalize(), "roles": roles or ["vol"], **extra}


def make_scenario(**overrides: Any) -> Scenario:
    """One 3-shift post (gate), a small second post (desk), two roles, four people, two days from a Monday."""
    data: dict[str, Any] = {
        "community": "Test",
        "start": MONDAY.isoformat(),
        "days": 2,
        "roles": [{"id": "vol", "name": "Volunteer"}, {"id": "sec", "name": "Security"}],
        "posts": [
            {
                "id": "gate",
                "name": "Gate",
                "shifts": [
                    {"id": "night", "start": "00:00", "hours": 8},
                    {"id": "day", "start": "08:00", "hours": 8},
                    {"id": "late", "start": "16:00", "hours": 8},
                ],
            },
            {"id": "desk", "name": "Desk", "shifts": [{"id": "am", "start": "09:00", "hours": 4}]},
        ],
        "people": [person("alice", ["vol", "sec"]), person("bob"), person("carol"), person("dave", ["sec"])],
        "weights": {"fairness_hours": 0, "fairness_nights": 0, "fairness_weekends": 0},
    }
    data.update(overrides)
    return Scenario.model_validate(data)


def when(day: int, hour: int, minute: int = 0) -> dt.datetime:
    start = dt.datetime.combine(MONDAY + dt.timedelta(days=day), dt.time(), tzinfo=ZONE)
    return start + dt.timedelta(hours=hour, minutes=minute)


def shift(pid: str, name: str, day: int = 0, role: str = "vol", post: str | None = None) -> Assignment:
    """An assignment with independently computed times (Asia/Shanghai has no DST)."""
    start, hours = WARD[name] if post == "ward" else SHIFTS[name]
    post = post or ("desk" if name == "am" else "gate")
    return Assignment(
        person=pid,
        post=post,
        shift=name,
        role=role,
        date=MONDAY + dt.timedelta(days=day),
        start=when(day, start),
        end=when(day, start + hours),
    )


def duty(pid: str, role: str, day: int = 0, duty_id: str = "screen") -> Assignment:
    return Assignment(
        person=pid,
        duty=duty_id,
        role=role,
        date=MONDAY + dt.timedelta(days=day),
        start=when(day, 9),
        end=when(day, 12),
    )


def run(scenario: Scenario, *assignments: Assignment) -> CheckResult:
    return check(scenario, rota_for(scenario, *assignments))


def rota_for(scenario: Scenario, *assignments: Assignment) -> Rota:
    return Rota(
        community=scenario.community,
        start=scenario.start,
        days=scenario.days,
        timezone=scenario.timezone,
        status=SolveStatus.FEASIBLE,
        objective=None,
        bound=None,
        assignments=list(assignments),
    )


def found(result: CheckResult) -> set[tuple[str, str | None]]:
    return {(v.rule, v.person) for v in result.violations}


def only(result: CheckResult, rule: str, person: str | None = None) -> None:
    """The result has violations, all of this rule (and person, if given)."""
    assert result.violations, "expected a violation"
    assert {v.rule for v in result.violations} == {rule}, result.violations
    if person is not None:
        assert {v.person for v in result.violations} == {person}, result.violations


def assert_ok(result: CheckResult) -> None:
    assert result.ok, [v.message for v in result.violations]


# ---------------------------------------------------------------------------------------------- structure


def test_valid_rota_is_ok() -> None:
    result = run(make_scenario(), shift("alice", "night"), shift("bob", "day"), shift("carol", "am", 1))
    assert_ok(result)
    assert result.objective == 0 and result.penalties == []


def test_unknown_references_are_structure_violations() -> None:
    bad_person = shift("zoe", "day")
    bad_shift = shift("bob", "day").model_copy(update={"shift": "evening"})
    bad_post = shift("bob", "day").model_copy(update={"post": "moon"})
    result = run(make_scenario(), bad_person, bad_shift, bad_post)
    assert [v.rule for v in result.violations] == ["structure"] * 3
    assert "unknown person" in result.violations[0].message


def test_date_outside_period() -> None:
    only(run(make_scenario(), shift("bob", "day", 2)), "structure", "bob")


def test_wrong_times() -> None:
    late_start = shift("bob", "day").model_copy(update={"start": when(0, 9)})
    result = run(make_scenario(), late_start)
    only(result, "structure", "bob")
    assert "Mon 2026-12-07 08:00–16:00" in result.violations[0].message


def test_shift_not_running_that_weekday() -> None:
    posts = [{"id": "gate", "name": "Gate", "shifts": [{"id": "day", "start": "08:00", "hours": 8, "days": ["tue"]}]}]
    scenario = make_scenario(posts=posts)
    only(run(scenario, shift("bob", "day", 0)), "structure", "bob")
    assert_ok(run(scenario, shift("bob", "day", 1)))


def test_post_and_duty_fields_are_not_interchangeable() -> None:
    duties = [{"id": "screen", "name": "Screening", "window": {"start": "09:00", "end": "12:00"}, "roles": ["vol"]}]
    scenario = make_scenario(days=1, team_duties=duties)
    as_post = duty("bob", "vol").model_copy(update={"duty": None, "post": "screen"})
    as_duty = shift("carol", "day").model_copy(update={"post": None, "duty": "gate"})
    result = run(scenario, as_post, as_duty, duty("dave", "vol"))
    assert found(result) == {("structure", "bob"), ("structure", "carol"), ("eligibility", "dave")}


def test_shift_length_is_absolute_across_a_dst_change() -> None:
    # Europe/Berlin springs forward on Sun 2026-03-29 02:00: an 8-hour shift from Sat 22:00 ends at 07:00.
    zone = ZoneInfo("Europe/Berlin")
    start = dt.datetime(2026, 3, 28, 22, tzinfo=zone)
    posts = [{"id": "gate", "name": "Gate", "shifts": [{"id": "late", "start": "22:00", "hours": 8}]}]
    scenario = make_scenario(timezone="Europe/Berlin", start="2026-03-28", days=1, posts=posts)
    good = Assignment(
        person="bob",
        post="gate",
        shift="late",
        role="vol",
        date=start.date(),
        start=start,
        end=dt.datetime(2026, 3, 29, 7, tzinfo=zone),
    )
    wall_clock = good.model_copy(update={"end": dt.datetime(2026, 3, 29, 6, tzinfo=zone)})
    assert_ok(check(scenario, rota_for(scenario, good)))
    result = check(scenario, rota_for(scenario, wall_clock))
    only(result, "structure", "bob")
    assert "Sat 2026-03-28 22:00–07:00" in result.violations[0].message


def test_duplicate_assignment() -> None:
    result = run(make_scenario(), shift("bob", "day"), shift("bob", "day"))
    assert found(result) == {("structure", "bob")}
    assert len(result.violations) == 1


def test_rota_for_another_period() -> None:
    scenario = make_scenario()
    rota = Rota(
        community="Test",
        start=MONDAY,
        days=7,
        timezone="Asia/Shanghai",
        status=SolveStatus.FEASIBLE,
        objective=None,
        bound=None,
        assignments=[],
    )
    only(check(scenario, rota), "structure")


# -------------------------------------------------------------------------------------------- eligibility


def test_role_must_be_held() -> None:
    assert_ok(run(make_scenario(), shift("alice", "day", role="sec")))
    only(run(make_scenario(), shift("bob", "day", role="sec")), "eligibility", "bob")


def test_inactive_person() -> None:
    people = [person("alice", ["vol", "sec"]), person("bob", active=False)]
    only(run(make_scenario(people=people), shift("bob", "day")), "eligibility", "bob")


def test_allowed_posts() -> None:
    scenario = make_scenario(people=[person("bob", posts=["desk"])])
    assert_ok(run(scenario, shift("bob", "am")))
    only(run(scenario, shift("bob", "day")), "eligibility", "bob")


def test_nights_not_allowed() -> None:
    scenario = make_scenario(people=[person("bob", limits={"nights_allowed": False})])
    assert_ok(run(scenario, shift("bob", "day")))
    result = run(scenario, shift("bob", "night"))
    only(result, "eligibility", "bob")
    assert "night" in result.violations[0].message


def test_default_night_window_is_not_hit_by_a_day_shift_ending_at_midnight() -> None:
    scenario = make_scenario(people=[person("bob", limits={"nights_allowed": False})])
    assert_ok(run(scenario, shift("bob", "late")))  # 16:00–24:00 only touches 00:00–06:00


def test_shift_limit_zero() -> None:
    scenario = make_scenario(people=[person("bob", shift_limits=[{"shift": "late", "max": 0}])])
    assert_ok(run(scenario, shift("bob", "day")))
    only(run(scenario, shift("bob", "late")), "eligibility", "bob")


def test_bans() -> None:
    bans = [
        {"person": "bob", "date": "2026-12-07", "post": "gate", "shift": "late"},
        {"person": "bob", "date": "2026-12-08", "post": "gate"},
    ]
    scenario = make_scenario(bans=bans)
    assert_ok(run(scenario, shift("bob", "day", 0), shift("bob", "am", 1)))
    only(run(scenario, shift("bob", "late", 0)), "eligibility", "bob")
    only(run(scenario, shift("bob", "night", 1)), "eligibility", "bob")


# ------------------------------------------------------------------------------------------- availability


def test_availability_windows() -> None:
    windows = [{"days": ["mon", "tue"], "start": "07:00", "end": "18:00"}]
    scenario = make_scenario(people=[person("bob", availability=windows)])
    assert_ok(run(scenario, shift("bob", "day")))
    only(run(scenario, shift("bob", "late")), "availability", "bob")


def test_window_of_the_day_before_counts_and_windows_join() -> None:
    # Mon 22:00 runs into Tuesday; Tue 06:00–08:00 joins it, so the Tue night shift 00:00–08:00 fits.
    windows = [{"days": ["mon"], "start": "22:00", "end": "06:00"}, {"days": ["tue"], "start": "06:00", "end": "09:00"}]
    scenario = make_scenario(people=[person("bob", availability=windows)])
    assert_ok(run(scenario, shift("bob", "night", 1)))
    only(run(scenario, shift("bob", "night", 0)), "availability", "bob")


def test_absences() -> None:
    absences = [
        {"date": "2026-12-07", "start": "16:00", "end": "18:00"},
        {"date": "2026-12-08", "until": "2026-12-08"},
    ]
    scenario = make_scenario(people=[person("bob", absences=absences)])
    assert_ok(run(scenario, shift("bob", "day", 0)))  # ends 16:00 exactly: touches, no overlap
    only(run(scenario, shift("bob", "late", 0)), "availability", "bob")
    only(run(scenario, shift("bob", "am", 1)), "availability", "bob")


# ---------------------------------------------------------------------------------------- rest and overlap


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
    scenario = make_scenario(history=history, people=[person("bob", limits=limits)])
    assert_ok(run(make_scenario(people=[person("bob", limits=limits)]), shift("bob", "day")))
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


# ------------------------------------------------------------------------------------------- successions


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


# ---------------------------------------------------------------------------------------------- workload


def test_shifts_and_hours_per_week() -> None:
    scenario = make_scenario(days=14, people=[person("bob", limits={"max_shifts_per_week": 1})])
    assert_ok(run(scenario, shift("bob", "day", 6), shift("bob", "day", 7)))  # weeks 1 and 2
    only(run(scenario, shift("bob", "day", 7), shift("bob", "day", 13)), "workload", "bob")
    hours = make_scenario(people=[person("bob", limits={"max_hours_per_week": 11.5})])
    assert_ok(run(hours, shift("bob", "day")))
    only(run(hours, shift("bob", "day"), shift("bob", "am", 1)), "workload", "bob")


def test_nights_per_week() -> None:
    scenario = make_scenario(people=[person("bob", limits={"max_nights_per_week": 1})])
    assert_ok(run(scenario, shift("bob", "night", 0), shift("bob", "day", 1)))
    only(run(scenario, shift("bob", "night", 0), shift("bob", "night", 1)), "workload", "bob")


def test_hours_over_the_period() -> None:
    scenario = make_scenario(people=[person("bob", limits={"min_hours_total": 8, "max_hours_total": 12})])
    assert_ok(run(scenario, shift("bob", "day")))
    only(run(scenario), "workload", "bob")
    only(run(scenario, shift("bob", "day"), shift("bob", "day", 1)), "workload", "bob")


def test_weekends() -> None:
    scenario = make_scenario(days=7, people=[person("bob", limits={"max_weekends": 0})])
    assert_ok(run(scenario, shift("bob", "day", 4)))  # Friday
    only(run(scenario, shift("bob", "day", 6)), "workload", "bob")  # Sunday


def test_shift_limit() -> None:
    scenario = make_scenario(people=[person("bob", shift_limits=[{"shift": "night", "post": "gate", "max": 1}])])
    assert_ok(run(scenario, shift("bob", "night", 0), shift("bob", "day", 1)))
    only(run(scenario, shift("bob", "night", 0), shift("bob", "night", 1)), "workload", "bob")


# ------------------------------------------------------------------------------------------- consecutive


def test_max_consecutive_days() -> None:
    scenario = make_scenario(days=3, default_limits={"max_consecutive_days": 2})
    assert_ok(run(scenario, shift("bob", "day", 0), shift("bob", "day", 1)))
    only(run(scenario, *(shift("bob", "day", d) for d in range(3))), "consecutive", "bob")


def test_consecutive_days_counted_across_history() -> None:
    history = [{"person": "bob", "start": f"2026-12-0{d}T08:00:00", "end": f"2026-12-0{d}T16:00:00"} for d in (5, 6)]
    scenario = make_scenario(history=history, default_limits={"max_consecutive_days": 2})
    result = run(scenario, shift("bob", "day", 0))
    only(result, "consecutive", "bob")
    assert "Sat 2026-12-05 – Mon 2026-12-07" in result.violations[0].message
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


# ---------------------------------------------------------------------------------------------- coverage


def test_window_coverage_hard_minimum() -> None:
    scenario = make_scenario(days=1, coverage=[{"post": "gate", "min": 1}])
    full = [shift("alice", "night"), shift("bob", "day"), shift("carol", "late")]
    assert_ok(run(scenario, *full))
    result = run(scenario, *full[:2])
    only(result, "coverage")
    assert len(result.violations) == 1
    assert "Mon 2026-12-07 16:00–24:00" in result.violations[0].message
    assert result.violations[0].place == "gate"


def test_coverage_role_counts_only_that_role() -> None:
    rule = {"post": "gate", "shift": "night", "role": "sec", "min": 1}
    scenario = make_scenario(days=1, coverage=[rule])
    assert_ok(run(scenario, shift("alice", "night", role="sec")))
    result = run(scenario, shift("alice", "night", role="vol"), shift("bob", "night"))
    only(result, "coverage")
    assert "Mon 2026-12-07 00:00–08:00" in result.violations[0].message
    assert "Security" in result.violations[0].message


def test_coverage_hard_maximum() -> None:
    scenario = make_scenario(coverage=[{"post": "gate", "window": {"start": "10:00", "end": "12:00"}, "max": 1}])
    assert_ok(run(scenario, shift("bob", "day"), shift("carol", "night")))
    only(run(scenario, shift("bob", "day", 1), shift("carol", "day", 1)), "coverage")


def ward_scenario(**overrides: Any) -> Scenario:
    posts = [
        {
            "id": "ward",
            "name": "Ward",
            "shifts": [{"id": "d", "start": "08:00", "hours": 12}, {"id": "n", "start": "20:00", "hours": 12}],
        }
    ]
    return make_scenario(posts=posts, days=1, **overrides)


def test_horizon_starts_at_the_earliest_template_start() -> None:
    # Horizon Mon 08:00 – Tue 08:00; the whole-day window exists on Sun (clipped away), Mon (08:00–24:00) and
    # Tue, the day after the period (00:00–08:00, the horizon's tail).
    scenario = ward_scenario(coverage=[{"post": "ward", "min": 1}])
    assert_ok(run(scenario, shift("bob", "d", post="ward"), shift("carol", "n", post="ward")))
    result = run(scenario, shift("bob", "d", post="ward"))
    only(result, "coverage")
    messages = sorted(v.message for v in result.violations)
    assert len(messages) == 2
    assert any("Mon 2026-12-07 20:00–24:00" in m for m in messages)
    assert any("Tue 2026-12-08 00:00–08:00" in m for m in messages)


def test_window_of_the_day_before_the_period_is_checked() -> None:
    # Sunday's 20:00–10:00 window reaches into the horizon as Mon 08:00–10:00.
    scenario = ward_scenario(coverage=[{"post": "ward", "min": 1, "window": {"start": "20:00", "end": "10:00"}}])
    assert_ok(run(scenario, shift("bob", "d", post="ward"), shift("carol", "n", post="ward")))
    result = run(scenario, shift("carol", "n", post="ward"))
    only(result, "coverage")
    assert "Mon 2026-12-07 08:00–10:00" in result.violations[0].message


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


# ------------------------------------------------------------------------------------------------- teams


def team_scenario(**overrides: Any) -> Scenario:
    duties = [
        {"id": "screen", "name": "Screening", "window": {"start": "09:00", "end": "12:00"}, "roles": ["vol", "sec"]}
    ]
    roles = [{"id": "vol", "name": "Volunteer"}, {"id": "sec", "name": "Security"}, {"id": "med", "name": "Medic"}]
    return make_scenario(days=1, team_duties=duties, roles=roles, **overrides)


def test_team_exact_composition() -> None:
    scenario = team_scenario()
    assert_ok(run(scenario, duty("bob", "vol"), duty("dave", "sec")))
    only(run(scenario, duty("bob", "vol")), "teams")
    only(run(scenario, duty("bob", "vol"), duty("carol", "vol"), duty("dave", "sec")), "teams")


def test_team_role_not_needed() -> None:
    people = [person("bob"), person("dave", ["sec"]), person("eve", ["med"])]
    result = run(team_scenario(people=people), duty("bob", "vol"), duty("dave", "sec"), duty("eve", "med"))
    only(result, "teams")
    assert "Eve" in result.violations[0].message


# ------------------------------------------------------------------------------------------ pairs and pins


def test_pairs_apart() -> None:
    scenario = make_scenario(pairs=[{"kind": "apart", "people": ["alice", "bob"]}])
    assert_ok(run(scenario, shift("alice", "day"), shift("bob", "late")))  # touching is not overlapping
    result = run(scenario, shift("alice", "day"), shift("bob", "am"))
    only(result, "pairs")
    assert "Alice" in result.violations[0].message and "Bob" in result.violations[0].message


def test_pins() -> None:
    pins = [{"person": "alice", "date": "2026-12-08", "post": "gate", "shift": "night", "role": "sec"}]
    scenario = make_scenario(pins=pins)
    assert_ok(run(scenario, shift("alice", "night", 1, role="sec")))
    result = run(scenario, shift("alice", "night", 1, role="vol"))
    only(result, "pins", "alice")
    assert "Tue 2026-12-08 00:00–08:00" in result.violations[0].message
    only(run(scenario), "pins", "alice")


def test_pin_on_a_team_duty() -> None:
    scenario = team_scenario(pins=[{"person": "alice", "date": "2026-12-07", "post": "screen", "role": "sec"}])
    assert_ok(run(scenario, duty("bob", "vol"), duty("alice", "sec")))
    only(run(scenario, duty("bob", "vol"), duty("dave", "sec")), "pins", "alice")


# ---------------------------------------------------------------------------------------------- objective


def test_preference_costs() -> None:
    prefs = [
        {"kind": "wants", "date": "2026-12-07", "shift": "day", "weight": 3},  # unmet -> 3
        {"kind": "avoids", "date": "2026-12-08", "weight": 5},  # worked -> 5
        {"kind": "wants", "weekday": "mon", "weight": 7},  # Monday not worked -> 7
        {"kind": "avoids", "nights": True, "weight": 11},  # one night -> 11
        {"kind": "wants", "date": "2026-12-08", "shift": "night"},  # met -> 0
    ]
    scenario = make_scenario(
        people=[person("bob", preferences=prefs)],
        weights={"fairness_hours": 0, "fairness_nights": 0, "fairness_weekends": 0, "preferences": 2},
    )
    result = run(scenario, shift("bob", "night", 1))
    assert_ok(result)
    assert result.objective == 2 * (3 + 5 + 7 + 11)
    assert {p.name for p in result.penalties} == {f"preferences:bob:{i}" for i in range(4)}


def test_wanted_nights_cost_each_day_shift() -> None:
    scenario = make_scenario(people=[person("bob", preferences=[{"kind": "wants", "nights": True, "weight": 4}])])
    result = run(scenario, shift("bob", "night", 0), shift("bob", "day", 1), shift("bob", "late", 1))
    assert result.objective == 8


def test_pairs_together_cost() -> None:
    scenario = make_scenario(pairs=[{"kind": "together", "people": ["alice", "bob"], "weight": 10}])
    result = run(scenario, shift("alice", "day"), shift("bob", "day"), shift("alice", "late"), shift("bob", "am", 1))
    assert_ok(result)
    assert result.objective == 10  # only Alice's late shift is without Bob; Bob alone costs nothing


def test_fairness_hours_share_formula() -> None:
    # Capacities: Ann 2880 min, Ben 960 (08–16 both days), Cal 300 (5 h total). C = 4140, q = 696, 232, 72.
    # Ann works all six gate shifts: T = 2880, shares floor(q T / 1000) = 2004, 668, 207. The fair band is the
    # longest shift anyone may work (480 min) either side. Ann: 2880 − 2004 − 480 = 396 min over -> 7 whole hours;
    # Ben: 668 − 480 − 0 = 188 min under -> 4 hours; Cal: within the band. 11 at weight 1.
    people = [
        person("ann"),
        person("ben", availability=[{"days": ["mon", "tue"], "start": "08:00", "end": "16:00"}]),
        person("cal", limits={"max_hours_total": 5}),
        person("zed", active=False),
    ]
    weights = {"fairness_hours": 1, "fairness_nights": 0, "fairness_weekends": 0}
    work = [shift("ann", name, day) for day in (0, 1) for name in ("night", "day", "late")]
    result = run(make_scenario(people=people, weights=weights), *work)
    assert_ok(result)
    assert result.objective == 11
    assert {p.person: p.amount for p in result.penalties} == {"ann": 7, "ben": 4}


def test_fairness_rounds_half_up() -> None:
    # Capacities 23040 (16 days) and 1536 (25.6 h): 1000 × c / C = 937.5 and 62.5, so q = 938 and 63 (half up).
    # Ann works 16 nights: T = 16, Ben's share floor(63 × 16 / 1000) = 1 and he has 0 -> 1 under, cost 2.
    # Ann: share floor(938 × 16 / 1000) = 15, band [15, 16] -> fair. Rounding q half to even (62) would give Ben a
    # share of 0 and no cost.
    people = [person("ann"), person("ben", limits={"max_hours_total": 25.6})]
    weights = {"fairness_hours": 0, "fairness_nights": 2, "fairness_weekends": 0}
    scenario = make_scenario(days=16, people=people, weights=weights)
    result = run(scenario, *(shift("ann", "night", day) for day in range(16)))
    assert_ok(result)
    assert {p.person: p.amount for p in result.penalties} == {"ben": 1}
    assert result.objective == 2


def test_fairness_nights_and_weekends() -> None:
    # Two equal people over a week: shares are floor(q T / 1000) with a band [share, share + 1] for counts.
    people = [person("ann"), person("ben", limits={"nights_allowed": False})]
    weights = {"fairness_hours": 0, "fairness_nights": 2, "fairness_weekends": 5}
    scenario = make_scenario(days=7, people=people, weights=weights)
    # Nights: only Ann has capacity (q = 1000), 1 night -> share 1 -> no cost.
    # Weekends: q = 500 each, Ann works Sat + Sun: T = 2, shares 1 and 1. Ann has 2, inside [1, 2]; Ben has 0,
    # one below his share -> 1 × 5.
    result = run(scenario, shift("ann", "night", 0), shift("ann", "day", 5), shift("ann", "day", 6))
    assert_ok(result)
    assert result.objective == 5
    assert {p.name for p in result.penalties} == {"fairness:weekends:ben"}


def test_fairness_skipped_without_capacity() -> None:
    people = [person("ann", limits={"max_hours_total": 0})]
    weights = {"fairness_hours": 1, "fairness_nights": 1, "fairness_weekends": 1}
    assert run(make_scenario(people=people, weights=weights)).objective == 0


# ------------------------------------------------------------------------------------------------- speed


@pytest.mark.parametrize("people", [1000])
def test_large_rota_is_checked(people: int) -> None:
    # How fast is measured in benchmarks/, not here.
    roster = [person(f"p{i}") for i in range(people)]
    scenario = make_scenario(
        days=28,
        people=roster,
        coverage=[{"post": "gate", "min": 20, "min_cost": 1}, {"post": "gate", "shift": "day", "max": 40}],
        weights={"fairness_hours": 1, "fairness_nights": 1, "fairness_weekends": 1},
        default_limits={"min_rest_hours": 8, "max_consecutive_days": 6},
    )
    names = ("night", "day", "late")
    assignments = [
        shift(f"p{i}", names[(i + day) % 3], day) for i in range(people) for day in range(28) if (i + day) % 7 < 2
    ]
    assert len(assignments) >= 7000
    result = run(scenario, *assignments)
    assert result.objective > 0


# ------------------------------------------------------------------------------------------- meal breaks

LUNCH = {"name": "Lunch", "start": "11:00", "end": "13:30"}


def meal_scenario(**rule: Any) -> Scenario:
    """Lunch 11:00–13:30 at the gate, 45 minutes on a 15-minute grid; Bob needs 60 minutes."""
    people = [person("alice", ["vol", "sec"]), person("bob", meal_minutes=60), person("carol"), person("dave", ["sec"])]
    return make_scenario(days=1, people=people, meal_rules=[{"post": "gate", "windows": [LUNCH], **rule}])


def eating(a: Assignment, *spans: tuple[tuple[int, int], tuple[int, int]]) -> Assignment:
    """The assignment with breaks ((h, m) start, (h, m) end) on its date."""
    day = (a.date - MONDAY).days
    pauses = [{"start": when(day, *s), "end": when(day, *e)} for s, e in spans]
    return a.model_copy(update={"breaks": [Break.model_validate(p) for p in pauses]})


def test_meal_break_kept() -> None:
    scenario = meal_scenario()
    assert_ok(run(scenario, eating(shift("alice", "day"), ((11, 0), (11, 45))), shift("carol", "late")))
    assert_ok(run(scenario, eating(shift("bob", "day"), ((12, 30), (13, 30)))))  # his own 60 minutes


def test_meal_break_missing_wrong_length_off_grid_outside_or_not_due() -> None:
    scenario = meal_scenario()
    only(run(scenario, shift("alice", "day")), "meal_breaks", "alice")
    only(run(scenario, eating(shift("bob", "day"), ((11, 0), (11, 45)))), "meal_breaks", "bob")  # 45, not 60
    only(run(scenario, eating(shift("alice", "day"), ((11, 5), (11, 50)))), "meal_breaks", "alice")
    result = run(scenario, eating(shift("alice", "day"), ((13, 0), (13, 45))))
    assert {v.rule for v in result.violations} == {"meal_breaks"}
    assert any("not inside a meal window" in v.message for v in result.violations)
    twice = eating(shift("alice", "day"), ((11, 0), (11, 45)), ((12, 0), (12, 45)))
    assert any("has 2" in v.message for v in run(scenario, twice).violations)
    only(run(scenario, eating(shift("carol", "late"), ((17, 0), (17, 45)))), "meal_breaks", "carol")


def test_shift_not_listed_gets_no_break() -> None:
    scenario = meal_scenario(shifts=["late"])
    assert_ok(run(scenario, shift("alice", "day")))


def test_nobody_on_break_counts_for_coverage() -> None:
    rule = {"post": "gate", "window": {"start": "08:00", "end": "16:00"}, "min": 1}
    scenario = make_scenario(days=1, coverage=[rule], meal_rules=[{"post": "gate", "windows": [LUNCH]}])
    result = run(scenario, eating(shift("alice", "day"), ((12, 0), (12, 45))))
    only(result, "coverage")
    assert "Mon 2026-12-07 12:00–12:45" in result.violations[0].message
    relief = eating(shift("bob", "day"), ((11, 0), (11, 45)))
    assert_ok(run(scenario, eating(shift("alice", "day"), ((12, 0), (12, 45))), relief))


def test_max_away_and_scarce_roles() -> None:
    scenario = meal_scenario(max_away=1)
    together = [eating(shift(p, "day"), ((12, 0), (12, 45))) for p in ("alice", "carol")]
    result = run(scenario, *together)
    only(result, "meal_breaks")
    assert "2 people away" in result.violations[0].message
    scarce = meal_scenario(scarce_roles=["sec"])
    assert_ok(run(scarce, *together))  # alice fills vol here
    guards = [eating(shift(p, "day", role="sec"), ((12, 0), (12, 45))) for p in ("alice", "dave")]
    only(run(scarce, *guards), "meal_breaks")
    apart = [eating(shift("alice", "day", role="sec"), ((11, 0), (11, 45))),
             eating(shift("dave", "day", role="sec"), ((11, 45), (12, 30)))]  # fmt: skip
    assert_ok(run(scarce, *apart))  # touching is not overlapping


def test_meal_costs_exact() -> None:
    # 8 slots (11:00 … 12:45), middle 11:45 and 12:00; 11:00 is 3 steps away at 2 each.
    scenario = meal_scenario(middle_cost=2)
    result = run(scenario, eating(shift("alice", "day"), ((11, 0), (11, 45))))
    assert_ok(result)
    assert result.objective == pytest.approx(6.0)
    assert run(scenario, eating(shift("alice", "day"), ((12, 0), (12, 45)))).objective == 0
    # The latest slot (12:45) three days running: the first is free, then 5 each.
    late = make_scenario(days=3, meal_rules=[{"post": "gate", "windows": [LUNCH], "late_cost": 5}])
    works = [eating(shift("bob", "day", day=d), ((12, 45), (13, 30))) for d in range(3)]
    result = run(late, *works)
    assert_ok(result)
    assert result.objective == pytest.approx(10.0)
    assert {p.rule for p in result.penalties} == {"meal_breaks"}
