"""The lean phase (scheduler.solve.lean): a first rota at once, the fewest person-hours the hard rules allow, and
every result reporting its own staffing against them."""

from __future__ import annotations

from pathlib import Path

from scheduler import SolveSettings, SolveStatus, check, load_scenario, solve
from scheduler.model.build import build_model
from scheduler.model.constraints import OBJECTIVE_SCALE
from scheduler.solve import lean
from tests.builders import NO_FAIRNESS, cover, infeasible, person, solve_and_check, tiny_scenario, window

ROOT = Path(__file__).resolve().parents[2]


def test_the_checkpoint_calls_out_the_fewest_people_the_rules_allow() -> None:
    """3 a night, 5 a day or evening shift so that people eat in turns: 91 shifts, 728 person-hours, proven the
    fewest; the rota has exactly those, and the checker agrees with its cost."""
    scenario = load_scenario(ROOT / "examples/checkpoint.yaml")
    progress: list[float] = []
    settings = SolveSettings(time_limit=30, workers=2, explain=False)
    result = solve(scenario, settings, lambda p: progress.append(p.elapsed))
    assert result.rota is not None and result.staffing is not None
    assert (result.staffing.shifts, result.staffing.person_hours) == (91, 728)
    assert result.staffing.fewest_person_hours == 728 and result.staffing.fewest_proven
    assert result.staffing.fewest_possible and result.rota.staffing == result.staffing
    assert progress, "the first rota is reported as soon as it is found"
    checked = check(scenario, result.rota)
    assert checked.ok and abs(checked.objective - (result.objective or 0)) < 1e-6


def test_the_lean_phase_finds_the_fewest_and_a_rota_that_has_them() -> None:
    # Two on the day shift each of three days, four people: 6 shifts, 48 person-hours.
    scenario = tiny_scenario(["alice", "bob", "carol", "dave"], days=3, coverage=[cover("day", 2)],
                             weights={**NO_FAIRNESS, "staffing": 1})
    built = build_model(scenario)
    firsts: list[list[int]] = []
    phase = lean.lean_start(built, SolveSettings(time_limit=10, workers=1), 0.0, firsts.append)
    assert phase is not None and phase.values is not None and len(firsts) == 1
    assert (phase.fewest, phase.proven) == (6 * 8 * 60, True)
    assert sum(phase.values) == 6


def test_no_lean_phase_when_person_hours_are_free() -> None:
    scenario = tiny_scenario(["alice", "bob"], coverage=[cover("day", 1)], weights={**NO_FAIRNESS, "staffing": 0})
    assert lean.lean_start(build_model(scenario), SolveSettings(time_limit=5, workers=1), 0.0) is None
    result = solve_and_check(scenario)
    assert result.staffing is not None and result.staffing.fewest_person_hours is None
    assert (result.staffing.shifts, result.staffing.person_hours) == (1, 8)


def test_a_week_with_no_rota_still_gets_its_explanation() -> None:
    # Two people needed every day, Bob away on Tuesday: no rota; the explanation still comes.
    bob = person("bob", absences=[{"date": "2026-12-08"}])
    scenario = tiny_scenario(["alice", bob], days=2, coverage=[cover("day", 2)], weights={**NO_FAIRNESS, "staffing": 3})
    result = infeasible(scenario)
    assert result.status is SolveStatus.INFEASIBLE and result.explanation is not None


def test_the_coverage_rules_alone_bound_the_cost() -> None:
    # 2 present 08–16 (hard), 3 present 12–14 (soft, 5 per person-hour short), 3 per person-hour on duty.
    # Minute by minute the cheapest: 2 people (6 an hour) for 6 h, 3 people (9 an hour, against 6 + 5 short) for
    # 2 h: 54. The hard rules need 2 × 8 = 16 person-hours.
    rules = [window("08:00", "16:00", 2), window("12:00", "14:00", 3, min_cost=5)]
    scenario = tiny_scenario(["alice", "bob", "carol"], coverage=rules, weights={**NO_FAIRNESS, "staffing": 3})
    bound = lean.demand_bound(build_model(scenario))
    assert (bound.person_minutes, bound.cost) == (16 * 60, 54 * OBJECTIVE_SCALE)
    # The best rota: a third 8-hour shift would cost 24 to save 10 of shortfall, so two people and 2 h short: 58.
    result = solve_and_check(scenario)
    assert result.objective == 58 and result.bound is not None and 54 <= result.bound <= 58
