"""Hand-written rotas for the checker's tests: a small two-post scenario and assignments with times computed
independently of the engine (Asia/Shanghai has no DST), plus ways to run the whole checker or one rule's module.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from scheduler.check import CheckResult, check, structure
from scheduler.check.context import Context, Index
from scheduler.domain.rota import Assignment, Break, Rota, SolveStatus
from scheduler.domain.scenario import Scenario

ZONE = ZoneInfo("Asia/Shanghai")
MONDAY = dt.date(2026, 12, 7)
# Shift start and length in hours; "am" is at the second post, "d"/"n" at the 12-hour ward.
SHIFTS: dict[str, tuple[int, int]] = {"night": (0, 8), "day": (8, 8), "late": (16, 8), "am": (9, 4)}
WARD = {"d": (8, 12), "n": (20, 12)}


def person(pid: str, roles: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    return {"id": pid, "name": pid.capitalize(), "roles": roles or ["vol"], **extra}


def make_scenario(**overrides: Any) -> Scenario:
    """One 3-shift post (gate), a small second post (desk), two roles, four people, two days from a Monday."""
    data: dict[str, Any] = {
        "community": "Test",
        "start": MONDAY.isoformat(),
        "days": 2,
        "roles": [{"id": "vol", "name": "Volunteer"}, {"id": "sec", "name": "Security"}],
        "posts": [
            {
                "id": "gate",
                "name": "Gate",
                "shifts": [
                    {"id": "night", "start": "00:00", "hours": 8},
                    {"id": "day", "start": "08:00", "hours": 8},
                    {"id": "late", "start": "16:00", "hours": 8},
                ],
            },
            {"id": "desk", "name": "Desk", "shifts": [{"id": "am", "start": "09:00", "hours": 4}]},
        ],
        "people": [person("alice", ["vol", "sec"]), person("bob"), person("carol"), person("dave", ["sec"])],
        "weights": {"fairness_hours": 0, "fairness_nights": 0, "fairness_weekends": 0, "staffing": 0},
    }
    data.update(overrides)
    return Scenario.model_validate(data)


def when(day: int, hour: int, minute: int = 0) -> dt.datetime:
    start = dt.datetime.combine(MONDAY + dt.timedelta(days=day), dt.time(), tzinfo=ZONE)
    return start + dt.timedelta(hours=hour, minutes=minute)


def shift(pid: str, name: str, day: int = 0, role: str = "vol", post: str | None = None) -> Assignment:
    """An assignment with independently computed times (Asia/Shanghai has no DST)."""
    start, hours = WARD[name] if post == "ward" else SHIFTS[name]
    post = post or ("desk" if name == "am" else "gate")
    return Assignment(
        person=pid,
        post=post,
        shift=name,
        role=role,
        date=MONDAY + dt.timedelta(days=day),
        start=when(day, start),
        end=when(day, start + hours),
    )


def duty(pid: str, role: str, day: int = 0, duty_id: str = "screen") -> Assignment:
    return Assignment(
        person=pid,
        duty=duty_id,
        role=role,
        date=MONDAY + dt.timedelta(days=day),
        start=when(day, 9),
        end=when(day, 12),
    )


def run(scenario: Scenario, *assignments: Assignment) -> CheckResult:
    return check(scenario, rota_for(scenario, *assignments))


def rota_for(scenario: Scenario, *assignments: Assignment) -> Rota:
    return Rota(
        community=scenario.community,
        start=scenario.start,
        days=scenario.days,
        timezone=scenario.timezone,
        status=SolveStatus.FEASIBLE,
        objective=None,
        bound=None,
        assignments=list(assignments),
    )


def found(result: CheckResult) -> set[tuple[str, str | None]]:
    return {(v.rule, v.person) for v in result.violations}


def only(result: CheckResult, rule: str, person: str | None = None) -> None:
    """The result has violations, all of this rule (and person, if given)."""
    assert result.violations, "expected a violation"
    assert {v.rule for v in result.violations} == {rule}, result.violations
    if person is not None:
        assert {v.person for v in result.violations} == {person}, result.violations


def assert_ok(result: CheckResult) -> None:
    assert result.ok, [v.message for v in result.violations]


# ---------------------------------------------------------------------------------------------- structure



def ward_scenario(**overrides: Any) -> Scenario:
    posts = [
        {
            "id": "ward",
            "name": "Ward",
            "shifts": [{"id": "d", "start": "08:00", "hours": 12}, {"id": "n", "start": "20:00", "hours": 12}],
        }
    ]
    return make_scenario(posts=posts, days=1, **overrides)



def team_scenario(**overrides: Any) -> Scenario:
    duties = [
        {"id": "screen", "name": "Screening", "window": {"start": "09:00", "end": "12:00"}, "roles": ["vol", "sec"]}
    ]
    roles = [{"id": "vol", "name": "Volunteer"}, {"id": "sec", "name": "Security"}, {"id": "med", "name": "Medic"}]
    return make_scenario(days=1, team_duties=duties, roles=roles, **overrides)




LUNCH = {"name": "Lunch", "start": "11:00", "end": "13:30"}


def meal_scenario(**rule: Any) -> Scenario:
    """Lunch 11:00–13:30 at the gate, 45 minutes on a 15-minute grid; Bob needs 60 minutes."""
    people = [person("alice", ["vol", "sec"]), person("bob", meal_minutes=60), person("carol"), person("dave", ["sec"])]
    return make_scenario(days=1, people=people, meal_rules=[{"post": "gate", "windows": [LUNCH], **rule}])


def eating(a: Assignment, *spans: tuple[tuple[int, int], tuple[int, int]]) -> Assignment:
    """The assignment with breaks ((h, m) start, (h, m) end) on its date."""
    day = (a.date - MONDAY).days
    pauses = [{"start": when(day, *s), "end": when(day, *e)} for s, e in spans]
    return a.model_copy(update={"breaks": [Break.model_validate(p) for p in pauses]})



def sound(scenario: Scenario, *assignments: Assignment) -> tuple[Context, Index]:
    """The checker's context and index of a hand-written rota, for running one rule's module alone."""
    ctx = Context(scenario)
    _, works = structure.check(ctx, rota_for(scenario, *assignments))
    return ctx, Index(works)
