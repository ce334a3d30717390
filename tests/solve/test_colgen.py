"""Column generation: when it applies, that its bound never passes the optimum, and that its rota is valid."""

from __future__ import annotations

import functools
import math
import random
import time

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from benchmarks.curtois_format import load, parse_scenario
from scheduler.check import check
from scheduler.domain.rota import Rota, SolveStatus
from scheduler.domain.scenario import Scenario
from scheduler.model.build import build_model
from scheduler.model.constraints.base import OBJECTIVE_SCALE
from scheduler.model.variables import ValueReader
from scheduler.solve import colgen
from scheduler.solve.costing import complete_choices
from scheduler.solve.run import solve
from scheduler.solve.settings import SolveSettings, solver_for
from tests.benchmarks.data import DATA, TINY, needs_data
from tests.builders import cover, person, tiny_scenario, window

NO_FAIRNESS = {"fairness_hours": 0, "fairness_nights": 0, "fairness_weekends": 0}
FAIRNESS = {"fairness_hours": 1, "fairness_nights": 2, "fairness_weekends": 2}
SOFT = [cover("day", 2, 2, min_cost=100, max_cost=1)]


def _applies(scenario: Scenario) -> bool:
    return colgen.applies(scenario, build_model(scenario))


def test_applies_only_when_the_cover_alone_ties_people_together() -> None:
    people = ["alice", "bob"]
    assert _applies(tiny_scenario(people, coverage=SOFT, weights=NO_FAIRNESS))
    assert _applies(parse_scenario(TINY))
    fair = tiny_scenario(people, days=7, coverage=SOFT, weights=FAIRNESS)
    assert not _applies(fair)  # fairness compares each person with the rest
    assert not _applies(tiny_scenario(people, coverage=[cover("day", 1)], weights=NO_FAIRNESS))  # a hard cover
    together = [{"kind": "together", "people": people, "weight": 1}]
    assert not _applies(tiny_scenario(people, coverage=SOFT, weights=NO_FAIRNESS, pairs=together))
    pins = [{"person": "alice", "date": "2026-12-07", "post": "gate", "shift": "day"}]
    assert not _applies(tiny_scenario(people, coverage=SOFT, weights=NO_FAIRNESS, pins=pins))


def _optimum(scenario: Scenario) -> float:
    """The full model's proven optimum (objective units)."""
    built = build_model(scenario)
    solver = solver_for(SolveSettings(workers=2, time_limit=60))
    assert solver.solve(built.model) == cp_model.OPTIMAL
    return float(solver.objective_value)


def _rota(scenario: Scenario, values: list[int]) -> tuple[Rota, float]:
    """The rota of these choice values and its cost by the full model (objective units)."""
    built = build_model(scenario)
    solver = complete_choices(built, values, SolveSettings(workers=1))
    assert solver is not None
    rota = Rota(
        community=scenario.community, start=scenario.start, days=scenario.days, timezone=scenario.timezone,
        status=SolveStatus.FEASIBLE, objective=None, bound=None,
        assignments=built.variables.read(ValueReader(solver)),
    )
    return rota, float(solver.objective_value)


def _generated(scenario: Scenario) -> colgen.ColumnGeneration:
    generation = colgen.ColumnGeneration(scenario, build_model(scenario))
    generation.run(time.perf_counter() + 60)
    return generation


def _assert_sound(scenario: Scenario) -> None:
    """Column generation's bound is at most the optimum, and its rota is valid and costs what the master says."""
    optimum = _optimum(scenario)
    generation = _generated(scenario)
    assert generation.converged()
    assert generation.progress.bound <= optimum + 1e-6
    # The master's value is the decomposition's bound too (the Lagrangian bound is rounded up to the integral
    # objective, so it may pass the master's fractional value, not its ceiling), and every person has a column.
    assert generation.progress.bound <= colgen.integral(generation.progress.master) + 1e-6
    dive = generation.dive(time.perf_counter() + 30)
    assert set(dive.rota) == set(generation.people)
    assert dive.kept.items() <= dive.rota.items()
    values, finished_cost = generation.finish(dive, SolveSettings(workers=2, time_limit=30), generation.progress.bound)
    assert finished_cost is not None
    rota, cost = _rota(scenario, values)
    report = check(scenario, rota)
    assert report.ok, [v.message for v in report.violations]
    assert cost == pytest.approx(finished_cost)
    # It starts from the dive's rota, so it is never worse.
    _, dived_cost = _rota(scenario, generation.choice_values(dive.rota))
    assert cost <= dived_cost + 1e-6
    # The people the dive kept work exactly their columns.
    choices = [c for cs in generation.built.variables.choices.values() for c in cs]
    expected = generation.choice_values(dive.kept)
    assert [v for c, v in zip(choices, values, strict=True) if c.person in dive.kept] == [
        v for c, v in zip(choices, expected, strict=True) if c.person in dive.kept
    ]
    assert report.objective == pytest.approx(cost / OBJECTIVE_SCALE)
    assert cost >= optimum - 1e-6


def test_tiny_benchmark_file_bound_and_rota() -> None:
    _assert_sound(parse_scenario(TINY))


def test_window_rules_roles_and_requests_decompose_soundly() -> None:
    # A window rule counts per person-hour, a role rule only the leads; wishes are each person's own terms.
    people = [
        person("alice", roles=["vol", "lead"], limits={"max_consecutive_days": 2}),
        person("bob", limits={"min_hours_total": 16}),
        person("carol", roles=["vol", "lead"], preferences=[{"kind": "avoids", "weekday": "tue", "weight": 3}]),
    ]
    shifts = {"day": {"start": "08:00", "hours": 8}, "late": {"start": "12:00", "hours": 8}}
    coverage = [
        window("10:00", "18:00", 2, min_cost=5, max=2, max_cost=1),
        cover("day", 1, min_cost=50, role="lead"),
    ]
    scenario = tiny_scenario(
        people, days=4, shifts=shifts, coverage=coverage, roles=["vol", "lead"], weights=NO_FAIRNESS
    )
    assert _applies(scenario)
    _assert_sound(scenario)


def random_instance(seed: int) -> str:
    """A small random instance in the benchmark's format: 7 or 14 days, two shift types, three or four people."""
    rng = random.Random(seed)
    days = rng.choice((7, 14))
    staff = []
    for name in "ABCD"[: rng.randint(3, 4)]:
        most = rng.randint(3, days)
        staff.append(
            f"{name},E={rng.randint(0, most)}|L={rng.randint(0, most)},{most * 600},{rng.choice((0, 960, 1440))},"
            f"{rng.randint(2, 5)},{rng.randint(1, 2)},{rng.randint(1, 2)},{rng.randint(1, 2)}"
        )
    off = [f"{name[0]},{rng.randrange(days)}" for name in staff if rng.random() < 0.5]
    requests = [
        f"{name[0]},{rng.randrange(days)},{rng.choice('EL')},{rng.randint(1, 3)}"
        for name in staff for _ in range(rng.randint(0, 2))
    ]
    cover_lines = [
        f"{d},{s},{rng.randint(0, 2)},{rng.choice((100, 50))},{rng.choice((1, 3))}" for d in range(days) for s in "EL"
    ]
    half = len(requests) // 2
    return "\n".join([
        "SECTION_HORIZON", str(days), "",
        "SECTION_SHIFTS", "E,480,", "L,600,E", "",
        "SECTION_STAFF", *staff, "",
        "SECTION_DAYS_OFF", *off, "",
        "SECTION_SHIFT_ON_REQUESTS", *requests[:half], "",
        "SECTION_SHIFT_OFF_REQUESTS", *requests[half:], "",
        "SECTION_COVER", *cover_lines, "",
    ])


def _solvable(scenario: Scenario) -> bool:
    built = build_model(scenario)
    solver = solver_for(SolveSettings(workers=1, time_limit=10))
    solver.parameters.stop_after_first_solution = True
    return solver.solve(built.feasibility_model()) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000))
@example(seed=386)  # a bound rounded up past the master's fractional value
def test_random_instances_bound_below_the_optimum(seed: int) -> None:
    scenario = parse_scenario(random_instance(seed))
    if not _solvable(scenario):
        return  # some person has no valid rota: column generation gives nothing (tested below)
    _assert_sound(scenario)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), share=st.lists(st.floats(0, 1), min_size=1, max_size=5))
def test_any_prices_give_a_valid_lagrangian_bound(seed: int, share: list[float]) -> None:
    # The bound holds for any prices inside what the slacks allow, not only the master's duals.
    scenario = parse_scenario(TINY)
    generation = colgen.ColumnGeneration(scenario, build_model(scenario))
    rng = random.Random(seed)
    prices = [
        row.slack_cost * share[i % len(share)] * rng.random() * (1 if row.sense > 0 else -1)
        for i, row in enumerate(generation.rows)
    ]
    with colgen.ThreadPoolExecutor(max_workers=2) as pool:
        _, least = generation.price_everyone(prices, time.perf_counter() + 30, pool)
    assert generation.lagrangian_bound(prices, least) <= tiny_optimum() + 1e-6


@functools.cache
def tiny_optimum() -> float:
    return _optimum(parse_scenario(TINY))


def test_no_rota_when_a_person_has_none_alone() -> None:
    # Bob must work 24 h in one day with one 8-hour shift: no column for him, so no rota and no bound.
    people = ["alice", person("bob", limits={"min_hours_total": 24})]
    scenario = tiny_scenario(people, coverage=SOFT, weights=NO_FAIRNESS)
    built = build_model(scenario)
    start = colgen.column_start(scenario, built, SolveSettings(workers=1, time_limit=10), time.perf_counter())
    assert start is not None
    assert start.values is None
    assert start.bound == -math.inf
    assert solve(scenario, SolveSettings(workers=1, time_limit=10)).status is SolveStatus.INFEASIBLE


def test_solve_starts_from_columns_and_stops_at_their_bound() -> None:
    scenario = parse_scenario(TINY)
    with_columns = solve(scenario, SolveSettings(workers=2, time_limit=30))
    without = solve(scenario, SolveSettings(workers=2, time_limit=30, column_generation=False))
    assert with_columns.status is SolveStatus.OPTIMAL and without.status is SolveStatus.OPTIMAL
    assert with_columns.objective == without.objective == tiny_optimum() / OBJECTIVE_SCALE
    assert with_columns.stats.columns > 0 and with_columns.stats.column_bound is not None
    assert with_columns.stats.column_bound <= tiny_optimum() / OBJECTIVE_SCALE + 1e-6
    assert without.stats.columns == 0
    assert with_columns.rota is not None
    report = check(scenario, with_columns.rota)
    assert report.ok and report.objective == pytest.approx(with_columns.objective)


def test_at_least_stops_the_search_at_a_proven_bound() -> None:
    model = cp_model.CpModel()
    x = model.new_int_var(0, 10, "x")
    y = model.new_int_var(0, 10, "y")
    model.add(x + y >= 7)
    model.minimize(2 * x + y + 3)  # an offset: the domain bounds the terms without it
    colgen.at_least(model, 10.0)
    solver = cp_model.CpSolver()
    assert solver.solve(model) == cp_model.OPTIMAL
    assert solver.objective_value == 10
    colgen.at_least(model, -math.inf)  # no bound: left as it was
    assert list(model.proto.objective.domain) == [7, cp_model.INT_MAX]


@needs_data
def test_instance2_is_proved_optimal_by_its_columns_bound() -> None:
    # The published column-generation bound of Instance2 is its optimum, 828: the rota that meets it ends the
    # solve, and the linear relaxation (719.45 here) is not needed.
    result = solve(load(DATA / "Instance2.txt"), SolveSettings(time_limit=30, workers=2))
    assert result.status is SolveStatus.OPTIMAL
    assert result.objective == result.bound == result.stats.column_bound == 828
    assert result.stats.lp_bound is None


def test_rounds_too_slow_to_converge_are_given_up_and_the_solve_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    # As if every round were too slow for the time given: after its second round, column generation stops and the
    # solve searches the full model as it does without it.
    monkeypatch.setattr(colgen, "ROUNDS_NEEDED", 10**9)
    scenario = parse_scenario(TINY)
    generation = colgen.ColumnGeneration(scenario, build_model(scenario))
    progress = generation.run(time.perf_counter() + 30)
    assert progress.abandoned and progress.rounds == colgen.PACE_ROUNDS[0]
    start = colgen.column_start(scenario, build_model(scenario), SolveSettings(workers=2), time.perf_counter())
    assert start is None
    result = solve(scenario, SolveSettings(workers=2, time_limit=30))
    assert result.stats.columns == 0
    assert result.status is SolveStatus.OPTIMAL and result.objective == tiny_optimum() / OBJECTIVE_SCALE
