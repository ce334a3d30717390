"""Each person's load (scheduler.reports.loads): shift lines, minutes, nights and weekends, and who is listed."""

from __future__ import annotations

from scheduler import PersonLoad, Scenario, ShiftLine, person_loads
from scheduler.model.timeline import Instances
from tests.builders import MONDAY, day, person, scenario_data
from tests.reports.rotas import assign, rota_of


def community() -> Scenario:
    """The gate with a day shift, a late shift (into the night window) and a flagged night; a night patrol duty.

    Monday 7 December 2026 starts the week: day 5 is a Saturday, day 6 a Sunday.
    """
    data = scenario_data(
        people=[person("ann"), person("bo", name="Al"), person("cy", active=False), person("di", active=False)],
        days=7,
        shifts={
            "day": {"start": "08:00", "hours": 8, "name": {"zh": "白班", "en": "Day"}},
            "late": ("20:00", 4),
            "watch": {"start": "06:00", "hours": 2, "night": True, "days": ["mon"]},
        },
        night_window={"start": "22:00", "end": "06:00"},
    )
    data["team_duties"] = [{"id": "patrol", "name": {"zh": "巡逻", "en": "Patrol"},
                            "window": {"start": "23:00", "end": "01:00"}, "roles": ["vol"]}]
    return Scenario.model_validate(data)


def test_shift_lines_and_totals() -> None:
    scenario = community()
    rota = rota_of(scenario, [
        assign(scenario, "ann", "late", day(1), start="20:00", hours=4),
        assign(scenario, "ann", "day", MONDAY, pinned=True),
        assign(scenario, "ann", None, day(5), start="23:00", hours=2, duty="patrol"),
    ])
    ann = next(load for load in person_loads(scenario, rota, "en") if load.person == "ann")
    assert ann.shifts == (
        ShiftLine(MONDAY, "Gate", "Day", "08:00–16:00", "Vol", False, False, True),
        ShiftLine(day(1), "Gate", "20:00–24:00", "20:00–24:00", "Vol", True, False, False),
        ShiftLine(day(5), "Patrol", "Patrol", "23:00–01:00", "Vol", True, True, False),
    )
    assert (ann.minutes, ann.hours, ann.nights, ann.weekends) == (14 * 60, 14.0, 2, 1)
    assert person_loads(scenario, rota, "zh")[1].shifts[0].shift == "白班"


def test_nights_as_the_scenario_counts_them() -> None:
    """A night is a shift instance of the period that the timeline calls a night: its flag, or the night window."""
    scenario = community()
    assignments = [
        assign(scenario, "ann", "watch", MONDAY, start="06:00", hours=2),  # flagged night
        assign(scenario, "ann", "watch", day(2), start="06:00", hours=2),  # the watch does not run on Wednesday
        assign(scenario, "ann", "late", day(3), start="20:00", hours=4),  # overlaps the night window
        assign(scenario, "ann", "day", day(4)),
        assign(scenario, "ann", "late", day(7), start="20:00", hours=4),  # after the period
    ]
    loads = {load.person: load for load in person_loads(scenario, rota_of(scenario, assignments), "en")}
    assert [line.night for line in loads["ann"].shifts] == [True, False, True, False, False]
    assert loads["ann"].nights == 2
    # The same as the model's own shift instances, for every instance of the period.
    for instance in Instances(scenario).shifts:
        one = assign(scenario, "bo", instance.template, instance.date, start="00:00", hours=1,
                     **({"duty": instance.place} if instance.template is None else {}))
        (load,) = (x for x in person_loads(scenario, rota_of(scenario, [one]), "en") if x.person == "bo")
        assert load.nights == instance.night, instance


def test_weekends_start_on_saturday_or_sunday() -> None:
    scenario = community()
    rota = rota_of(scenario, [assign(scenario, "bo", "day", day(offset)) for offset in (4, 5, 6)])
    (al,) = (load for load in person_loads(scenario, rota, "en") if load.person == "bo")
    assert [line.weekend for line in al.shifts] == [False, True, True]
    assert al.weekends == 2


def test_who_is_listed_and_in_which_order() -> None:
    """Active people, and anyone with a shift (inactive or unknown), by name then id."""
    scenario = community()
    rota = rota_of(scenario, [assign(scenario, "cy", "day", MONDAY), assign(scenario, "zed", "day", day(1))])
    loads = person_loads(scenario, rota, "en")
    assert [(x.person, x.name, x.active, len(x.shifts)) for x in loads] == [
        ("bo", "Al", True, 0), ("ann", "Ann", True, 0), ("cy", "Cy", False, 1), ("zed", "zed", False, 1),
    ]
    assert loads[0] == PersonLoad("bo", "Al", True, (), 0, 0, 0)
