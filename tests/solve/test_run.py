"""solve(): progress reports, reproducibility, statistics, and which search path it takes."""

from __future__ import annotations

import itertools
import time

import pytest
from ortools.sat.python import cp_model

from scheduler.check import check
from scheduler.domain.rota import SolveStatus
from scheduler.domain.scenario import Scenario
from scheduler.model.build import BuiltModel
from scheduler.solve import run as solve_module
from scheduler.solve import search as search_module
from scheduler.solve.run import solve
from scheduler.solve.search import Progress
from scheduler.solve.settings import SolveSettings, solver_for
from tests.builders import cover, tiny_scenario


def fair_scenario() -> Scenario:
    """Four people, three shifts a day for three days, fairness on: the two-phase path."""
    shifts = {"n": ("00:00", 8), "d": ("08:00", 8), "e": ("16:00", 8)}
    coverage = [cover(s, 1, 1) for s in shifts]
    return tiny_scenario(
        ["alice", "bob", "carol", "dave"], days=3, shifts=shifts, coverage=coverage,
        default_limits={"min_rest_hours": 8},
        weights={"fairness_hours": 1, "fairness_nights": 1, "fairness_weekends": 1},
    )


def test_progress_reports_improving_rotas_in_time_order() -> None:
    reports: list[Progress] = []
    result = solve(fair_scenario(), SolveSettings(time_limit=10, workers=1), reports.append)
    assert result.status is SolveStatus.OPTIMAL
    assert reports, "at least the first rota is reported"
    assert [r.elapsed for r in reports] == sorted(r.elapsed for r in reports)
    assert all(later.objective <= earlier.objective for earlier, later in itertools.pairwise(reports))
    assert reports[-1].objective == pytest.approx(result.objective)


def test_one_worker_and_a_seed_give_the_same_rota_twice() -> None:
    # A search that ends by proof, not by the clock: a time limit would make the result depend on machine load.
    scenario = fair_scenario()
    settings = SolveSettings(time_limit=30, workers=1, seed=7)
    first, second = solve(scenario, settings), solve(scenario, settings)
    assert first.rota is not None and second.rota is not None
    assert first.status is SolveStatus.OPTIMAL
    assert first.rota.assignments == second.rota.assignments
    assert first.objective == second.objective


def test_statistics_describe_the_search() -> None:
    result = solve(fair_scenario(), SolveSettings(time_limit=10, workers=2))
    stats = result.stats
    assert stats.variables > 0 and stats.constraints > 0
    assert stats.first_solution_time is not None and 0 <= stats.first_solution_time <= stats.wall_time
    assert 0 <= stats.build_time <= stats.wall_time
    assert stats.workers == 2
    assert result.gap == pytest.approx(0.0)
    assert result.bound == pytest.approx(result.objective)


def test_the_search_leaves_time_to_cost_its_rota_and_the_clock_counts_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """On the two-phase path each rota is costed exactly by a second solve, the first one before the search and
    the best one after it. The search stops early by the first costing's time, and the wall time includes both."""
    limit, delay = 5.0, 0.4
    complete = solve_module.complete_choices
    searches: list[float] = []  # when each search would end, in seconds from the start of the solve

    def slow_complete(built: BuiltModel, values: list[int], settings: SolveSettings) -> cp_model.CpSolver | None:
        time.sleep(delay)
        return complete(built, values, settings)

    def recording(settings: SolveSettings, variables: int = 0) -> cp_model.CpSolver:
        solver = solver_for(settings, variables)
        if variables and settings.time_limit < limit:  # the search of the full model, hinted
            searches.append(time.perf_counter() - started + settings.time_limit)
            solver.parameters.stop_after_first_solution = True  # it ends 'feasible': its rota is costed again
        return solver

    monkeypatch.setattr(solve_module, "complete_choices", slow_complete)
    monkeypatch.setattr(search_module, "solver_for", recording)
    started = time.perf_counter()
    result = solve(fair_scenario(), SolveSettings(time_limit=limit, workers=1))
    elapsed = time.perf_counter() - started
    assert result.rota is not None and len(searches) == 1
    assert searches[0] <= limit - delay + 0.05  # it ends early enough to cost its rota within the limit
    assert result.stats.wall_time >= elapsed - delay / 2


@pytest.mark.parametrize("fairness", [0, 1])
def test_both_search_paths_agree_with_the_checker(fairness: int) -> None:
    # With fairness the search starts from a rota found without it (two phases); without, it runs once.
    scenario = fair_scenario().model_copy(
        update={"weights": fair_scenario().weights.model_copy(update={"fairness_hours": fairness})}
    )
    result = solve(scenario, SolveSettings(time_limit=10, workers=1))
    assert result.rota is not None
    checked = check(scenario, result.rota)
    assert checked.violations == []
    assert checked.objective == pytest.approx(result.objective)


def test_a_scenario_without_any_rota_never_raises() -> None:
    scenario = tiny_scenario(["alice"], days=1, coverage=[cover("day", 2)])
    result = solve(scenario, SolveSettings(time_limit=5, workers=1))
    assert result.status is SolveStatus.INFEASIBLE
    assert result.rota is None and result.explanation is not None
