"""Building the CP-SAT model from the constraint registry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model, cp_model_helper

from scheduler.domain.scenario import Scenario
from scheduler.model.constraints import REGISTRY, ConstraintFamily, PenaltyTerm
from scheduler.model.constraints.meal_breaks import MealBreaks
from scheduler.model.timeline import Instances
from scheduler.model.variables import RotaVariables


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

        Fairness ties every person's load to the total: a first rota is found far sooner without those
        constraints, and leaving them out cannot make a rota invalid.
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
    # The model owns the break variables whenever the meal-breaks rule is built in its full (not relaxed) form.
    breaks = any(isinstance(family, MealBreaks) and not family.relaxed for family in families)
    variables = RotaVariables(model, Instances(scenario), meal_breaks=breaks)
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


def _clear(constraint: cp_model_helper.ConstraintProto) -> None:
    """Turn a constraint into an empty one (always true), whatever its kind."""
    for kind in ("linear", "lin_max", "bool_or", "bool_and", "at_most_one", "exactly_one"):
        if getattr(constraint, f"has_{kind}")():
            getattr(constraint, f"clear_{kind}")()


