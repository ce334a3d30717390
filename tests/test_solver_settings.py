"""Solver settings: with two workers the one full-problem search is the strongest-LP one (max_lp)."""

from __future__ import annotations

from scheduler.build import LARGE_MODEL, SolveSettings, solver_for


def test_two_workers_search_with_max_lp() -> None:
    assert list(solver_for(SolveSettings(workers=2), 1000).parameters.subsolvers) == ["max_lp"]


def test_other_worker_counts_and_large_models_keep_the_default_portfolio() -> None:
    for workers in (1, 3, 8):
        assert list(solver_for(SolveSettings(workers=workers), 1000).parameters.subsolvers) == []
    assert list(solver_for(SolveSettings(workers=2), LARGE_MODEL + 1).parameters.subsolvers) == []
