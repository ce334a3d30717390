"""The engine's public queries the web app builds on: the relative gap, a period's shift instances, meal-break
starts, breaks for a hand-added assignment, and the fairness groups with the checker's shares of their capacities."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from scheduler import (
    Assignment,
    Break,
    Rota,
    SolveStatus,
    fair_shares,
    fairness_groups,
    meal_break_starts,
    quiet_breaks,
    relative_gap,
    shift_slots,
)
from tests.builders import MONDAY, person, tiny_scenario

ZONE = ZoneInfo("Asia/Shanghai")
LUNCH = {"name": {"zh": "午饭", "en": "Lunch"}, "start": "11:00", "end": "13:30"}
"""45 minutes (the rule's default) on a 15-minute grid: 8 starts, the middle ones 11:45 and 12:00."""


def _at(hour: int, minute: int = 0, offset: int = 0) -> dt.datetime:
    return dt.datetime.combine(MONDAY + dt.timedelta(days=offset), dt.time(hour, minute), ZONE)


def _day_shift(pid: str, breaks: list[Break] | None = None) -> Assignment:
    return Assignment(person=pid, post="gate", shift="day", role="vol", date=MONDAY, start=_at(8), end=_at(16),
                      breaks=breaks or [])


def test_relative_gap_is_measured_against_the_objective_and_at_least_one() -> None:
    assert relative_gap(10, 5) == 0.5
    assert relative_gap(0.5, 0) == 0.5  # below one, the gap is absolute
    assert relative_gap(-4, -8) == 1.0


def test_shift_slots_are_every_instance_of_the_period_in_local_time() -> None:
    scenario = tiny_scenario(days=2, shifts={"day": ("08:00", 8), "night": {"start": "22:00", "hours": 10,
                                                                           "night": True}})
    slots = shift_slots(scenario)
    assert [(s.shift, s.date) for s in slots] == [
        ("day", MONDAY), ("night", MONDAY), ("day", MONDAY + dt.timedelta(days=1)),
        ("night", MONDAY + dt.timedelta(days=1)),
    ]
    first_night = slots[1]
    assert (first_night.start, first_night.end) == (_at(22), _at(8, offset=1))
    assert first_night.night and not slots[0].night and not first_night.is_duty


def test_meal_break_starts_are_the_grid_starts_of_the_window() -> None:
    scenario = tiny_scenario(meal_rules=[{"post": "gate", "windows": [LUNCH]}])
    a = _day_shift("alice", [Break(start=_at(12), end=_at(12, 45))])
    (starts,) = meal_break_starts(scenario, a)
    assert starts == [_at(11, m) for m in (0, 15, 30, 45)] + [_at(12, m) for m in (0, 15, 30, 45)]


def test_quiet_breaks_avoid_the_times_others_are_away() -> None:
    scenario = tiny_scenario(["alice", "bob"], meal_rules=[{"post": "gate", "windows": [LUNCH]}])
    busy = _day_shift("alice", [Break(start=_at(11, 45), end=_at(12, 30))])
    rota = Rota(community="Test", start=MONDAY, days=1, timezone="Asia/Shanghai", status=SolveStatus.FEASIBLE,
                objective=0, bound=0, assignments=[busy])
    (chosen,) = quiet_breaks(scenario, rota, _day_shift("bob"))
    assert chosen.end - chosen.start == dt.timedelta(minutes=45)
    assert chosen.end <= _at(11, 45) or chosen.start >= _at(12, 30)
    empty = rota.model_copy(update={"assignments": []})
    assert quiet_breaks(scenario, empty, _day_shift("bob")) == [Break(start=_at(11, 45), end=_at(12, 30))]


def test_fairness_groups_and_the_checkers_shares_of_their_capacities() -> None:
    people = [person("alice"), person("bob", limits={"max_hours_total": 8}),
              person("carol", roles=["guard"]), person("dave", active=False)]
    scenario = tiny_scenario(people, days=2, roles=("vol", "guard"))
    groups = fairness_groups(scenario)
    assert [[p.id for p in group] for group in groups] == [["alice", "bob"], ["carol"]]  # dave is inactive
    worked = [_day_shift("alice"), _day_shift("alice").model_copy(update={
        "date": MONDAY + dt.timedelta(days=1), "start": _at(8, offset=1), "end": _at(16, offset=1)})]
    rota = Rota(community="Test", start=MONDAY, days=2, timezone="Asia/Shanghai", status=SolveStatus.FEASIBLE,
                objective=0, bound=0, assignments=worked)
    hours = {s.person: s for s in fair_shares(scenario, rota) if s.measure == "hours"}
    # Capacities 2 × 24 h and 8 h: permille shares 857 and 143 of the 960 minutes worked, exactly.
    assert hours["alice"].share == pytest.approx(857 * 960 / 1000 / 60)
    assert hours["bob"].share == pytest.approx(143 * 960 / 1000 / 60)
    assert hours["alice"].high - hours["alice"].share == pytest.approx(8)  # the band: the longest shift
    assert hours["alice"].group == hours["bob"].group == 0 and hours["carol"].group == 1
    nobody = tiny_scenario([person("alice", limits={"max_hours_total": 0})], days=2)
    assert fair_shares(nobody, rota.model_copy(update={"assignments": []})) == []  # no capacity, no share
