"""The community the calendar, print-out and CLI output tests share: a gate with day and evening shifts (lunch
breaks in the day shift) and a screening duty, solved and checked."""

from __future__ import annotations

from typing import Any

from scheduler.domain.rota import Rota
from scheduler.domain.scenario import Scenario
from tests.builders import solve_and_check

ODD_NAME = 'Li, Wei; "x"\\ y\nz'
"""A name with every character RFC 5545 text must escape: comma, semicolon, backslash, newline.

A scenario refuses a newline in a name (docs/rules.md, "Limits of a scenario"): the community holds the name with a
space instead, and `with_odd_name` puts the newline back without validation, as code building a scenario could, so
the tests show the calendars escape it all the same."""
VALID_ODD_NAME = ODD_NAME.replace("\n", " ")
COORDINATOR = "周丽华 138-0000-0001"


def community(timezone: str = "Asia/Shanghai", start: str = "2026-12-07", days: int = 2, **extra: Any) -> Scenario:
    """A gate with day and evening shifts (lunch breaks in the day shift) and a screening duty; six people."""
    data: dict[str, Any] = {
        "community": "幸福里社区",
        "timezone": timezone,
        "start": start,
        "days": days,
        "coordinator": COORDINATOR,
        "roles": [
            {"id": "party", "name": {"zh": "党员", "en": "Party member"}, "mark": "党"},
            {"id": "security", "name": {"zh": "保安", "en": "Security officer"}, "mark": "安"},
            {"id": "secretary", "name": {"zh": "社区书记", "en": "Community secretary"}, "mark": "书"},
        ],
        "posts": [{
            "id": "gate",
            "name": {"zh": "小区入口卡口", "en": "Entrance checkpoint"},
            "location": '南门, 幸福里; "东"',
            "shifts": [
                {"id": "d", "name": {"zh": "白班", "en": "Day"}, "start": "08:00", "hours": 8},
                {"id": "e", "name": {"zh": "晚班", "en": "Evening"}, "start": "16:00", "hours": 8},
            ],
        }],
        "team_duties": [{
            "id": "screening", "name": {"zh": "入户排查小组", "en": "Screening team"},
            "window": {"start": "09:00", "end": "12:00"}, "roles": ["secretary"],
        }],
        "meal_rules": [{
            "post": "gate", "shifts": ["d"], "minutes": 30,
            "windows": [{"name": {"zh": "午饭", "en": "Lunch"}, "start": "11:00", "end": "13:00"}],
        }],
        "coverage": [
            {"post": "gate", "shift": "d", "min": 2, "max": 2},
            {"post": "gate", "shift": "e", "min": 2, "max": 2},
            {"post": "gate", "role": "security", "shift": "d", "min": 1},
        ],
        "default_limits": {"max_shifts_per_week": 3},
        "weights": {"fairness_hours": 0, "fairness_nights": 0, "fairness_weekends": 0},
        "people": [
            {"id": "li-wei", "name": VALID_ODD_NAME, "roles": ["party"], "language": "en", "posts": ["gate"]},
            {"id": "wang-fang", "name": "王芳", "roles": ["party"], "posts": ["gate"]},
            {"id": "zhang-wei", "name": "张伟", "roles": ["security"], "posts": ["gate"]},
            {"id": "chen-gang", "name": "陈刚", "roles": ["security"], "posts": ["gate"]},
            {"id": "zhao-lei", "name": "赵磊", "roles": ["party", "security"], "posts": ["gate"]},
            {"id": "sun-lixin", "name": "孙立新", "roles": ["secretary"], "phone": "138-0000-0009"},
            {"id": "wu-guoping", "name": "吴国平", "roles": ["secretary"]},
        ],
    }
    data.update(extra)
    return Scenario.model_validate(data)


def with_odd_name(scenario: Scenario) -> Scenario:
    """The scenario with li-wei named ODD_NAME, newline included (not validated: see ODD_NAME)."""
    people = [p.model_copy(update={"name": ODD_NAME}) if p.id == "li-wei" else p for p in scenario.people]
    return scenario.model_copy(update={"people": people})


def solved_rota(scenario: Scenario, seed: int = 0) -> Rota:
    result = solve_and_check(scenario, seed=seed)
    assert result.rota is not None
    return result.rota
