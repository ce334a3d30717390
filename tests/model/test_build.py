"""Building the model (scheduler/model/build.py): each family's constraints, the objective, the feasibility copy
without fairness, and a complete hint."""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.domain.scenario import Scenario
from scheduler.model.build import build_model, hint_complete
from scheduler.model.constraints import REGISTRY, PenaltyTerm
from scheduler.model.variables import RotaVariables
from tests.builders import cover, person, tiny_scenario

FAIR = {"fairness_hours": 1, "fairness_nights": 0, "fairness_weekends": 0}


def staffed(**extra: object) -> Scenario:
    return tiny_scenario(people=["alice", "bob", "carol"], days=3, coverage=[cover("day", 1)], **extra)


@dataclass
class Either:
    """A family of its own for these tests: one constraint (x or y) and a soft term on each."""

    name: str
    cost_x: int
    cost_y: int

    def build(self, scenario: Scenario, model: cp_model.CpModel, variables: RotaVariables) -> list[PenaltyTerm]:
        x, y = model.new_bool_var(f"{self.name}_x"), model.new_bool_var(f"{self.name}_y")
        model.add_bool_or([x, y])
        return [
            PenaltyTerm(rule=self.name, name=f"{self.name}:x", cause="x", expr=x, coefficient=self.cost_x),
            PenaltyTerm(rule=self.name, name=f"{self.name}:y", cause="y", expr=y, coefficient=self.cost_y),
        ]


def test_each_family_owns_a_contiguous_range_of_constraints_in_registry_order() -> None:
    built = build_model(staffed(weights=FAIR))
    ranges = built.family_constraints
    assert list(ranges) == [family.name for family in REGISTRY]
    position = 0
    for family_range in ranges.values():
        assert family_range.start == position
        position = family_range.stop
    assert position == len(built.model.proto.constraints)
    assert len(ranges["coverage"]) > 0 and len(ranges["fairness"]) > 0
    assert len(ranges["pairs"]) == 0  # no pair rules: nothing added
    assert {t.rule for t in built.terms} == {"fairness", "staffing"}


def test_the_objective_sums_every_soft_term_unless_restricted_to_some_rules() -> None:
    scenario = staffed()
    families = [Either("a", cost_x=3, cost_y=5), Either("b", cost_x=7, cost_y=2)]
    built = build_model(scenario, families)
    assert [t.name for t in built.terms] == ["a:x", "a:y", "b:x", "b:y"]
    assert list(built.family_constraints) == ["a", "b"]
    solver = cp_model.CpSolver()
    assert solver.solve(built.model) == cp_model.OPTIMAL
    assert solver.objective_value == 3 + 2
    only_b = build_model(scenario, families, objective_rules={"b"})
    assert len(only_b.terms) == 4  # every term is still there to be read, only the objective leaves some out
    assert solver.solve(only_b.model) == cp_model.OPTIMAL
    assert solver.objective_value == 2


def test_the_feasibility_model_has_no_objective_and_no_fairness() -> None:
    built = build_model(staffed(weights=FAIR))
    fairness = built.family_constraints["fairness"]
    before = [str(c) for c in built.model.proto.constraints]
    copy = built.feasibility_model()
    assert not copy.proto.has_objective() and built.model.proto.has_objective()
    assert len(copy.proto.constraints) == len(before)  # cleared in place: the ranges still hold
    for index, constraint in enumerate(copy.proto.constraints):
        if index in fairness:
            assert str(constraint) == ""
        else:
            assert str(constraint) == before[index]
    assert [str(c) for c in built.model.proto.constraints] == before  # the model itself is untouched
    assert len(copy.proto.variables) == len(built.model.proto.variables)
    solver = cp_model.CpSolver()
    assert solver.solve(copy) == cp_model.OPTIMAL


def test_the_feasibility_model_can_leave_out_other_families() -> None:
    built = build_model(staffed())
    coverage = built.family_constraints["coverage"]
    copy = built.feasibility_model(leave_out=frozenset({"coverage"}))
    assert all(str(copy.proto.constraints[i]) == "" for i in coverage)
    # Without coverage nobody has to work: the empty rota is valid.
    solver = cp_model.CpSolver()
    for choices in built.variables.choices.values():
        for choice in choices:
            copy.add(choice.var == 0)
    assert solver.solve(copy) == cp_model.OPTIMAL
    assert solver.solve(built.feasibility_model()) == cp_model.OPTIMAL
    with_coverage = built.feasibility_model()
    for choices in built.variables.choices.values():
        for choice in choices:
            with_coverage.add(choice.var == 0)
    assert solver.solve(with_coverage) == cp_model.INFEASIBLE


def test_a_complete_hint_replaces_any_hint_and_is_the_first_solution() -> None:
    scenario = tiny_scenario(
        people=[person("alice", preferences=[{"kind": "avoids", "weekday": "mon", "weight": 3}]), "bob"],
        days=2,
        coverage=[cover("day", 1)],
        weights=FAIR,
    )
    built = build_model(scenario)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(built.model) == cp_model.OPTIMAL
    values = list(solver.response_proto.solution)
    assert len(values) == len(built.model.proto.variables)
    model = built.model.clone()
    model.add_hint(model.get_bool_var_from_proto_index(0), 1 - values[0])
    hint_complete(model, values)
    assert list(model.proto.solution_hint.vars) == list(range(len(values)))
    assert list(model.proto.solution_hint.values) == values
    solver.parameters.fix_variables_to_their_hinted_value = True
    assert solver.solve(model) == cp_model.OPTIMAL
    assert list(solver.response_proto.solution) == values
