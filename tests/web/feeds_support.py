"""Shared by the calendar feed, personal page and print route tests: a community with Chinese names, hand-made
rotas of the coming week published through `web.rota.drafts.publish`, and secret links."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from sqlalchemy.orm import Session

from scheduler.check import check
from scheduler.domain.rota import Assignment, Break, Rota, SolveStatus
from scheduler.domain.scenario import Scenario
from tests.web.conftest import PASSWORD, RecordingRunner, tiny_community
from web.app import create_app
from web.dates import next_monday
from web.feeds import links
from web.rota import drafts
from web.settings import Settings
from web.store import build_scenario, first_community, person_row, transaction
from web.tables import Community, LinkKind, RotaDraft

ZONE = ZoneInfo("Asia/Shanghai")
EVIL = "<script>alert(1)</script>"
WEEK = next_monday(dt.date.today())
"""The coming week: the personal page shows shifts from today on, so the test week is always ahead."""
COORDINATOR = "协调员 王芳 13911112222"
BOB_PHONE = "13800000000"


def community_data(**people_overrides: dict[str, Any]) -> dict[str, Any]:
    """The tiny community with Chinese names, a coordinator, phones, and no weekly limits in the way."""
    data = tiny_community(coordinator=COORDINATOR, start=WEEK.isoformat())
    names = {"alice": "张伟", "bob": "李娜", "carol": "王强"}
    for person in data["people"]:
        person["name"] = names.get(person["id"], person["name"])
        person.pop("availability", None)
        person.update(people_overrides.get(person["id"], {}))
    data["people"][1]["phone"] = BOB_PHONE
    return data


def make_app(tmp_path: Path, alarm_minutes: int = 60, **people_overrides: dict[str, Any]) -> FastAPI:
    path = tmp_path / "community.json"
    path.write_text(json.dumps(community_data(**people_overrides), ensure_ascii=False), encoding="utf-8")
    settings = Settings(
        data_dir=tmp_path / "data", admin_user="coord", admin_password=PASSWORD, example_path=path,
        secret_key="k" * 40, database_url=None, calendar_alarm_minutes=alarm_minutes, public_url="http://testserver",
    )
    return create_app(settings, RecordingRunner(), out=io.StringIO())


def session(app: FastAPI) -> Session:
    db: Session = app.state.rota.sessions()
    return db


def _community(db: Session) -> Community:
    community = first_community(db)
    assert community is not None
    return community


def day_shift(person: str, day: int, role: str, meal_start: str = "12:00") -> Assignment:
    """The person on the gate's day shift (08:00–16:00) of the week's day `day` (0 = Monday), lunch 45 min."""
    date = WEEK + dt.timedelta(days=day)
    start = dt.datetime.combine(date, dt.time(8), ZONE)
    lunch = dt.datetime.combine(date, dt.time.fromisoformat(meal_start), ZONE)
    return Assignment(
        person=person, post="gate", shift="day", role=role, date=date, start=start,
        end=start + dt.timedelta(hours=8), breaks=[Break(start=lunch, end=lunch + dt.timedelta(minutes=45))],
    )


def week_one() -> list[Assignment]:
    """Monday: alice and carol together (lunches apart, so someone is always there); then one a day."""
    return [
        day_shift("alice", 0, "vol", "11:00"), day_shift("carol", 0, "guard", "12:00"),
        day_shift("bob", 1, "guard"), day_shift("alice", 2, "vol"), day_shift("bob", 3, "guard"),
        day_shift("carol", 4, "vol"), day_shift("bob", 5, "guard"), day_shift("carol", 6, "guard"),
    ]


def week_two() -> list[Assignment]:
    """Version 2: alice's Wednesday goes to carol; everything else as in version 1."""
    return [a if (a.person, a.date.weekday()) != ("alice", 2) else day_shift("carol", 2, "vol") for a in week_one()]


def publish(app: FastAPI, assignments: list[Assignment]) -> int:
    """Publish a rota of the coming week (checked: it keeps every hard rule); its version number."""
    with session(app) as db:
        community = _community(db)
        scenario = build_scenario(db, community, WEEK, 7)
        rota = Rota(
            community=scenario.community, start=WEEK, days=7, timezone=scenario.timezone,
            status=SolveStatus.FEASIBLE, objective=0.0, bound=0.0, assignments=assignments,
        )
        assert check(scenario, rota).violations == []
        _store_draft(db, community, scenario, rota)
        version = drafts.publish(db, community, WEEK, "coord")
        return version.version


def _store_draft(db: Session, community: Community, scenario: Scenario, rota: Rota) -> None:
    with transaction(db):
        row = drafts.draft_row(db, community, WEEK)
        if row is None:
            row = RotaDraft(community_id=community.id, week_start=WEEK, days=7)
            db.add(row)
        row.rota = rota.model_dump(mode="json", by_alias=True)
        row.scenario = scenario.model_dump(mode="json", by_alias=True)


def person_token(app: FastAPI, key: str) -> str:
    with session(app) as db, db.begin():
        community = _community(db)
        row = person_row(db, community, key)
        assert row is not None
        return links.ensure_link(db, community, LinkKind.PERSON, person_id=row.id).token


def post_token(app: FastAPI, post: str = "gate") -> str:
    with session(app) as db, db.begin():
        return links.ensure_link(db, _community(db), LinkKind.POST, post=post).token
