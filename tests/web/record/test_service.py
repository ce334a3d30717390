"""`web.record.service.served` and its summaries, against published rotas and check-in rows written directly:
hours from check-ins, rota-only shifts marked, no-shows left out, nights and weekends, a night across midnight,
ranges, the latest version only, shifts not yet over, one query per table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import event

from tests.web.feeds_support import ZONE
from tests.web.record.support import (
    LAST,
    NOW,
    WEEK,
    WEEK2,
    check_in,
    community,
    day,
    published_weeks,
    record_app,
    session,
    shift,
)
from web.record.service import ServedShift, by_week, grand_total, periods_between, served, summarise


def _served(app: FastAPI, start: dt.date = WEEK, end: dt.date = LAST + dt.timedelta(days=7),
            now: dt.datetime = NOW) -> list[ServedShift]:
    with session(app) as db:
        return served(db, community(db), start, end, now.astimezone(dt.UTC))


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    app = record_app(tmp_path)
    published_weeks(app)
    return app


def _one(shifts: list[ServedShift], person: str, date: dt.date) -> ServedShift:
    (found,) = [s for s in shifts if s.person_key == person and s.date == date]
    return found


def test_hours_come_from_the_check_in_and_meal_breaks_do_not_count(app: FastAPI) -> None:
    shifts = _served(app)
    alice = _one(shifts, "alice", WEEK)
    assert alice.source == "checkin" and alice.status == "late" and alice.recorded_by == "lead:2"
    assert alice.start == dt.datetime(2026, 11, 2, 8, 10, tzinfo=ZONE)
    assert alice.end == dt.datetime(2026, 11, 2, 16, tzinfo=ZONE)
    assert alice.hours == pytest.approx(7 + 50 / 60 - 0.75)
    assert alice.name == "张伟" and alice.place_name.zh == "大门" and alice.shift_name.en == "Day"
    assert alice.role_name.zh == "志愿者" and alice.person_id is not None
    assert (alice.week_start, alice.version) == (WEEK, 1)


def test_an_arrival_without_departure_counts_until_the_planned_end_and_never_before_the_start(app: FastAPI) -> None:
    wednesday = _one(_served(app), "alice", day(WEEK, 2))
    assert wednesday.start == dt.datetime(2026, 11, 4, 8, tzinfo=ZONE)  # came at 07:30: counted from 08:00
    assert wednesday.end == wednesday.planned_end
    assert wednesday.hours == pytest.approx(7.25)


def test_a_shift_nobody_recorded_counts_as_published_and_is_marked(app: FastAPI) -> None:
    carol = _one(_served(app), "carol", WEEK)
    assert carol.source == "rota" and carol.status is None and carol.recorded_by is None
    assert (carol.start, carol.end) == (carol.planned_start, carol.planned_end)
    assert carol.hours == pytest.approx(7.25) and carol.role == "guard"


def test_a_no_show_is_not_a_turn_served(app: FastAPI) -> None:
    assert [s for s in _served(app) if s.date == day(WEEK, 1)] == []


def test_a_night_across_midnight_belongs_to_the_day_it_starts_and_is_a_weekend_night(app: FastAPI) -> None:
    sunday = day(WEEK, 6)
    night = _one(_served(app), "alice", sunday)
    assert night.night and night.weekend and night.date == sunday
    assert night.start == dt.datetime(2026, 11, 8, 23, tzinfo=ZONE)
    assert night.end == dt.datetime(2026, 11, 9, 7, tzinfo=ZONE)
    assert night.hours == pytest.approx(8) and night.source == "checkin"
    saturday = _one(_served(app), "carol", day(WEEK, 5))
    assert saturday.weekend and not saturday.night
    assert not _one(_served(app), "alice", WEEK).weekend
    # the range is of local start dates: Monday on leaves out Sunday's night, though it ends on Monday
    assert [s.date for s in _served(app, WEEK2, WEEK2 + dt.timedelta(days=7))] == [WEEK2]
    assert [s.night for s in _served(app, sunday, WEEK2)] == [True]


def test_only_the_latest_version_counts(app: FastAPI) -> None:
    (monday,) = _served(app, WEEK2, WEEK2 + dt.timedelta(days=1))
    assert monday.person_key == "bob" and monday.version == 2


def test_a_shift_not_over_yet_is_not_served(app: FastAPI) -> None:
    last = _served(app, LAST, LAST + dt.timedelta(days=7))
    assert [(s.person_key, s.date) for s in last] == [("alice", LAST)]  # bob's Wednesday runs at 10:00
    later = NOW + dt.timedelta(hours=6)
    assert len(_served(app, LAST, LAST + dt.timedelta(days=7), later)) == 2


def test_a_recorded_shift_taken_off_the_rota_still_counts(app: FastAPI) -> None:
    check_in(app, shift("alice", day(WEEK2, 0)), "arrived", "08:00", "12:00")  # she came to version 1's shift
    monday = _served(app, WEEK2, WEEK2 + dt.timedelta(days=1))
    alice = _one(monday, "alice", WEEK2)
    assert alice.source == "checkin" and alice.hours == pytest.approx(4) and alice.version is None
    assert alice.place_name.zh == "大门" and [s.person_key for s in monday] == ["bob", "alice"]  # 李 before 张


def test_summaries_per_person_by_week_month_and_year(app: FastAPI) -> None:
    shifts = _served(app)
    records = summarise(shifts, "week")
    assert [r.name for r in records] == ["李娜", "王强", "张伟"]  # pinyin: li, wang, zhang
    alice = records[2]
    assert alice.total.turns == 4 and alice.total.nights == 1 and alice.total.weekends == 1
    assert alice.total.checkin_turns == 3 and alice.total.rota_turns == 1
    assert set(alice.periods) == {WEEK, LAST}
    assert alice.periods[WEEK].turns == 3
    months = summarise(shifts, "month")[2].periods
    assert set(months) == {dt.date(2026, 11, 1)} and months[dt.date(2026, 11, 1)].turns == 4
    assert set(summarise(shifts, "year")[2].periods) == {dt.date(2026, 1, 1)}
    total = grand_total(records)
    assert total.turns == len(shifts) == 7 and total.rota_turns == 4
    assert total.hours == pytest.approx(sum(s.hours for s in shifts))
    assert by_week(shifts)["alice"][WEEK] == pytest.approx(alice.periods[WEEK].hours)
    assert periods_between(dt.date(2026, 11, 30), dt.date(2027, 1, 2), "month") == [
        dt.date(2026, 11, 1), dt.date(2026, 12, 1), dt.date(2027, 1, 1)]
    assert periods_between(WEEK + dt.timedelta(days=3), WEEK2 + dt.timedelta(days=1), "week") == [WEEK, WEEK2]


def test_one_query_per_table_however_many_shifts(app: FastAPI) -> None:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    with session(app) as db:
        found = community(db)
        engine = db.get_bind()
        event.listen(engine, "before_cursor_execute", count)
        try:
            served(db, found, WEEK, LAST + dt.timedelta(days=7), NOW)
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert len(statements) <= 3, statements
