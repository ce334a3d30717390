"""The independent checker: does a rota keep every hard rule of docs/rules.md, and what does it cost?

It shares no code with the solver (no OR-Tools, nothing from the model-building modules) and recomputes every
time from the scenario's raw fields, so a mistake in the model cannot hide in both places at once
(tests/check/test_independence.py keeps it so). One module per rule, named like the model's constraint modules
and the sections of docs/rules.md; `context` holds what they share, `structure` the rota's references.
"""

from __future__ import annotations

from fractions import Fraction

from pydantic import BaseModel, ConfigDict, Field

from scheduler.check import (
    consecutive,
    coverage,
    eligibility,
    fairness,
    meal_breaks,
    pairs,
    pins,
    preferences,
    rest,
    staffing,
    structure,
    successions,
    teams,
    workload,
)
from scheduler.check.context import Context, Index
from scheduler.domain.rota import Penalty, Rota, Violation
from scheduler.domain.scenario import Scenario


class CheckResult(BaseModel):
    """What the checker found: broken hard rules, and every soft penalty with the recomputed objective."""

    model_config = ConfigDict(frozen=True)

    violations: list[Violation] = Field(description="Broken hard rules; empty for a valid rota.")
    penalties: list[Penalty] = Field(
        description="Every nonzero soft penalty (coverage, meal breaks, preferences, pairs, fairness, staffing)."
    )
    objective: float = Field(description="Sum of the penalty costs, recomputed from scratch.")

    @property
    def ok(self) -> bool:
        """True when the rota breaks no hard rule."""
        return not self.violations


def check(scenario: Scenario, rota: Rota) -> CheckResult:
    """Check a rota against every hard rule of the scenario and recompute its objective from scratch.

    Structurally broken assignments (unknown ids, wrong times, duplicates) are reported and then left out of
    every other check, which work only on sound assignments.
    """
    ctx = Context(scenario)
    violations, works = structure.check(ctx, rota)
    index = Index(works)
    for rule_violations in (
        eligibility.violations,
        rest.violations,
        successions.violations,
        workload.violations,
        consecutive.violations,
        teams.violations,
        pairs.violations,
        pins.violations,
    ):
        violations += rule_violations(ctx, index)
    coverage_violations, coverage_costs = coverage.findings(ctx, index)
    meal_violations, meal_costs = meal_breaks.findings(ctx, index)
    violations += coverage_violations + meal_violations
    costs = coverage_costs + meal_costs
    costs += preferences.costs(ctx, index) + pairs.costs(ctx, index) + fairness.costs(ctx, index)
    costs += staffing.costs(ctx, index)
    objective = sum((c.cost for c in costs), Fraction(0))
    return CheckResult(violations=violations, penalties=[c.penalty() for c in costs], objective=float(objective))


__all__ = ["CheckResult", "check"]
