"""Explanations of scenarios with no rota: in the coordinator's terms, with the smallest fix."""

from __future__ import annotations

import datetime as dt
from typing import Any

from scheduler.domain.rota import SolveStatus
from scheduler.domain.scenario import Scenario
from scheduler.reports.catalogue import Words
from scheduler.solve.explain import elastic_explanation
from scheduler.solve.run import solve
from scheduler.solve.settings import SolveSettings

MONDAY = dt.date(2026, 12, 7)


def gate_scenario(security: int = 4, limits: dict[str, Any] | None = None, **overrides: Any) -> Scenario:
    """One 3-shift gate, `security` security officers and volunteers for the rest; 7 days."""
    data: dict[str, Any] = {
        "community": "Test",
        "start": MONDAY.isoformat(),
        "days": 7,
        "roles": [
            {"id": "sec", "name": {"zh": "保安", "en": "security officer"}},
            {"id": "vol", "name": {"zh": "志愿者", "en": "volunteer"}},
        ],
        "posts": [
            {
                "id": "gate",
                "name": {"zh": "卡口", "en": "Gate"},
                "shifts": [
                    {"id": "n", "start": "00:00", "hours": 8},
                    {"id": "d", "start": "08:00", "hours": 8},
                    {"id": "e", "start": "16:00", "hours": 8},
                ],
            }
        ],
        "people": [
            {"id": f"p{i}", "name": f"P{i}", "roles": ["sec"] if i < security else ["vol"]} for i in range(10)
        ],
        "default_limits": limits or {},
        "coverage": [{"post": "gate", "min": 2}, {"post": "gate", "role": "sec", "min": 1}],
    }
    data.update(overrides)
    return Scenario.model_validate(data)


SETTINGS = SolveSettings(time_limit=20, workers=2, seed=0)


def test_nobody_qualified_is_explained_without_solving() -> None:
    data = gate_scenario().model_dump(mode="json")
    for person in data["people"][:4]:
        person["absences"] = [{"date": "2026-12-08", "reason": "surgery"}]
    result = solve(Scenario.model_validate(data), SETTINGS)
    assert result.status is SolveStatus.INFEASIBLE
    assert result.rota is None
    explanation = result.explanation
    assert explanation is not None
    [shortage] = explanation.shortages
    assert shortage.place == "gate" and shortage.role == "sec" and shortage.short_by == 1
    assert shortage.message.startswith("Gate, Tue 8 Dec 00:00–24:00: ")
    assert {b.person for b in shortage.blockers} == {"p0", "p1", "p2", "p3"}
    assert all(b.reasons == ["away (surgery)"] for b in shortage.blockers)
    [suggestion] = explanation.suggestions
    assert suggestion.message == "1 more person as security officer for Gate, Tue 8 Dec 00:00–24:00"
    assert suggestion.text(Words(None, "zh")).endswith("再增加 1 人（sec）")
    assert suggestion.extra_people == 1


def test_limits_that_leave_a_gap_are_counted_by_role_over_the_week() -> None:
    # Four security officers with at most 4 shifts a week cover 16 of the 21 shifts that need one; everyone
    # together (10 people, 4 shifts each) covers 40 of the 42 that need two people.
    scenario = gate_scenario(limits={"max_shifts_per_week": 4})
    result = solve(scenario, SETTINGS)
    assert result.status is SolveStatus.INFEASIBLE
    explanation = result.explanation
    assert explanation is not None
    assert explanation.shortages == []  # the count explains it: no elastic model was needed
    security, everyone = explanation.headlines
    assert (security.kind, security.role, security.needed, security.most, security.extra_people) == (
        "role_count", "sec", 21, 16, 2
    )
    assert (everyone.role, everyone.needed, everyone.most, everyone.extra_people) == (None, 42, 40, 1)
    assert security.message == (
        "security officer: this week needs 21 shifts (1 on each 00:00–08:00, 08:00–16:00, 16:00–24:00 shift); the 4 "
        "people with this role can work at most 16. Add 2 more people with this role, or lower the number needed on "
        "the 00:00–08:00, 08:00–16:00, 16:00–24:00 shifts."
    )
    assert security.text(Words(scenario, "zh")) == (
        "保安：本周需要 21 个班次（00:00–08:00、08:00–16:00、16:00–24:00各 1 人），4 名保安最多 16 个。"
        "再增加 2 名保安，或降低00:00–08:00、08:00–16:00、16:00–24:00的保安人数。"
    )
    assert [(s.role, s.extra_people) for s in explanation.suggestions] == [("sec", 2), (None, 1)]
    # The detail: each officer, the most they can work and the limit that bounds it.
    assert [(p.person, p.most, p.message) for p in security.people] == [
        (f"p{i}", 4, f"P{i}: at most 4 (at most 4 shifts a week)") for i in range(4)
    ]


def test_the_elastic_model_names_the_gap_the_blockers_and_the_fix() -> None:
    # The same week, explained place by place by the elastic model (what follows the count when it finds nothing).
    explanation = elastic_explanation(gate_scenario(limits={"max_shifts_per_week": 4}), SETTINGS)
    assert "the smallest change" in explanation.summary
    security_short = [s for s in explanation.shortages if s.role == "sec"]
    # 21 shifts need a security officer, 16 can have one: five 8-hour gaps, 40 person-hours.
    hours = sum((s.end - s.start).total_seconds() / 3600 * s.short_by for s in security_short)
    assert hours == 40
    for shortage in security_short:
        assert {b.person for b in shortage.blockers} == {"p0", "p1", "p2", "p3"}
        for blocker in shortage.blockers:
            assert any("(max 4)" in reason for reason in blocker.reasons), blocker
            assert len(blocker.reason_messages) == len(blocker.reasons)
    # Volunteers hit the same weekly limit (6 × 4 + 16 < 42 shifts), so some gaps are for people in general.
    assert {s.role for s in explanation.suggestions} <= {"sec", None}
    assert any(s.message.startswith("1 more person as security officer for Gate") for s in explanation.suggestions)


def test_the_elastic_explanation_is_the_same_every_time() -> None:
    scenario = gate_scenario(limits={"max_shifts_per_week": 4})
    first = elastic_explanation(scenario, SETTINGS)
    assert elastic_explanation(scenario, SETTINGS) == first


def test_pin_against_an_absence_is_a_conflict() -> None:
    scenario = gate_scenario()
    data = scenario.model_dump(mode="json")
    data["people"][5]["absences"] = [{"date": "2026-12-09", "reason": "relative's surgery"}]
    data["pins"] = [{"person": "p5", "date": "2026-12-09", "post": "gate", "shift": "d"}]
    result = solve(Scenario.model_validate(data), SETTINGS)
    assert result.status is SolveStatus.INFEASIBLE
    assert result.explanation is not None
    [conflict] = result.explanation.conflicts
    assert "P5" in conflict and "away (relative's surgery)" in conflict


def test_rules_that_contradict_each_other_are_named() -> None:
    # Everyone must work at least 100 hours in a week that has 168: the hour limits are to blame.
    scenario = gate_scenario(limits={"min_hours_total": 100, "min_rest_hours": 8})
    result = solve(scenario, SETTINGS)
    assert result.status is SolveStatus.INFEASIBLE
    assert result.explanation is not None
    assert any("hour and shift limits" in c for c in result.explanation.conflicts)


def test_a_meal_rule_that_cannot_hold_is_named_with_the_fix_in_the_rule() -> None:
    # Three must stay on the day shift while four (the fewest that lets anyone leave) each eat for 45 minutes
    # within a 150-minute lunch window, one at a time: 180 minutes of breaks do not fit. Forty people do not help.
    lunch = {"name": {"zh": "午饭", "en": "Lunch"}, "start": "11:00", "end": "13:30"}
    scenario = gate_scenario(
        people=[{"id": f"p{i}", "name": f"P{i}", "roles": ["vol"]} for i in range(40)],
        coverage=[{"post": "gate", "window": {"start": "08:00", "end": "16:00"}, "min": 3}],
        meal_rules=[{"post": "gate", "windows": [lunch], "minutes": 45, "max_away": 1}],
    )
    result = solve(scenario, SETTINGS)
    assert result.status is SolveStatus.INFEASIBLE
    explanation = result.explanation
    assert explanation is not None
    [headline] = explanation.headlines
    assert headline.kind == "meal_rule" and headline.extra_people == 0
    assert headline.message == (
        "Gate, 08:00–16:00 shift: at most 1 away at once cannot hold: 4 people need 45 minutes each within 150 "
        "minutes while 3 stay (Lunch). The meal rule contradicts the coverage rules: allow more people away at once, "
        "widen the Lunch window or shorten the break; more people cannot help."
    )
    assert headline.text(Words(scenario, "zh")) == (
        "卡口08:00–16:00：“同时最多 1 人离开”无法做到：4 人每人要用 45 分钟，都须在午饭的 150 分钟内，"
        "同时要有 3 人留守。"
        "用餐规则与人数要求互相矛盾：请允许更多人同时离开、放宽午饭时间或缩短用餐时间；增加人手无济于事。"
    )
    assert explanation.conflicts == [headline.message.split(" The meal rule")[0]]
    assert all(s.extra_people == 0 for s in explanation.suggestions)
    assert not any("more person" in s.message for s in explanation.suggestions)


def test_too_few_nights_are_counted_as_nights() -> None:
    # One night a week each: four security officers give 4 of the 7 nights that need one.
    scenario = gate_scenario(limits={"max_nights_per_week": 1})
    result = solve(scenario, SETTINGS)
    assert result.status is SolveStatus.INFEASIBLE and result.explanation is not None
    security = result.explanation.headlines[0]
    assert (security.kind, security.role, security.needed, security.most, security.extra_people) == (
        "nights", "sec", 7, 4, 3
    )
    assert security.text(Words(scenario, "zh")) == (
        "保安：本周需要 7 个夜班（每个00:00–08:00 1 人），4 名保安最多 4 个。再增加 3 名能上夜班的保安，"
        "或降低00:00–08:00的保安人数。"
    )
    [fix, _] = result.explanation.suggestions
    assert fix.message == "3 more people as security officer who can work nights, for the period"
