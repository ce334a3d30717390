"""A first rota person by person: only when no hard rule ties people together, and then a valid rota."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from ortools.sat.python import cp_model

from benchmarks.curtois_format import parse_scenario
from scheduler.check import check
from scheduler.domain.rota import Rota, SolveStatus
from scheduler.domain.scenario import Scenario
from scheduler.model.build import build_model
from scheduler.model.constraints.base import OBJECTIVE_SCALE
from scheduler.model.variables import ValueReader
from scheduler.solve import first_rota
from scheduler.solve.settings import SolveSettings, solver_for
from tests.benchmarks.data import TINY
from tests.builders import PersonSpec, cover, day, person, tiny_scenario

SOFT = [cover("day", 2, 2, min_cost=100, max_cost=1)]
LIMITS = {"min_consecutive_days": 2, "max_consecutive_days": 3, "min_consecutive_days_off": 2, "min_hours_total": 24}


def test_decomposes_only_without_hard_ties() -> None:
    assert first_rota.decomposes(tiny_scenario(["alice", "bob"], coverage=SOFT))
    assert not first_rota.decomposes(tiny_scenario(["alice", "bob"], coverage=[cover("day", 1)]))
    assert not first_rota.decomposes(tiny_scenario(["alice", "bob"], coverage=[cover("day", 0, 1)]))
    apart = [{"kind": "apart", "people": ["alice", "bob"]}]
    assert not first_rota.decomposes(tiny_scenario(["alice", "bob"], coverage=SOFT, pairs=apart))
    together = [{"kind": "together", "people": ["alice", "bob"], "weight": 1}]
    assert first_rota.decomposes(tiny_scenario(["alice", "bob"], coverage=SOFT, pairs=together))


def test_no_values_when_a_hard_rule_ties_people() -> None:
    scenario = tiny_scenario(["alice", "bob"], days=3, coverage=[cover("day", 1)])
    assert first_rota.person_by_person(scenario, build_model(scenario), SolveSettings(workers=1)) is None


def _first_rota_of(scenario: Scenario) -> Rota:
    """The person-by-person rota, read out of the full model with every choice fixed to it."""
    built = build_model(scenario)
    values = first_rota.person_by_person(scenario, built, SolveSettings(workers=1))
    assert values is not None
    choices = [c.var for cs in built.variables.choices.values() for c in cs]
    assert len(values) == len(choices)
    for var, value in zip(choices, values, strict=True):
        built.model.add(var == value)
    solver = solver_for(SolveSettings(workers=1, time_limit=10))
    assert solver.solve(built.model) == cp_model.OPTIMAL  # every soft term follows from the fixed choices
    rota = Rota(
        community=scenario.community, start=scenario.start, days=scenario.days, timezone=scenario.timezone,
        status=SolveStatus.FEASIBLE, objective=None, bound=None,
        assignments=built.variables.read(ValueReader(solver)),
    )
    return rota


def test_person_by_person_rota_keeps_every_hard_rule_of_the_benchmark_file() -> None:
    # TINY has min and max hours, runs of days and days off, weekends, shift maximums, successions, days off.
    scenario = parse_scenario(TINY)
    rota = _first_rota_of(scenario)
    report = check(scenario, rota)
    assert report.ok, [v.message for v in report.violations]
    assert {a.person for a in rota.assignments} >= {"A", "B", "D"}  # those with a minimum of hours (C has none)


def test_person_by_person_rota_keeps_limits_pins_and_history() -> None:
    history = [{"person": "bob", "start": "2026-12-06T08:00", "end": "2026-12-06T16:00"}]
    pins = [{"person": "alice", "date": "2026-12-09", "post": "gate", "shift": "day"}]
    people = [person("alice", limits=LIMITS), person("bob", limits={**LIMITS, "max_consecutive_days": 2})]
    scenario = tiny_scenario(people, days=10, coverage=SOFT, history=history, pins=pins)
    rota = _first_rota_of(scenario)
    report = check(scenario, rota)
    assert report.ok, [v.message for v in report.violations]
    assert any(a.person == "alice" and a.date == dt.date(2026, 12, 9) for a in rota.assignments)


@pytest.mark.parametrize("people", [["alice"], ["alice", "bob", "carol"]])
def test_person_without_a_valid_rota_alone_gives_none(people: list[str]) -> None:
    # Alice must work 24 h in a one-day period with one 8-hour shift: impossible alone, so no first rota.
    specs = [person(p, limits={"min_hours_total": 24}) if p == "alice" else p for p in people]
    scenario = tiny_scenario(specs, coverage=SOFT)
    assert first_rota.person_by_person(scenario, build_model(scenario), SolveSettings(workers=1)) is None


def test_person_with_no_shift_but_a_minimum_of_hours_gives_none() -> None:
    # Bob may work no post at all yet must work 8 h: the full model is infeasible, so no first rota either.
    people: list[PersonSpec] = ["alice", person("bob", posts=[], limits={"min_hours_total": 8})]
    scenario = tiny_scenario(people, coverage=SOFT)
    assert first_rota.person_by_person(scenario, build_model(scenario), SolveSettings(workers=1)) is None


def test_person_by_person_stops_at_the_deadline() -> None:
    scenario = parse_scenario(TINY)
    built = build_model(scenario)
    passed = time.perf_counter() - 1.0
    assert first_rota.person_by_person(scenario, built, SolveSettings(workers=1), deadline=passed) is None
    later = time.perf_counter() + 60.0
    assert first_rota.person_by_person(scenario, built, SolveSettings(workers=1), deadline=later) is not None


ONE_SHIFT = {"min_hours_total": 8, "max_hours_total": 8}
"""Exactly one 8-hour shift in the period."""


def test_each_person_is_placed_where_the_cover_still_needs_someone() -> None:
    # Three people with one shift each, three days needing one each (a second person costs 1): the first rota
    # fills every day, though each person alone could take any of them.
    people = [person(p, limits=ONE_SHIFT) for p in ("alice", "bob", "carol")]
    scenario = tiny_scenario(people, days=3, coverage=[cover("day", 1, 1, min_cost=100, max_cost=1)])
    rota = _first_rota_of(scenario)
    assert check(scenario, rota).ok
    assert sorted(a.date for a in rota.assignments) == [day(0), day(1), day(2)]


def test_each_person_is_placed_in_the_role_the_cover_needs() -> None:
    # Alice may be a volunteer or the lead; the day needs a lead, so her first rota has her lead it.
    people = [person("alice", roles=["vol", "lead"], limits=ONE_SHIFT)]
    coverage = [cover("day", 1, min_cost=100, role="lead"), cover("day", 0, 3, max_cost=1)]
    scenario = tiny_scenario(people, coverage=coverage, roles=["vol", "lead"])
    rota = _first_rota_of(scenario)
    assert [(a.person, a.role) for a in rota.assignments] == [("alice", "lead")]


def test_cover_counts_price_one_more_person_on_a_shift() -> None:
    scenario = tiny_scenario(["alice"], days=1, coverage=[cover("day", 2, 3, min_cost=100, max_cost=7)])
    counts = first_rota.CoverCounts.empty(build_model(scenario).variables.instances)
    changes = []
    for _ in range(5):
        changes.append(counts.change(0, "vol"))
        counts.add(0, "vol")
    # Per person on shift rules, in objective units (sixtieths): two are still missing, the third is free,
    # the fourth and fifth are above the maximum.
    assert changes == [-100 * OBJECTIVE_SCALE] * 2 + [0] + [7 * OBJECTIVE_SCALE] * 2


def test_person_by_person_without_time_to_optimise_still_gives_a_valid_rota() -> None:
    scenario = parse_scenario(TINY)
    built = build_model(scenario)
    now = time.perf_counter()
    values = first_rota.person_by_person(
        scenario, built, SolveSettings(workers=1), deadline=now + 60, optimise_until=now - 1
    )
    assert values is not None
