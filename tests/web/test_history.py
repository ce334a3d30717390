"""A week's scenario carries what people worked in the published weeks before it, so rest and consecutive-day rules
hold across the week boundary: the latest version of each earlier week, active people only, shifts that ended
before the week starts."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from scheduler import fair_shares
from scheduler.check import check
from scheduler.domain.rota import Assignment, Rota, SolveStatus
from scheduler.domain.scenario import Scenario
from scheduler.solve.run import solve
from scheduler.solve.settings import SolveSettings
from tests.web.conftest import RecordingRunner, tiny_community
from web.app import create_app
from web.settings import Settings
from web.state import AppContext
from web.store import build_scenario, first_community
from web.tables import CheckIn, CheckInStatus, PersonRow, RotaVersion

ZONE = ZoneInfo("Asia/Shanghai")
WEEK = dt.date(2026, 12, 7)
LAST_WEEK = WEEK - dt.timedelta(days=7)


def _app(tmp_path: Path, **overrides: Any) -> FastAPI:
    path = tmp_path / "community.json"
    community = tiny_community(start=WEEK.isoformat(), default_limits={"max_consecutive_days": 4}, **overrides)
    path.write_text(json.dumps(community, ensure_ascii=False), encoding="utf-8")
    settings = Settings(
        data_dir=tmp_path / "data", admin_user="coord", admin_password="correct horse battery", example_path=path,
        secret_key="k" * 40, solve_time_limit=10, solve_workers=1, database_url=None,
    )
    return create_app(settings, RecordingRunner(), out=io.StringIO())


def _day_shift(person: str, date: dt.date, hours: int = 8, start: int = 8) -> Assignment:
    begin = dt.datetime.combine(date, dt.time(start), tzinfo=ZONE)
    return Assignment(person=person, post="gate", shift="day", role="vol", date=date, start=begin,
                      end=begin + dt.timedelta(hours=hours))


def _publish(
    context: AppContext, version: int, assignments: list[Assignment], scenario: Scenario, week: dt.date = LAST_WEEK
) -> None:
    rota = Rota(community="Tiny", start=week, days=7, timezone="Asia/Shanghai", status=SolveStatus.FEASIBLE,
                objective=None, bound=None, assignments=assignments)
    with context.sessions() as db:
        community = first_community(db)
        assert community is not None
        db.add(RotaVersion(
            community_id=community.id, week_start=week, days=7, version=version,
            rota=rota.model_dump(mode="json"), scenario=scenario.model_dump(mode="json", by_alias=True),
            published_by="coord", published_at=dt.datetime(2026, 11, 29, tzinfo=dt.UTC),
        ))
        db.commit()


def test_the_weeks_before_are_history_and_their_rules_hold_across_the_boundary(tmp_path: Path) -> None:
    app = _app(tmp_path)
    context = app.state.rota
    assert isinstance(context, AppContext)
    with context.sessions() as db:
        community = first_community(db)
        assert community is not None
        before = build_scenario(db, community, LAST_WEEK)
        assert build_scenario(db, community, WEEK).history == []
    thursday_to_sunday = [_day_shift("alice", WEEK - dt.timedelta(days=d)) for d in (4, 3, 2, 1)]
    _publish(context, 1, [_day_shift("bob", WEEK - dt.timedelta(days=2))], before)  # replaced by version 2
    _publish(context, 2, [
        *thursday_to_sunday,
        _day_shift("bob", WEEK - dt.timedelta(days=1), hours=10, start=20),  # ends Monday 06:00: inside the week
        _day_shift("dave", WEEK - dt.timedelta(days=1)),  # not active any more
    ], before)

    with context.sessions() as db:
        community = first_community(db)
        assert community is not None
        scenario = build_scenario(db, community, WEEK)
    assert [(h.person, h.start) for h in scenario.history] == [(a.person, a.start) for a in thursday_to_sunday]
    assert all(h.post == "gate" and not h.night for h in scenario.history)

    # Alice worked Thursday to Sunday, and four days in a row is her limit: not on Monday.
    result = solve(scenario, SolveSettings(time_limit=10, workers=1))
    assert result.rota is not None and check(scenario, result.rota).ok
    assert all(a.person != "alice" or a.date != WEEK for a in result.rota.assignments)
    monday = _day_shift("alice", WEEK)
    others = [a for a in result.rota.assignments if a.date != WEEK]
    by_hand = result.rota.model_copy(update={"assignments": [monday.model_copy(update={"breaks": []}), *others]})
    broken = [v for v in check(scenario, by_hand).violations if v.rule == "consecutive"]
    assert [v.person for v in broken] == ["alice"]
    assert [v.rule for v in check(scenario.model_copy(update={"history": []}), by_hand).violations].count(
        "consecutive"
    ) == 0  # without the history, Monday alone breaks nothing


def _history_of_three_weeks_back(tmp_path: Path, weeks: int) -> Scenario:
    fair = {"fairness_hours": 1, "fairness_nights": 0, "fairness_weekends": 0, "fairness_weeks": weeks}
    tmp_path.mkdir()
    app = _app(tmp_path, weights=fair)
    context = app.state.rota
    assert isinstance(context, AppContext)
    three_weeks_back = WEEK - dt.timedelta(days=21)
    with context.sessions() as db:
        community = first_community(db)
        assert community is not None
        before = build_scenario(db, community, three_weeks_back)
    _publish(context, 1, [_day_shift("alice", three_weeks_back + dt.timedelta(days=d)) for d in range(5)], before,
             week=three_weeks_back)
    with context.sessions() as db:
        community = first_community(db)
        assert community is not None
        return build_scenario(db, community, WEEK)


def test_fairness_weeks_reach_back_in_the_history_and_count_in_the_shares(tmp_path: Path) -> None:
    # Alice served five day shifts three weeks before: inside four weeks of fairness, beyond the two weeks that rest
    # and consecutive-day rules need.
    scenario = _history_of_three_weeks_back(tmp_path / "four", weeks=4)
    assert len(scenario.history) == 5 and {h.person for h in scenario.history} == {"alice"}
    result = solve(scenario, SolveSettings(time_limit=10, workers=1))
    assert result.rota is not None and check(scenario, result.rota).ok
    hours = {s.person: s for s in fair_shares(scenario, result.rota) if s.measure == "hours"}
    assert hours["alice"].past == 40 and hours["carol"].past == 0
    # The shares are of the four weeks and this one together: Alice's and Carol's add up to all they served.
    group_total = sum(hours[p].past + hours[p].amount for p in ("alice", "carol"))
    assert hours["alice"].share + hours["carol"].share == pytest.approx(group_total)

    assert _history_of_three_weeks_back(tmp_path / "one", weeks=1).history == []


def test_the_history_follows_what_was_recorded_at_the_post(tmp_path: Path) -> None:
    # Alice's Thursday: she came an hour late. Her Friday: recorded as not come. Saturday: nobody recorded it.
    app = _app(tmp_path)
    context = app.state.rota
    assert isinstance(context, AppContext)
    days = [WEEK - dt.timedelta(days=d) for d in (4, 3, 2)]
    with context.sessions() as db:
        community = first_community(db)
        assert community is not None
        before = build_scenario(db, community, LAST_WEEK)
    _publish(context, 1, [_day_shift("alice", day) for day in days], before)
    with context.sessions() as db:
        community = first_community(db)
        assert community is not None
        alice = db.scalars(select(PersonRow).where(PersonRow.key == "alice")).one()
        version = db.scalars(select(RotaVersion)).one()
        for day, status, late in ((days[0], CheckInStatus.LATE, 1), (days[1], CheckInStatus.NO_SHOW, None)):
            planned = dt.datetime.combine(day, dt.time(8), tzinfo=ZONE)
            db.add(CheckIn(
                community_id=community.id, person_id=alice.id, version_id=version.id, place="gate", shift="day",
                role="vol", date=day, planned_start=planned, planned_end=planned + dt.timedelta(hours=8),
                arrived_at=None if late is None else planned + dt.timedelta(hours=late), status=status.value,
                recorded_by="self",
            ))
        db.commit()
        history = build_scenario(db, community, WEEK).history
    assert [(h.start.astimezone(ZONE), h.end.astimezone(ZONE)) for h in history] == [
        (dt.datetime.combine(days[0], dt.time(9), tzinfo=ZONE), dt.datetime.combine(days[0], dt.time(16), tzinfo=ZONE)),
        (dt.datetime.combine(days[2], dt.time(8), tzinfo=ZONE), dt.datetime.combine(days[2], dt.time(16), tzinfo=ZONE)),
    ]
