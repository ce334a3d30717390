"""The words calendars and print-outs share (scheduler/reports/labels.py): dates, weekdays, clock times, places,
shift and role names, role marks and meal breaks, in Chinese and English."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from scheduler.domain.rota import Assignment, Break
from scheduler.domain.scenario import Scenario
from scheduler.reports import labels
from scheduler.reports.grid import week_grid
from tests.builders import MONDAY, person, scenario_data
from tests.reports.rotas import rota_of

SUNDAY = MONDAY + dt.timedelta(days=6)


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    data = scenario_data([person("alice", roles=["vol", "security"])])
    data["roles"] = [
        {"id": "vol", "name": {"zh": "志愿者", "en": "Volunteer"}},
        {"id": "security", "name": {"zh": "安保", "en": "Security"}, "mark": "安"},
    ]
    data["posts"] = [
        {
            "id": "gate", "name": {"zh": "大门", "en": "Gate"}, "location": "North entrance",
            "shifts": [
                {"id": "day", "start": "08:00", "hours": 8, "name": {"zh": "白班", "en": "Day"}},
                {"id": "late", "start": "16:00", "hours": 8},
            ],
        },
    ]
    data["team_duties"] = [
        {"id": "patrol", "name": {"zh": "巡逻", "en": "Patrol"}, "window": {"start": "19:00", "end": "21:00"},
         "roles": ["vol"]},
    ]
    data["meal_rules"] = [
        {"post": "gate", "windows": [
            {"name": {"zh": "午饭", "en": "Lunch"}, "start": "11:00", "end": "13:30"},
            {"name": {"zh": "晚饭", "en": "Dinner"}, "start": "17:00", "end": "19:00"},
        ]},
    ]
    return Scenario.model_validate(data)


def at(scenario: Scenario, hour: int, minute: int = 0, day: dt.date = MONDAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), scenario.zone)


def test_language_of_a_locale_tag() -> None:
    assert [labels.language_of(tag) for tag in ("zh", "zh-CN", "ZH-hant", "en", "en-GB", "fr", "")] == [
        "zh", "zh", "zh", "en", "en", "en", "en",
    ]


def test_dates_and_weekdays() -> None:
    assert labels.date_label(MONDAY, "zh") == "12月7日 周一"
    assert labels.date_label(MONDAY, "en") == "Mon 7 Dec"
    assert labels.date_label(SUNDAY, "zh") == "12月13日 周日"
    assert labels.date_label(dt.date(2027, 1, 1), "en") == "Fri 1 Jan"
    assert labels.short_date(MONDAY, "zh") == "12/7" and labels.short_date(MONDAY, "en") == "7 Dec"
    week = [MONDAY + dt.timedelta(days=d) for d in range(7)]
    assert [labels.weekday_name(d, "zh") for d in week] == ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
    assert [labels.weekday_name(d, "en") for d in week] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def test_clock_times_are_in_the_scenarios_zone(scenario: Scenario) -> None:
    zone = scenario.zone
    start = at(scenario, 8)
    assert labels.clock(start, zone) == "08:00"
    assert labels.clock(start.astimezone(dt.UTC), zone) == "08:00"  # the same moment, written in Shanghai time
    assert labels.clock(start, ZoneInfo("Europe/London")) == "00:00"
    assert labels.time_range(start, at(scenario, 16, 30), zone) == "08:00–16:30"


def test_places_shifts_and_their_names(scenario: Scenario) -> None:
    places = labels.places(scenario)
    assert set(places) == {"gate", "patrol"}
    gate, patrol = places["gate"], labels.place_of(scenario, "patrol")
    assert (gate.name("zh"), gate.name("en"), gate.location("en")) == ("大门", "Gate", "North entrance")
    assert (patrol.name("zh"), patrol.location("en"), patrol.duty is not None) == ("巡逻", "Patrol", True)
    assert gate.slot_name("day", "zh") == "白班" and gate.slot_name("day", "en") == "Day"
    assert gate.slot_name("late", "zh") == "16:00–24:00"  # a shift without a name goes by its times
    assert patrol.slot_name(None, "en") == "Patrol"
    assert gate.shift("nope") is None and patrol.shift("day") is None
    with pytest.raises(KeyError):
        labels.place_of(scenario, "kitchen")


def test_role_names_and_marks(scenario: Scenario) -> None:
    roles = {r.id: r for r in scenario.roles}
    assert labels.role_name(roles, "security", "zh") == "安保"
    assert labels.role_name(roles, "vol", "en") == "Volunteer"
    assert labels.role_name(roles, "gone", "en") == "gone"  # a role no longer defined keeps its id
    assert labels.role_mark(roles, "security", "en") == "安"
    assert labels.role_mark(roles, "vol", "zh") == "志愿者"  # no mark: the name
    assert labels.role_mark(roles, "gone", "zh") == "gone"


def test_meal_breaks_are_named_by_the_window_they_lie_in(scenario: Scenario) -> None:
    lunch = Break(start=at(scenario, 11, 45), end=at(scenario, 12, 30))
    dinner = Break(start=at(scenario, 17, 0), end=at(scenario, 17, 45))
    odd = Break(start=at(scenario, 15, 0), end=at(scenario, 15, 30))
    assert labels.break_name(scenario, "gate", lunch, "zh") == "午饭"
    assert labels.break_label(scenario, "gate", lunch, "zh") == "午饭 11:45–12:30"
    assert labels.break_label(scenario, "gate", dinner, "en") == "Dinner 17:00–17:45"
    assert labels.break_label(scenario, "gate", odd, "zh") == "用餐休息 15:00–15:30"
    assert labels.break_label(scenario, "patrol", lunch, "en") == "Meal break 11:45–12:30"  # no meal rule there
    assert [labels.window_label(w) for w in labels.meal_windows(scenario, "gate")] == ["11:00–13:30", "17:00–19:00"]
    assert labels.meal_windows(scenario, "patrol") == []
    assignment = Assignment(
        person="alice", post="gate", shift="day", role="vol", date=MONDAY, start=at(scenario, 8), end=at(scenario, 16),
        breaks=[lunch],
    )
    grid = week_grid(scenario, rota_of(scenario, [assignment]), "en")
    [entry] = [e for place in grid.places for row in place.rows for cell in row.cells for e in cell]
    assert [b.label for b in entry.breaks] == ["Lunch 11:45–12:30"]


def test_both_languages_have_the_same_words() -> None:
    assert set(labels.WORDS["zh"]) == set(labels.WORDS["en"])
    assert all(labels.WORDS["zh"].values()) and all(labels.WORDS["en"].values())
