"""Solver settings: with two workers the one full-problem search is the strongest-LP one (max_lp)."""

from __future__ import annotations

from scheduler.solve.settings import LARGE_MODEL, SolveSettings, solver_for


def test_two_workers_search_with_max_lp() -> None:
    parameters = solver_for(SolveSettings(workers=2), 1000).parameters
    assert list(parameters.subsolvers) == ["max_lp"] and parameters.root_lp_iterations == 1_000_000


def test_other_worker_counts_and_large_models_keep_the_default_portfolio() -> None:
    for workers in (1, 3, 8):
        assert list(solver_for(SolveSettings(workers=workers), 1000).parameters.subsolvers) == []
    assert list(solver_for(SolveSettings(workers=2), LARGE_MODEL + 1).parameters.subsolvers) == []
