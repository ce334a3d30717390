"""Meal breaks: placed in the same model as the rota, coverage holds at every minute with people away."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from pydantic import ValidationError

from scheduler.check import meal_breaks as meal_breaks_check
from scheduler.domain.rota import Rota
from scheduler.model.build import build_model
from scheduler.model.constraints.coverage import Coverage
from scheduler.model.constraints.meal_breaks import MealBreaks
from scheduler.solve.explain import elastic_explanation
from scheduler.solve.settings import SolveSettings
from tests.builders import cost_of, cover, infeasible, person, pin, roles_filled, solved, tiny_scenario, window, worked
from tests.handwritten import LUNCH as HAND_LUNCH
from tests.handwritten import assert_ok, eating, make_scenario, meal_scenario, only, run, shift, sound
from tests.rules.alone import verdict

LUNCH = {"name": {"zh": "午饭", "en": "Lunch"}, "start": "11:00", "end": "13:30"}


def meal(**extra: Any) -> dict[str, Any]:
    """A lunch rule at the gate: 11:00–13:30, 45 minutes on a 15-minute grid (8 slots, middle: 11:45, 12:00)."""
    return {"post": "gate", "windows": [LUNCH], **extra}


def breaks(rota: Rota | None) -> dict[tuple[str, int], list[tuple[str, str]]]:
    """(person, day offset) -> [(start HH:MM, end HH:MM)] of every assignment."""
    assert rota is not None
    return {
        (a.person, (a.date - rota.start).days): [(f"{b.start:%H:%M}", f"{b.end:%H:%M}") for b in a.breaks]
        for a in rota.assignments
    }


def test_every_shift_containing_the_window_gets_one_break_in_it() -> None:
    result = solved(tiny_scenario(["alice"], meal_rules=[meal()], pins=[pin("alice", "day", 0)]))
    [[(start, end)]] = breaks(result.rota).values()
    assert start >= "11:00" and end <= "13:30"
    assert result.objective == 0


def reluctant(*pids: str) -> list[dict[str, Any]]:
    """People who would rather not work Monday (10 per person on duty): the optimum puts on as few as it can."""
    return [person(p, preferences=[{"kind": "avoids", "date": "2026-12-07", "weight": 10}]) for p in pids]


def test_an_extra_person_is_put_on_to_cover_lunch() -> None:
    # Two needed all shift long: without breaks two people do; with lunch breaks a third must come.
    people = reluctant("a", "b", "c", "d")
    assert len(worked(solved(tiny_scenario(people, coverage=[window("08:00", "16:00", 2)])))) == 2
    result = solved(tiny_scenario(people, coverage=[window("08:00", "16:00", 2)], meal_rules=[meal()]))
    assert len(worked(result)) == 3
    assert result.objective == pytest.approx(30.0)
    starts = sorted(int(b[0][0][:2]) * 60 + int(b[0][0][3:]) for b in breaks(result.rota).values())
    # Never two away at once: 45-minute breaks at least 45 minutes apart.
    assert all(later - earlier >= 45 for earlier, later in itertools.pairwise(starts))


def test_middle_cost_is_exact() -> None:
    # Three people needed (min 2 + one away); breaks must not overlap: slots (0,3,6) or (1,4,7) of 8, the middle
    # slots being 3 and 4: cost 3+0+2 or 2+0+3 = 5. (A fourth person, 10 more, would let breaks overlap.)
    scenario = tiny_scenario(reluctant("a", "b", "c", "d"), coverage=[window("08:00", "16:00", 2)],
                             meal_rules=[meal(middle_cost=1)])
    result = solved(scenario)
    assert result.objective == pytest.approx(35.0)
    assert cost_of(result, "meal_breaks") == pytest.approx(5.0)


def test_max_away_binds() -> None:
    pins = [pin(p, "day", 0) for p in ("a", "b", "c")]
    free = solved(tiny_scenario(["a", "b", "c"], pins=pins, meal_rules=[meal(middle_cost=1)]))
    assert free.objective == 0  # all three eat at the middle slot together
    limited = solved(tiny_scenario(["a", "b", "c"], pins=pins, meal_rules=[meal(middle_cost=1, max_away=1)]))
    assert limited.objective == pytest.approx(5.0)
    # Four breaks of 45 minutes, one at a time, do not fit in 150 minutes.
    four = [pin(p, "day", 0) for p in ("a", "b", "c", "d")]
    infeasible(tiny_scenario(["a", "b", "c", "d"], pins=four, meal_rules=[meal(max_away=1)]))


def test_scarce_role_never_two_away_at_once() -> None:
    people = [person("a", ["sec"]), person("b", ["sec"]), person("c")]
    pins = [pin(p, "day", 0) for p in ("a", "b", "c")]
    rules = [cover("day", 0)]  # no role rule: every role is offered
    scenario = tiny_scenario(people, roles=["vol", "sec"], pins=pins, coverage=rules,
                             meal_rules=[meal(middle_cost=1, scarce_roles=["sec"])])
    result = solved(scenario)
    # a and b fill sec; their breaks 3 slots apart cost 2 at best; c eats in the middle.
    assert {r for _, r, _ in roles_filled(result)} == {"sec", "vol"}
    assert result.objective == pytest.approx(2.0)


def test_role_coverage_counts_nobody_on_break() -> None:
    # A security officer all day: the only one cannot go to lunch, so a second one must come.
    people = [person("a", ["sec"]), person("b", ["sec"]), person("c")]
    rules = [window("08:00", "16:00", 1, role="sec")]
    result = solved(tiny_scenario(people, roles=["vol", "sec"], coverage=rules, meal_rules=[meal()]))
    assert {(p, r) for p, r, _ in roles_filled(result)} >= {("a", "sec"), ("b", "sec")}
    infeasible(tiny_scenario(people[:1] + people[2:], roles=["vol", "sec"], coverage=rules, meal_rules=[meal()]))


def test_person_meal_minutes_override_the_rule() -> None:
    people = [person("far", meal_minutes=90)]
    result = solved(tiny_scenario(people, pins=[pin("far", "day", 0)], meal_rules=[meal(middle_cost=1)]))
    # 90 minutes in 150: slots 11:00 … 12:00 (5), the middle one is 11:30.
    assert breaks(result.rota)[("far", 0)] == [("11:30", "13:00")]
    with pytest.raises(ValidationError, match="does not fit"):
        tiny_scenario([person("far", meal_minutes=180)], meal_rules=[meal()])


def test_grid_of_five_minutes() -> None:
    rule = meal(grid_minutes=5, middle_cost=1)
    result = solved(tiny_scenario(["alice"], pins=[pin("alice", "day", 0)], meal_rules=[rule]))
    # 22 slots from 11:00 to 12:45 every 5 minutes: the middle ones are 11:50 and 11:55.
    assert breaks(result.rota)[("alice", 0)][0][0] in ("11:50", "11:55")
    assert result.objective == 0


def test_shift_without_the_whole_window_or_not_listed_gets_no_break() -> None:
    shifts = {"day": ("08:00", 8), "mid": ("12:00", 8), "long": ("07:00", 10)}
    pins = [pin("a", "day", 0), pin("b", "mid", 0), pin("c", "long", 0)]
    result = solved(tiny_scenario(["a", "b", "c"], shifts=shifts, pins=pins, meal_rules=[meal(shifts=["day", "mid"])]))
    got = breaks(result.rota)
    assert len(got[("a", 0)]) == 1
    assert got[("b", 0)] == []  # 12:00–20:00 does not contain 11:00–13:30
    assert got[("c", 0)] == []  # not listed


def test_late_cost_spreads_the_latest_slot() -> None:
    # Lunch 11:00–12:00 of 45 minutes: slots 11:00 and 11:15. Bob comes at 11:15 each day, so Alice (alone from
    # 08:00) can only eat at 11:15, the latest slot: three days, the first is free, two cost 4 each.
    shifts = {"day": ("08:00", 8), "relief": ("11:15", 8)}
    lunch = {"name": "Lunch", "start": "11:00", "end": "12:00"}
    rule = {"post": "gate", "windows": [lunch], "shifts": ["day"], "late_cost": 4}
    pins = [pin("alice", "day", d) for d in range(3)] + [pin("bob", "relief", d) for d in range(3)]
    scenario = tiny_scenario(["alice", "bob"], days=3, shifts=shifts, pins=pins, meal_rules=[rule],
                             coverage=[window("08:00", "16:00", 1)])
    result = solved(scenario)
    assert result.objective == pytest.approx(8.0)
    assert all(b == [("11:15", "12:00")] for (p, _), b in breaks(result.rota).items() if p == "alice")


def test_no_rota_because_of_lunch_is_explained() -> None:
    # Two people, two needed all day: nobody can leave for lunch.
    scenario = tiny_scenario(["a", "b"], coverage=[window("08:00", "16:00", 2)], meal_rules=[meal()])
    result = infeasible(scenario)
    assert result.explanation is not None
    # The count over the period says it first: three on the day shift, so that one can eat while two stay.
    [headline] = result.explanation.headlines
    assert (headline.needed, headline.most, headline.extra_people) == (3, 2, 1)
    assert "3 on each 08:00–16:00 shift, so that they can take turns to go home to eat" in headline.message
    # The elastic model says where and when.
    [shortage] = elastic_explanation(scenario, SolveSettings(time_limit=10)).shortages
    assert "Lunch" in shortage.message
    assert "Gate, Mon 7 Dec 11:00–13:30" in shortage.message
    assert "1 more person on the 08:00–16:00 shift would fix it" in shortage.message


def test_meal_rule_references_are_checked() -> None:
    with pytest.raises(ValidationError, match="unknown post or duty 'nowhere'"):
        tiny_scenario(["a"], meal_rules=[{"post": "nowhere", "windows": [LUNCH]}])
    with pytest.raises(ValidationError, match="unknown shift 'x'"):
        tiny_scenario(["a"], meal_rules=[meal(shifts=["x"])])
    with pytest.raises(ValidationError, match="unknown role 'boss'"):
        tiny_scenario(["a"], meal_rules=[meal(scarce_roles=["boss"])])
    with pytest.raises(ValidationError, match="does not fit"):
        tiny_scenario(["a"], meal_rules=[meal(minutes=200)])
    with pytest.raises(ValidationError, match="overlap"):
        tiny_scenario(["a"], meal_rules=[{"post": "gate", "windows": [LUNCH, {**LUNCH, "start": "12:00",
                                                                              "end": "14:00"}]}])


# ------------------------------------------------------------ the whole checker on hand-written rotas


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
    scenario = make_scenario(days=1, coverage=[rule], meal_rules=[{"post": "gate", "windows": [HAND_LUNCH]}])
    result = run(scenario, eating(shift("alice", "day"), ((12, 0), (12, 45))))
    only(result, "coverage")
    assert "Mon 7 Dec 12:00–12:45" in result.violations[0].message
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
    late = make_scenario(days=3, meal_rules=[{"post": "gate", "windows": [HAND_LUNCH], "late_cost": 5}])
    works = [eating(shift("bob", "day", day=d), ((12, 45), (13, 30))) for d in range(3)]
    result = run(late, *works)
    assert_ok(result)
    assert result.objective == pytest.approx(10.0)
    assert {p.rule for p in result.penalties} == {"meal_breaks"}

# ------------------------------ the rule alone: its family on a fixed rota; its checker module on a hand-written rota


def test_meal_breaks_alone_on_the_model() -> None:
    # 60-minute breaks, one person away at a time: two fit in the 150-minute window, three do not.
    scenario = tiny_scenario(["alice", "bob", "carol"], meal_rules=[meal(minutes=60, max_away=1)])
    assert not verdict(scenario, [MealBreaks()], [(p, "day", 0) for p in ("alice", "bob", "carol")]).feasible
    assert verdict(scenario, [MealBreaks()], [("alice", "day", 0), ("bob", "day", 0)]).feasible


def test_break_variables_belong_to_the_model_whatever_the_build_order() -> None:
    both = [("alice", "day", 0), ("bob", "day", 0)]
    for need, feasible in ((2, False), (1, True)):  # two on duty at every minute of lunch: nobody may eat
        scenario = tiny_scenario(["alice", "bob"], coverage=[window("11:00", "13:30", need)], meal_rules=[meal()])
        for families in ([MealBreaks(), Coverage()], [Coverage(), MealBreaks()]):
            assert build_model(scenario, families=families).variables.breaks
            assert verdict(scenario, families, both).feasible is feasible
    # Without the meal-breaks rule (or with it relaxed, scheduler.solve.meal_bound) the model has no breaks.
    assert not build_model(scenario, families=[Coverage()]).variables.breaks
    assert not build_model(scenario, families=[MealBreaks(relaxed=True), Coverage()]).variables.breaks


def test_meal_breaks_alone_in_the_checker() -> None:
    scenario = meal_scenario()
    violations, _ = meal_breaks_check.findings(*sound(scenario, shift("alice", "day")))
    assert [(v.rule, v.person) for v in violations] == [("meal_breaks", "alice")]
    kept = eating(shift("alice", "day"), ((11, 45), (12, 30)))
    violations, costs = meal_breaks_check.findings(*sound(scenario, kept))
    assert violations == [] and costs == []
