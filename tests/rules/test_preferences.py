"""Preferences: each unmet wish costs weight × weights.preferences; wishes outside the period cost nothing."""

from __future__ import annotations

from typing import Any

import pytest

from scheduler.check import preferences as preferences_check
from scheduler.model.constraints.preferences import Preferences
from tests.builders import PersonSpec, cost_of, cover, days_of, person, solved, tiny_scenario, worked
from tests.handwritten import assert_ok, make_scenario, run, shift, sound
from tests.handwritten import person as hand_person
from tests.rules.alone import verdict


def wish(kind: str, weight: int = 1, **target: Any) -> dict[str, Any]:
    return {"kind": kind, "weight": weight, **target}


def alice(*wishes: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return person("alice", preferences=list(wishes), **extra)


SHIFTS = {"day": ("08:00", 8), "late": ("16:00", 8)}


def test_wanted_shift_given_costs_nothing() -> None:
    want = wish("wants", 4, date="2026-12-07", shift="late")
    result = solved(tiny_scenario([alice(want)], shifts=SHIFTS))
    assert worked(result) == {("alice", "late", 0)}
    assert result.objective == 0 and cost_of(result, "preferences") == 0


def test_wanted_shift_not_given_costs_its_weight() -> None:
    # Only one person on the late shift; Bob's wish (6) beats Alice's (4).
    people = [alice(wish("wants", 4, date="2026-12-07", shift="late")),
              person("bob", preferences=[wish("wants", 6, date="2026-12-07", shift="late")])]
    result = solved(tiny_scenario(people, shifts=SHIFTS, coverage=[cover("late", 0, 1)]))
    assert worked(result) == {("bob", "late", 0)}
    assert result.objective == pytest.approx(4.0)
    assert [(p.person, p.cost) for p in result.penalties] == [("alice", 4.0)]


def test_wanted_shift_is_not_met_by_another_shift() -> None:
    # Alice wants the late shift, but only the day shift may be worked by her (late is banned).
    want = wish("wants", 2, date="2026-12-07", shift="late")
    ban = {"person": "alice", "date": "2026-12-07", "post": "gate", "shift": "late"}
    result = solved(tiny_scenario([alice(want)], shifts=SHIFTS, coverage=[cover("day", 1)], bans=[ban]))
    assert worked(result) == {("alice", "day", 0)}
    assert result.objective == pytest.approx(2.0)


def test_avoided_date_worked_costs_its_weight() -> None:
    result = solved(tiny_scenario([alice(wish("avoids", 5, date="2026-12-07"))], coverage=[cover("day", 1)]))
    assert result.objective == pytest.approx(5.0)


def test_avoided_shift_on_date() -> None:
    # Avoiding the late shift: she gets the day shift when either may be covered.
    avoid = wish("avoids", 5, date="2026-12-07", shift="late")
    coverage = [{"post": "gate", "window": {"start": "08:00", "end": "10:00"}, "min": 1}]
    result = solved(tiny_scenario([alice(avoid)], shifts=SHIFTS, coverage=coverage))
    assert worked(result) == {("alice", "day", 0)}
    assert result.objective == 0
    forced = solved(tiny_scenario([alice(avoid)], shifts=SHIFTS, coverage=[cover("late", 1)]))
    assert forced.objective == pytest.approx(5.0)


def test_wanted_weekday_costs_per_unmet_day() -> None:
    # Two Mondays in the period; she is away on the second: one unmet at 2.
    want = wish("wants", 2, weekday="mon")
    result = solved(tiny_scenario([alice(want, absences=[{"date": "2026-12-14"}])], days=8))
    assert days_of(result, "alice") == [0]
    assert result.objective == pytest.approx(2.0)


def test_avoided_weekday_costs_per_worked_day() -> None:
    # Every day needs her; she avoids Tuesday and Wednesday at 3: 6.
    avoid = [wish("avoids", 3, weekday="tue"), wish("avoids", 3, weekday="wed")]
    result = solved(tiny_scenario([alice(*avoid)], days=4, coverage=[cover("day", 1)]))
    assert result.objective == pytest.approx(6.0)


def test_avoided_nights_cost_per_night_worked() -> None:
    shifts = {"night": ("00:00", 8)}
    result = solved(tiny_scenario([alice(wish("avoids", 3, nights=True))], days=2, shifts=shifts,
                                  coverage=[cover("night", 1)]))
    assert result.objective == pytest.approx(6.0)


def test_avoided_nights_choose_the_day_shift() -> None:
    shifts = {"night": ("00:00", 8), "day": ("08:00", 8)}
    coverage = [{"post": "gate", "window": {"start": "07:00", "end": "08:00"}, "min": 0, "max": 1}]
    people = [alice(wish("avoids", 3, nights=True), limits={"min_hours_total": 8})]
    result = solved(tiny_scenario(people, shifts=shifts, coverage=coverage))
    assert worked(result) == {("alice", "day", 0)}
    assert result.objective == 0


def test_wanted_nights_cost_per_shift_that_is_not_a_night() -> None:
    result = solved(tiny_scenario([alice(wish("wants", 2, nights=True))], days=2, coverage=[cover("day", 1)]))
    assert result.objective == pytest.approx(4.0)


def test_preference_multiplier() -> None:
    avoid = wish("avoids", 5, date="2026-12-07")
    weights = {"fairness_hours": 0, "fairness_nights": 0, "fairness_weekends": 0, "preferences": 3, "staffing": 0}
    result = solved(tiny_scenario([alice(avoid)], coverage=[cover("day", 1)], weights=weights))
    assert result.objective == pytest.approx(15.0)
    off = solved(tiny_scenario([alice(avoid)], coverage=[cover("day", 1)], weights={**weights, "preferences": 0}))
    assert off.objective == 0


def test_wish_outside_the_period_costs_nothing() -> None:
    wishes = [wish("wants", 9, date="2027-01-01"), wish("wants", 9, date="2026-12-06", shift="day")]
    result = solved(tiny_scenario([alice(*wishes)], days=2))
    assert result.objective == 0
    assert worked(result) == set()


def test_wish_moves_the_rota() -> None:
    # One shift a day for two people: the wish decides who works Tuesday.
    people: list[PersonSpec] = ["alice", person("bob", preferences=[wish("wants", 1, date="2026-12-08")])]
    coverage = [cover("day", 1, 1)]
    result = solved(tiny_scenario(people, days=2, coverage=coverage))
    assert ("bob", "day", 1) in worked(result)
    assert result.objective == 0


def test_wanted_shift_at_a_named_post() -> None:
    # The same template id at two posts; Alice wants it at the desk, only the gate needs her.
    posts = [{"id": "gate", "name": "Gate", "shifts": [{"id": "day", "start": "08:00", "hours": 8}]},
             {"id": "desk", "name": "Desk", "shifts": [{"id": "day", "start": "08:00", "hours": 8}]}]
    want = wish("wants", 3, date="2026-12-07", shift="day", post="desk")
    forced = solved(tiny_scenario([alice(want)], posts=posts, coverage=[cover("day", 1)]))
    assert forced.objective == pytest.approx(3.0)
    free = solved(tiny_scenario([alice(want)], posts=posts))
    assert free.objective == 0
    assert free.rota is not None and [a.post for a in free.rota.assignments] == ["desk"]


# ------------------------------------------------------------ the whole checker on hand-written rotas


def test_preference_costs() -> None:
    prefs = [
        {"kind": "wants", "date": "2026-12-07", "shift": "day", "weight": 3},  # unmet -> 3
        {"kind": "avoids", "date": "2026-12-08", "weight": 5},  # worked -> 5
        {"kind": "wants", "weekday": "mon", "weight": 7},  # Monday not worked -> 7
        {"kind": "avoids", "nights": True, "weight": 11},  # one night -> 11
        {"kind": "wants", "date": "2026-12-08", "shift": "night"},  # met -> 0
    ]
    scenario = make_scenario(
        people=[hand_person("bob", preferences=prefs)],
        weights={"fairness_hours": 0, "fairness_nights": 0, "fairness_weekends": 0, "preferences": 2, "staffing": 0},
    )
    result = run(scenario, shift("bob", "night", 1))
    assert_ok(result)
    assert result.objective == 2 * (3 + 5 + 7 + 11)
    assert {p.name for p in result.penalties} == {f"preferences:bob:{i}" for i in range(4)}


def test_wanted_nights_cost_each_day_shift() -> None:
    scenario = make_scenario(people=[hand_person("bob", preferences=[{"kind": "wants", "nights": True, "weight": 4}])])
    result = run(scenario, shift("bob", "night", 0), shift("bob", "day", 1), shift("bob", "late", 1))
    assert result.objective == 8

# ------------------------------ the rule alone: its family on a fixed rota; its checker module on a hand-written rota


def test_preferences_alone_on_the_model() -> None:
    scenario = tiny_scenario([alice(wish("avoids", 3, date="2026-12-07"))])
    assert verdict(scenario, [Preferences()], [("alice", "day", 0)]).cost == 3
    assert verdict(scenario, [Preferences()], []).cost == 0


def test_preferences_alone_in_the_checker() -> None:
    wishes = [{"kind": "avoids", "date": "2026-12-07", "weight": 3}]
    scenario = make_scenario(people=[hand_person("bob", preferences=wishes)])
    assert [(c.name, c.cost) for c in preferences_check.costs(*sound(scenario, shift("bob", "day", 0)))] == [
        ("preferences:bob:0", 3)
    ]
    assert preferences_check.costs(*sound(scenario, shift("bob", "day", 1))) == []
