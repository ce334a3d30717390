"""Fairness: hours, nights and weekend shifts above a band around each person's capacity share cost.

Hand computations follow docs/rules.md: c_p capacity in minutes, q_p = round_half_up(1000 c_p / C),
s_p = q_p T / 1000 (exact); the band's top h_p = s_p + b_p for hours (b_p the longest shift), ceil(s_p) for counts;
o_p = max(0, m_p − h_p); hours cost per hour to the minute, counts per shift. Below the share costs nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from scheduler import FairShare, fair_shares
from scheduler.check import check
from scheduler.check import fairness as fairness_check
from scheduler.model.constraints.fairness import Fairness
from tests.builders import PersonSpec, cost_of, cover, days_of, person, pin, solved, tiny_scenario
from tests.handwritten import assert_ok, make_scenario, rota_for, run, shift, sound
from tests.handwritten import person as hand_person
from tests.rules.alone import verdict

SHORT = {"s": ("08:00", 2)}  # a 2-hour shift: the hours band is 120 minutes
EVERY_DAY_ONE = [cover("s", 1, 1)]


def weights(hours: int = 0, nights: int = 0, weekends: int = 0) -> dict[str, int]:
    return {"fairness_hours": hours, "fairness_nights": nights, "fairness_weekends": weekends, "staffing": 0}


def all_to_alice(shift: str, days: int) -> list[dict[str, Any]]:
    return [pin("alice", shift, d) for d in range(days)]


def test_hours_within_the_band_cost_nothing() -> None:
    # Two equal people, two 8-hour shifts: any split is within one shift of the share.
    result = solved(tiny_scenario(["alice", "bob"], days=2, coverage=[cover("day", 1, 1)], weights=weights(hours=1)))
    assert result.objective == 0 and cost_of(result, "fairness") == 0


def test_hours_above_the_band_cost_per_hour() -> None:
    # 4 x 2 h all to Alice: T = 480, s = 240 each, band 120. Alice 480 - 240 - 120 = 120 min -> 2 h;
    # Bob, below his share, costs nothing. At 3 per hour: 6.
    scenario = tiny_scenario(["alice", "bob"], days=4, shifts=SHORT, coverage=EVERY_DAY_ONE,
                             pins=all_to_alice("s", 4), weights=weights(hours=3))
    result = solved(scenario)
    assert result.objective == pytest.approx(6.0)
    assert {p.person: p.cost for p in result.penalties} == {"alice": 6.0}


def test_hours_above_the_band_cost_to_the_minute() -> None:
    # 90-minute shifts: T = 360, s = 180, band 90. Alice is 90 minutes above: 1.5 h.
    scenario = tiny_scenario(["alice", "bob"], days=4, shifts={"s": ("08:00", 1.5)}, coverage=EVERY_DAY_ONE,
                             pins=all_to_alice("s", 4), weights=weights(hours=1))
    result = solved(scenario)
    assert result.objective == pytest.approx(1.5)


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
    # All four shifts to Bob. With equal capacities this would cost 2 (see above); with Alice's capacity small,
    # Bob's share is most of the total and nobody is outside the band.
    pins = [pin("bob", "s", d) for d in range(4)]
    equal = solved(tiny_scenario(["alice", "bob"], days=4, shifts=SHORT, coverage=EVERY_DAY_ONE, pins=pins,
                                 weights=weights(hours=1)))
    assert equal.objective == pytest.approx(2.0)
    people = [person("alice", **limits), person("bob")]
    result = solved(tiny_scenario(people, days=4, shifts=SHORT, coverage=EVERY_DAY_ONE, pins=pins,
                                  weights=weights(hours=1)))
    assert result.objective == 0


def test_inactive_people_have_no_share() -> None:
    # An inactive Carol does not dilute the shares: still 2 h above the band for Alice.
    people: list[PersonSpec] = ["alice", "bob", person("carol", active=False)]
    scenario = tiny_scenario(people, days=4, shifts=SHORT, coverage=EVERY_DAY_ONE, pins=all_to_alice("s", 4),
                             weights=weights(hours=1))
    assert solved(scenario).objective == pytest.approx(2.0)


NIGHTS = {"night": ("00:00", 8)}


def test_nights_above_the_band() -> None:
    # 4 nights all to Alice: s = 2 each, already whole. Alice 4 - 2 = 2 nights above, x 2 = 4; Bob below costs nothing.
    scenario = tiny_scenario(["alice", "bob"], days=4, shifts=NIGHTS, coverage=[cover("night", 1, 1)],
                             pins=all_to_alice("night", 4), weights=weights(nights=2))
    result = solved(scenario)
    assert result.objective == pytest.approx(4.0)
    assert {p.person: p.amount for p in result.penalties} == {"alice": 2.0}


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


def test_weekend_shifts_above_the_band() -> None:
    # Sat and Sun both to Alice: s = 1 each. Alice 2 - 1 = 1 above: 1 x 2 = 2.
    pins = [{"person": "alice", "date": (SATURDAY + dt.timedelta(days=d)).isoformat(), "post": "gate",
             "shift": "day"} for d in range(2)]
    scenario = tiny_scenario(["alice", "bob"], days=2, start=SATURDAY, coverage=[cover("day", 1, 1)], pins=pins,
                             weights=weights(weekends=2))
    result = solved(scenario)
    assert result.objective == pytest.approx(2.0)
    assert [p.person for p in result.penalties] == ["alice"]


def test_weekend_shifts_shared_cost_nothing() -> None:
    scenario = tiny_scenario(["alice", "bob"], days=2, start=SATURDAY, coverage=[cover("day", 1, 1)],
                             weights=weights(weekends=2))
    result = solved(scenario)
    assert result.objective == 0
    assert days_of(result, "alice") in ([0], [1])


def test_all_measures_add_up() -> None:
    # Weekend nights all to Alice over a Sat–Sun period with 2-hour night shifts:
    # hours T = 240, s = 120, band 120: Alice 240 - 120 - 120 = 0 -> 0;
    # nights s = 1: Alice 2 - 1 = 1 -> 3 x 1; weekends: Alice 1 -> 5 x 1. Total 8.
    pins = [{"person": "alice", "date": (SATURDAY + dt.timedelta(days=d)).isoformat(), "post": "gate",
             "shift": "n"} for d in range(2)]
    scenario = tiny_scenario(["alice", "bob"], days=2, start=SATURDAY, shifts={"n": ("01:00", 2)},
                             coverage=[cover("n", 1, 1)], pins=pins, weights=weights(7, 3, 5))
    assert solved(scenario).objective == pytest.approx(8.0)


def test_band_is_the_longest_shift_at_the_persons_places() -> None:
    # Alice and Bob may only work the desk (1-hour shift), so their band is 60 minutes, not the gate's 2 hours.
    # 4 x 1 h at the desk all to Bob: T = 240, s = 120 each. Bob 240 - 120 - 60 = 60 min -> 1 h; Alice, below,
    # costs nothing. Total 1 (with the gate's 2-hour band it would be 0).
    posts = [{"id": "gate", "name": "Gate", "shifts": [{"id": "s", "start": "08:00", "hours": 2}]},
             {"id": "desk", "name": "Desk", "shifts": [{"id": "d", "start": "08:00", "hours": 1}]}]
    pins = [pin("bob", "d", d, post="desk") for d in range(4)]
    people = [person("alice", posts=["desk"]), person("bob", posts=["desk"]), person("carol", posts=["gate"])]
    desk = {"post": "desk", "shift": "d", "min": 1, "max": 1}
    scenario = tiny_scenario(people, days=4, posts=posts, coverage=[*EVERY_DAY_ONE, desk], pins=pins,
                             weights=weights(hours=1))
    result = solved(scenario)
    assert result.objective == pytest.approx(1.0)
    assert {p.person: p.cost for p in result.penalties} == {"bob": 1.0}


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
    # The same rota with both in one group: Bob 2 hours above the band (as in the test above).
    same_group = [person("alice", roles=["sec"]), person("bob", roles=["sec"])]
    assert solved(tiny_scenario(same_group, **common)).objective == pytest.approx(2.0)


# ------------------------------------------------------------ the whole checker on hand-written rotas


def test_fairness_hours_share_formula() -> None:
    # Capacities: Ann 2880 min, Ben 960 (08–16 both days), Cal 300 (5 h total). C = 4140, q = 696, 232, 72.
    # Ann works all six gate shifts: T = 2880, shares q T / 1000 = 2004.48, 668.16, 207.36. The band's top is the
    # share plus the longest shift anyone may work (480 min). Ann: 2880 − 2004.48 − 480 = 395.52 min above -> 396
    # minutes (to the minute, rounded up) = 6.6 h; Ben and Cal, below their shares, cost nothing.
    people = [
        hand_person("ann"),
        hand_person("ben", availability=[{"days": ["mon", "tue"], "start": "08:00", "end": "16:00"}]),
        hand_person("cal", limits={"max_hours_total": 5}),
        hand_person("zed", active=False),
    ]
    weights = {"fairness_hours": 1, "fairness_nights": 0, "fairness_weekends": 0, "staffing": 0}
    work = [shift("ann", name, day) for day in (0, 1) for name in ("night", "day", "late")]
    result = run(make_scenario(people=people, weights=weights), *work)
    assert_ok(result)
    assert result.objective == pytest.approx(6.6)
    assert {p.person: p.amount for p in result.penalties} == {"ann": pytest.approx(6.6)}


def test_fairness_rounds_half_up() -> None:
    # Capacities 23040 (16 days) and 1536 (25.6 h): 1000 × c / C = 937.5 and 62.5, so q = 938 and 63 (half up).
    # 16 nights, Ben 2 of them: his share 63 × 16 / 1000 = 1.008 rounds up to 2 -> fair. Ann: 14, below her share
    # 15.008. Rounding q half to even (62) would give Ben a share of 0.992, rounded up 1: one night above, cost 2.
    people = [hand_person("ann"), hand_person("ben", limits={"max_hours_total": 25.6})]
    weights = {"fairness_hours": 0, "fairness_nights": 2, "fairness_weekends": 0, "staffing": 0}
    scenario = make_scenario(days=16, people=people, weights=weights)
    nights = [shift("ben" if day in (0, 8) else "ann", "night", day) for day in range(16)]
    result = run(scenario, *nights)
    assert_ok(result)
    assert result.penalties == [] and result.objective == 0
    figures = fair_shares(scenario, rota_for(scenario, *nights))
    ben = next(s for s in figures if (s.person, s.measure) == ("ben", "nights"))
    assert (ben.share, ben.high) == (pytest.approx(1.008), 2)


def test_fairness_nights_and_weekends() -> None:
    # Two equal people over a week: for counts the share rounded up is fair.
    people = [hand_person("ann"), hand_person("ben", limits={"nights_allowed": False})]
    weights = {"fairness_hours": 0, "fairness_nights": 2, "fairness_weekends": 5, "staffing": 0}
    scenario = make_scenario(days=7, people=people, weights=weights)
    # Nights: only Ann has capacity (q = 1000), 1 night -> share 1 -> no cost.
    # Weekends: q = 500 each, Ann works Sat + Sun: T = 2, shares 1 and 1. Ann has 2, one above her share -> 1 × 5;
    # Ben, below his, costs nothing.
    result = run(scenario, shift("ann", "night", 0), shift("ann", "day", 5), shift("ann", "day", 6))
    assert_ok(result)
    assert result.objective == 5
    assert {p.name for p in result.penalties} == {"fairness:weekends:ann"}


def test_fairness_skipped_without_capacity() -> None:
    people = [hand_person("ann", limits={"max_hours_total": 0})]
    weights = {"fairness_hours": 1, "fairness_nights": 1, "fairness_weekends": 1}
    assert run(make_scenario(people=people, weights=weights)).objective == 0



# ------------------------------ the rule alone: its family on a fixed rota; its checker module on a hand-written rota


def test_fairness_alone_on_the_model() -> None:
    # Four 8-hour days between two people with the same capacity: a share of 16 h each, fair up to 24 h.
    scenario = tiny_scenario(["alice", "bob"], days=4, weights=weights(hours=1))
    all_alice = [("alice", "day", d) for d in range(4)]
    assert verdict(scenario, [Fairness()], all_alice).cost == 8  # 8 h above the band (Bob's 16 h below it are free)
    assert verdict(scenario, [Fairness()], [("alice", "day", 0), ("alice", "day", 1), ("bob", "day", 2)]).cost == 0


def fair_week() -> Any:
    people = [hand_person("alice"), hand_person("bob")]
    return make_scenario(days=4, people=people, weights=weights(hours=1))


def test_fairness_alone_in_the_checker() -> None:
    scenario = fair_week()
    costs = fairness_check.costs(*sound(scenario, *(shift("alice", "day", d) for d in range(4))))
    assert [(c.name, c.cost) for c in costs] == [("fairness:hours:alice", 8)]
    assert fairness_check.costs(*sound(scenario, *(shift(p, "day", d) for p in ("alice", "bob") for d in (0, 1)))) == []


def test_fair_shares_are_the_checker_figures() -> None:
    scenario = fair_week()
    rota = rota_for(scenario, *(shift("alice", "day", d) for d in range(4)))
    hours = [s for s in fair_shares(scenario, rota) if s.measure == "hours"]
    assert hours == [
        FairShare(person="alice", measure="hours", group=0, amount=32, share=16, low=8, high=24, outside=8, cost=8),
        FairShare(person="bob", measure="hours", group=0, amount=0, share=16, low=8, high=24, outside=0, cost=0),
    ]
    # Figures come for every measure, also those the weights ignore (cost 0), and agree with the check.
    assert {s.measure for s in fair_shares(scenario, rota)} == {"hours", "nights", "weekends"}
    checked = sum(p.cost for p in check(scenario, rota).penalties if p.rule == "fairness")
    assert sum(s.cost for s in fair_shares(scenario, rota)) == checked


# Fairness over weeks: the history's shifts of the `fairness_weeks` weeks before the period count in each amount and
# in the group's total (docs/rules.md).

FOUR_WISHES = [{"kind": "wants", "weekday": d} for d in ("mon", "tue", "wed", "thu")]


def served(who: str, day: str, start: str = "08:00", end: str = "10:00", night: bool = False) -> dict[str, Any]:
    return {"person": who, "start": f"{day}T{start}", "end": f"{day}T{end}", "post": "gate", "night": night}


LAST_WEEK = [served("alice", f"2026-11-{d:02d}") for d in range(30, 31)] + [
    served("alice", f"2026-12-0{d}") for d in range(1, 4)
]
"""Alice served four 2-hour shifts the week before (Mon 30 Nov to Thu 3 Dec); Bob none."""


def wishful(history: list[dict[str, Any]], weeks: int = 4) -> Any:
    people: list[PersonSpec] = [person("alice", preferences=FOUR_WISHES), "bob"]
    return tiny_scenario(people, days=4, shifts=SHORT, coverage=EVERY_DAY_ONE, history=history,
                         weights={**weights(hours=1), "fairness_weeks": weeks})


def test_who_served_recently_gets_less_now() -> None:
    # Alice wants all four days. This week alone, fairness gives Bob one shift (objective 1, see above). Counting
    # last week: T = 480 + 480, s = 480 each, Alice's band tops at 600 with 480 served already, so each shift
    # beyond her first costs 2 h = 2, more than the wish (1): she gets one, Bob three; three wishes unmet.
    result = solved(wishful(LAST_WEEK))
    assert len(days_of(result, "alice")) == 1 and len(days_of(result, "bob")) == 3
    assert result.objective == pytest.approx(3.0)


def test_no_look_back_weeks_compares_this_period_alone() -> None:
    result = solved(wishful(LAST_WEEK, weeks=0))
    assert len(days_of(result, "alice")) == 3 and result.objective == pytest.approx(1.0)


def test_shifts_before_the_look_back_window_do_not_count() -> None:
    # The same four shifts five weeks back: outside a one-week window, inside a five-week one.
    early = [served("alice", f"2026-11-0{d}") for d in range(2, 6)]
    assert solved(wishful(early, weeks=1)).objective == pytest.approx(1.0)
    assert solved(wishful(early, weeks=5)).objective == pytest.approx(3.0)


def test_someone_away_all_period_neither_owes_nor_is_owed() -> None:
    # Carol served 40 hours last week and is away all this period: her past does not enter the total, so Alice and
    # Bob are compared as if she were not there.
    carol_past = [served("carol", f"2026-12-0{d}", "08:00", "16:00") for d in range(1, 6)]
    people: list[PersonSpec] = [
        person("alice", preferences=FOUR_WISHES), "bob",
        person("carol", absences=[{"date": "2026-12-07", "until": "2026-12-10"}]),
    ]
    scenario = tiny_scenario(people, days=4, shifts=SHORT, coverage=EVERY_DAY_ONE, history=carol_past,
                             weights={**weights(hours=1), "fairness_weeks": 4})
    result = solved(scenario)
    assert len(days_of(result, "alice")) == 3 and result.objective == pytest.approx(1.0)


def test_past_nights_count() -> None:
    # Two nights last week for Alice, both nights now pinned on her: T = 4, s = 2 each, Alice 2 above (x 2 = 4).
    # This period alone: T = 2, s = 1, Alice 1 above (2).
    past = [served("alice", f"2026-12-0{d}", "00:00", "08:00", night=True) for d in (1, 2)]
    pins = all_to_alice("night", 2)

    def nights(weeks: int) -> float:
        scenario = tiny_scenario(["alice", "bob"], days=2, shifts=NIGHTS, coverage=[cover("night", 1, 1)], pins=pins,
                                 history=past, weights={**weights(nights=2), "fairness_weeks": weeks})
        objective = solved(scenario).objective
        assert objective is not None
        return objective

    assert (nights(4), nights(0)) == (pytest.approx(4.0), pytest.approx(2.0))


def test_fair_shares_and_penalties_say_what_was_served_before() -> None:
    scenario = wishful(LAST_WEEK)
    rota = solved(scenario).rota
    assert rota is not None
    hours = {s.person: s for s in fair_shares(scenario, rota) if s.measure == "hours"}
    assert (hours["alice"].past, hours["alice"].amount, hours["alice"].share) == (8, 2, 8)
    assert (hours["bob"].past, hours["bob"].amount, hours["bob"].high) == (0, 6, 10)
    # All four on Alice: 960 served of T = 960, s = 480, her band tops at 600: 360 minutes above, 6 h.
    pinned = tiny_scenario(["alice", "bob"], days=4, shifts=SHORT, coverage=EVERY_DAY_ONE, history=LAST_WEEK,
                           pins=all_to_alice("s", 4), weights={**weights(hours=1), "fairness_weeks": 4})
    costs = [p for p in solved(pinned).penalties if p.rule == "fairness"]
    assert [(p.code, p.params["minutes"], p.params["past_minutes"], p.params["weeks"], p.cost) for p in costs] == [
        ("fairness.hours_past", 480, 480, 4, 6.0)
    ]
