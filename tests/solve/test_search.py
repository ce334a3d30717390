"""The search (scheduler.solve.search): balls around the best rota, the stall that turns to them, and when they are
used."""

from __future__ import annotations

import time

import pytest
from ortools.sat.python import cp_model

from scheduler.check import check
from scheduler.domain.scenario import Scenario
from scheduler.model.build import BuiltModel, build_model, hint_complete
from scheduler.model.constraints import OBJECTIVE_SCALE
from scheduler.solve import search as search_module
from scheduler.solve.run import solve
from scheduler.solve.search import Progress, search_ball
from scheduler.solve.settings import SolveSettings, solver_for
from tests.builders import cover, tiny_scenario


def unfair_week() -> Scenario:
    """Five people, two shifts a day for five days, fairness and rest: many rotas, few of them good. Person-hours
    are free here (no staffing cost), so that fairness alone decides which of the rotas is best."""
    shifts = {"d": ("08:00", 8), "e": ("16:00", 8)}
    return tiny_scenario(
        ["alice", "bob", "carol", "dave", "erin"], days=5, shifts=shifts, coverage=[cover(s, 1, 2) for s in shifts],
        default_limits={"min_rest_hours": 8},
        weights={"fairness_hours": 1, "fairness_nights": 0, "fairness_weekends": 0, "staffing": 0},
    )


def choices(built: BuiltModel) -> list[int]:
    return [c.var.index for cs in built.variables.choices.values() for c in cs]


def worst_rota(built: BuiltModel) -> list[int]:
    """A complete solution of the built model whose rota costs the most: the worst start a search could have."""
    worst = build_model(built.variables.instances.scenario)
    worst.model.maximize(sum(term.coefficient * term.expr for term in worst.terms))
    solver = solver_for(SolveSettings(time_limit=10, workers=1))
    assert solver.solve(worst.model) == cp_model.OPTIMAL
    picked = {index: int(solver.value(worst.model.get_bool_var_from_proto_index(index))) for index in choices(built)}
    # Cost that rota exactly: the same choices, every soft term at its least.
    costed = built.model.clone()
    for index, value in picked.items():
        costed.add(costed.get_bool_var_from_proto_index(index) == value)
    solver = solver_for(SolveSettings(time_limit=10, workers=1))
    assert solver.solve(costed) == cp_model.OPTIMAL
    return list(solver.response_proto.solution)


def optimum(built: BuiltModel) -> tuple[float, list[int]]:
    solver = solver_for(SolveSettings(time_limit=30, workers=1))
    assert solver.solve(built.model) == cp_model.OPTIMAL
    return solver.objective_value, list(solver.response_proto.solution)


def distance(built: BuiltModel, one: list[int], other: list[int]) -> int:
    return sum(one[index] != other[index] for index in choices(built))


def test_a_ball_holds_only_rotas_near_its_centre_and_the_best_of_them() -> None:
    built = build_model(unfair_week())
    start = worst_rota(built)
    best_objective, best = optimum(built)
    radius = distance(built, start, best)
    assert radius > 2

    # Too small to reach the optimum (the only rotas it holds are near the start) ...
    code, near = search_ball(built, start, 2, SolveSettings(time_limit=10, workers=1))
    assert code == cp_model.OPTIMAL
    assert distance(built, start, list(near.response_proto.solution)) <= 2
    assert near.objective_value > best_objective
    # ... and just large enough: the optimum is inside, so the best of the ball is as good.
    code, far = search_ball(built, start, radius, SolveSettings(time_limit=30, workers=1))
    assert code == cp_model.OPTIMAL
    assert distance(built, start, list(far.response_proto.solution)) <= radius
    assert far.objective_value == pytest.approx(best_objective)



@pytest.fixture
def short_rounds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stalls and balls of a fraction of a second, so that a few seconds hold several of each."""
    monkeypatch.setattr(search_module, "MIN_STALL", 0.3)
    monkeypatch.setattr(search_module, "STALL_SHARE", 0.0)
    monkeypatch.setattr(search_module, "MIN_ROUND", 0.5)
    monkeypatch.setattr(search_module, "ROUND_SHARE", 0.0)
    monkeypatch.setattr(search_module, "MIN_TIME_LIMIT", 1.0)


@pytest.fixture
def whole_searches(short_rounds: None, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Whole-model searches give up at their first rota (the one they are hinted with, when they are): only the
    balls can improve on it. Returns the time limits of the whole searches run."""
    limits: list[float] = []

    def first_rota_only(settings: SolveSettings, variables: int = 0) -> cp_model.CpSolver:
        solver = solver_for(settings, variables)
        if settings.time_limit > search_module.MIN_ROUND:  # the whole model, not a ball
            limits.append(settings.time_limit)
            solver.parameters.stop_after_first_solution = True
        return solver

    monkeypatch.setattr(search_module, "solver_for", first_rota_only)
    return limits


@pytest.fixture
def watches(monkeypatch: pytest.MonkeyPatch) -> list[search_module._Watch | None]:
    """The watch of every search and ball run, in order (None: unwatched)."""
    seen: list[search_module._Watch | None] = []
    watched = search_module._watched

    def recording(
        solver: cp_model.CpSolver, model: cp_model.CpModel, incumbent: search_module._Incumbent,
        watch: search_module._Watch | None,
    ) -> int:
        seen.append(watch)
        return watched(solver, model, incumbent, watch)

    monkeypatch.setattr(search_module, "_watched", recording)
    return seen


def test_a_search_that_stops_at_its_first_rota_is_carried_on_by_the_balls(whole_searches: list[float]) -> None:
    """Hinted with the worst rota, the whole search stops there; the balls reach the optimum."""
    built = build_model(unfair_week())
    start = worst_rota(built)
    best_objective, _ = optimum(built)
    hint_complete(built.model, start)
    reports: list[Progress] = []
    started = time.perf_counter()
    outcome = search_module.search(built, SolveSettings(time_limit=6, workers=2), started, started + 6, reports.append)

    assert outcome.solver is not None and len(whole_searches) >= 1
    assert outcome.improving_rounds >= 1 and outcome.rounds >= outcome.improving_rounds
    assert reports[0].objective > reports[-1].objective
    assert outcome.solver.objective_value == pytest.approx(best_objective)
    assert reports[-1].objective == pytest.approx(best_objective / OBJECTIVE_SCALE)


def test_the_rota_from_the_balls_agrees_with_the_checker(whole_searches: list[float]) -> None:
    scenario = unfair_week()
    result = solve(scenario, SolveSettings(time_limit=4, workers=2))
    assert result.rota is not None and result.stats.local_branching_rounds >= 1
    checked = check(scenario, result.rota)
    assert checked.violations == []
    assert checked.objective == pytest.approx(result.objective)


def test_a_stalled_search_stops_before_its_time_limit() -> None:
    """Pigeonhole: one pigeon is left out at once; proving that none can be takes the search far longer than the
    stall, so the watch stops it, with its rota."""
    model = cp_model.CpModel()
    pigeons, holes = 14, 13
    places = [[model.new_bool_var(f"p{p}h{h}") for h in range(holes)] for p in range(pigeons)]
    left_out = [model.new_bool_var(f"out{p}") for p in range(pigeons)]
    for pigeon, out in zip(places, left_out, strict=True):
        model.add_exactly_one([*pigeon, out])
    for hole in range(holes):
        model.add_at_most_one(pigeon[hole] for pigeon in places)
    model.minimize(sum(left_out))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 60
    solver.parameters.linearization_level = 0  # no LP: the LP would prove it at once
    solver.parameters.symmetry_level = 0
    incumbent = search_module._Incumbent(time.perf_counter(), None)
    started = time.perf_counter()
    code = search_module._watched(solver, model, incumbent, search_module._Watch(0.5))
    assert code == cp_model.FEASIBLE
    assert solver.objective_value == 1
    assert time.perf_counter() - started < 30


def aged(incumbent: search_module._Incumbent, seconds: float) -> None:
    """As if everything the incumbent saw had happened `seconds` earlier."""
    incumbent.watched_since -= seconds
    if incumbent.improved_at is not None:
        incumbent.improved_at -= seconds


def test_a_search_counts_as_stalled_after_its_window_without_a_better_rota_or_bound() -> None:
    incumbent = search_module._Incumbent(time.perf_counter(), None)
    watch = search_module._Watch(30.0)
    assert not incumbent.stalled(watch)  # no rota yet
    incumbent.found(10_000)
    aged(incumbent, 60)
    assert incumbent.stalled(watch)
    assert not incumbent.stalled(search_module._Watch(120.0))  # not for long enough
    assert not incumbent.stalled(None)  # no watch
    incumbent.found(9_990)  # a better rota ...
    assert not incumbent.stalled(watch)
    aged(incumbent, 60)
    assert incumbent.stalled(watch)
    incumbent.bounded(1_000)  # ... or a better bound starts the window again
    assert not incumbent.stalled(watch)


def test_a_balls_own_bound_starts_its_window_again_and_is_not_kept() -> None:
    """A ball's LP may be ready only after a whole stall window (Instance19: 17 s); the better rota it guides to comes
    after that. The ball's bound holds inside the ball only."""
    incumbent = search_module._Incumbent(time.perf_counter(), None)
    watch = search_module._Watch(30.0)
    incumbent.found(10_000)
    incumbent.bounded(5_000)
    aged(incumbent, 60)
    assert incumbent.stalled(watch)
    incumbent.narrowed(9_500)
    assert not incumbent.stalled(watch)
    assert incumbent.bound == 5_000


def test_a_ball_reports_its_bound_to_its_watch(monkeypatch: pytest.MonkeyPatch) -> None:
    built = build_model(unfair_week())
    _, best = optimum(built)
    incumbent = search_module._Incumbent(time.perf_counter(), None)
    incumbent.values = best
    narrowed: list[float] = []
    monkeypatch.setattr(incumbent, "narrowed", narrowed.append)
    settings = SolveSettings(time_limit=5, workers=2)
    search_module._ball(built, settings, incumbent, 4, 5.0, search_module._Watch(5.0), 1)
    assert narrowed  # the ball proves its centre optimal within the ball: at least that bound came


def test_a_search_close_to_its_bound_is_not_stalled() -> None:
    """Balls gained nothing within CLOSE_GAP of the bound, and a stop throws away a search that goes on improving or
    proving."""
    incumbent = search_module._Incumbent(time.perf_counter(), None)
    watch = search_module._Watch(30.0, close_gap=0.02)
    incumbent.found(10_000)
    incumbent.bounded(9_790)  # 2.1 %: not close
    aged(incumbent, 60)
    assert incumbent.stalled(watch)
    incumbent.bounded(9_800)
    aged(incumbent, 60)
    assert not incumbent.stalled(watch)
    assert incumbent.stalled(search_module._Watch(30.0))  # a ball's watch ignores the gap


def test_after_balls_that_found_nothing_the_whole_search_is_not_stopped_again(
    whole_searches: list[float], watches: list[search_module._Watch | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """When a cycle of balls finds nothing, the rest of the time goes to the whole search, unwatched, so that it can
    prove what it can. (Balls are made barren; the whole search, hinted with the worst rota, stops there.)"""
    built = build_model(unfair_week())
    hint_complete(built.model, worst_rota(built))
    balls: list[int] = []

    def barren(*args: object) -> bool:
        balls.append(1)
        return False

    monkeypatch.setattr(search_module, "_ball", barren)
    monkeypatch.setattr(search_module, "CLOSE_GAP", -1.0)  # never close: the balls run whatever the bound
    monkeypatch.setattr(search_module, "NEAR_PROOF", -1.0)
    started = time.perf_counter()
    outcome = search_module.search(built, SolveSettings(time_limit=3, workers=2), started, started + 3)
    assert outcome.code == cp_model.FEASIBLE and outcome.rounds >= 3 and outcome.improving_rounds == 0
    assert len(balls) == outcome.rounds
    assert len(watches) == 2 and watches[0] is not None and watches[1] is None


def test_cycles_of_balls_follow_each_other_while_they_improve(
    whole_searches: list[float], watches: list[search_module._Watch | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cycle that improved is followed by another around the new best rota (its balls with other seeds), not by
    the whole search; the first barren cycle hands the rest of the time to the whole search, unwatched."""
    built = build_model(unfair_week())
    hint_complete(built.model, worst_rota(built))
    cycles: list[int] = []

    def two_improving_cycles(*args: object) -> search_module._Cycle:
        rounds_before = args[-1]
        assert isinstance(rounds_before, int)
        cycles.append(rounds_before)
        return search_module._Cycle(rounds=3, improving=1 if len(cycles) <= 2 else 0)

    monkeypatch.setattr(search_module, "_cycle", two_improving_cycles)
    monkeypatch.setattr(search_module, "CLOSE_GAP", -1.0)
    started = time.perf_counter()
    outcome = search_module.search(built, SolveSettings(time_limit=3, workers=2), started, started + 3)
    assert cycles == [0, 3, 6]  # each cycle's balls numbered on from the last one's
    assert (outcome.rounds, outcome.improving_rounds) == (9, 2)
    assert len(watches) == 2 and watches[0] is not None and watches[1] is None


def test_a_cycle_of_balls_ends_once_the_rota_is_near_its_proof(
    whole_searches: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stalled search far from its bound is stopped, but no ball runs around a rota within NEAR_PROOF of the
    bound: the whole search resumes at once, to prove it."""
    built = build_model(unfair_week())
    hint_complete(built.model, worst_rota(built))
    monkeypatch.setattr(search_module, "CLOSE_GAP", -1.0)
    monkeypatch.setattr(search_module, "NEAR_PROOF", 10.0)  # every rota counts as near
    started = time.perf_counter()
    outcome = search_module.search(built, SolveSettings(time_limit=3, workers=2), started, started + 3)
    assert outcome.solver is not None and outcome.rounds == 0 and len(whole_searches) >= 2


@pytest.mark.parametrize(
    ("limit", "workers", "enabled", "variables", "expected"),
    [(600, 1, True, 100, False), (600, 2, True, 100, True), (600, None, True, 100, True),
     (600, 2, False, 100, False), (600, 2, True, 10**6, False), (60, 2, True, 100, False)],
)
def test_local_branching_needs_a_long_solve_two_workers_a_model_of_moderate_size_and_the_setting(
    limit: float, workers: int | None, enabled: bool, variables: int, expected: bool
) -> None:
    settings = SolveSettings(time_limit=limit, workers=workers, local_branching=enabled)
    assert search_module.uses_local_branching(settings, variables) is expected


def test_one_worker_never_branches(short_rounds: None) -> None:
    result = solve(unfair_week(), SolveSettings(time_limit=3, workers=1))
    assert result.stats.local_branching_rounds == 0
