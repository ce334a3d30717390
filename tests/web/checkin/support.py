"""Shared by the check-in tests: the feeds' tiny community (guard optionally a lead role), week one published, a
frozen app clock."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import PASSWORD, RecordingRunner
from tests.web.feeds_support import WEEK, ZONE, community_data, person_token, publish, session, week_one
from web.app import create_app
from web.feeds import links
from web.settings import Settings
from web.store import first_community
from web.tables import CheckIn, LinkKind, PersonRow

MONDAY = WEEK
CSRF = 'name="csrf_token" value="'


def make(tmp_path: Path, *, lead: bool = False) -> FastAPI:
    """Week one published: on Monday alice (volunteer) and carol (guard) are on the gate 08:00–16:00."""
    data = community_data()
    if lead:
        data["roles"][1]["lead"] = True
    path = tmp_path / "community.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    settings = Settings(
        data_dir=tmp_path / "data", admin_user="coord", admin_password=PASSWORD, example_path=path,
        secret_key="k" * 40, database_url=None, public_url="http://testserver",
    )
    app = create_app(settings, RecordingRunner(), out=io.StringIO())
    publish(app, week_one())
    return app


def at(app: FastAPI, hour: int, minute: int = 0, second: int = 0, day: int = 0) -> dt.datetime:
    """Freeze the app clock at a local time of the week's day `day` (0 = Monday)."""
    moment = dt.datetime.combine(MONDAY + dt.timedelta(days=day), dt.time(hour, minute, second), ZONE)
    app.state.rota.clock = lambda: moment.astimezone(dt.UTC)
    return moment


def checkin_token(app: FastAPI, post: str = "gate") -> str:
    with session(app) as db, db.begin():
        community = first_community(db)
        assert community is not None
        return links.ensure_link(db, community, LinkKind.CHECKIN, post=post).token


def rows(app: FastAPI) -> dict[str, CheckIn]:
    with session(app) as db:
        found = db.execute(select(CheckIn, PersonRow.key).join(PersonRow, PersonRow.id == CheckIn.person_id)).all()
        for row, _ in found:
            db.expunge(row)
        return {key: row for row, key in found}


def person_id(app: FastAPI, key: str) -> int:
    with session(app) as db:
        row = db.scalars(select(PersonRow).where(PersonRow.key == key)).one()
        return row.id


def page_csrf(client: TestClient, path: str) -> str:
    text = client.get(path).text
    start = text.index(CSRF) + len(CSRF)
    return text[start:text.index('"', start)]


def slot_ref(day: int = 0) -> str:
    return f"gate|day|{(MONDAY + dt.timedelta(days=day)).isoformat()}"


__all__ = ["WEEK", "person_token"]
