"""The scenario unrolled onto a timeline (scheduler/model/timeline.py): shift instances day by day, minutes across a
clock change, availability and absence intervals, night and weekend flags, history."""

from __future__ import annotations

import datetime as dt

from scheduler.domain.scenario import Scenario
from scheduler.model.timeline import Instances, Interval, ShiftInstance
from tests.builders import MONDAY, person, tiny_scenario

DAY = 24 * 60
BERLIN_CLOCKS_GO_BACK = dt.date(2026, 10, 25)
"""A Sunday: at 03:00 summer time the clocks in Europe/Berlin go back to 02:00, so the day has 25 hours."""
BERLIN_MONDAY = BERLIN_CLOCKS_GO_BACK - dt.timedelta(days=6)


def shifts_of(scenario: Scenario) -> list[ShiftInstance]:
    return Instances(scenario).shifts


def test_each_template_becomes_one_instance_per_day_it_runs() -> None:
    scenario = tiny_scenario(
        days=7,
        shifts={
            "day": ("08:00", 8),
            "late": {"start": "16:00", "hours": 8, "days": ["sat", "sun"]},
        },
    )
    shifts = shifts_of(scenario)
    assert [s.index for s in shifts] == list(range(9))
    assert [(s.template, s.day) for s in shifts if s.template == "late"] == [("late", 5), ("late", 6)]
    for shift in shifts:
        assert shift.date == MONDAY + dt.timedelta(days=shift.day)
        assert (shift.place, shift.is_duty, shift.roles) == ("gate", False, None)
        assert shift.week == 0
    day_shifts = [s for s in shifts if s.template == "day"]
    assert [s.start for s in day_shifts] == [d * DAY + 8 * 60 for d in range(7)]
    assert all(s.minutes == 8 * 60 and s.end == s.start + 480 for s in day_shifts)


def test_a_shift_crossing_midnight_ends_on_the_next_day() -> None:
    scenario = tiny_scenario(days=2, shifts={"night": ("22:00", 10)})
    first, second = shifts_of(scenario)
    assert (first.start, first.end) == (22 * 60, DAY + 8 * 60)
    assert second.start == DAY + 22 * 60 and first.end > second.start - DAY
    timeline = Instances(scenario).timeline
    assert timeline.label(first.start, first.end) == "Mon 2026-12-07 22:00–Tue 08:00"
    assert timeline.label(0, DAY) == "Mon 2026-12-07 00:00–24:00"


def test_minutes_are_absolute_across_a_clock_change() -> None:
    scenario = tiny_scenario(days=7, start=BERLIN_MONDAY, timezone="Europe/Berlin", shifts={"day": ("08:00", 8)})
    instances = Instances(scenario)
    shifts = instances.shifts
    # Saturday's 08:00 is six whole days in; Sunday's 08:00 local comes one hour later in absolute time.
    assert shifts[5].start == 5 * DAY + 8 * 60
    assert shifts[6].date == BERLIN_CLOCKS_GO_BACK
    assert shifts[6].start == 6 * DAY + 8 * 60 + 60
    sunday_8 = instances.timeline.at(shifts[6].start)
    assert (sunday_8.hour, sunday_8.minute, sunday_8.utcoffset()) == (8, 0, dt.timedelta(hours=1))
    saturday_8 = instances.timeline.at(shifts[5].start)
    assert (saturday_8.hour, saturday_8.utcoffset()) == (8, dt.timedelta(hours=2))
    # A shift's length is its real length: 8 hours from 08:00 ends at 16:00 on either side of the change.
    assert instances.timeline.at(shifts[6].end).hour == 16


def test_a_night_shift_over_the_clock_change_keeps_its_real_length() -> None:
    scenario = tiny_scenario(days=7, start=BERLIN_MONDAY, timezone="Europe/Berlin", shifts={"night": ("22:00", 8)})
    instances = Instances(scenario)
    saturday = instances.shifts[5]
    assert saturday.minutes == 8 * 60
    end = instances.timeline.at(saturday.end)
    assert (end.date(), end.hour) == (BERLIN_CLOCKS_GO_BACK, 5)  # 8 hours after 22:00 summer time is 05:00 winter time
    # The repeated hour stays unambiguous: 02:30 summer time comes before 02:30 winter time.
    first = instances.timeline.minute(BERLIN_CLOCKS_GO_BACK, 0) + 150
    assert instances.timeline.at(first) < instances.timeline.at(first + 60)
    assert instances.timeline.at(first).strftime("%H:%M") == instances.timeline.at(first + 60).strftime("%H:%M")
    assert instances.timeline.of(instances.timeline.at(first + 60)) == first + 60


def test_timeline_minutes_and_moments_convert_both_ways() -> None:
    scenario = tiny_scenario(days=3)
    timeline = Instances(scenario).timeline
    assert timeline.minute(MONDAY, 0) == 0
    assert timeline.minute(MONDAY, DAY) == DAY == timeline.minute(MONDAY + dt.timedelta(days=1), 0)
    moment = dt.datetime(2026, 12, 8, 9, 30, tzinfo=scenario.zone)
    assert timeline.of(moment) == DAY + 9 * 60 + 30
    assert timeline.of(moment.replace(tzinfo=None)) == DAY + 9 * 60 + 30  # naive: in the scenario's zone
    assert timeline.of(moment.astimezone(dt.UTC)) == DAY + 9 * 60 + 30
    assert timeline.at(DAY + 570) == moment
    assert timeline.day_of(moment) == 1
    assert Instances(scenario).period_end == 3 * DAY


def test_night_and_weekend_flags() -> None:
    scenario = tiny_scenario(
        days=7,
        shifts={
            "day": ("08:00", 8),
            "late": ("20:00", 6),
            "early": ("05:00", 4),
            "evening": {"start": "22:00", "hours": 4, "night": False},
        },
        night_window={"start": "00:00", "end": "06:00"},
    )
    shifts = shifts_of(scenario)
    night = {s.template for s in shifts if s.night}
    assert night == {"late", "early"}  # late runs to 02:00, early starts at 05:00: both meet the window
    assert {s.day for s in shifts if s.weekend} == {5, 6}


def test_team_duties_are_instances_too() -> None:
    scenario = tiny_scenario(
        days=2,
        roles=("vol", "medic"),
        team_duties=[{"id": "patrol", "name": "Patrol", "window": {"start": "18:00", "end": "02:00"},
                      "roles": ["vol", "medic"], "days": ["tue"]}],
    )
    duty = [s for s in shifts_of(scenario) if s.is_duty]
    assert len(duty) == 1
    (patrol,) = duty
    assert (patrol.place, patrol.template, patrol.day, patrol.roles) == ("patrol", None, 1, frozenset({"vol", "medic"}))
    assert (patrol.start, patrol.minutes, patrol.night) == (DAY + 18 * 60, 8 * 60, True)


def test_availability_windows_become_merged_intervals() -> None:
    nights = {"days": ["mon", "tue"], "start": "22:00", "end": "06:00"}
    mornings = {"days": ["tue"], "start": "06:00", "end": "09:00"}
    scenario = tiny_scenario(people=[person("alice", availability=[nights, mornings]), "bob"], days=2)
    alice, bob = Instances(scenario).people
    assert bob.available is None  # available at any time
    assert alice.available is not None
    # Monday's night runs into Tuesday's morning window and becomes one interval; Tuesday's night to Wednesday 06:00.
    assert alice.available == [
        Interval(22 * 60, DAY + 9 * 60),
        Interval(DAY + 22 * 60, 2 * DAY + 6 * 60),
    ]


def test_absences_become_intervals_with_their_reasons() -> None:
    absences = [
        {"date": "2026-12-08", "reason": "exam"},
        {"date": "2026-12-09", "until": "2026-12-10", "start": "12:00", "end": "14:00"},
        {"date": "2026-12-08", "start": "20:00", "end": "24:00"},
    ]
    scenario = tiny_scenario(people=[person("alice", absences=absences)], days=4)
    (alice,) = Instances(scenario).people
    assert alice.absent == [
        (Interval(DAY, 2 * DAY), "exam"),
        (Interval(2 * DAY + 12 * 60, 2 * DAY + 14 * 60), None),
        (Interval(3 * DAY + 12 * 60, 3 * DAY + 14 * 60), None),
        (Interval(DAY + 20 * 60, 2 * DAY), None),
    ]
    assert alice.away == [
        Interval(DAY, 2 * DAY),
        Interval(2 * DAY + 12 * 60, 2 * DAY + 14 * 60),
        Interval(3 * DAY + 12 * 60, 3 * DAY + 14 * 60),
    ]


def test_person_facts_the_rules_share() -> None:
    scenario = tiny_scenario(
        people=[
            person("alice", limits={"max_hours_per_week": 20}, shift_limits=[{"shift": "day", "max": 0}]),
            "bob",
        ],
        days=3,
        default_limits={"min_rest_hours": 11},
        bans=[{"person": "bob", "date": "2026-12-08", "post": "gate", "shift": "day"}],
        history=[
            {"person": "bob", "start": "2026-12-05T08:00", "end": "2026-12-05T16:00"},
            {"person": "bob", "start": "2026-12-06T22:00", "end": "2026-12-07T06:00"},
        ],
    )
    instances = Instances(scenario)
    alice, bob = instances.people
    assert (alice.index, alice.id, bob.index, bob.id) == (0, "alice", 1, "bob")
    assert instances.by_id["bob"] is bob
    assert (alice.limits.max_hours_per_week, alice.limits.min_rest_hours) == (20, 11)
    assert alice.never == {(None, "day")}
    assert bob.bans == {(dt.date(2026, 12, 8), "gate", "day")}
    assert bob.history == [Interval(-2 * DAY + 8 * 60, -2 * DAY + 16 * 60), Interval(-2 * 60, 6 * 60)]
    assert bob.history_days == {-2, -1}
    assert instances.history_first_day == -2
    assert alice.history == [] and alice.history_days == set()
