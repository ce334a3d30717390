"""The week grid (scheduler.reports.grid): columns, rows in the scenario's order, entries, duties and breaks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from scheduler import GridEntry, MealBreak, Scenario, week_grid
from tests.builders import MONDAY, day, person, scenario_data
from tests.reports.rotas import assign, local, rota_of

UTC = dt.UTC


def community(**overrides: Any) -> Scenario:
    """Two posts (the gate: a named day shift with lunch, an unnamed evening; the yard), a patrol duty, two roles."""
    data = scenario_data(
        people=[person("a", ("vol", "sec"), name="Zed"), person("z", name="Amy"), person("m", name="Mia")],
        days=3,
        shifts={"day": {"start": "08:00", "hours": 8, "name": {"zh": "白班", "en": "Day"}}, "eve": ("16:00", 8)},
    )
    data["roles"] = [
        {"id": "vol", "name": {"zh": "志愿者", "en": "Volunteer"}, "mark": "志"},
        {"id": "sec", "name": {"zh": "保安", "en": "Security"}},
    ]
    data["posts"].append({"id": "yard", "name": {"zh": "后院", "en": "Yard"}, "location": "Back door",
                          "shifts": [{"id": "am", "start": "09:00", "hours": 4}]})
    data["team_duties"] = [{"id": "patrol", "name": {"zh": "巡逻", "en": "Patrol"},
                            "window": {"start": "09:00", "end": "12:00"}, "roles": ["vol"]}]
    data["meal_rules"] = [{"post": "gate", "shifts": ["day"], "minutes": 30,
                           "windows": [{"name": {"zh": "午饭", "en": "Lunch"}, "start": "11:00", "end": "13:00"}]}]
    data.update(overrides)
    return Scenario.model_validate(data)


def test_columns_are_the_scenario_period_unless_given() -> None:
    scenario = community()
    rota = rota_of(scenario, [assign(scenario, "a", "day", day(1)), assign(scenario, "z", "day", day(2))])
    grid = week_grid(scenario, rota, "en")
    assert grid.dates == (MONDAY, day(1), day(2))
    cells = week_grid(scenario, rota, "en", [day(2), day(1)]).places[0].rows[0].cells
    assert [[e.person for e in cell] for cell in cells] == [["z"], ["a"]]
    # Days outside the columns are left out.
    assert [[e.person for e in cell] for cell in week_grid(scenario, rota, "en", [MONDAY]).places[0].rows[0].cells
            ] == [[]]


def test_places_and_rows_in_the_scenario_order_with_labels() -> None:
    grid = week_grid(community(), rota_of(community(), []), "en")
    assert [(p.id, p.name, p.location, p.duty) for p in grid.places] == [
        ("gate", "Gate", None, False), ("yard", "Yard", "Back door", False), ("patrol", "Patrol", None, True),
    ]
    rows = [(r.place, r.shift, r.label, r.hours) for p in grid.places for r in p.rows]
    assert rows == [
        ("gate", "day", "Day", "08:00–16:00"),
        ("gate", "eve", "16:00–24:00", "16:00–24:00"),  # no name: its times
        ("yard", "am", "09:00–13:00", "09:00–13:00"),
        ("patrol", "", "Patrol", "09:00–12:00"),
    ]
    assert all(cell == () for p in grid.places for r in p.rows for cell in r.cells)
    assert all(len(r.cells) == 3 for p in grid.places for r in p.rows)


def test_names_in_chinese() -> None:
    scenario = community()
    rota = rota_of(scenario, [assign(scenario, "a", "day", MONDAY)])
    grid = week_grid(scenario, rota, "zh-CN")
    assert [p.name for p in grid.places] == ["Gate", "后院", "巡逻"]
    assert grid.places[0].rows[0].label == "白班"
    entry = grid.places[0].rows[0].cells[0][0]
    assert (entry.role_name, entry.mark) == ("志愿者", "志")


def test_entries_by_start_then_name_keeping_the_rota_position() -> None:
    scenario = community()
    assignments = [
        assign(scenario, "a", "day", MONDAY),  # Zed
        assign(scenario, "z", "day", MONDAY),  # Amy
        assign(scenario, "m", "day", MONDAY, start="07:00", hours=9),  # Mia, earliest
        assign(scenario, "m", "eve", MONDAY, start="16:00"),
    ]
    grid = week_grid(scenario, rota_of(scenario, assignments), "en")
    day_cell, eve_cell = (row.cells[0] for row in grid.places[0].rows)
    assert [(e.name, e.index) for e in day_cell] == [("Mia", 2), ("Amy", 1), ("Zed", 0)]
    assert [(e.person, e.start, e.end) for e in eve_cell] == [
        ("m", local(scenario, MONDAY, "16:00"), local(scenario, day(1), "00:00")),
    ]


def test_duty_entries_and_unknown_shifts() -> None:
    scenario = community()
    assignments = [
        assign(scenario, "m", None, day(1), start="09:00", hours=3, duty="patrol"),
        assign(scenario, "a", "night", MONDAY),  # a shift the scenario does not have: not in the grid
        assign(scenario, "z", "am", MONDAY, start="09:00", hours=4, post="yard"),
    ]
    grid = week_grid(scenario, rota_of(scenario, assignments), "en")
    patrol = grid.places[2].rows[0]
    assert [[e.person for e in cell] for cell in patrol.cells] == [[], ["m"], []]
    assert [[e.person for e in c] for r in grid.places[0].rows for c in r.cells] == [[]] * 6
    assert [e.person for e in grid.places[1].rows[0].cells[0]] == ["z"]


def test_pinned_marks_and_unknown_role_or_person() -> None:
    scenario = community()
    assignments = [
        assign(scenario, "a", "day", MONDAY, pinned=True),
        assign(scenario, "z", "day", MONDAY, start="09:00", role="sec"),
        assign(scenario, "ghost", "day", MONDAY, start="10:00", role="cook"),
    ]
    cell = week_grid(scenario, rota_of(scenario, assignments), "en").places[0].rows[0].cells[0]
    assert [(e.person, e.name, e.role, e.role_name, e.mark, e.pinned) for e in cell] == [
        ("a", "Zed", "vol", "Volunteer", "志", True),
        ("z", "Amy", "sec", "Security", "", False),  # a role without a mark
        ("ghost", "ghost", "cook", "cook", "", False),  # neither person nor role known: their ids
    ]


def test_breaks_in_local_time_across_the_clock_change() -> None:
    """Berlin leaves summer time in the night to Sunday 25 October 2026: the same local lunch, another UTC hour."""
    saturday = dt.date(2026, 10, 24)
    scenario = community(timezone="Europe/Berlin", start=saturday.isoformat())
    sunday = saturday + dt.timedelta(days=1)
    assignments = [
        assign(scenario, "a", "day", saturday, breaks=[(dt.datetime(2026, 10, 24, 10, 0, tzinfo=UTC),
                                                         dt.datetime(2026, 10, 24, 10, 30, tzinfo=UTC))]),
        assign(scenario, "a", "day", sunday, breaks=[(dt.datetime(2026, 10, 25, 11, 0, tzinfo=UTC),
                                                       dt.datetime(2026, 10, 25, 11, 30, tzinfo=UTC)),
                                                      (dt.datetime(2026, 10, 25, 14, 0, tzinfo=UTC),
                                                       dt.datetime(2026, 10, 25, 14, 15, tzinfo=UTC))]),
    ]
    cells = week_grid(scenario, rota_of(scenario, assignments), "en").places[0].rows[0].cells
    saturday_entry: GridEntry = cells[0][0]
    sunday_entry: GridEntry = cells[1][0]
    assert saturday_entry.breaks == (MealBreak("12:00", "12:30", "Lunch"),)
    # The second break lies outside every meal window: the generic word.
    assert sunday_entry.breaks == (MealBreak("12:00", "12:30", "Lunch"), MealBreak("15:00", "15:15", "Meal break"))
    assert [b.times for b in sunday_entry.breaks] == ["12:00–12:30", "15:00–15:15"]
    assert [b.label for b in sunday_entry.breaks] == ["Lunch 12:00–12:30", "Meal break 15:00–15:15"]
    assert week_grid(scenario, rota_of(scenario, assignments), "zh").places[0].rows[0].cells[1][0].breaks[1].label \
        == "用餐休息 15:00–15:15"
