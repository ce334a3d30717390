"""Staffing: every person-hour on duty at a post costs `weights.staffing`, so nobody is called out unneeded.

docs/rules.md, "staffing" and "The objective": soft coverage outranks staffing when it costs more per person-hour
short; staffing outranks fairness and wishes.
"""

from __future__ import annotations

from typing import Any

import pytest

from scheduler.check import staffing as staffing_check
from scheduler.model.constraints.staffing import Staffing
from tests.builders import NO_FAIRNESS, PersonSpec, cover, days_of, person, pin, solved, tiny_scenario, window, worked
from tests.handwritten import duty, make_scenario, run, shift, sound, team_scenario
from tests.rules.alone import verdict


def weights(staffing: int = 3, **others: int) -> dict[str, Any]:
    return {**NO_FAIRNESS, "staffing": staffing, **others}


# ------------------------------------------------------------------------------------------- end to end


def test_nobody_is_called_out_beyond_need() -> None:
    # At least 2 on each day shift, four people who all want to work every day: the wishes (1 each) never buy an
    # 8-hour shift (24).
    wishes = [{"kind": "wants", "weekday": d} for d in ("mon", "tue", "wed")]
    people: list[PersonSpec] = [person(p, preferences=wishes) for p in ("alice", "bob", "carol", "dave")]
    result = solved(tiny_scenario(people, days=3, coverage=[cover("day", 2)], weights=weights()))
    assert len(worked(result)) == 6  # exactly the 2 needed on each of the 3 days
    assert result.objective == pytest.approx(6 * 8 * 3 + 6)  # 48 person-hours at 3; six wishes unmet at 1
    # Without the staffing cost, the same wishes call everyone out.
    free = solved(tiny_scenario(people, days=3, coverage=[cover("day", 2)], weights=weights(staffing=0)))
    assert len(worked(free)) == 12


def test_fairness_never_buys_a_shift() -> None:
    # Alice is pinned to all four days; one person a day is needed. Putting Bob beside her would raise the total and
    # with it Alice's share, lowering her excess; the staffing cost of his hours is always more than that gain.
    pins = [pin("alice", "day", d) for d in range(4)]
    fair = {**weights(), "fairness_hours": 1, "fairness_nights": 2, "fairness_weekends": 2}
    result = solved(tiny_scenario(["alice", "bob"], days=4, coverage=[cover("day", 1)], pins=pins, weights=fair))
    assert days_of(result, "bob") == []
    # Free hours would let fairness call Bob out for nothing.
    free = solved(tiny_scenario(["alice", "bob"], days=4, coverage=[cover("day", 1)], pins=pins,
                                weights={**fair, "staffing": 0}))
    assert days_of(free, "bob") != []


@pytest.mark.parametrize(("min_cost", "called_out"), [(2, False), (4, True)])
def test_soft_coverage_calls_people_out_when_it_costs_more_than_their_hours(min_cost: int, called_out: bool) -> None:
    # A soft second person through the day shift (a window rule, costed per person-hour short): 8 person-hours short
    # cost 8 × min_cost; calling Bob out costs 8 × 3.
    rules = [cover("day", 1), window("08:00", "16:00", 2, min_cost=min_cost)]
    result = solved(tiny_scenario(["alice", "bob"], coverage=rules, weights=weights()))
    assert len(worked(result)) == (2 if called_out else 1)


def test_staffing_is_reported_per_post_in_person_hours() -> None:
    result = solved(tiny_scenario(["alice", "bob"], days=2, coverage=[cover("day", 1, 1)], weights=weights(2)))
    (penalty,) = [p for p in result.penalties if p.rule == "staffing"]
    assert (penalty.name, penalty.amount, penalty.cost) == ("staffing:gate", 16, 32)


# ------------------------------ the rule alone: its family on a fixed rota; its checker module on a hand-written rota


def test_staffing_alone_on_the_model() -> None:
    scenario = tiny_scenario(["alice", "bob"], shifts={"day": ("08:00", 8), "short": ("17:00", 2.5)},
                             weights=weights())
    assert verdict(scenario, [Staffing()], []).cost == 0
    assert verdict(scenario, [Staffing()], [("alice", "day", 0)]).cost == 24
    assert verdict(scenario, [Staffing()], [("alice", "day", 0), ("bob", "day", 0), ("bob", "short", 0)]).cost == 55.5
    assert verdict(tiny_scenario(["alice"], weights=weights(0)), [Staffing()], [("alice", "day", 0)]).cost == 0


def test_staffing_alone_in_the_checker() -> None:
    scenario = make_scenario(weights=weights(2))
    costs = staffing_check.costs(*sound(scenario, shift("alice", "day"), shift("bob", "night"), shift("carol", "am")))
    assert [(c.name, c.amount, c.cost) for c in costs] == [("staffing:gate", 16, 32), ("staffing:desk", 4, 8)]
    assert staffing_check.costs(*sound(scenario)) == []
    assert staffing_check.costs(*sound(make_scenario(weights=weights(0)), shift("alice", "day"))) == []


def test_team_duties_are_not_staffing() -> None:
    # A team duty's size is fixed by the teams rule: its hours are not a choice, so they do not cost.
    scenario = team_scenario(weights=weights())
    result = run(scenario, duty("sec1", "secretary"), duty("doc1", "health"), duty("cop1", "police"))
    assert [p for p in result.penalties if p.rule == "staffing"] == []
