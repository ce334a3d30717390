"""Building the CP-SAT model from the constraint registry, and configuring the solver."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model, cp_model_helper
from pydantic import BaseModel, ConfigDict, Field

from scheduler.constraints import REGISTRY, ConstraintFamily, PenaltyTerm
from scheduler.instances import Instances
from scheduler.models import Scenario
from scheduler.variables import RotaVariables


class SolveSettings(BaseModel):
    """How hard and how reproducibly to search."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    time_limit: float = Field(default=30.0, gt=0, description="Seconds before the best rota found is returned.")
    workers: int | None = Field(
        default=None, ge=1, le=64,
        description="Search threads; None chooses: 8 (CP-SAT's full portfolio, whose bound-proving workers pay "
        "off even on 2 cores) for models up to 50,000 variables, one per core above that (every thread holds "
        "its own copy of a large model). 1 makes the result reproducible for a seed.",
    )
    seed: int = Field(default=0, ge=0, description="Random seed; with one worker the result is reproducible.")
    relative_gap: float = Field(default=0.0, ge=0, description="Stop when the gap falls below this.")
    explain: bool = Field(default=True, description="Explain an infeasible scenario (takes extra solves).")
    log: bool = Field(default=False, description="Print CP-SAT's own search log.")
    local_branching: bool = Field(
        default=True,
        description="When the search stalls, search rotas within a few changes of the best one (scheduler.search): "
        "in solves of 10 minutes or more, with two workers or more (one stays reproducible).",
    )
    lp_bound: bool = Field(
        default=True,
        description="Also bound the cost by the model's linear relaxation, solved by HiGHS in a process beside the "
        "search (scheduler.relaxation; models up to 150,000 variables): on large rotas CP-SAT's own bound stays "
        "weak.",
    )
    column_generation: bool = Field(
        default=True,
        description="When no rule ties two people together but the cover, start from column generation over whole "
        "personal rotas (scheduler.colgen): a far stronger bound than the linear relaxation, and a rota of whole "
        "personal rotas for the search to start from. It takes up to 60 % of the time limit.",
    )


@dataclass
class BuiltModel:
    """A CP-SAT model with its variables and its named soft terms."""

    model: cp_model.CpModel
    variables: RotaVariables
    terms: list[PenaltyTerm]
    family_constraints: dict[str, range]
    """Which constraints of the model each family added."""

    def feasibility_model(self, leave_out: frozenset[str] = frozenset({"fairness"})) -> cp_model.CpModel:
        """A copy with no objective and without the families named, which only tie soft terms together.

        Fairness ties every person's load to the total: a first rota is found in seconds without those
        constraints and in minutes with them, and leaving them out cannot make a rota invalid.
        """
        copy = self.model.clone()
        copy.clear_objective()  # type: ignore[no-untyped-call]
        for family in leave_out:
            for index in self.family_constraints.get(family, range(0)):
                _clear(copy.proto.constraints[index])
        return copy


def build_model(
    scenario: Scenario, families: Sequence[ConstraintFamily] = REGISTRY, objective_rules: set[str] | None = None
) -> BuiltModel:
    """Build the model from the constraint registry and minimise the weighted sum of the soft terms.

    `objective_rules` limits the objective to terms of those rules (the explainer minimises shortfall only).
    """
    model = cp_model.CpModel()
    variables = RotaVariables(model, Instances(scenario))
    terms: list[PenaltyTerm] = []
    ranges: dict[str, range] = {}
    for family in families:
        first = len(model.proto.constraints)
        terms.extend(family.build(scenario, model, variables))
        ranges[family.name] = range(first, len(model.proto.constraints))
    counted = [t for t in terms if objective_rules is None or t.rule in objective_rules]
    model.minimize(sum(term.coefficient * term.expr for term in counted))
    return BuiltModel(model, variables, terms, ranges)


def hint_complete(model: cp_model.CpModel, values: Sequence[int]) -> None:
    """Hint every variable with its value in `values`, a complete solution (of this model or of one it was cloned
    from), replacing any hint: a complete, feasible hint is CP-SAT's first solution at once."""
    model.clear_hints()  # type: ignore[no-untyped-call]
    hint = model.proto.solution_hint
    hint.vars.extend(range(len(values)))
    hint.values.extend(values)


def complete_choices(built: BuiltModel, values: list[int], settings: SolveSettings) -> cp_model.CpSolver | None:
    """The full model solved with the choices fixed (`values`: one per choice variable, in the order of
    `built.variables.choices`): every soft term of that rota, costed (None if it fails)."""
    fixed = built.model.clone()
    choices = [c.var for cs in built.variables.choices.values() for c in cs]
    for var, value in zip(choices, values, strict=True):
        fixed.add(fixed.get_bool_var_from_proto_index(var.index) == value)
    solver = solver_for(settings.model_copy(update={"time_limit": 60.0, "workers": 1}))
    code = solver.solve(fixed)
    return solver if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


def _clear(constraint: cp_model_helper.ConstraintProto) -> None:
    """Turn a constraint into an empty one (always true), whatever its kind."""
    for kind in ("linear", "lin_max", "bool_or", "bool_and", "at_most_one", "exactly_one"):
        if getattr(constraint, f"has_{kind}")():
            getattr(constraint, f"clear_{kind}")()


FULL_PORTFOLIO = 8
TWO_WORKERS = 2
LARGE_MODEL = 50_000
ROOT_LP_ITERATIONS = 1_000_000


def workers_for(settings: SolveSettings, variables: int) -> int:
    if settings.workers is not None:
        return settings.workers
    return FULL_PORTFOLIO if variables <= LARGE_MODEL else max(2, os.cpu_count() or 1)


def solver_for(settings: SolveSettings, variables: int = 0) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    parameters = solver.parameters
    parameters.max_time_in_seconds = settings.time_limit
    parameters.num_workers = workers_for(settings, variables)
    parameters.random_seed = settings.seed
    parameters.relative_gap_limit = settings.relative_gap
    parameters.log_search_progress = settings.log
    if parameters.num_workers == TWO_WORKERS and variables <= LARGE_MODEL:
        # Two workers run one full-problem search beside the LNS: make it the one with the strongest LP (not
        # measured on large models, where that LP is costly).
        # Measured on Curtois Instance5 at 60 s: 1170 and bound 753 against 1454 and bound 1 (default_lp);
        # Instance10: 5389 both, bound 4092 against 9.
        parameters.subsolvers.append("max_lp")
        # ... and let its root LP run to the end: by default it stops after 2,000 iterations and the search goes on
        # without a bound. Curtois Instance12 at 60 s: bound 3939 and 5146 against bound 8 and 5517 (its LP needs
        # some 70,000 iterations); Instance11 and 5 unchanged within their seed spread.
        parameters.root_lp_iterations = ROOT_LP_ITERATIONS
    return solver
