"""Solver settings: with two workers the one full-problem search is the strongest-LP one (max_lp), and the other
worker spends its time on the LNS."""

from __future__ import annotations

from scheduler.build import LARGE_MODEL, SolveSettings, solver_for


def test_two_workers_search_with_max_lp() -> None:
    parameters = solver_for(SolveSettings(workers=2), 1000).parameters
    assert list(parameters.subsolvers) == ["max_lp"] and parameters.root_lp_iterations == 1_000_000
    assert list(parameters.ignore_subsolvers) == ["ls", "feasibility_pump"]


def test_other_worker_counts_and_large_models_keep_the_default_portfolio() -> None:
    for workers in (1, 3, 8):
        parameters = solver_for(SolveSettings(workers=workers), 1000).parameters
        assert list(parameters.subsolvers) == [] and list(parameters.ignore_subsolvers) == []
    large = solver_for(SolveSettings(workers=2), LARGE_MODEL + 1).parameters
    assert list(large.subsolvers) == [] and list(large.ignore_subsolvers) == []
