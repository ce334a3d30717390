"""Weeks across a clock change: a shift given by its end clock time, a period of local days, and 24-hour hard
coverage that solves and passes the independent checker (docs/rules.md, "Time" and "coverage").

Expected times are written out by hand from the zones' rules: Europe/Berlin goes 02:00 -> 03:00 on Sun 2027-03-28
and 03:00 -> 02:00 on Sun 2027-10-31; America/New_York goes 02:00 -> 03:00 on Sun 2027-03-14 and 02:00 -> 01:00 on
Sun 2027-11-07.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from scheduler.check import check
from scheduler.domain.community import ShiftTemplate
from scheduler.domain.rota import Assignment, Rota, SolveStatus
from scheduler.domain.scenario import Scenario
from scheduler.model.timeline import Instances
from tests.builders import infeasible, person, solved, tiny_scenario

BERLIN_SPRING = dt.date(2027, 3, 22)
BERLIN_AUTUMN = dt.date(2027, 10, 25)
NEW_YORK_SPRING = dt.date(2027, 3, 8)
NEW_YORK_AUTUMN = dt.date(2027, 11, 1)
SUNDAY = 6
"""Period day of the change in each of these Monday-to-Sunday weeks."""

BY_HOURS: dict[str, Any] = {"day": ("07:00", 8), "late": ("15:00", 8), "night": ("23:00", 8)}
BY_END: dict[str, Any] = {
    "day": {"start": "07:00", "end": "15:00"},
    "late": {"start": "15:00", "end": "23:00"},
    "night": {"start": "23:00", "end": "07:00"},
}
FROM_MIDNIGHT: dict[str, Any] = {
    "night": {"start": "00:00", "end": "08:00"},
    "day": {"start": "08:00", "end": "16:00"},
    "late": {"start": "16:00", "end": "24:00"},
}


def local(zone: str, date: dt.date, hour: int, minute: int = 0, fold: int = 0) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(hour, minute, fold=fold), ZoneInfo(zone))


def week(
    zone: str, start: dt.date, shifts: dict[str, Any], people: list[dict[str, Any]] | None = None, **extra: Any
) -> Scenario:
    """Seven days, one post with three shifts, somebody on duty at every minute (a hard rule), five people."""
    people = people or [person(name) for name in ("ann", "ben", "cai", "dai", "eve")]
    fields: dict[str, Any] = {
        "coverage": [{"post": "gate", "min": 1}],
        "default_limits": {"min_rest_hours": 8, "max_shifts_per_week": 5},
        **extra,
    }
    return tiny_scenario(people, days=7, start=start, timezone=zone, shifts=shifts, **fields)


def lengths(scenario: Scenario, template: str) -> list[int]:
    """Minutes of each day's instance of the template, Monday to Sunday."""
    return [s.minutes for s in Instances(scenario).shifts if s.template == template]


# ------------------------------------------------------------------------------------ the shift template


def test_a_shift_is_given_by_hours_or_by_end_and_not_both() -> None:
    by_end = ShiftTemplate.model_validate({"id": "n", "start": "23:00", "end": "07:00"})
    assert (by_end.minutes, by_end.label(), by_end.follows_clock) == (480, "23:00–07:00", True)
    by_hours = ShiftTemplate.model_validate({"id": "n", "start": "23:00", "hours": 8})
    assert (by_hours.minutes, by_hours.label(), by_hours.follows_clock) == (480, "23:00–07:00", False)
    until_midnight = ShiftTemplate.model_validate({"id": "l", "start": "16:00", "end": "24:00"})
    assert (until_midnight.minutes, until_midnight.label()) == (480, "16:00–24:00")
    with pytest.raises(ValidationError, match="either 'hours' or 'end', not both"):
        ShiftTemplate.model_validate({"id": "n", "start": "23:00", "hours": 8, "end": "07:00"})
    with pytest.raises(ValidationError, match=r"'hours' .* or its 'end'"):
        ShiftTemplate.model_validate({"id": "n", "start": "23:00"})
    with pytest.raises(ValidationError, match="'end' equals 'start'"):
        ShiftTemplate.model_validate({"id": "n", "start": "07:00", "end": "07:00"})
    with pytest.raises(ValidationError, match="clock time"):
        ShiftTemplate.model_validate({"id": "n", "start": "07:00", "end": 15})


def test_a_shift_given_by_hours_dumps_and_reloads_unchanged() -> None:
    scenario = week("Europe/Berlin", BERLIN_SPRING, BY_HOURS)
    again = Scenario.model_validate_json(scenario.model_dump_json())
    assert again == scenario
    assert again.posts[0].shifts[2].end is None and again.posts[0].shifts[2].hours == 8


# -------------------------------------------------------------------- instance lengths, model and checker


@pytest.mark.parametrize(
    ("zone", "start", "shifts", "nights"),
    [
        # 23:00–07:00: the night into the change day has the jump (7 h) or the repeated hour (9 h).
        ("Europe/Berlin", BERLIN_SPRING, BY_END, [480] * 5 + [420, 480]),
        ("Europe/Berlin", BERLIN_AUTUMN, BY_END, [480] * 5 + [540, 480]),
        ("America/New_York", NEW_YORK_AUTUMN, BY_END, [480] * 5 + [540, 480]),
        # 00:00–08:00: the change day's own night.
        ("Europe/Berlin", BERLIN_AUTUMN, FROM_MIDNIGHT, [480] * 6 + [540]),
        ("America/New_York", NEW_YORK_SPRING, FROM_MIDNIGHT, [480] * 6 + [420]),
        # Given by hours the night keeps its 8 hours.
        ("Europe/Berlin", BERLIN_SPRING, BY_HOURS, [480] * 7),
        ("Europe/Berlin", BERLIN_AUTUMN, BY_HOURS, [480] * 7),
    ],
)
def test_an_end_given_shift_follows_the_clock(zone: str, start: dt.date, shifts: dict[str, Any], nights: list[int]
                                              ) -> None:
    assert lengths(week(zone, start, shifts), "night") == nights
    assert lengths(week(zone, start, shifts), "day") == [480] * 7


def test_a_night_by_hours_ends_an_hour_later_or_earlier_on_the_clock() -> None:
    for start, end_hour in ((BERLIN_SPRING, 8), (BERLIN_AUTUMN, 6)):
        instances = Instances(week("Europe/Berlin", start, BY_HOURS))
        saturday = [s for s in instances.shifts if s.template == "night"][5]
        assert instances.timeline.at(saturday.end) == local("Europe/Berlin", start + dt.timedelta(days=6), end_hour)


def test_the_period_ends_at_local_midnight_after_its_last_day() -> None:
    instances = Instances(week("Europe/Berlin", BERLIN_SPRING, BY_HOURS))
    assert instances.period_end == 7 * 24 * 60 - 60
    assert instances.timeline.at(instances.period_end) == local("Europe/Berlin", dt.date(2027, 3, 29), 0)
    autumn = Instances(week("Europe/Berlin", BERLIN_AUTUMN, BY_HOURS))
    assert autumn.period_end == 7 * 24 * 60 + 60


def _assignment(scenario: Scenario, shift: str, date: dt.date, start: dt.datetime, end: dt.datetime) -> Assignment:
    return Assignment(person="ann", post="gate", shift=shift, role="vol", date=date, start=start, end=end)


def _rota(scenario: Scenario, *assignments: Assignment) -> Rota:
    return Rota(
        community=scenario.community, start=scenario.start, days=scenario.days, timezone=scenario.timezone,
        status=SolveStatus.FEASIBLE, objective=0, bound=0, assignments=list(assignments),
    )


def test_the_checker_takes_an_end_given_shift_at_its_local_end() -> None:
    scenario = week("Europe/Berlin", BERLIN_AUTUMN, BY_END, coverage=[])
    saturday, sunday = dt.date(2027, 10, 30), dt.date(2027, 10, 31)
    start = local("Europe/Berlin", saturday, 23)
    real = _assignment(scenario, "night", saturday, start, local("Europe/Berlin", sunday, 7))
    assert real.end.astimezone(dt.UTC) - real.start.astimezone(dt.UTC) == dt.timedelta(hours=9)
    assert check(scenario, _rota(scenario, real)).ok
    eight_hours = start.astimezone(dt.UTC) + dt.timedelta(hours=8)  # 06:00 local: the template's length
    nominal = _assignment(scenario, "night", saturday, start, eight_hours)
    result = check(scenario, _rota(scenario, nominal))
    assert [v.rule for v in result.violations] == ["structure"]
    assert "Sat 30 Oct 23:00–07:00" in result.violations[0].message


# ------------------------------------------------------------------ weeks with 24-hour hard coverage, solved


@pytest.mark.parametrize(
    ("zone", "start", "shifts"),
    [
        pytest.param("Europe/Berlin", BERLIN_SPRING, BY_HOURS, id="berlin-spring-hours"),
        pytest.param("Europe/Berlin", BERLIN_SPRING, BY_END, id="berlin-spring-end"),
        pytest.param("Europe/Berlin", BERLIN_SPRING, FROM_MIDNIGHT, id="berlin-spring-midnight"),
        pytest.param("Europe/Berlin", BERLIN_AUTUMN, BY_END, id="berlin-autumn-end"),
        pytest.param("Europe/Berlin", BERLIN_AUTUMN, FROM_MIDNIGHT, id="berlin-autumn-midnight"),
        pytest.param("America/New_York", NEW_YORK_SPRING, BY_HOURS, id="new-york-spring-hours"),
        pytest.param("America/New_York", NEW_YORK_AUTUMN, BY_END, id="new-york-autumn-end"),
    ],
)
def test_a_week_across_a_clock_change_is_covered_at_every_minute(
    zone: str, start: dt.date, shifts: dict[str, Any]
) -> None:
    scenario = week(zone, start, shifts)
    result = solved(scenario, time_limit=10)  # also: the checker finds nothing wrong and the same objective
    assert result.rota is not None
    assignments = sorted(result.rota.assignments, key=lambda a: a.start)
    assert len(assignments) == 21  # one person per shift covers every minute; nobody is needed twice
    # From the first shift's start to the same local time a week later, with no hole and no hour outside.
    first = min(shifts[s][0] if isinstance(shifts[s], tuple) else shifts[s]["start"] for s in shifts)
    hour, minute = map(int, first.split(":"))
    assert assignments[0].start == local(zone, start, hour, minute)
    covered = assignments[0].start
    for assignment in assignments:
        assert assignment.start <= covered
        covered = max(covered, assignment.end)
    assert covered >= local(zone, start + dt.timedelta(days=7), hour, minute)


def test_the_autumn_week_with_8_hour_nights_by_hours_leaves_an_hour_no_shift_covers() -> None:
    # 23:00 + 8 h ends at 06:00 on the long night: 06:00–07:00 on Sunday, inside the period, has nobody, and
    # nothing after the period is asked for.
    instances = Instances(week("Europe/Berlin", BERLIN_AUTUMN, BY_HOURS))
    scenario = week("Europe/Berlin", BERLIN_AUTUMN, BY_HOURS, people=[person(f"p{s.index}") for s in instances.shifts])
    everyone = _rota(scenario, *[
        Assignment(
            person=f"p{s.index}", post="gate", shift=s.template, role="vol", date=s.date,
            start=instances.timeline.at(s.start), end=instances.timeline.at(s.end),
        )
        for s in instances.shifts
    ])
    violations = check(scenario, everyone).violations
    assert [v.rule for v in violations] == ["coverage"]
    assert violations[0].message.startswith("Gate Sun 31 Oct 06:00–07:00: 0 people on duty")


def test_the_explanation_names_the_hour_no_shift_covers_inside_the_period() -> None:
    result = infeasible(week("Europe/Berlin", BERLIN_AUTUMN, BY_HOURS), time_limit=10)
    assert result.explanation is not None
    (shortage,) = result.explanation.shortages
    assert (shortage.start, shortage.end) == (
        local("Europe/Berlin", dt.date(2027, 10, 31), 6), local("Europe/Berlin", dt.date(2027, 10, 31), 7)
    )
    assert "no shift of the post runs then" in shortage.message
    (suggestion,) = result.explanation.suggestions
    assert suggestion.extra_people == 0 and "end time" in suggestion.message


def test_a_shift_inside_the_skipped_hour_does_not_run_that_day() -> None:
    # 02:00–03:00 does not exist on Sun 2027-03-28 in Berlin: that day has no such shift, in model and checker.
    scenario = week("Europe/Berlin", BERLIN_SPRING, {"gap": {"start": "02:00", "end": "03:00"}}, coverage=[])
    assert [s.date.day for s in Instances(scenario).shifts] == [22, 23, 24, 25, 26, 27]
    sunday = dt.date(2027, 3, 28)
    start = local("Europe/Berlin", sunday, 3)
    an_hour = _assignment(scenario, "gap", sunday, start, start + dt.timedelta(hours=1))
    result = check(scenario, _rota(scenario, an_hour))
    assert [v.rule for v in result.violations] == ["structure"]
