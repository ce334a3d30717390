"""The checker as a whole: a rota's references (structure), and a large rota checked in one go."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from scheduler.check import check
from scheduler.domain.rota import Assignment, Rota, SolveStatus
from tests.handwritten import MONDAY, assert_ok, found, make_scenario, only, rota_for, run, shift, when
from tests.handwritten import duty as hand_duty
from tests.handwritten import person as hand_person

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
    assert "Mon 7 Dec 08:00–16:00" in result.violations[0].message


def test_shift_not_running_that_weekday() -> None:
    posts = [{"id": "gate", "name": "Gate", "shifts": [{"id": "day", "start": "08:00", "hours": 8, "days": ["tue"]}]}]
    scenario = make_scenario(posts=posts)
    only(run(scenario, shift("bob", "day", 0)), "structure", "bob")
    assert_ok(run(scenario, shift("bob", "day", 1)))


def test_post_and_duty_fields_are_not_interchangeable() -> None:
    duties = [{"id": "screen", "name": "Screening", "window": {"start": "09:00", "end": "12:00"}, "roles": ["vol"]}]
    scenario = make_scenario(days=1, team_duties=duties)
    as_post = hand_duty("bob", "vol").model_copy(update={"duty": None, "post": "screen"})
    as_duty = shift("carol", "day").model_copy(update={"post": None, "duty": "gate"})
    result = run(scenario, as_post, as_duty, hand_duty("dave", "vol"))
    assert found(result) == {("structure", "bob"), ("structure", "carol"), ("eligibility", "dave")}


def test_shift_length_is_absolute_across_a_dst_change() -> None:
    # Europe/Berlin springs forward on Sun 29 Mar 02:00: an 8-hour shift from Sat 22:00 ends at 07:00.
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
    assert "Sat 28 Mar 22:00–07:00" in result.violations[0].message


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


# ------------------------------------------------------------------------------------------------- speed


@pytest.mark.parametrize("people", [1000])
def test_large_rota_is_checked(people: int) -> None:
    # How fast is measured in benchmarks/, not here.
    roster = [hand_person(f"p{i}") for i in range(people)]
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
