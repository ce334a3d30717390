"""Team duties: on each instance exactly `teams` people of every listed role, and nobody else."""

from __future__ import annotations

from typing import Any

import pytest

from scheduler.check import teams as teams_check
from scheduler.model.constraints.teams import TeamComposition
from tests.builders import infeasible, person, pin, roles_filled, solved, tiny_scenario, worked
from tests.handwritten import assert_ok, only, run, sound, team_scenario
from tests.handwritten import duty as hand_duty
from tests.handwritten import person as hand_person
from tests.rules.alone import verdict

ROLES = ["vol", "sec", "health"]


def duty(teams: int = 1, roles: tuple[str, ...] = ("sec", "health"), **extra: Any) -> dict[str, Any]:
    return {
        "id": "screen", "name": "Screening", "window": {"start": "09:00", "end": "12:00"},
        "roles": list(roles), "teams": teams, **extra,
    }


def scenario(people: list[dict[str, Any]], **overrides: Any) -> Any:
    """Only the team duty to staff (no post), so date wishes can only be met on the duty."""
    return tiny_scenario(people, roles=ROLES, posts=[], team_duties=[overrides.pop("duty", duty())], **overrides)


def test_team_of_one_per_role_is_staffed() -> None:
    result = solved(scenario([person("alice", ["sec"]), person("bob", ["health"]), person("carol")]))
    assert roles_filled(result) == {("alice", "sec", 0), ("bob", "health", 0)}
    assert result.objective == 0


def test_person_holding_two_roles_fills_only_one() -> None:
    # Alice holds both roles but is one team member: alone she cannot make a team.
    infeasible(scenario([person("alice", ["sec", "health"])]))
    result = solved(scenario([person("alice", ["sec", "health"]), person("bob", ["health"])]))
    assert roles_filled(result) == {("alice", "sec", 0), ("bob", "health", 0)}


def test_exact_number_of_teams_nobody_extra() -> None:
    # Two teams of one "sec" each; all three want the duty, exactly two get it (one wish of weight 1 unmet).
    wish = [{"kind": "wants", "date": "2026-12-07"}]
    people = [person(p, ["sec"], preferences=wish) for p in ("a", "b", "c")]
    result = solved(scenario(people, duty=duty(teams=2, roles=("sec",))))
    assert len(worked(result)) == 2
    assert result.objective == pytest.approx(1.0)


def test_person_without_a_duty_role_stays_off() -> None:
    # Carol (vol only) wants the duty, weight 5: she cannot be on it.
    wish = [{"kind": "wants", "date": "2026-12-07", "weight": 5}]
    people = [person("alice", ["sec"]), person("bob", ["health"]), person("carol", preferences=wish)]
    result = solved(scenario(people))
    assert ("carol", "screen", 0) not in worked(result)
    assert result.objective == pytest.approx(5.0)


def test_pinning_a_person_without_a_duty_role_is_infeasible() -> None:
    people = [person("alice", ["sec"]), person("bob", ["health"]), person("carol")]
    infeasible(scenario(people, pins=[pin("carol", None, 0, post="screen")]))


def test_missing_role_is_infeasible() -> None:
    infeasible(scenario([person("alice", ["sec"]), person("bob", ["sec"])]))


def test_duty_only_on_its_days() -> None:
    # The duty runs on Tuesdays only: the team works day 1 and nobody works day 0.
    people = [person("alice", ["sec"]), person("bob", ["health"])]
    result = solved(scenario(people, days=2, duty=duty(days=["tue"])))
    assert worked(result) == {("alice", "screen", 1), ("bob", "screen", 1)}


# ------------------------------------------------------------ the whole checker on hand-written rotas


def test_team_exact_composition() -> None:
    scenario = team_scenario()
    assert_ok(run(scenario, hand_duty("bob", "vol"), hand_duty("dave", "sec")))
    only(run(scenario, hand_duty("bob", "vol")), "teams")
    only(run(scenario, hand_duty("bob", "vol"), hand_duty("carol", "vol"), hand_duty("dave", "sec")), "teams")


def test_team_role_not_needed() -> None:
    people = [hand_person("bob"), hand_person("dave", ["sec"]), hand_person("eve", ["med"])]
    on_duty = hand_duty("bob", "vol"), hand_duty("dave", "sec"), hand_duty("eve", "med")
    result = run(team_scenario(people=people), *on_duty)
    only(result, "teams")
    assert "Eve" in result.violations[0].message



# ------------------------------ the rule alone: its family on a fixed rota; its checker module on a hand-written rota


def test_teams_alone_on_the_model() -> None:
    team = scenario([person("alice", ["sec"]), person("bob", ["health"])])
    assert not verdict(team, [TeamComposition()], [("alice", "screen", 0, "sec")]).feasible
    assert verdict(team, [TeamComposition()], [("alice", "screen", 0, "sec"), ("bob", "screen", 0, "health")]).feasible


def test_teams_alone_in_the_checker() -> None:
    assert [v.rule for v in teams_check.violations(*sound(team_scenario(), hand_duty("bob", "vol")))] == ["teams"]
    assert teams_check.violations(*sound(team_scenario(), hand_duty("bob", "vol"), hand_duty("alice", "sec"))) == []
