"""Labels across a clock change show each shift instance's real local times, not the template's: the week grid (web
and CLI), the print-out, the calendars' SUMMARY and DESCRIPTION, and each person's shift lines.

Europe/Berlin goes 02:00 -> 03:00 on Sun 2027-03-28 and 03:00 -> 02:00 on Sun 2027-10-31. The night shift is
unnamed, so it goes by its times: 23:00 for 8 hours ends at 08:00 on the spring night (the template says 07:00);
23:00 to an `end` of 07:00 keeps its clock times but lasts 7 or 9 hours.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
from rich.console import Console

from scheduler.cli import print_rota
from scheduler.domain.rota import Assignment, Rota
from scheduler.domain.scenario import Scenario
from scheduler.reports.grid import week_grid
from scheduler.reports.ical import person_calendar, post_calendar
from scheduler.reports.labels import shift_times
from scheduler.reports.loads import person_loads
from scheduler.reports.printing import print_html
from tests.builders import person, solved, tiny_scenario

BERLIN = ZoneInfo("Europe/Berlin")
SPRING = dt.date(2027, 3, 22)
AUTUMN = dt.date(2027, 10, 25)
SATURDAY = 5


def week(start: dt.date, night: dict[str, Any]) -> tuple[Scenario, Rota]:
    """A Berlin week: a named day and late shift, an unnamed night, somebody at the gate at every minute."""
    shifts: dict[str, Any] = {
        "day": {"name": {"zh": "白班", "en": "Day"}, "start": "07:00", "hours": 8},
        "late": {"name": {"zh": "晚班", "en": "Late"}, "start": "15:00", "end": "23:00"},
        "night": {"start": "23:00", **night},
    }
    people = [person(name) for name in ("ann", "ben", "cai", "dai", "eve")]
    scenario = tiny_scenario(
        people, days=7, start=start, timezone="Europe/Berlin", shifts=shifts, coverage=[{"post": "gate", "min": 1}],
        default_limits={"min_rest_hours": 8, "max_shifts_per_week": 5},
    )
    result = solved(scenario, time_limit=10)
    assert result.rota is not None
    return scenario, result.rota


def night_of(rota: Rota, day: dt.date) -> Assignment:
    return next(a for a in rota.assignments if a.shift == "night" and a.date == day)


def test_shift_times_are_local_with_a_midnight_end_as_24() -> None:
    start = dt.datetime(2027, 3, 27, 22, tzinfo=dt.UTC)  # 23:00 CET
    assert shift_times(start, start + dt.timedelta(hours=8), BERLIN) == "23:00–08:00"  # 07:00 UTC is CEST
    midnight = dt.datetime(2027, 3, 27, 16, tzinfo=BERLIN)
    assert shift_times(midnight, dt.datetime(2027, 3, 28, 0, tzinfo=BERLIN), BERLIN) == "16:00–24:00"


def test_the_spring_night_by_hours_is_labelled_with_its_real_end() -> None:
    scenario, rota = week(SPRING, {"hours": 8})
    saturday = SPRING + dt.timedelta(days=SATURDAY)
    night = night_of(rota, saturday)
    assert night.end == dt.datetime(2027, 3, 28, 8, tzinfo=BERLIN)

    # The grid: the row keeps the template's times, Saturday's cell has its own.
    rows = {row.shift: row for row in week_grid(scenario, rota, "en").places[0].rows}
    assert rows["night"].hours == "23:00–07:00"
    assert rows["night"].times == ("",) * SATURDAY + ("23:00–08:00", "")
    assert rows["day"].times == rows["late"].times == ("",) * 7

    # The print-out shows that cell's times.
    html = print_html(scenario, rota, "en")
    assert '<div class="times">23:00–08:00</div>' in html
    assert html.count('class="times"') == 1

    # The person's shift line and the calendars: summary and first line of the description.
    line = next(s for load in person_loads(scenario, rota, "en") if load.person == night.person for s in load.shifts
                if s.date == saturday and s.hours.startswith("23:00"))
    assert (line.shift, line.hours) == ("23:00–08:00", "23:00–08:00")
    mine = _event_on(person_calendar(scenario, rota, night.person), saturday)
    assert "23:00–08:00" in str(mine["summary"]) and "07:00" not in str(mine["summary"])
    assert str(mine["description"]).splitlines()[0] == "Gate 23:00–08:00 3月27日 周六 23:00–08:00"  # in Chinese
    assert mine.decoded("dtend") == dt.datetime(2027, 3, 28, 8, tzinfo=BERLIN)
    post = _event_on(post_calendar(scenario, rota, "gate", "en"), saturday)
    assert str(post["summary"]).startswith("Gate, 23:00–08:00 · ")
    assert str(post["description"]).splitlines()[0] == "Gate, 23:00–08:00, Sat 27 Mar 23:00–08:00"

    # The CLI's table heads Saturday's night cell with those times.
    output = io.StringIO()
    print_rota(scenario, rota, Console(file=output, width=200))
    assert "23:00–08:00" in output.getvalue()


def test_an_end_given_night_keeps_its_clock_times_and_lasts_nine_hours_in_autumn() -> None:
    scenario, rota = week(AUTUMN, {"end": "07:00"})
    saturday = AUTUMN + dt.timedelta(days=SATURDAY)
    night = night_of(rota, saturday)
    assert night.end.astimezone(dt.UTC) - night.start.astimezone(dt.UTC) == dt.timedelta(hours=9)
    rows = {row.shift: row for row in week_grid(scenario, rota, "en").places[0].rows}
    assert rows["night"].hours == "23:00–07:00" and rows["night"].times == ("",) * 7
    mine = _event_on(person_calendar(scenario, rota, night.person), saturday)
    assert "23:00–07:00" in str(mine["summary"])
    start, end = (mine.decoded(key).astimezone(dt.UTC) for key in ("dtstart", "dtend"))
    assert end - start == dt.timedelta(hours=9)
    # The person's hours count the night's 9 hours, also from times written in the zone itself.
    in_zone = rota.model_copy(update={"assignments": [
        a.model_copy(update={"start": a.start.astimezone(BERLIN), "end": a.end.astimezone(BERLIN)})
        for a in rota.assignments
    ]})
    for shown in (rota, in_zone):
        load = next(load for load in person_loads(scenario, shown, "en") if load.person == night.person)
        others = [a for a in rota.assignments if a.person == night.person and a is not night]
        assert load.minutes == 9 * 60 + 8 * 60 * len(others)


def test_an_end_given_night_is_seven_hours_in_spring() -> None:
    scenario, rota = week(SPRING, {"end": "07:00"})
    night = night_of(rota, SPRING + dt.timedelta(days=SATURDAY))
    assert night.end == dt.datetime(2027, 3, 28, 7, tzinfo=BERLIN)
    assert night.end.astimezone(dt.UTC) - night.start.astimezone(dt.UTC) == dt.timedelta(hours=7)
    assert print_html(scenario, rota, "en").count('class="times"') == 0


def _event_on(data: bytes, day: dt.date) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(data)
    return next(
        e for e in calendar.walk("VEVENT")
        if e.decoded("dtstart").astimezone(BERLIN).date() == day and e.decoded("dtstart").astimezone(BERLIN).hour == 23
    )
