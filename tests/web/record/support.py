"""Shared by the service-record tests: a community with Chinese names, a day and a night shift at the gate, rotas
published for any week, check-in rows written directly (the check-in pages are built elsewhere), a frozen clock."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.domain.rota import Assignment, Break, Rota, SolveStatus
from tests.web.conftest import PASSWORD, RecordingRunner
from tests.web.feeds_support import ZONE, community_data
from web.app import create_app
from web.rota import drafts
from web.settings import Settings
from web.store import build_scenario, first_community, transaction
from web.tables import CheckIn, Community, PersonRow, RotaDraft

WEEK = dt.date(2026, 11, 2)
"""A Monday in the past of the frozen clock: four weeks are published from here."""
NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=ZONE)
"""Wednesday 2 December 2026, 10:00 in Shanghai: the app's clock in these tests."""


def record_data() -> dict[str, Any]:
    data = community_data()
    data["start"] = WEEK.isoformat()
    data["posts"][0]["shifts"].append(
        {"id": "night", "name": {"zh": "夜班", "en": "Night"}, "start": "23:00", "hours": 8}
    )
    return data


def record_app(tmp_path: Path, data: dict[str, Any] | None = None) -> FastAPI:
    path = tmp_path / "community.json"
    path.write_text(json.dumps(data or record_data(), ensure_ascii=False), encoding="utf-8")
    settings = Settings(
        data_dir=tmp_path / "data", admin_user="coord", admin_password=PASSWORD, example_path=path,
        secret_key="k" * 40, database_url=None, public_url="http://testserver",
    )
    app = create_app(settings, RecordingRunner(), out=io.StringIO())
    freeze(app, NOW)
    return app


def freeze(app: FastAPI, moment: dt.datetime) -> None:
    utc = moment.astimezone(dt.UTC)
    app.state.rota.clock = lambda: utc


def session(app: FastAPI) -> Session:
    db: Session = app.state.rota.sessions()
    return db


def community(db: Session) -> Community:
    found = first_community(db)
    assert found is not None
    return found


def shift(person: str, day: dt.date, role: str = "vol", kind: str = "day", meal: str | None = "12:00") -> Assignment:
    """The gate's day shift (08:00–16:00, a 45-minute lunch) or night shift (23:00–07:00, no meal)."""
    start = dt.datetime.combine(day, dt.time(8 if kind == "day" else 23), ZONE)
    breaks = []
    if kind == "day" and meal is not None:
        lunch = dt.datetime.combine(day, dt.time.fromisoformat(meal), ZONE)
        breaks = [Break(start=lunch, end=lunch + dt.timedelta(minutes=45))]
    return Assignment(
        person=person, post="gate", shift=kind, role=role, date=day, start=start,
        end=start + dt.timedelta(hours=8), breaks=breaks,
    )


def publish(app: FastAPI, week: dt.date, assignments: list[Assignment]) -> None:
    """Publish a rota of `week` (its gaps confirmed: these tests are about what was served, not the rules)."""
    with session(app) as db:
        found = community(db)
        scenario = build_scenario(db, found, week, 7)
        rota = Rota(
            community=scenario.community, start=week, days=7, timezone=scenario.timezone,
            status=SolveStatus.FEASIBLE, objective=0.0, bound=0.0, assignments=assignments,
        )
        with transaction(db):
            row = drafts.draft_row(db, found, week)
            if row is None:
                row = RotaDraft(community_id=found.id, week_start=week, days=7)
                db.add(row)
            row.rota = rota.model_dump(mode="json", by_alias=True)
            row.scenario = scenario.model_dump(mode="json", by_alias=True)
        drafts.publish(db, found, week, "coord", confirm=True)


def check_in(
    app: FastAPI, a: Assignment, status: str = "arrived", arrived: str | None = None, left: str | None = None,
    by: str = "self",
) -> None:
    """A check-in row for the assignment; `arrived` and `left` are local 'HH:MM' on its start date (or the next
    day when before the start)."""
    def moment(text: str | None) -> dt.datetime | None:
        if text is None:
            return None
        value = dt.datetime.combine(a.date, dt.time.fromisoformat(text), ZONE)
        return value + dt.timedelta(days=1) if value < a.start - dt.timedelta(hours=2) else value

    with session(app) as db, db.begin():
        found = community(db)
        person = db.scalars(select(PersonRow).where(
            PersonRow.community_id == found.id, PersonRow.key == a.person)).one()
        db.add(CheckIn(
            community_id=found.id, person_id=person.id, place=a.place, is_duty=a.duty is not None,
            shift=a.shift or a.place, role=a.role, date=a.date, planned_start=a.start, planned_end=a.end,
            arrived_at=moment(arrived), left_at=moment(left), status=status, recorded_by=by,
        ))


def day(week: dt.date, index: int) -> dt.date:
    return week + dt.timedelta(days=index)


WEEK2 = WEEK + dt.timedelta(days=7)
LAST = WEEK + dt.timedelta(days=28)
"""The week NOW falls in."""


def published_weeks(app: FastAPI) -> None:
    """Week one: Monday alice (late, by a lead) and carol (nobody recorded); Tuesday bob (no-show); Wednesday alice
    (arrived early, no departure); Saturday carol (nobody recorded); Sunday alice's night (recorded by the
    coordinator). Week two: version 2 swaps alice's Monday for bob's. The last week: Monday alice, Wednesday bob
    (running at NOW)."""
    mon, tue, wed, sat, sun = (day(WEEK, i) for i in (0, 1, 2, 5, 6))
    week1 = [
        shift("alice", mon), shift("carol", mon, "guard", meal="11:00"), shift("bob", tue, "guard"),
        shift("alice", wed), shift("carol", sat), shift("alice", sun, kind="night"),
    ]
    publish(app, WEEK, week1)
    check_in(app, week1[0], "late", "08:10", "16:00", by="lead:2")
    check_in(app, week1[2], "no_show", by="coordinator:coord")
    check_in(app, week1[3], "arrived", "07:30")  # early, and no departure recorded
    check_in(app, week1[5], "arrived", "23:00", "07:00", by="coordinator:coord")
    publish(app, WEEK2, [shift("alice", day(WEEK2, 0))])
    publish(app, WEEK2, [shift("bob", day(WEEK2, 0), "guard")])  # version 2: bob instead of alice
    publish(app, LAST, [shift("alice", day(LAST, 0)), shift("bob", day(LAST, 2), "guard")])
