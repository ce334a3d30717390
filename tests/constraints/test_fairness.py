"""Fairness: hours, nights and weekend shifts outside a band around each person's capacity share cost.

Hand computations follow docs/rules.md: c_p capacity in minutes, q_p = round_half_up(1000 c_p / C),
s_p = floor(q_p T / 1000), o_p = max(0, m_p − s_p − max(b_p, 1), s_p − b_p − m_p); hours cost ceil(o_p / 60).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.builders import PersonSpec, cost_of, cover, days_of, person, pin, solved, tiny_scenario

SHORT = {"s": ("08:00", 2)}  # a 2-hour shift: the hours band is 120 minutes
EVERY_DAY_ONE = [cover("s", 1, 1)]


def weights(hours: int = 0, nights: int = 0, weekends: int = 0) -> dict[str, int]:
    return {"fairness_hours": hours, "fairness_nights": nights, "fairness_weekends": weekends}


def all_to_alice(shift: str, days: int) -> list[dict[str, Any]]:
    return [pin("alice", shift, d) for d in range(days)]


def test_hours_within_the_band_cost_nothing() -> None:
    # Two equal people, two 8-hour shifts: any split is within one shift of the share.
    result = solved(tiny_scenario(["alice", "bob"], days=2, coverage=[cover("day", 1, 1)], weights=weights(hours=1)))
    assert result.objective == 0 and cost_of(result, "fairness") == 0


def test_hours_outside_the_band_cost_whole_hours() -> None:
    # 4 x 2 h all to Alice: T = 480, s = 240 each, band 120. Alice 480 - 240 - 120 = 120 min -> 2 h;
    # Bob 240 - 120 - 0 = 120 min -> 2 h. At 3 per hour: 12.
    scenario = tiny_scenario(["alice", "bob"], days=4, shifts=SHORT, coverage=EVERY_DAY_ONE,
                             pins=all_to_alice("s", 4), weights=weights(hours=3))
    result = solved(scenario)
    assert result.objective == pytest.approx(12.0)
    assert {p.person: p.cost for p in result.penalties} == {"alice": 6.0, "bob": 6.0}


def test_hours_distance_rounds_up_to_whole_hours() -> None:
    # 90-minute shifts: T = 360, s = 180, band 90. Both are 90 minutes outside: ceil(1.5) = 2 h each.
    scenario = tiny_scenario(["alice", "bob"], days=4, shifts={"s": ("08:00", 1.5)}, coverage=EVERY_DAY_ONE,
                             pins=all_to_alice("s", 4), weights=weights(hours=1))
    result = solved(scenario)
    assert result.objective == pytest.approx(4.0)


def test_fairness_moves_a_shift() -> None:
    # Alice wants all four days (weight 1 each). Without fairness she gets them all; with it, giving Bob one
    # shift (one wish unmet, 1) beats 4 in fairness.
    wishes = [{"kind": "wants", "weekday": d} for d in ("mon", "tue", "wed", "thu")]
    people: list[PersonSpec] = [person("alice", preferences=wishes), "bob"]
    free = solved(tiny_scenario(people, days=4, shifts=SHORT, coverage=EVERY_DAY_ONE))
    assert days_of(free, "alice") == [0, 1, 2, 3] and free.objective == 0
    result = solved(tiny_scenario(people, days=4, shifts=SHORT, coverage=EVERY_DAY_ONE, weights=weights(hours=1)))
    assert len(days_of(result, "alice")) == 3 and len(days_of(result, "bob")) == 1
    assert result.objective == pytest.approx(1.0)
    assert cost_of(result, "fairness") == 0


@pytest.mark.parametrize(
    "limits",
    [
        # Capacity from availability: Mon and Tue 08:00–10:00 = 240 min against Bob's 5760.
        {"availability": [{"days": ["mon", "tue"], "start": "08:00", "end": "10:00"}]},
        # Capacity from the period limit: 2 h = 120 min.
        {"limits": {"max_hours_total": 2}},
        # Capacity from the weekly limit: floor(2 h x 60 x 4 / 7) = 68 min.
        {"limits": {"max_hours_per_week": 2}},
        # Capacity minus absences: whole days away Tue–Thu leaves 1440 min against Bob's 5760.
        {"absences": [{"date": "2026-12-08", "until": "2026-12-10"}]},
    ],
    ids=["availability", "max-hours-total", "max-hours-per-week", "absences"],
)
def test_small_capacity_means_a_small_share(limits: dict[str, Any]) -> None:
    # All four shifts to Bob. With equal capacities this would cost 4 (see above); with Alice's capacity small,
    # Bob's share is most of the total and nobody is outside the band.
    pins = [pin("bob", "s", d) for d in range(4)]
    equal = solved(tiny_scenario(["alice", "bob"], days=4, shifts=SHORT, coverage=EVERY_DAY_ONE, pins=pins,
                                 weights=weights(hours=1)))
    assert equal.objective == pytest.approx(4.0)
    people = [person("alice", **limits), person("bob")]
    result = solved(tiny_scenario(people, days=4, shifts=SHORT, coverage=EVERY_DAY_ONE, pins=pins,
                                  weights=weights(hours=1)))
    assert result.objective == 0


def test_inactive_people_have_no_share() -> None:
    # An inactive Carol does not dilute the shares: still 2 h outside for Alice and for Bob.
    people: list[PersonSpec] = ["alice", "bob", person("carol", active=False)]
    scenario = tiny_scenario(people, days=4, shifts=SHORT, coverage=EVERY_DAY_ONE, pins=all_to_alice("s", 4),
                             weights=weights(hours=1))
    assert solved(scenario).objective == pytest.approx(4.0)


NIGHTS = {"night": ("00:00", 8)}


def test_nights_outside_the_band() -> None:
    # 4 nights all to Alice: s = 2 each. Alice 4 - 2 - 1 = 1, Bob 2 - 0 - 0 = 2: 3 nights x 2 = 6.
    scenario = tiny_scenario(["alice", "bob"], days=4, shifts=NIGHTS, coverage=[cover("night", 1, 1)],
                             pins=all_to_alice("night", 4), weights=weights(nights=2))
    result = solved(scenario)
    assert result.objective == pytest.approx(6.0)
    assert {p.person: p.amount for p in result.penalties} == {"alice": 1.0, "bob": 2.0}


def test_nights_split_evenly_cost_nothing() -> None:
    scenario = tiny_scenario(["alice", "bob"], days=4, shifts=NIGHTS, coverage=[cover("night", 1, 1)],
                             weights=weights(nights=2))
    result = solved(scenario)
    assert result.objective == 0
    assert len(days_of(result, "alice")) == 2


def test_no_nights_allowed_means_no_night_share() -> None:
    bob = person("bob", limits={"nights_allowed": False})
    scenario = tiny_scenario(["alice", bob], days=4, shifts=NIGHTS, coverage=[cover("night", 1, 1)],
                             weights=weights(nights=2))
    result = solved(scenario)
    assert days_of(result, "alice") == [0, 1, 2, 3]
    assert result.objective == 0


SATURDAY = dt.date(2026, 12, 12)


def test_weekend_shifts_outside_the_band() -> None:
    # Sat and Sun both to Alice: s = 1 each. Alice 2 - 1 - 1 = 0; Bob 1 - 0 - 0 = 1: 1 x 2 = 2.
    pins = [{"person": "alice", "date": (SATURDAY + dt.timedelta(days=d)).isoformat(), "post": "gate",
             "shift": "day"} for d in range(2)]
    scenario = tiny_scenario(["alice", "bob"], days=2, start=SATURDAY, coverage=[cover("day", 1, 1)], pins=pins,
                             weights=weights(weekends=2))
    result = solved(scenario)
    assert result.objective == pytest.approx(2.0)
    assert [p.person for p in result.penalties] == ["bob"]


def test_weekend_shifts_shared_cost_nothing() -> None:
    scenario = tiny_scenario(["alice", "bob"], days=2, start=SATURDAY, coverage=[cover("day", 1, 1)],
                             weights=weights(weekends=2))
    result = solved(scenario)
    assert result.objective == 0
    assert days_of(result, "alice") in ([0], [1])


def test_all_measures_add_up() -> None:
    # Weekend nights all to Alice over a Sat–Sun period with 2-hour night shifts:
    # hours T = 240, s = 120, band 120: Alice 240 - 120 - 120 = 0, Bob 120 - 120 = 0 -> 0;
    # nights s = 1: Bob 1 -> 3 x 1; weekends: Bob 1 -> 5 x 1. Total 8.
    pins = [{"person": "alice", "date": (SATURDAY + dt.timedelta(days=d)).isoformat(), "post": "gate",
             "shift": "n"} for d in range(2)]
    scenario = tiny_scenario(["alice", "bob"], days=2, start=SATURDAY, shifts={"n": ("01:00", 2)},
                             coverage=[cover("n", 1, 1)], pins=pins, weights=weights(7, 3, 5))
    assert solved(scenario).objective == pytest.approx(8.0)


def test_band_is_the_longest_shift_at_the_persons_places() -> None:
    # Alice and Bob may only work the desk (1-hour shift), so their band is 60 minutes, not the gate's 2 hours.
    # 4 x 1 h at the desk all to Bob: T = 240, s = 120 each. Alice 120 - 60 - 0 = 60 min -> 1 h;
    # Bob 240 - 120 - 60 = 60 min -> 1 h. Total 2 (with the gate's 2-hour band it would be 0).
    posts = [{"id": "gate", "name": "Gate", "shifts": [{"id": "s", "start": "08:00", "hours": 2}]},
             {"id": "desk", "name": "Desk", "shifts": [{"id": "d", "start": "08:00", "hours": 1}]}]
    pins = [pin("bob", "d", d, post="desk") for d in range(4)]
    people = [person("alice", posts=["desk"]), person("bob", posts=["desk"]), person("carol", posts=["gate"])]
    desk = {"post": "desk", "shift": "d", "min": 1, "max": 1}
    scenario = tiny_scenario(people, days=4, posts=posts, coverage=[*EVERY_DAY_ONE, desk], pins=pins,
                             weights=weights(hours=1))
    result = solved(scenario)
    assert result.objective == pytest.approx(2.0)
    assert {p.person: p.cost for p in result.penalties} == {"alice": 1.0, "bob": 1.0}


def test_loads_are_compared_only_within_a_fairness_group() -> None:
    # Bob (security) works every gate shift, Alice (volunteer) none: different first roles, different groups,
    # so neither is outside a fair share: each group's total is their own.
    people = [person("alice", roles=["vol"]), person("bob", roles=["sec"])]
    pins = [pin("bob", "s", d) for d in range(4)]
    common: dict[str, Any] = {
        "days": 4, "shifts": SHORT, "coverage": EVERY_DAY_ONE, "pins": pins, "roles": ["vol", "sec"],
        "weights": weights(hours=1),
    }
    assert solved(tiny_scenario(people, **common)).objective == pytest.approx(0.0)
    # The same rota with both in one group: 2 hours outside the band each (as in the test above).
    same_group = [person("alice", roles=["sec"]), person("bob", roles=["sec"])]
    assert solved(tiny_scenario(same_group, **common)).objective == pytest.approx(4.0)
